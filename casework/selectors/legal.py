"""Reads of a person's legal situation: the current period, may work on a day, lawful stay, appeal deadlines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import IsNull
from django.utils import timezone

from casework import rules
from casework.models import (
    Applicant,
    LegalStatusPeriod,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    RightToWorkCheck,
    WorkPermission,
)
from casework.roles import Role


def _still_lawful_after_end(day: date) -> Q:
    """Periods (past their end or not) still lawful on the day through the special period: a kind with
    one, renewal filed by the end, end + 2 months not passed, no decision before the day."""
    special_after = rules.latest_day_whose_months_later_is_on_or_before(
        day - timedelta(days=1), rules.SPECIAL_PERIOD_MONTHS
    )
    return Q(
        status_kind__in=rules.SPECIAL_PERIOD_KINDS,
        renewal_filed_on__isnull=False,
        renewal_filed_on__lte=F("end_date"),
        end_date__gt=special_after,
    ) & (Q(renewal_decided_on__isnull=True) | Q(renewal_decided_on__gte=day))


def current_period_subquery(day: date, field: str) -> Subquery:
    """The current period as current_period() finds it: covering the day, or past its end but still
    lawful through the special period. A renewal filed long ago does not keep an old period current."""
    return Subquery(
        LegalStatusPeriod.objects.filter(applicant=OuterRef("pk"), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day) | _still_lawful_after_end(day))
        .order_by("-start_date")
        .values(field)[:1]
    )


def _any_row(rows: QuerySet) -> Q:
    """'Some row matches' for one person, evaluated row by row: a scalar subquery (LIMIT 1) probing the
    person's rows through the applicant index. Unlike EXISTS, PostgreSQL never turns it into a hashed
    IN over the whole table, so a page of 25 costs about 25 probes (issue 14)."""
    return Q(IsNull(Subquery(rows.order_by().values("pk")[:1]), False))


def may_work_condition(day: date, *, whole_table: bool = False) -> Q:
    """'May work on day' as a database condition, the same answer as may_work_on(): a covering period that
    grants work, or a permission covering the day, or — inside a period's special period — the work of
    the kind itself or of a designation-sheet or outside-status permission in force on its last day.

    A condition on the applicant row itself (the outer row is the person). By default each person's rows
    are probed through the applicant index (_any_row: a page of 25 costs 25 probes). With whole_table,
    the people who may work are found once, as a set (an uncorrelated IN that PostgreSQL hashes): the
    cheaper plan when the condition is evaluated for tens of thousands of rows, as when an administrator's
    matching list sorts the whole organisation eligible first."""
    covering = Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
    granting = Q(status_kind__in=rules.WORK_GRANTING_KINDS) | Q(status_kind="other", other_grants_work=True)
    period = LegalStatusPeriod.objects.filter(covering & granting)
    permission = WorkPermission.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day
    )
    extended = None
    if rules.WORK_CONTINUES_IN_SPECIAL_PERIOD:
        tied = WorkPermission.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("end_date")),
            applicant=OuterRef("applicant"),
            basis__in=rules.PERMISSION_BASES_EXTENDED_BY_SPECIAL_PERIOD,
            start_date__lte=OuterRef("end_date"),
        )
        extended = LegalStatusPeriod.objects.filter(_still_lawful_after_end(day), end_date__lt=day).filter(
            granting | Q(Exists(tied))
        )
    sets = [rows for rows in (period, permission, extended) if rows is not None]
    condition = Q()
    for rows in sets:
        if whole_table:
            condition |= Q(pk__in=rows.order_by().values("applicant_id"))
        else:
            condition |= _any_row(rows.filter(applicant=OuterRef("pk")))
    return condition


def may_work_now_condition(day: date) -> Q:
    """The list's "may work today" filter: may_work_condition() on rows whose legal records the user may
    read (needs the legal_visible annotation, see applicants_for_list); hidden rows never match."""
    return Q(legal_visible=True) & may_work_condition(day)


def legal_visibility(user) -> Exists | Value:
    """An annotation: may the user read this row's legal records (see Applicant.legal_visible_to)."""
    if user is None:
        return Value(True)
    if not getattr(user, "is_authenticated", False):
        return Value(False)
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        return Value(True)
    return Exists(Applicant.objects.legal_visible_to(user).filter(pk=OuterRef("pk")))


