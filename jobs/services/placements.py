"""Confirming a reported hire into a placement, follow-ups, and the minimum-wage sweep of placements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.models import Applicant, CaseStage, User
from casework.services.applicants import applicant_update
from jobs import rules
from jobs.models import (
    Difficulty,
    FollowUp,
    FollowUpDifficulty,
    FollowUpOutcome,
    LeavingReason,
    OpeningStatus,
    Placement,
    ReasonCode,
    Referral,
    Reporter,
    Stage,
    StageChange,
    WageUnit,
)
from jobs.selectors.partner import partner_access, partner_placements
from jobs.selectors.wages import all_rates, rates_for
from jobs.services.base import decimal_between, is_supervisor_of, require
from jobs.services.referrals import close_other_referrals, may_work_on_day, offer_day


def _day(day: date) -> str:
    return formats.date_format(day, "Y-m-d")


def may_confirm(by: User, applicant: Applicant) -> bool:
    """The person's caseworker, a supervisor of their team, or an administrator confirms a hire."""
    return applicant.caseworker_id == by.pk or is_supervisor_of(by, applicant.team_id)


def _clean_placement(referral: Referral, data: dict[str, Any]) -> dict[str, Any]:
    opening = referral.opening
    errors: dict[str, list[str]] = {}
    start = data.get("start_date") or referral.reported_start_date or opening.start_date
    if not isinstance(start, date):
        errors.setdefault("start_date", []).append(_("Enter the day the job starts."))
        start = None
    contract_end = data.get("contract_end") or None
    probation_end = data.get("probation_end") or None
    for key, value in (("contract_end", contract_end), ("probation_end", probation_end)):
        if value is not None and not isinstance(value, date):
            errors.setdefault(key, []).append(_("Enter a date."))
        elif value is not None and start is not None and value < start:
            errors.setdefault(key, []).append(_("This cannot be before the start date."))
    hours = decimal_between(
        data.get("hours_per_week", opening.hours_per_week),
        "hours_per_week",
        Decimal(0),
        Decimal(80),
        _("Enter the hours a week, more than 0 and at most 80."),
        errors,
    )
    daily = decimal_between(
        data.get("daily_hours", opening.daily_hours),
        "daily_hours",
        Decimal(0),
        Decimal(24),
        _("Enter the hours a day, more than 0 and at most 24."),
        errors,
    )
    wage = data.get("wage", opening.wage)
    if not isinstance(wage, int) or isinstance(wage, bool) or wage <= 0:
        errors.setdefault("wage", []).append(_("Enter the base wage in yen, a whole number above 0."))
    unit = data.get("wage_unit", opening.wage_unit)
    if unit not in WageUnit.values:
        errors.setdefault("wage_unit", []).append(_("Choose whether the wage is an hour, a day or a month."))
    if errors:
        raise ValidationError(errors)
    assert start is not None and hours is not None and daily is not None
    offered = offer_day(referral)
    if offered is not None and start < offered:
        raise ValidationError(
            {
                "start_date": _("The job cannot start before the offer was made (%(day)s).")
                % {"day": _day(offered)}
            }
        )
    check = rules.wage_check(
        rates=rates_for(opening.prefecture),
        prefecture=opening.prefecture,
        start=start,
        wage=wage,
        unit=unit,
        daily_hours=daily,
        weekly_hours=hours,
    )
    if check.below and check.minimum is not None:
        raise ValidationError(
            {
                "wage": _(
                    "The base wage comes to ¥%(hourly)s an hour, below the minimum wage of ¥%(minimum)s an "
                    "hour in force in this prefecture from %(since)s."
                )
                % {
                    "hourly": f"{check.hourly:,}",
                    "minimum": f"{check.minimum.yen_per_hour:,}",
                    "since": _day(check.minimum.effective_from),
                }
            }
        )
    insured = data.get("employment_insurance")
    by_hand = isinstance(insured, bool)
    if not by_hand:
        insured = rules.employment_insurance_covered(
            start=start, contract_end=contract_end, weekly_hours=hours
        )
    return {
        "start_date": start,
        "contract_end": contract_end,
        "probation_end": probation_end,
        "hours_per_week": hours,
        "daily_hours": daily,
        "wage": wage,
        "wage_unit": unit,
        "employment_insurance": insured,
        "employment_insurance_set_by_hand": by_hand,
    }


