"""What an employer records from the portal on a candidate it has in hand: an interview's outcome, an
offer (the referral moves to "offer") and a hire report (to "hire_reported"; the person's caseworker or
their supervisor confirms it into a placement, services/placements.py).

The moves go through services/referrals.py's move_referral, so the staff rules hold here too (the stage
moves of jobs.rules, a current consent, may work on the start date, the day the employer saw the residence
card and designation paper, no start before the offer); the wage is checked against the prefecture's
minimum wage with the same message as an opening's (services/openings.py wage_problem).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.models import User
from jobs.models import (
    EmploymentTerms,
    Interview,
    InterviewOutcome,
    Referral,
    Stage,
    TermsKind,
    WageUnit,
)
from jobs.services.base import decimal_between
from jobs.services.openings import wage_problem
from jobs.services.proposals import partner_referral_for_write
from jobs.services.referrals import move_referral

# What the employer may record as an interview's outcome (cancelling is the caseworker's).
PORTAL_OUTCOMES = (InterviewOutcome.PASSED, InterviewOutcome.NOT_PASSED, InterviewOutcome.NO_SHOW)
OFFERABLE_STAGES = (Stage.SHARED, Stage.INTERVIEW)
REPORTABLE_STAGES = (Stage.SHARED, Stage.INTERVIEW, Stage.OFFER)


@transaction.atomic
def interview_outcome_record(*, by: User, interview: Interview, outcome: Any) -> Interview:
    """The employer records how an interview went: passed, not passed, or the person did not attend."""
    partner_referral_for_write(by, interview.referral)
    locked = Interview.objects.select_for_update().get(pk=interview.pk)
    value = str(outcome or "").strip()
    if value not in PORTAL_OUTCOMES:
        raise ValidationError({"outcome": _("Choose passed, not passed or did not attend.")})
    if locked.starts_at > timezone.now():
        raise ValidationError({"outcome": _("The outcome can be recorded once the interview has started.")})
    before = snapshot(locked)
    locked.outcome = value
    locked.save(update_fields=["outcome"])
    record_change(actor=by, instance=locked, before=before, applicant_id=interview.referral.applicant_id)
    return locked


def _clean_terms(referral: Referral, data: dict[str, Any], *, start_required: bool) -> dict[str, Any]:
    opening = referral.opening
    errors: dict[str, list[str]] = {}
    start = data.get("start_date")
    if start is not None and not isinstance(start, date):
        errors.setdefault("start_date", []).append(_("Enter a date."))
        start = None
    if start is None and start_required:
        errors.setdefault("start_date", []).append(_("Enter the day the job starts."))
    hours = decimal_between(
        data.get("hours_per_week"),
        "hours_per_week",
        Decimal(0),
        Decimal(80),
        _("Enter the hours a week, more than 0 and at most 80."),
        errors,
    )
    daily = None
    if data.get("daily_hours") not in (None, ""):
        daily = decimal_between(
            data.get("daily_hours"),
            "daily_hours",
            Decimal(0),
            Decimal(24),
            _("Enter the hours a day, more than 0 and at most 24."),
            errors,
        )
    wage = data.get("wage")
    if not isinstance(wage, int) or isinstance(wage, bool) or wage <= 0:
        errors.setdefault("wage", []).append(_("Enter the base wage in yen, a whole number above 0."))
    unit = data.get("wage_unit") or WageUnit.HOURLY
    if unit not in WageUnit.values:
        errors.setdefault("wage_unit", []).append(_("Choose whether the wage is an hour, a day or a month."))
    if unit == WageUnit.DAILY and daily is None and "daily_hours" not in errors:
        errors.setdefault("daily_hours", []).append(_("Enter the hours a day: the wage is a day's."))
    if errors:
        raise ValidationError(errors)
    refusal, _warning = wage_problem(
        {
            "prefecture": opening.prefecture,
            "start_date": start or max(opening.start_date, timezone.localdate()),
            "wage": wage,
            "wage_unit": unit,
            "daily_hours": daily,
            "hours_per_week": hours,
        }
    )
    if refusal:
        raise ValidationError({"wage": refusal})
    return {
        "start_date": start,
        "hours_per_week": hours,
        "daily_hours": daily,
        "wage": wage,
        "wage_unit": unit,
    }


def _terms(by: User, referral: Referral, kind: str, cleaned: dict[str, Any]) -> EmploymentTerms:
    terms = EmploymentTerms.objects.create(referral=referral, kind=kind, recorded_by=by, **cleaned)
    record_change(actor=by, instance=terms, before=None, applicant_id=referral.applicant_id)
    return terms


def _stage_refusal(locked: Referral, allowed: tuple[str, ...], message: str) -> None:
    if locked.stage not in allowed:
        raise ValidationError({"stage": message % {"stage": Stage(locked.stage).label}})


@transaction.atomic
def offer_record(*, by: User, referral: Referral, data: dict[str, Any]) -> EmploymentTerms:
    """The employer makes an offer (data: wage, wage_unit, hours_per_week, daily_hours, start_date — the
    start date may be left out): the referral moves to "offer". A wage below the minimum is refused."""
    locked = partner_referral_for_write(by, referral)
    _stage_refusal(
        locked, OFFERABLE_STAGES, _("An offer cannot be recorded while the candidate is “%(stage)s”.")
    )
    cleaned = _clean_terms(locked, data, start_required=False)
    start = cleaned["start_date"]
    if start is not None and start < timezone.localdate():
        raise ValidationError({"start_date": _("The start date cannot be in the past.")})
    move_referral(by=by, referral=locked, data={"stage": Stage.OFFER})
    return _terms(by, locked, TermsKind.OFFER, cleaned)


@transaction.atomic
def hire_report_record(*, by: User, referral: Referral, data: dict[str, Any]) -> EmploymentTerms:
    """The employer reports a hire (data: start_date, hours_per_week, daily_hours, wage, wage_unit,
    documents_seen_on): the same move and checks as staff's hire report (services/referrals.py), plus the
    minimum wage; the caseworker confirms it into a placement."""
    locked = partner_referral_for_write(by, referral)
    _stage_refusal(
        locked, REPORTABLE_STAGES, _("A hire cannot be reported while the candidate is “%(stage)s”.")
    )
    cleaned = _clean_terms(locked, data, start_required=True)
    move_referral(
        by=by,
        referral=locked,
        data={
            "stage": Stage.HIRE_REPORTED,
            "start_date": cleaned["start_date"],
            "documents_seen_on": data.get("documents_seen_on"),
        },
    )
    return _terms(by, locked, TermsKind.HIRE_REPORT, cleaned)
