"""Casework's deadline sources, registered in CaseworkConfig.ready(). One query each.

Offsets and periods come from casework.rules; a source only says which records are live and when
their deadline is. "Live" (DESIGN.md, Reminders 2 and 5): the current record (the latest period of a
person, an unrevoked and unreplaced consent, an open procedure), not dealt with, and whose deadline is
not more than the grace period in the past.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import rules
from casework.deadlines.registry import Deadline, DeadlineSource, register_source
from casework.models import (
    Consent,
    LegalStatusPeriod,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    WorkPermission,
)
from casework.models.reminders import DeadlineState

# Nothing is due earlier than this before a deadline (the longest ladder starts at T-90; an "on
# record" reminder belongs to stays shorter than 6 months).
LOOKAHEAD_DAYS = 200
SPECIAL_PERIOD_DAYS_MAX = 62
SPECIAL_PERIOD_DAYS_MIN = 59  # 2 months after 31 December (clamped to 28 February)

# due_between: an optional (first, last) day. A source then reads only the records whose deadline can
# fall due in that window (the deadlines page asks for today .. today + 90 days, not every live record
# of the next 200 days); the caller still checks each answer's due date. None (the sweep): all live.
DueWindow = tuple[date, date] | None


def _bounded(low: date, high: date, due_between: DueWindow) -> tuple[date, date]:
    """A source's [low, high] range of its date column, narrowed to the window."""
    if due_between is None:
        return low, high
    first, last = due_between
    return max(low, first), min(high, last)


def _recorded_on() -> TruncDate:
    """The day (Asia/Tokyo) a record was saved, computed by the database: "on record" fires then."""
    return TruncDate("created_at", tzinfo=timezone.get_current_timezone())


def _only(rows: QuerySet, source_ids: list[int] | None, applicants=None, path: str = "applicant") -> QuerySet:
    """Some records only (the urgent path), and/or those of some applicants (a user's deadlines page).

    Unordered: the models' default ordering (by the applicant's name) cost a join and a sort of every
    live deadline in each sweep, and nobody needs the order.
    """
    rows = rows.order_by()
    if source_ids is not None:
        rows = rows.filter(pk__in=source_ids)
    if applicants is not None:
        rows = rows.filter(**{f"{path}__in": applicants.values("pk")})
    return rows


def _latest_period() -> Q:
    later = LegalStatusPeriod.objects.filter(
        applicant=OuterRef("applicant"), start_date__gt=OuterRef("start_date")
    )
    return ~Q(Exists(later))


def _period_rows(
    kinds_included: bool, today: date, grace_days: int, source_ids, applicants=None, due_between=None
):
    first, last = _bounded(
        today - timedelta(days=grace_days), today + timedelta(days=LOOKAHEAD_DAYS), due_between
    )
    rows = LegalStatusPeriod.objects.filter(
        _latest_period(),
        end_date__isnull=False,
        end_date__gte=first,
        end_date__lte=last,
        renewal_filed_on__isnull=True,
    )
    rows = (
        rows.filter(status_kind="provisional_release")
        if kinds_included
        else rows.exclude(status_kind="provisional_release")
    )
    return (
        _only(rows, source_ids, applicants)
        .annotate(recorded_on=_recorded_on())
        .values_list(
            "pk",
            "applicant_id",
            "applicant__organisation_id",
            "start_date",
            "end_date",
            "status_kind",
            "recorded_on",
            "from_import",
        )
    )


def _period_deadlines(rows) -> Iterator[Deadline]:
    for pk, applicant_id, organisation_id, start, end, kind, recorded_on, from_import in rows:
        offsets = rules.status_kind(kind).offsets_for(rules.months_between(start, end))
        if from_import:  # an imported period was not entered today: no "on record" rung
            offsets = tuple(offset for offset in offsets if offset != rules.ON_RECORD)
        yield Deadline(
            source_id=pk,
            applicant_id=applicant_id,
            organisation_id=organisation_id,
            deadline_date=end,
            offsets=offsets,
            recorded_on=recorded_on,
        )


def period_end(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between: DueWindow = None
) -> Iterator[Deadline]:
    """The end of the latest period of stay, while no renewal is filed (then renewal_pending follows)."""
    return _period_deadlines(_period_rows(False, today, grace_days, source_ids, applicants, due_between))


def provisional_release_expiry(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between: DueWindow = None
) -> Iterator[Deadline]:
    """Provisional release: the extension is asked for in person, before the fixed period ends."""
    return _period_deadlines(_period_rows(True, today, grace_days, source_ids, applicants, due_between))


