"""Jobs' deadline sources (registered from jobs/apps.py into casework's engine). One query each.

- Follow-ups: due at start + 1, 3, 6 and 12 months, reminding the person's caseworker; overdue 14 days
  after the due date; live until the outcome is recorded (or the placement ended before it was due).
- The employer's foreign employment status notification (外国人雇用状況の届出, DOMAIN.md §9) on hire and on
  leaving: the employer files it; Tobira reminds the caseworker to confirm with the employer that it
  was filed. Live until the caseworker acknowledges the reminder (a check-in, like casework's triage
  check), from the hire (or the leaving) being recorded.

No new source for a status ending while employed: casework's period-end reminders name the placement and
employer when there is one (describe_* below, shown in the inbox beside the label).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.utils.translation import gettext as _

from casework.deadlines.registry import Deadline
from casework.models import DeadlineState
from jobs import rules
from jobs.models import FollowUp, Placement

FOLLOW_UP_KIND = "jobs_follow_up"
HIRE_NOTICE_KIND = "jobs_hire_notification"
LEAVING_NOTICE_KIND = "jobs_leaving_notification"
LOOKAHEAD_DAYS = 30  # nothing of jobs is reminded earlier than T-7; a margin for the deadlines page


def _only(rows, source_ids, applicants, path: str):
    rows = rows.order_by()
    if source_ids is not None:
        rows = rows.filter(pk__in=source_ids)
    if applicants is not None:
        rows = rows.filter(**{f"{path}__in": applicants.values("pk")})
    return rows


def follow_ups_due(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between=None
) -> Iterator[Deadline]:
    """Open follow-ups of running placements, due from (today - grace - 14 days) to today + 30."""
    first = today - timedelta(days=grace_days + rules.FOLLOW_UP_OVERDUE_DAYS)
    last = today + timedelta(days=LOOKAHEAD_DAYS)
    if due_between is not None:
        first = max(first, due_between[0] - timedelta(days=rules.FOLLOW_UP_OVERDUE_DAYS))
        last = due_between[1]  # the deadlines page looks further ahead (90 days) than the sweep needs
    rows = FollowUp.objects.filter(
        outcome="", due_on__gte=first, due_on__lte=last, placement__ended_on__isnull=True
    )
    for pk, applicant_id, organisation_id, due in _only(
        rows, source_ids, applicants, "placement__applicant"
    ).values_list("pk", "placement__applicant_id", "placement__applicant__organisation_id", "due_on"):
        yield Deadline(
            source_id=pk,
            applicant_id=applicant_id,
            organisation_id=organisation_id,
            deadline_date=due,
            offsets=rules.FOLLOW_UP_OFFSETS,
            overdue_after=due + timedelta(days=rules.FOLLOW_UP_OVERDUE_DAYS),
        )


def _acknowledged(kind: str, since: date) -> set[tuple[int, date]]:
    return set(
        DeadlineState.objects.filter(
            source_kind=kind, acknowledged_at__isnull=False, deadline_date__gte=since
        ).values_list("source_id", "deadline_date")
    )


def _notices(kind: str, rows, due_of, today: date, grace_days: int) -> Iterator[Deadline]:
    done = _acknowledged(kind, today - timedelta(days=grace_days))
    for pk, applicant_id, organisation_id, day, insured in rows:
        due = due_of(day, insured)
        if (pk, due) in done or due < today - timedelta(days=grace_days):
            continue
        yield Deadline(pk, applicant_id, organisation_id, due, rules.NOTIFICATION_OFFSETS)


def hire_notifications(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between=None
) -> Iterator[Deadline]:
    """Placements started within the last two months and a half (the latest notification is due by the
    end of the month after the hire)."""
    rows = Placement.objects.filter(
        start_date__gte=today - timedelta(days=grace_days + 62),
        start_date__lte=today + timedelta(days=LOOKAHEAD_DAYS),
    )
    values = _only(rows, source_ids, applicants, "applicant").values_list(
        "pk", "applicant_id", "applicant__organisation_id", "start_date", "employment_insurance"
    )
    return _notices(
        HIRE_NOTICE_KIND,
        values,
        lambda day, insured: rules.hire_notification_due(start=day, insured=insured),
        today,
        grace_days,
    )


def leaving_notifications(
    *, today: date, grace_days: int, source_ids=None, applicants=None, due_between=None
) -> Iterator[Deadline]:
    """Placements that ended within the last two months and a half."""
    rows = Placement.objects.filter(
        ended_on__isnull=False, ended_on__gte=today - timedelta(days=grace_days + 62)
    )
    values = _only(rows, source_ids, applicants, "applicant").values_list(
        "pk", "applicant_id", "applicant__organisation_id", "ended_on", "employment_insurance"
    )
    return _notices(
        LEAVING_NOTICE_KIND,
        values,
        lambda day, insured: rules.leaving_notification_due(left_on=day, insured=insured),
        today,
        grace_days,
    )


def _placement_labels(placement_ids: list[int]) -> dict[int, str]:
    rows = (
        Placement.objects.filter(pk__in=placement_ids)
        .order_by()
        .values_list("pk", "opening__employer__name", "opening__title")
    )
    return {
        pk: _("%(employer)s: %(title)s") % {"employer": employer, "title": title}
        for pk, employer, title in rows
    }


def describe_follow_ups(source_ids: list[int]) -> dict[int, str]:
    """Which employer and job a follow-up is about, and which month (one query)."""
    rows = (
        FollowUp.objects.filter(pk__in=source_ids)
        .order_by()
        .values_list("pk", "month", "placement__opening__employer__name", "placement__opening__title")
    )
    return {
        pk: _("%(employer)s: %(title)s, month %(month)d")
        % {"employer": employer, "title": title, "month": month}
        for pk, month, employer, title in rows
    }


def describe_placements(source_ids: list[int]) -> dict[int, str]:
    return _placement_labels(source_ids)


def _working_at(rows) -> dict[int, str]:
    found: dict[int, str] = {}
    for source_id, employer, title, start in rows:
        found.setdefault(
            source_id,
            _("Working at %(employer)s (%(title)s) since %(start)s")
            % {"employer": employer, "title": title, "start": start.isoformat()},
        )
    return found


def describe_employment_of_periods(source_ids: list[int]) -> dict[int, str]:
    """A period of stay (or its renewal) ending while the person works: the running placement's employer
    and job, beside casework's period-end reminder (one query). No new deadline source: issue 15."""
    rows = (
        Placement.objects.filter(ended_on__isnull=True, applicant__periods__pk__in=source_ids)
        .order_by("applicant__periods__pk", "-start_date")
        .values_list("applicant__periods__pk", "opening__employer__name", "opening__title", "start_date")
    )
    return _working_at(rows)


def describe_employment_of_permissions(source_ids: list[int]) -> dict[int, str]:
    """The same beside a work permission's end."""
    rows = (
        Placement.objects.filter(ended_on__isnull=True, applicant__work_permissions__pk__in=source_ids)
        .order_by("applicant__work_permissions__pk", "-start_date")
        .values_list(
            "applicant__work_permissions__pk", "opening__employer__name", "opening__title", "start_date"
        )
    )
    return _working_at(rows)