@dataclass(frozen=True)
class Confirmed:
    placement: Placement
    withdrawn: int  # the person's other open referrals, withdrawn as "placed elsewhere"
    opening_filled: bool


@transaction.atomic
def placement_confirm(*, by: User, referral: Referral, data: dict[str, Any]) -> Confirmed:
    """Confirm a reported hire: the person's caseworker or their supervisor (or an administrator).

    Creates the placement and its follow-ups, moves the referral to hired, withdraws the person's other
    open referrals ("placed elsewhere"), marks the opening filled when its places are taken, and moves
    the person's case stage to placed through casework's service (audited). Refused, naming the field:
    not a reported hire, someone who may not work on the start date, a start before the offer, a
    probation end before the start, a wage below the minimum wage.
    """
    require(Referral.objects.editable_by(by).filter(pk=referral.pk).exists())
    locked = Referral.objects.select_for_update().select_related("applicant", "opening").get(pk=referral.pk)
    require(may_confirm(by, locked.applicant))
    if locked.stage != Stage.HIRE_REPORTED:
        raise ValidationError({"stage": _("Only a reported hire can be confirmed.")})
    version = data.get("version")
    if version is not None and int(version) != locked.version:
        raise ValidationError(
            {"version": _("Someone else changed this referral meanwhile: nothing was changed.")}
        )
    cleaned = _clean_placement(locked, data)
    if not may_work_on_day(locked.applicant, cleaned["start_date"]):
        raise ValidationError(
            {
                "start_date": _("%(person)s may not work on %(day)s according to their records.")
                % {"person": locked.applicant.reference_code, "day": _day(cleaned["start_date"])}
            }
        )
    now = timezone.now()
    placement = Placement.objects.create(
        referral=locked,
        applicant=locked.applicant,
        opening=locked.opening,
        confirmed_by=by,
        confirmed_at=now,
        **cleaned,
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(placement=placement, month=month, due_on=due)
            for month, due in rules.follow_up_dates(placement.start_date)
        ]
    )
    record_change(actor=by, instance=placement, before=None, applicant_id=locked.applicant_id)
    before = snapshot(locked)
    previous = locked.stage
    locked.stage = Stage.HIRED
    locked.reason_code = ""
    locked.stage_changed_at = now
    locked.version += 1
    locked.save()
    StageChange.objects.create(referral=locked, from_stage=previous, to_stage=Stage.HIRED, by=by, at=now)
    record_change(actor=by, instance=locked, before=before, applicant_id=locked.applicant_id)
    withdrawn = close_other_referrals(
        by=by, applicant_id=locked.applicant_id, keep=locked.pk, reason=ReasonCode.PLACED_ELSEWHERE
    )
    opening = locked.opening
    filled = False
    if opening.placements.count() >= opening.places and opening.status == OpeningStatus.OPEN:
        opening_before = snapshot(opening)
        opening.status = OpeningStatus.FILLED
        opening.version += 1
        opening.save(update_fields=["status", "version", "updated_at"])
        record_change(actor=by, instance=opening, before=opening_before)
        filled = True
    _set_stage(by, locked.applicant, CaseStage.PLACED)
    return Confirmed(placement, withdrawn, filled)


def _set_stage(by: User, applicant: Applicant, stage: str) -> None:
    """The case stage moves through casework's own service (its history and its version check)."""
    fresh = Applicant.objects.get(pk=applicant.pk)
    if fresh.case_stage != stage:
        applicant_update(by=by, applicant=fresh, data={"case_stage": stage}, expected_version=fresh.version)