def renewal_pending(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between: DueWindow = None
) -> Iterator[Deadline]:
    """A renewal filed in time and not decided: end + 30, end + 45; end + 2 months is the hard limit."""
    # Due at end + 2 months, 59 to 62 days after the end: ends from (first - 62) to (last - 59) days.
    window = due_between and (
        due_between[0] - timedelta(days=SPECIAL_PERIOD_DAYS_MAX),
        due_between[1] - timedelta(days=SPECIAL_PERIOD_DAYS_MIN),
    )
    first, last = _bounded(
        today - timedelta(days=grace_days + SPECIAL_PERIOD_DAYS_MAX),
        today + timedelta(days=LOOKAHEAD_DAYS),
        window,
    )
    rows = LegalStatusPeriod.objects.filter(
        _latest_period(),
        status_kind__in=rules.SPECIAL_PERIOD_KINDS,
        end_date__isnull=False,
        renewal_filed_on__isnull=False,
        renewal_decided_on__isnull=True,
        end_date__gte=first,
        end_date__lte=last,
    )
    for pk, applicant_id, organisation_id, end, filed, recorded_on in (
        _only(rows, source_ids, applicants)
        .annotate(recorded_on=_recorded_on())
        .values_list(
            "pk", "applicant_id", "applicant__organisation_id", "end_date", "renewal_filed_on", "recorded_on"
        )
    ):
        if filed > end:
            continue  # filed too late: no special period; the period end already passed
        yield Deadline(
            source_id=pk,
            applicant_id=applicant_id,
            organisation_id=organisation_id,
            deadline_date=end,
            offsets=rules.RENEWAL_PENDING_OFFSETS,
            recorded_on=recorded_on,
            overdue_after=rules.add_months(end, rules.SPECIAL_PERIOD_MONTHS),
        )


def work_permission_end(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between: DueWindow = None
) -> Iterator[Deadline]:
    later = WorkPermission.objects.filter(
        applicant=OuterRef("applicant"), start_date__gt=OuterRef("start_date")
    )
    first, last = _bounded(
        today - timedelta(days=grace_days), today + timedelta(days=LOOKAHEAD_DAYS), due_between
    )
    rows = WorkPermission.objects.filter(
        ~Q(Exists(later)),
        end_date__isnull=False,
        end_date__gte=first,
        end_date__lte=last,
    )
    for pk, applicant_id, organisation_id, end in _only(rows, source_ids, applicants).values_list(
        "pk", "applicant_id", "applicant__organisation_id", "end_date"
    ):
        yield Deadline(pk, applicant_id, organisation_id, end, rules.WORK_PERMISSION_OFFSETS)


def appeal_deadline(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between: DueWindow = None
) -> Iterator[Deadline]:
    """Seven days from the refusal notice: at once, on day 3 and on day 5. Dealt with by the appeal."""
    appealed = ProcedureEvent.objects.filter(
        procedure=OuterRef("procedure"), kind=ProcedureEvent.Kind.APPEAL_FILED, date__gte=OuterRef("date")
    )
    later_notice = ProcedureEvent.objects.filter(
        procedure=OuterRef("procedure"), kind=ProcedureEvent.Kind.REFUSAL_NOTICE, date__gt=OuterRef("date")
    )
    rows = ProcedureEvent.objects.filter(
        ~Q(Exists(appealed)),
        ~Q(Exists(later_notice)),
        kind=ProcedureEvent.Kind.REFUSAL_NOTICE,
        procedure__is_open=True,
        date__gte=today - timedelta(days=grace_days + rules.APPEAL_WINDOW_DAYS),
    )
    for pk, applicant_id, organisation_id, notice, recorded_on in (
        _only(rows, source_ids, applicants, "procedure__applicant")
        .annotate(recorded_on=_recorded_on())
        .values_list(
            "pk", "procedure__applicant_id", "procedure__applicant__organisation_id", "date", "recorded_on"
        )
    ):
        yield Deadline(
            source_id=pk,
            applicant_id=applicant_id,
            organisation_id=organisation_id,
            deadline_date=rules.appeal_deadline(notice),
            offsets=rules.APPEAL_OFFSETS,
            recorded_on=recorded_on,
        )


def _acknowledged(kind: str, since: date) -> set[tuple[int, date]]:
    """Acknowledged check-ins still in the live window (older acknowledgements cannot matter)."""
    return set(
        DeadlineState.objects.filter(
            source_kind=kind, acknowledged_at__isnull=False, deadline_date__gte=since
        ).values_list("source_id", "deadline_date")
    )


def _check_in(kind: str, months: int, offsets, rows, today: date, grace_days: int) -> Iterator[Deadline]:
    done = _acknowledged(kind, today - timedelta(days=grace_days))
    for pk, applicant_id, organisation_id, applied_on in rows:
        deadline = rules.add_months(applied_on, months)
        if (pk, deadline) in done or deadline < today - timedelta(days=grace_days):
            continue
        yield Deadline(pk, applicant_id, organisation_id, deadline, offsets)