def _only_if_visible(expression):
    return Case(When(legal_visible=True, then=expression), default=Value(None))


def with_list_annotations(
    queryset: QuerySet[Applicant], day: date | None = None, user=None
) -> QuerySet[Applicant]:
    """What the applicant list's filters and sorts need, and no more: legal_visible, and the current
    period's kind (status filter) and end (deadline sort). PostgreSQL computes the two subqueries only
    for the rows of the page (or, in a filter or sort, per row through the applicant index); the page's
    summaries come from legal_summaries(). "May work" is a filter condition added on demand
    (may_work_now_condition)."""
    day = day or timezone.localdate()
    annotated = queryset.annotate(legal_visible=legal_visibility(user))
    return annotated.annotate(
        current_kind=_only_if_visible(current_period_subquery(day, "status_kind")),
        current_end=_only_if_visible(current_period_subquery(day, "end_date")),
    )


def with_legal_summary(
    queryset: QuerySet[Applicant], day: date | None = None, user=None
) -> QuerySet[Applicant]:
    """Annotate the current period and 'may work today' in the same query (no per-row queries).

    For rows whose legal records the user may not read (a teammate's shared case) every legal
    annotation is NULL, so neither the columns nor the filters built on them reveal anything.
    """
    day = day or timezone.localdate()
    annotated = with_list_annotations(queryset, day, user=user)
    return annotated.annotate(
        current_other_label=_only_if_visible(current_period_subquery(day, "status_other_label")),
        current_start=_only_if_visible(current_period_subquery(day, "start_date")),
        current_renewal_filed_on=_only_if_visible(current_period_subquery(day, "renewal_filed_on")),
        current_renewal_decided_on=_only_if_visible(current_period_subquery(day, "renewal_decided_on")),
        may_work_now=Case(
            When(may_work_now_condition(day), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


@dataclass(frozen=True)
class LegalSummary:
    """What a list row or a header shows about a person's legal situation today."""

    kind: str | None
    kind_label: str
    lawful_until: date | None
    days_left: int | None
    renewal_window_opens: date | None
    renewal_pending: bool
    may_work: bool
    hidden: bool = False  # the user may not read this person's legal records
    # The last day of the unbroken run of days from today on which the person may work; None when
    # they may not work today, or may work with no end in sight (may_work says which).
    may_work_until: date | None = None

    @property
    def is_urgent(self) -> bool:
        return self.days_left is not None and self.days_left <= 14


def legal_summary(
    periods: list[LegalStatusPeriod], permissions: list[WorkPermission], day: date
) -> LegalSummary:
    """The one computation of what a header, a list row and the API show of a person's legal situation
    on a day, from their loaded periods and permissions (no query): the current period, lawful stay
    until the end of the chain of periods that continue it, the renewal window, may work."""
    may_work = may_work_on(periods, permissions, day)
    work_until = may_work_until(periods, permissions, day) if may_work else None
    current = current_period(periods, day)
    if current is None:
        return LegalSummary(None, "", None, None, None, False, may_work, may_work_until=work_until)
    until = rules.lawful_stay_until_chain(current, [p for p in periods if p.start_date > current.start_date])
    return LegalSummary(
        kind=current.status_kind,
        kind_label=current.kind_label,
        lawful_until=until,
        days_left=(until - day).days if until else None,
        renewal_window_opens=current.renewal_window_opens,
        renewal_pending=bool(current.renewal_filed_on and not current.renewal_decided_on),
        may_work=may_work,
        may_work_until=work_until,
    )


HIDDEN_SUMMARY = LegalSummary(None, "", None, None, None, False, False, hidden=True)


def legal_summaries(applicants: Iterable[Applicant], *, user, day: date) -> dict[int, LegalSummary]:
    """legal_summary() for a page of people in two queries (their periods, their permissions), each
    through its own door; people whose legal records the user may not read get a hidden summary."""
    rows = list(applicants)
    readable = [a.pk for a in rows if a.__dict__.get("legal_visible", True)]
    periods: dict[int, list[LegalStatusPeriod]] = {pk: [] for pk in readable}
    permissions: dict[int, list[WorkPermission]] = {pk: [] for pk in readable}
    if readable:
        for period in LegalStatusPeriod.objects.visible_to(user).filter(applicant_id__in=readable):
            periods[period.applicant_id].append(period)
        for permission in WorkPermission.objects.visible_to(user).filter(applicant_id__in=readable):
            permissions[permission.applicant_id].append(permission)
    return {
        a.pk: legal_summary(periods[a.pk], permissions[a.pk], day) if a.pk in periods else HIDDEN_SUMMARY
        for a in rows
    }


def deadline_within_condition(days: int, day: date | None = None) -> Q:
    """People with a legal deadline in the next `days` days: lawful stay, appeal, report, work permission."""
    day = day or timezone.localdate()
    limit = day + timedelta(days=days)
    plain_end = LegalStatusPeriod.objects.filter(
        Q(renewal_filed_on__isnull=True) | ~Q(status_kind__in=rules.SPECIAL_PERIOD_KINDS),
        applicant=OuterRef("pk"),
        end_date__gte=day,
        end_date__lte=limit,
    )
    # Renewal filed in time: lawful until the decision or end + 2 months, whichever is first.
    special_limit = rules.latest_day_whose_months_later_is_on_or_before(limit, rules.SPECIAL_PERIOD_MONTHS)
    special_start = rules.latest_day_whose_months_later_is_on_or_before(
        day - timedelta(days=1), rules.SPECIAL_PERIOD_MONTHS
    )
    pending = LegalStatusPeriod.objects.filter(
        applicant=OuterRef("pk"),
        status_kind__in=rules.SPECIAL_PERIOD_KINDS,
        renewal_filed_on__isnull=False,
        renewal_decided_on__isnull=True,
        end_date__gt=special_start,
        end_date__lte=special_limit,
    )
    notice_from = day - timedelta(days=rules.APPEAL_WINDOW_DAYS)
    notice_to = limit - timedelta(days=rules.APPEAL_WINDOW_DAYS)
    appeal = ProcedureEvent.objects.filter(
        procedure__applicant=OuterRef("pk"),
        procedure__is_open=True,
        kind=ProcedureEvent.Kind.REFUSAL_NOTICE,
        date__gte=notice_from,
        date__lte=notice_to,
    ).exclude(procedure__events__kind=ProcedureEvent.Kind.APPEAL_FILED)
    report = ReportingObligation.objects.filter(
        applicant=OuterRef("pk"), is_active=True, next_report_date__gte=day, next_report_date__lte=limit
    )
    permission = WorkPermission.objects.filter(
        applicant=OuterRef("pk"), end_date__gte=day, end_date__lte=limit
    )
    return (
        Q(Exists(plain_end))
        | Q(Exists(pending))
        | Q(Exists(appeal))
        | Q(Exists(report))
        | Q(Exists(permission))
    )


def current_period(periods: list[LegalStatusPeriod], day: date) -> LegalStatusPeriod | None:
    """The period covering the day; or the latest one whose renewal is pending past its end."""
    covering = [p for p in periods if p.covers(day)]
    if covering:
        return max(covering, key=lambda p: p.start_date)
    started = [p for p in periods if p.start_date <= day]
    if started:
        latest = max(started, key=lambda p: p.start_date)
        until = latest.lawful_stay_until
        if until and until >= day:
            return latest
    return None


def may_work_on(periods: list[LegalStatusPeriod], permissions: list[WorkPermission], day: date) -> bool:
    """The one answer to 'may this person work on this day' (matching, placements, share packet).

    A period covering the day that grants work by itself, or a permission covering the day; inside the
    special period of a period whose renewal was filed in time (DOMAIN.md §3, **uncertain**, see
    rules.WORK_CONTINUES_IN_SPECIAL_PERIOD) also the kind's own work and the designation-sheet and
    outside-status permissions in force on the period's last day. may_work_condition() is the same
    answer as a database condition.
    """
    if any(p.covers(day) and p.grants_work for p in periods):
        return True
    if any(permission.covers(day) for permission in permissions):
        return True
    if not rules.WORK_CONTINUES_IN_SPECIAL_PERIOD:
        return False
    for period in periods:
        if not rules.in_special_period(
            kind=period.status_kind,
            end=period.end_date,
            renewal_filed_on=period.renewal_filed_on,
            renewal_decided_on=period.renewal_decided_on,
            day=day,
        ):
            continue
        if period.grants_work or any(
            permission.basis in rules.PERMISSION_BASES_EXTENDED_BY_SPECIAL_PERIOD
            and permission.covers(period.end_date)
            for permission in permissions
        ):
            return True
    return False


def may_work_until(
    periods: list[LegalStatusPeriod], permissions: list[WorkPermission], day: date
) -> date | None:
    """The last day of the unbroken run of days from `day` on which may_work_on() holds, or None when
    it holds with no end (or does not hold on `day`). may_work_on() only changes on the days a period
    or a permission starts or ends, or a special period ends, so only those days are asked about."""
    if not may_work_on(periods, permissions, day):
        return None
    changes: set[date] = set()
    for period in periods:
        changes.add(period.start_date)
        for last in (period.end_date, period.lawful_stay_until):
            if last is not None:
                changes.add(last + timedelta(days=1))
    for permission in permissions:
        changes.add(permission.start_date)
        if permission.end_date is not None:
            changes.add(permission.end_date + timedelta(days=1))
    for change in sorted(change for change in changes if change > day):
        if not may_work_on(periods, permissions, change):
            return change - timedelta(days=1)
    return None


def applicant_may_work_on(applicant: Applicant, day: date) -> bool:
    return may_work_on(list(applicant.periods.all()), list(applicant.work_permissions.all()), day)


@dataclass(frozen=True)
class AppealStatus:
    procedure: RefugeeProcedure
    refusal_notice_on: date
    deadline: date
    days_left: int
    appeal_filed_on: date | None

    @property
    def filed_late(self) -> bool:
        return self.appeal_filed_on is not None and self.appeal_filed_on > self.deadline

    @property
    def is_open(self) -> bool:
        return self.appeal_filed_on is None


def appeal_status(procedure: RefugeeProcedure, day: date) -> AppealStatus | None:
    """The appeal deadline (refusal notice + 7 days) of a procedure, from its prefetched events."""
    events = list(procedure.events.all())
    notices = [e for e in events if e.kind == ProcedureEvent.Kind.REFUSAL_NOTICE]
    if not notices:
        return None
    notice = max(notices, key=lambda e: e.date)
    appeals = [e for e in events if e.kind == ProcedureEvent.Kind.APPEAL_FILED and e.date >= notice.date]
    deadline = rules.appeal_deadline(notice.date)
    return AppealStatus(
        procedure=procedure,
        refusal_notice_on=notice.date,
        deadline=deadline,
        days_left=(deadline - day).days,
        appeal_filed_on=min(e.date for e in appeals) if appeals else None,
    )


def right_to_work_checked_on(applicant_ids: Iterable[int]) -> dict[int, date]:
    """The latest day a caseworker saw both the residence card and the designation paper, per person (one
    query): what a share packet states as "right to work checked by the organisation on DATE". People
    never checked are absent. No visibility filter: the caller has already chosen people it may show."""
    ids = list(applicant_ids)
    if not ids:
        return {}
    rows = (
        RightToWorkCheck.objects.filter(
            applicant_id__in=ids, saw_residence_card=True, saw_designation_paper=True
        )
        .values("applicant_id")
        .annotate(latest=Max("checked_on"))
    )
    return {row["applicant_id"]: row["latest"] for row in rows}
