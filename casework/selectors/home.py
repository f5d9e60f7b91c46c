"""Reads of the home page's casework panels: a caseworker's own caseload, a supervisor's teams, an
administrator's organisation (DESIGN.md, access matrix).

Each reader starts from `visible_to(user)` (or the narrower `editable_by`, the door to legal records and
change history) and answers in a fixed number of queries whatever the number of people: counts are
aggregates, lists are sliced (HOME_ROWS) and counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import Applicant, ChangeRecord, Heartbeat, OutgoingEmail, Reminder, Task, Team, User
from casework.models.applicants import CaseStage
from casework.roles import Role
from casework.selectors.audit import hidden_record_ids, record_kind
from casework.selectors.audit_titles import history_title
from casework.selectors.reminders import _acknowledged, failed_emails

HOME_ROWS = 8  # rows a home list shows; the panel links to the full page for the rest
MINE = "mine"
TEAMS = "teams"


def _led_team_ids(user: User) -> QuerySet[Any]:
    return Team.supervisors.through.objects.filter(user_id=user.pk).values("team_id")


def caseload(*, user: User, scope: str) -> QuerySet[Applicant]:
    """The people a panel speaks of: the caseworker's own (MINE) or the led teams' (TEAMS), through
    editable_by (own caseload, led teams): a teammate's shared case is not "mine"."""
    rows = Applicant.objects.editable_by(user)
    if scope == MINE:
        return rows.filter(caseworker_id=user.pk)
    return rows.filter(team_id__in=_led_team_ids(user))


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


def caseload_by_stage(*, user: User, scope: str) -> list[StageCount]:
    """Every case stage in its order with the number of people in it (one query)."""
    counts = dict(
        caseload(user=user, scope=scope).order_by().values_list("case_stage").annotate(n=Count("pk"))
    )
    return [StageCount(stage.value, str(stage.label), counts.get(stage.value, 0)) for stage in CaseStage]


@dataclass(frozen=True)
class Listing:
    """The first rows of a list and how many there are in all (two queries)."""

    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


def _listing(queryset: QuerySet[Any], rows: int = HOME_ROWS) -> Listing:
    # Always both queries, so the count of queries does not depend on how many rows there are.
    return Listing(list(queryset[:rows]), queryset.order_by().count())


def overdue_tasks(*, user: User, scope: str, today: date | None = None) -> Listing:
    """Open tasks past their due date: the user's own (MINE), or those on the led teams' cases (TEAMS);
    the longest overdue first."""
    today = today or timezone.localdate()
    rows = Task.objects.visible_to(user).filter(done=False, due_date__lt=today)
    if scope == MINE:
        rows = rows.filter(assignee_id=user.pk)
    else:
        rows = rows.filter(applicant__team_id__in=_led_team_ids(user))
    return _listing(rows.select_related("applicant", "assignee").order_by("due_date", "pk"))


def unacknowledged_reminders(*, user: User) -> Listing:
    """Reminders delivered about the user's own caseload that nobody has acknowledged yet, soonest first."""
    rows = Reminder.objects.filter(
        applicant__in=caseload(user=user, scope=MINE).values("pk"),
        state=Reminder.State.LIVE,
        delivered_at__isnull=False,
    ).filter(~Q(_acknowledged()))
    return _listing(rows.select_related("applicant").order_by("deadline_date", "pk"))


@dataclass(frozen=True)
class Activity:
    record: ChangeRecord
    title: str


def recent_activity(*, user: User, scope: str, rows: int = HOME_ROWS) -> list[Activity]:
    """The latest changes on the people of the caseload (their change history), newest first; rows the
    user may not read (a confidential note of someone else's) are left out. A fixed number of queries:
    one for the rows, one per restricted kind of record among them."""
    people = caseload(user=user, scope=scope)
    records = list(
        ChangeRecord.objects.filter(
            organisation_id=user.organisation_id, applicant_id__in=people.values("pk")
        )
        .select_related("actor", "applicant")
        .order_by("-at", "-pk")[: rows * 2]
    )
    hidden = hidden_record_ids(records, user=user, applicants={r.applicant_id: r.applicant for r in records})
    shown = [record for record in records if record.pk not in hidden][:rows]
    return [
        Activity(
            record, history_title(record.model, record.action, record.changes, record_kind(record.model))
        )
        for record in shown
    ]


