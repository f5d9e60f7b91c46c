"""Hand-made report data: stage changes in the history, referrals, placements, periods, reminders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from casework.models import ChangeRecord, DeadlineState, LegalStatusPeriod, Reminder
from jobs.models import FollowUp, FollowUpDifficulty, Placement, Referral
from jobs.models.referrals import Stage
from jobs.rules import follow_up_dates
from tests.jobs.factories import JobOpeningFactory


def today() -> date:
    return timezone.localdate()


def moment(days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(today() - timedelta(days=days_ago), time(12, 0)))


def stage_change(applicant, stage: str, *, days_ago: int, actor, created: bool = False) -> ChangeRecord:
    """A change of the case stage as casework's services record it (creation: old None)."""
    return ChangeRecord.objects.create(
        organisation_id=applicant.organisation_id,
        actor=actor,
        applicant=applicant,
        model="casework.applicant",
        object_id=str(applicant.pk),
        action=ChangeRecord.Action.CREATE if created else ChangeRecord.Action.UPDATE,
        changes={"case_stage": {"old": None if created else "active", "new": stage}},
        at=moment(days_ago),
    )


def referral(applicant, *, days_ago: int, by, opening=None) -> Referral:
    opening = opening or JobOpeningFactory(created_by=by, employer__created_by=by)
    row = Referral.objects.create(
        applicant=applicant,
        opening=opening,
        stage=Stage.PROPOSED,
        stage_changed_at=moment(days_ago),
        created_by=by,
    )
    Referral.objects.filter(pk=row.pk).update(created_at=moment(days_ago))
    return row


def placement(
    applicant,
    *,
    start: date,
    by,
    opening=None,
    wage: int = 1300,
    unit: str = "hourly",
    hours: int = 40,
    ended_on: date | None = None,
    reason: str = "",
) -> Placement:
    row = referral(applicant, days_ago=(today() - start).days + 10, by=by, opening=opening)
    made = Placement.objects.create(
        referral=row,
        applicant=applicant,
        opening=row.opening,
        start_date=start,
        hours_per_week=Decimal(hours),
        daily_hours=Decimal(8),
        wage=wage,
        wage_unit=unit,
        employment_insurance=True,
        confirmed_by=by,
        confirmed_at=timezone.now(),
        ended_on=ended_on,
        leaving_reason=reason,
    )
    FollowUp.objects.bulk_create(
        [FollowUp(placement=made, month=month, due_on=due) for month, due in follow_up_dates(start)]
    )
    return made


def follow_up_record(placement_row, month: int, *, outcome: str, days_ago: int, difficulties=()) -> FollowUp:
    row = FollowUp.objects.get(placement=placement_row, month=month)
    row.outcome = outcome
    row.recorded_at = moment(days_ago)
    row.leaving_reason = "other" if outcome == "left" else ""
    row.save()
    FollowUpDifficulty.objects.bulk_create(
        [FollowUpDifficulty(follow_up=row, code=code) for code in difficulties]
    )
    return row


def period(
    applicant, *, end: date, renewal_filed: bool = False, start: date | None = None
) -> LegalStatusPeriod:
    return LegalStatusPeriod.objects.create(
        applicant=applicant,
        status_kind="da_refugee_applicant",
        start_date=start or end - timedelta(days=180),
        end_date=end,
        renewal_filed_on=end - timedelta(days=30) if renewal_filed else None,
    )


def reminder(applicant, *, days_ago: int, acknowledged: bool, source_id: int) -> Reminder:
    deadline = today() - timedelta(days=days_ago) + timedelta(days=30)
    row = Reminder.objects.create(
        organisation_id=applicant.organisation_id,
        applicant=applicant,
        source_kind="period_end",
        source_id=source_id,
        deadline_date=deadline,
        offset="-30",
        due_on=deadline - timedelta(days=30),
        delivered_at=moment(days_ago),
    )
    if acknowledged:
        DeadlineState.objects.create(
            source_kind="period_end",
            source_id=source_id,
            deadline_date=deadline,
            acknowledged_at=moment(days_ago),
        )
    return row