def _clean_difficulties(data: dict[str, Any], errors: dict[str, list[str]]) -> list[str]:
    raw = data.get("difficulties") or []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        errors.setdefault("difficulties", []).append(_("Choose difficulties from the list."))
        return []
    codes = [str(code).strip() for code in raw]
    if any(code not in Difficulty.values for code in codes):
        errors.setdefault("difficulties", []).append(_("Choose difficulties from the list."))
        return []
    return sorted(set(codes))


def _clean_follow_up(data: dict[str, Any], placement: Placement, *, employer: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    outcome: str
    reporter: str
    if employer:
        # The portal asks "still employed?" (yes/no); "at risk" is the caseworker's judgement.
        still = data.get("still_employed")
        if still in (True, "true", "True", "yes", "1", 1):
            outcome = FollowUpOutcome.RETAINED
        elif still in (False, "false", "False", "no", "0", 0):
            outcome = FollowUpOutcome.LEFT
        else:
            outcome = ""
            errors.setdefault("still_employed", []).append(_("Say whether the person still works for you."))
        reporter = Reporter.EMPLOYER
    else:
        outcome = str(data.get("outcome") or "").strip()
        reporter = str(data.get("reported_by") or Reporter.CASEWORKER).strip()
        if outcome not in FollowUpOutcome.values:
            errors.setdefault("outcome", []).append(_("Choose still working, at risk or left."))
        if reporter not in Reporter.values:
            errors.setdefault("reported_by", []).append(_("Choose who reported it."))
    reason = str(data.get("leaving_reason") or "").strip()
    if outcome == FollowUpOutcome.LEFT and reason not in LeavingReason.values:
        errors.setdefault("leaving_reason", []).append(_("Choose why the person left."))
    left_on = data.get("left_on") or None
    if outcome == FollowUpOutcome.LEFT:
        if left_on is None and employer:
            errors.setdefault("left_on", []).append(_("Enter the day the person left."))
        elif left_on is not None and not isinstance(left_on, date):
            errors.setdefault("left_on", []).append(_("Enter a date."))
        elif left_on is not None and left_on < placement.start_date:
            errors.setdefault("left_on", []).append(
                _("The person cannot have left before the start date (%(day)s).")
                % {"day": _day(placement.start_date)}
            )
        elif left_on is not None and left_on > today:
            errors.setdefault("left_on", []).append(_("This date is in the future."))
    else:
        reason, left_on = "", None
    difficulties = _clean_difficulties(data, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "outcome": outcome,
        "leaving_reason": reason,
        "reported_by": reporter,
        "note": str(data.get("note") or "").strip(),
        "difficulty_note": str(data.get("difficulty_note") or "").strip(),
        "difficulties": difficulties,
        "left_on": left_on,
    }


def _may_record(by: User, placement: Placement) -> bool:
    """Staff who may edit the placement, or (employer=True) a portal user of its employer with write
    access; another employer's placement is not theirs (the caller answers 404 before this)."""
    if Placement.objects.editable_by(by).filter(pk=placement.pk).exists():
        return False
    access = partner_access(by)
    require(access is not None and not access.read_only)
    require(partner_placements(by).filter(pk=placement.pk).exists())
    return True


@transaction.atomic
def follow_up_record(*, by: User, placement: Placement, month: int, data: dict[str, Any]) -> FollowUp:
    """Record a follow-up's outcome. One row per placement and month: recording a month again changes that
    row. The first one recorded by staff moves the case stage to follow-up; "left" ends the placement
    (on `left_on`, else today).

    From the partner portal (a portal user of the placement's employer, reported_by employer): "still
    employed?" yes/no, the day they left and why when no, difficulties from the fixed list plus text;
    only once the follow-up is within FOLLOW_UP_CONFIRM_AHEAD_DAYS of its due date, and not for a placement
    that has ended. The case stage is the caseworker's to move (an employer may not edit the case)."""
    employer = _may_record(by, placement)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    follow_up = FollowUp.objects.select_for_update().filter(placement=placement, month=month).first()
    if follow_up is None:
        raise ValidationError({"month": _("Follow-ups are at 1, 3, 6 and 12 months.")})
    if employer:
        opens = rules.follow_up_confirmable_from(follow_up.due_on)
        if opens > timezone.localdate():
            raise ValidationError(
                {
                    "month": _("This follow-up is not due yet: you can confirm it from %(day)s.")
                    % {"day": _day(opens)}
                }
            )
        if placement.ended_on is not None:
            raise ValidationError({"month": _("This placement has ended: there is nothing to confirm.")})
    cleaned = _clean_follow_up(data, placement, employer=employer)
    difficulties = cleaned.pop("difficulties")
    left_on = cleaned.pop("left_on")
    before = snapshot(follow_up)
    # Staff's first record moves the case stage; one confirmed by the employer in the portal does not count.
    first = (
        not placement.follow_ups.exclude(outcome="")
        .exclude(recorded_by__employer_membership__isnull=False)
        .exists()
    )
    for key, value in cleaned.items():
        setattr(follow_up, key, value)
    follow_up.recorded_by = by
    follow_up.recorded_at = timezone.now()
    follow_up.save()
    record_change(actor=by, instance=follow_up, before=before, applicant_id=placement.applicant_id)
    known = set(follow_up.difficulties.values_list("code", flat=True))
    if known != set(difficulties):
        follow_up.difficulties.exclude(code__in=difficulties).delete()
        added = FollowUpDifficulty.objects.bulk_create(
            [FollowUpDifficulty(follow_up=follow_up, code=code) for code in difficulties if code not in known]
        )
        for row in added:
            record_change(actor=by, instance=row, before=None, applicant_id=placement.applicant_id)
    if cleaned["outcome"] == FollowUpOutcome.LEFT and placement.ended_on is None:
        placement_before = snapshot(placement)
        placement.ended_on = left_on or timezone.localdate()
        placement.leaving_reason = cleaned["leaving_reason"]
        placement.save(update_fields=["ended_on", "leaving_reason"])
        record_change(
            actor=by, instance=placement, before=placement_before, applicant_id=placement.applicant_id
        )
    if first and not employer:
        _set_stage(by, placement.applicant, CaseStage.FOLLOW_UP)
    return follow_up


def placements_flag_below_minimum(*, today: date | None = None) -> int:
    """Mark running placements whose wage is below the minimum wage in force today (a new rate took effect):
    their caseworker sees the flag. Clears the flag where the wage is no longer below. Returns how many
    are flagged now. Run daily by the sweep's task; one query to read, two to write."""
    today = today or timezone.localdate()
    rates = all_rates()
    running = Placement.objects.filter(ended_on__isnull=True).select_related("opening")
    flag, clear = [], []
    for placement in running.only(
        "pk",
        "wage",
        "wage_unit",
        "daily_hours",
        "hours_per_week",
        "below_minimum_wage_since",
        "opening__prefecture",
    ):
        check = rules.wage_check(
            rates=rates,
            prefecture=placement.opening.prefecture,
            start=today,
            wage=placement.wage,
            unit=placement.wage_unit,
            daily_hours=placement.daily_hours,
            weekly_hours=placement.hours_per_week,
        )
        if check.below and placement.below_minimum_wage_since is None:
            assert check.minimum is not None
            flag.append((placement.pk, check.minimum.effective_from))
        elif not check.below and placement.below_minimum_wage_since is not None:
            clear.append(placement.pk)
    by_date: dict[date, list[int]] = {}
    for pk, since in flag:
        by_date.setdefault(since, []).append(pk)
    with transaction.atomic():
        for since, pks in by_date.items():  # one update per rate date (a handful a year)
            Placement.objects.filter(pk__in=pks).update(below_minimum_wage_since=since)
        Placement.objects.filter(pk__in=clear).update(below_minimum_wage_since=None)
    return Placement.objects.filter(ended_on__isnull=True, below_minimum_wage_since__isnull=False).count()