def triage_check(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between: DueWindow = None
) -> Iterator[Deadline]:
    """A first application's screening should end within 2 months: check it. Ends when acknowledged."""
    triaged = ProcedureEvent.objects.filter(procedure=OuterRef("pk"), kind=ProcedureEvent.Kind.TRIAGE)
    rows = RefugeeProcedure.objects.filter(
        ~Q(Exists(triaged)),
        ordinal=1,
        is_open=True,
        applied_on__gte=today - timedelta(days=grace_days + 62),
        applied_on__lte=today,
    )
    values = _only(rows, source_ids, applicants).values_list(
        "pk", "applicant_id", "applicant__organisation_id", "applied_on"
    )
    return _check_in(
        "triage_check", rules.TRIAGE_CHECK_MONTHS, rules.TRIAGE_CHECK_OFFSETS, values, today, grace_days
    )


def d2_work_check(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between: DueWindow = None
) -> Iterator[Deadline]:
    """D2 applicants: from 6 months after the application, work should be allowed: check."""
    d2 = ProcedureEvent.objects.filter(
        procedure=OuterRef("pk"), kind=ProcedureEvent.Kind.TRIAGE, triage_category=ProcedureEvent.Triage.D2
    )
    rows = RefugeeProcedure.objects.filter(
        Exists(d2),
        is_open=True,
        applied_on__gte=today - timedelta(days=grace_days + 186),
        applied_on__lte=today,
    )
    values = _only(rows, source_ids, applicants).values_list(
        "pk", "applicant_id", "applicant__organisation_id", "applied_on"
    )
    return _check_in(
        "d2_work_check", rules.D2_WORK_CHECK_MONTHS, rules.D2_WORK_CHECK_OFFSETS, values, today, grace_days
    )


def reporting_date(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between: DueWindow = None
) -> Iterator[Deadline]:
    """The next report to immigration; recording the report (a new next date) moves the deadline."""
    first, last = _bounded(
        today - timedelta(days=grace_days), today + timedelta(days=LOOKAHEAD_DAYS), due_between
    )
    rows = ReportingObligation.objects.filter(
        is_active=True, next_report_date__gte=first, next_report_date__lte=last
    )
    for pk, applicant_id, organisation_id, day in _only(rows, source_ids, applicants).values_list(
        "pk", "applicant_id", "applicant__organisation_id", "next_report_date"
    ):
        yield Deadline(pk, applicant_id, organisation_id, day, rules.REPORTING_OFFSETS)


def consent_expiry(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between: DueWindow = None
) -> Iterator[Deadline]:
    """An unrevoked consent that expires and has not been renewed (a later consent, same purpose)."""
    renewed = Consent.objects.filter(
        applicant=OuterRef("applicant"),
        purpose=OuterRef("purpose"),
        employer_ref=OuterRef("employer_ref"),
        employer_name=OuterRef("employer_name"),
        granted_on__gt=OuterRef("granted_on"),
        revoked_on__isnull=True,
    )
    first, last = _bounded(
        today - timedelta(days=grace_days), today + timedelta(days=LOOKAHEAD_DAYS), due_between
    )
    rows = Consent.objects.filter(
        ~Q(Exists(renewed)),
        revoked_on__isnull=True,
        expires_on__isnull=False,
        expires_on__gte=first,
        expires_on__lte=last,
    )
    for pk, applicant_id, organisation_id, day in _only(rows, source_ids, applicants).values_list(
        "pk", "applicant_id", "applicant__organisation_id", "expires_on"
    ):
        yield Deadline(pk, applicant_id, organisation_id, day, rules.CONSENT_EXPIRY_OFFSETS)


SOURCES = (
    DeadlineSource("period_end", _("Period of stay ends"), period_end),
    DeadlineSource("renewal_pending", _("Renewal pending: lawful stay ends"), renewal_pending),
    DeadlineSource("work_permission_end", _("Work permission ends"), work_permission_end),
    DeadlineSource("appeal_deadline", _("Appeal deadline"), appeal_deadline, urgent=True),
    DeadlineSource("triage_check", _("Triage check"), triage_check),
    DeadlineSource("d2_work_check", _("D2: work eligibility check"), d2_work_check),
    DeadlineSource("reporting_date", _("Report to immigration"), reporting_date),
    DeadlineSource("provisional_release_expiry", _("Provisional release ends"), provisional_release_expiry),
    DeadlineSource("consent_expiry", _("Consent expires"), consent_expiry),
)


def register() -> None:
    for registered in SOURCES:
        register_source(registered)