@dataclass(frozen=True)
class CaseworkerLoad:
    caseworker: User | None  # None: people without a caseworker
    cases: int
    overdue_tasks: int


def caseload_per_caseworker(*, user: User, today: date | None = None) -> list[CaseworkerLoad]:
    """For a supervisor: per caseworker of the led teams, their open cases and their overdue tasks on
    those teams' cases (three queries: cases, overdue tasks, the people named)."""
    today = today or timezone.localdate()
    led = _led_team_ids(user)
    open_cases = caseload(user=user, scope=TEAMS).exclude(case_stage=CaseStage.CLOSED)
    cases = dict(open_cases.order_by().values_list("caseworker_id").annotate(n=Count("pk")))
    overdue = dict(
        Task.objects.visible_to(user)
        .filter(done=False, due_date__lt=today, applicant__team_id__in=led)
        .order_by()
        .values_list("assignee_id")
        .annotate(n=Count("pk"))
    )
    members = User.objects.filter(
        Q(pk__in=[pk for pk in (*cases, *overdue) if pk]) | Q(team_id__in=led, groups__name=Role.CASEWORKER),
        organisation_id=user.organisation_id,
        is_active=True,
    ).distinct()
    loads = [
        CaseworkerLoad(member, cases.get(member.pk, 0), overdue.get(member.pk, 0))
        for member in members.order_by("last_name", "first_name", "username")
    ]
    if cases.get(None):
        loads.append(CaseworkerLoad(None, cases[None], 0))
    return loads


def _has_device(model: type[Any]) -> Exists:
    return Exists(model.objects.filter(user_id=OuterRef("pk"), confirmed=True))


def users_without_two_factor(*, user: User) -> Listing:
    """Active people of the organisation (service accounts aside) with no confirmed two-factor device."""
    rows = (
        User.objects.visible_to(user)
        .filter(is_active=True, is_service_account=False)
        .filter(~Q(_has_device(TOTPDevice)), ~Q(_has_device(StaticDevice)))
        .order_by("last_name", "first_name", "username")
    )
    return _listing(rows)


def heartbeats(*, names: tuple[str, ...], now: datetime) -> tuple[dict[str, datetime | None], list[str]]:
    """When the scheduler (beat), the reminder sweep and the worker last ran, and the beat processes
    running (more than one: started by mistake); one query (Heartbeat.read)."""
    return Heartbeat.read(*names, now=now)


def failed_email_count(*, user: User) -> int:
    return failed_emails(user=user).count()


def delivery_health(*, user: User, now: datetime, lease: timedelta, since: timedelta) -> dict[str, int]:
    """What the outbox and the reminder delivery went through lately, for the administrator (two queries):
    e-mails sent in the last `since` and how many of them needed more than one attempt, failed in that
    time, waiting to be sent, waiting for a retry after a failed attempt, and claimed longer than the lease
    (a sender that stopped; the periodic redelivery takes them back); reminders due and not delivered."""
    recent = now - since
    emails = OutgoingEmail.objects.filter(recipient__organisation_id=user.organisation_id)
    pending = Q(state=OutgoingEmail.State.PENDING)
    counts = emails.aggregate(
        sent=Count("pk", filter=Q(state=OutgoingEmail.State.SENT, sent_at__gte=recent)),
        retried=Count("pk", filter=Q(state=OutgoingEmail.State.SENT, sent_at__gte=recent, attempts__gt=1)),
        failed=Count("pk", filter=Q(state=OutgoingEmail.State.FAILED, created_at__gte=recent)),
        waiting=Count("pk", filter=pending),
        retrying=Count("pk", filter=pending & Q(attempts__gt=0, claimed_at__isnull=True)),
        stuck=Count("pk", filter=pending & Q(claimed_at__lt=now - lease)),
    )
    counts["undelivered"] = Reminder.objects.filter(
        organisation_id=user.organisation_id,
        state=Reminder.State.LIVE,
        delivered_at__isnull=True,
        due_on__lte=timezone.localdate(now),
    ).count()
    return counts


def organisation_counts(*, user: User) -> dict[str, int]:
    """People in the organisation's case files and open cases (one query)."""
    return Applicant.objects.visible_to(user).aggregate(
        people=Count("pk"), open_cases=Count("pk", filter=~Q(case_stage=CaseStage.CLOSED))
    )
