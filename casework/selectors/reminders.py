"""Reads of reminders: a user's notifications and unread count, the deadlines ahead, supervisors' views.

Every read starts from Applicant.objects.visible_to(user) (the one door): a notification about a person
the user may no longer see is neither listed nor counted. Query counts do not depend on the data: the
notification lists are one query a page plus one for the deadline states of that page, the deadlines
ahead one query per deadline source (the sources answer for the user's applicants only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import DateField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import ngettext

from casework import rules
from casework.deadlines import registry
from casework.models import Applicant, DeadlineState, Notification, OutgoingEmail, Reminder, Team, User
from casework.models.reminders import ON_RECORD, OVERDUE
from casework.roles import Role

DEADLINES_AHEAD_DAYS = 90
# "T-7 or nearer": the offsets that escalate (DESIGN.md, Reminders 7).
NEAR_OFFSETS = (
    ON_RECORD,
    OVERDUE,
    *(registry.offset_label(offset) for offset in range(rules.ESCALATE_FROM_OFFSET, 1)),
)

DeadlineKey = tuple[str, int, date]


def _is_administrator(user: User) -> bool:
    return bool(user.is_superuser or user.has_role(Role.ADMINISTRATOR))


def _led_team_ids(user: User) -> QuerySet[Any]:
    return Team.supervisors.through.objects.filter(user_id=user.pk).values("team_id")


def _legal_applicants(user: User) -> QuerySet[Applicant]:
    """Applicants whose legal records the user may read: own caseload, led teams, administrators.

    The same set as Applicant.objects.legal_visible_to() (a teammate's shared case shows its profile
    only, not its deadlines), which is editable_by() in this version.
    """
    return Applicant.objects.editable_by(user)


def deadline_key(reminder: Reminder) -> DeadlineKey:
    return (reminder.source_kind, reminder.source_id, reminder.deadline_date)


def _acknowledged(prefix: str = "") -> Exists:
    """Is the deadline of this row (a reminder, or a notification with prefix "reminder__") acknowledged."""
    return Exists(
        DeadlineState.objects.filter(
            source_kind=OuterRef(f"{prefix}source_kind"),
            source_id=OuterRef(f"{prefix}source_id"),
            deadline_date=OuterRef(f"{prefix}deadline_date"),
            acknowledged_at__isnull=False,
        )
    )


def kind_label(kind: str) -> str:
    try:
        return str(registry.source(kind).label)
    except KeyError:
        return kind


def kind_choices() -> list[tuple[str, str]]:
    """The registered deadline kinds with their labels in the current language."""
    return sorted(
        ((kind, str(source.label)) for kind, source in registry.sources().items()), key=lambda c: c[1]
    )


# --- Notifications ---------------------------------------------------------------------------------------


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications about people they may see, newest first, with their reminder."""
    return (
        Notification.objects.filter(
            recipient_id=user.pk, reminder__applicant__in=Applicant.objects.visible_to(user).values("pk")
        )
        .select_related("reminder", "reminder__applicant")
        .annotate(deadline_acknowledged=_acknowledged("reminder__"))
        .order_by("-created_at", "-pk")
    )


def notification_state_condition(state: str) -> Q:
    """unread / read (by the user) / acknowledged (the deadline, by anyone). Not exclusive."""
    if state == "unread":
        return Q(read_at__isnull=True)
    if state == "read":
        return Q(read_at__isnull=False)
    if state == "acknowledged":
        return Q(_acknowledged("reminder__"))
    raise ValueError(state)


def unread_count(*, user: User) -> int:
    """One query: the user's unread notifications about people they may see (the bell on every page)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(
        recipient_id=user.pk,
        read_at__isnull=True,
        reminder__applicant__in=Applicant.objects.visible_to(user).values("pk"),
    ).count()


class UnreadBell:
    """The bell in the navigation; counts (one query) only when a template shows it."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        return unread_count(user=self.user)

    @property
    def label(self) -> str:
        return ngettext("Notifications, %(count)d unread", "Notifications, %(count)d unread", self.count) % {
            "count": self.count
        }


def deadline_states(keys: Iterable[DeadlineKey]) -> dict[DeadlineKey, DeadlineState]:
    """The states of some deadlines (a page's), in one query, with who acknowledged and snoozed."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = DeadlineState.objects.filter(
        source_kind__in={key[0] for key in wanted},
        source_id__in={key[1] for key in wanted},
        deadline_date__in={key[2] for key in wanted},
    ).select_related("acknowledged_by", "snoozed_by")
    states = {(row.source_kind, row.source_id, row.deadline_date): row for row in rows}
    return {key: state for key, state in states.items() if key in wanted}


def snooze_window(deadline_date: date, today: date) -> tuple[date, date] | None:
    """The dates one may snooze a deadline until: from tomorrow to T-1; None when none is left."""
    first, last = today + timedelta(days=1), deadline_date - timedelta(days=1)
    return (first, last) if first <= last else None


@dataclass
class InboxItem:
    notification: Notification
    state: DeadlineState | None
    today: date

    @property
    def reminder(self) -> Reminder:
        return self.notification.reminder

    @property
    def acknowledged(self) -> bool:
        return bool(self.state and self.state.acknowledged_at)

    @property
    def snoozed_until(self) -> date | None:
        until = self.state.snoozed_until if self.state else None
        return until if until and until >= self.today else None

    @cached_property
    def snooze_window(self) -> tuple[date, date] | None:
        return snooze_window(self.reminder.deadline_date, self.today)

    @property
    def snooze_default(self) -> date | None:
        """A week from today, or T-1 when that is sooner."""
        window = self.snooze_window
        return min(self.today + timedelta(days=7), window[1]) if window else None

    @property
    def kind_label(self) -> str:
        return kind_label(self.reminder.source_kind)

    detail: str = ""  # what the source says of its record (registry.source_details), if anything


def inbox_items(notifications: Iterable[Notification], *, today: date | None = None) -> list[InboxItem]:
    today = today or timezone.localdate()
    rows = list(notifications)
    states = deadline_states(deadline_key(n.reminder) for n in rows)
    details = registry.source_details((n.reminder.source_kind, n.reminder.source_id) for n in rows)
    return [
        InboxItem(
            n,
            states.get(deadline_key(n.reminder)),
            today,
            detail=details.get((n.reminder.source_kind, n.reminder.source_id), ""),
        )
        for n in rows
    ]


# --- Reminders a user may act on ------------------------------------------------------------------------


def reminders_actionable(*, user: User) -> QuerySet[Reminder]:
    """Reminders the user may acknowledge, snooze or turn into a task; anything else is a 404.

    Among the people the user may see: those the user was notified of, those of their own caseload
    (the assigned caseworker is who receives them; a case reassigned after delivery moves with them),
    those of the teams they lead, and for administrators all of the organisation's.
    """
    if not getattr(user, "is_authenticated", False):
        return Reminder.objects.none()
    rows = Reminder.objects.filter(applicant__in=Applicant.objects.visible_to(user).values("pk"))
    if _is_administrator(user):
        return rows
    notified = Notification.objects.filter(reminder=OuterRef("pk"), recipient_id=user.pk)
    condition = Q(Exists(notified)) | Q(applicant__caseworker_id=user.pk)
    if user.has_role(Role.SUPERVISOR):
        condition |= Q(applicant__team_id__in=_led_team_ids(user))
    return rows.filter(condition)


def reminders_for_api(*, user: User) -> QuerySet[Reminder]:
    return (
        reminders_actionable(user=user)
        .select_related("applicant")
        .annotate(deadline_acknowledged=_acknowledged())
        .order_by("-due_on", "-pk")
    )


# --- Deadlines ahead ------------------------------------------------------------------------------------


@dataclass
class DeadlineAhead:
    kind: str
    source_id: int
    applicant_id: int
    deadline_date: date  # the deadline's key (with kind and source id)
    due_date: date  # the day that matters: the deadline, or the hard limit of a pending renewal
    today: date
    applicant: Applicant | None = None
    acknowledged: bool = False

    @property
    def key(self) -> DeadlineKey:
        return (self.kind, self.source_id, self.deadline_date)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def days_left(self) -> int:
        return (self.due_date - self.today).days

    @property
    def is_urgent(self) -> bool:
        return self.days_left <= -rules.ESCALATE_FROM_OFFSET


def deadlines_ahead(
    *, user: User, days: int = DEADLINES_AHEAD_DAYS, today: date | None = None, kind: str | None = None
) -> list[DeadlineAhead]:
    """The live deadlines of the people whose legal records the user may read, today to today + days.

    One query per deadline source (each asked for the user's applicants only), soonest first. Applicant
    rows and acknowledgements are not loaded here: `with_details` does it for the rows shown.
    """
    today = today or timezone.localdate()
    last = today + timedelta(days=days)
    applicants = _legal_applicants(user)
    found: list[DeadlineAhead] = []
    for source_kind, source in sorted(registry.sources().items()):
        if kind and source_kind != kind:
            continue
        for deadline in source.live(
            today=today,
            grace_days=settings.REMINDER_GRACE_DAYS,
            source_ids=None,
            applicants=applicants,
            due_between=(today, last),
        ):
            due = deadline.overdue_after or deadline.deadline_date
            if today <= due <= last:
                found.append(
                    DeadlineAhead(
                        source_kind,
                        deadline.source_id,
                        deadline.applicant_id,
                        deadline.deadline_date,
                        due,
                        today,
                    )
                )
    found.sort(key=lambda row: (row.due_date, row.kind, row.source_id))
    return found


def next_deadline_of(*, user: User, applicant: Applicant, today: date | None = None) -> DeadlineAhead | None:
    """The most pressing live deadline of one person (an overdue one within the grace days first, then
    the soonest), as the deadlines page computes it: one query per deadline source; None when the user
    may not read the person's legal records or nothing is due."""
    today = today or timezone.localdate()
    applicants = _legal_applicants(user).filter(pk=applicant.pk)
    found = []
    for source_kind, source in sorted(registry.sources().items()):
        for deadline in source.live(
            today=today, grace_days=settings.REMINDER_GRACE_DAYS, source_ids=None, applicants=applicants
        ):
            due = deadline.overdue_after or deadline.deadline_date
            found.append(
                DeadlineAhead(
                    source_kind, deadline.source_id, deadline.applicant_id, deadline.deadline_date, due, today
                )
            )
    return min(found, key=lambda row: (row.due_date, row.kind, row.source_id), default=None)


def with_details(rows: list[DeadlineAhead], *, user: User) -> list[DeadlineAhead]:
    """Fill in the applicant (two queries whatever the number of rows); drop what the user may not read."""
    if not rows:
        return rows
    people = {
        applicant.pk: applicant
        for applicant in _legal_applicants(user)
        .filter(pk__in={row.applicant_id for row in rows})
        .select_related("caseworker")
    }
    states = deadline_states(row.key for row in rows)
    shown = []
    for row in rows:
        row.applicant = people.get(row.applicant_id)
        if row.applicant is None:
            continue
        state = states.get(row.key)
        row.acknowledged = bool(state and state.acknowledged_at)
        shown.append(row)
    return shown


# --- For supervisors and administrators -----------------------------------------------------------------


def may_oversee(user: User) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return _is_administrator(user) or user.has_role(Role.SUPERVISOR)


def _issued_near_the_deadline() -> Q:
    """T-7 or nearer, or overdue; an "on record" reminder only when it was issued that close
    (the same rule as delivery.escalate: a 3-month stay recorded today is not urgent)."""
    numeric = [offset for offset in NEAR_OFFSETS if offset != ON_RECORD]
    window = ExpressionWrapper(
        F("deadline_date") - timedelta(days=-rules.ESCALATE_FROM_OFFSET), output_field=DateField()
    )
    return Q(offset__in=numeric) | Q(offset=ON_RECORD, due_on__gte=window)


def team_unacknowledged(*, user: User) -> QuerySet[Reminder]:
    """Deadlines at T-7 or nearer (or overdue) of the teams the user leads (administrators: all),
    whose reminder was delivered and which nobody has acknowledged; the most urgent first."""
    if not may_oversee(user):
        return Reminder.objects.none()
    rows = Reminder.objects.filter(
        applicant__in=Applicant.objects.visible_to(user).values("pk"),
        state=Reminder.State.LIVE,
        delivered_at__isnull=False,
    ).filter(_issued_near_the_deadline())
    if not _is_administrator(user):
        rows = rows.filter(applicant__team_id__in=_led_team_ids(user))
    snoozed = DeadlineState.objects.filter(
        source_kind=OuterRef("source_kind"),
        source_id=OuterRef("source_id"),
        deadline_date=OuterRef("deadline_date"),
    ).values("snoozed_until")[:1]
    return (
        rows.filter(~Q(_acknowledged()))
        .annotate(snoozed_until=Subquery(snoozed))
        .select_related("applicant", "applicant__caseworker", "applicant__team")
        .order_by("deadline_date", "pk")
    )


def failed_emails(*, user: User) -> QuerySet[OutgoingEmail]:
    """E-mails that failed for good, with the reason: administrators see the organisation's,
    supervisors those of their teams' members (and their own)."""
    if not may_oversee(user):
        return OutgoingEmail.objects.none()
    rows = OutgoingEmail.objects.filter(
        state=OutgoingEmail.State.FAILED, recipient__organisation_id=user.organisation_id
    )
    if not _is_administrator(user):
        rows = rows.filter(Q(recipient__team_id__in=_led_team_ids(user)) | Q(recipient_id=user.pk))
    return rows.select_related("recipient").order_by("-created_at", "-pk")
