"""Writes to job openings: staff create and change them; the minimum-wage check guards opening one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.models import User
from jobs import rules
from jobs.models import ContractType, Employer, JobOpening, OpeningStatus, ShiftPattern, WageUnit
from jobs.selectors.partner import partner_access
from jobs.selectors.wages import rates_for
from jobs.services.base import decimal_between, require
from jobs.services.employers import clean_prefecture
from learning.rules import CEFR_LEVELS

OPENING_FIELDS = (
    "title",
    "description",
    "prefecture",
    "address",
    "hours_per_week",
    "daily_hours",
    "shift_pattern",
    "wage",
    "wage_unit",
    "contract_type",
    "start_date",
    "probation_months",
    "required_level",
    "required_skills",
    "places",
)
MAX_HOURS_A_WEEK = Decimal(80)
MAX_HOURS_A_DAY = Decimal(24)
MAX_WAGE = 10_000_000  # yen: catches a typo without limiting any real wage

# Statuses staff may set directly. Submitted and returned belong to openings employers propose (the
# portal issue); filled is set when a confirmed hire takes the last place (and may be set by hand).
STAFF_STATUSES = (OpeningStatus.DRAFT, OpeningStatus.OPEN, OpeningStatus.FILLED, OpeningStatus.CLOSED)
# Where an opening may go from each status.
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    OpeningStatus.DRAFT: (OpeningStatus.OPEN, OpeningStatus.CLOSED),
    OpeningStatus.SUBMITTED: (OpeningStatus.OPEN, OpeningStatus.RETURNED, OpeningStatus.CLOSED),
    OpeningStatus.RETURNED: (OpeningStatus.SUBMITTED, OpeningStatus.CLOSED),
    OpeningStatus.OPEN: (OpeningStatus.FILLED, OpeningStatus.CLOSED, OpeningStatus.DRAFT),
    OpeningStatus.FILLED: (OpeningStatus.OPEN, OpeningStatus.CLOSED),
    OpeningStatus.CLOSED: (OpeningStatus.OPEN,),
}


def _text(value: Any) -> str:
    return str(value or "").strip()


def _day(day: date) -> str:
    return formats.date_format(day, "Y-m-d")


def clean_opening(data: dict[str, Any]) -> dict[str, Any]:
    """The shape of an opening's fields; every problem names its field."""
    errors: dict[str, list[str]] = {}
    cleaned = {key: data.get(key) for key in OPENING_FIELDS}
    for key in (
        "title",
        "description",
        "address",
        "shift_pattern",
        "wage_unit",
        "contract_type",
        "required_level",
    ):
        cleaned[key] = _text(cleaned[key])
    if not cleaned["title"]:
        errors.setdefault("title", []).append(_("Give the job a title."))
    elif len(cleaned["title"]) > 200:
        errors.setdefault("title", []).append(_("Keep the title within 200 characters."))
    cleaned["prefecture"] = clean_prefecture(cleaned["prefecture"], "prefecture", errors)
    cleaned["hours_per_week"] = decimal_between(
        cleaned["hours_per_week"],
        "hours_per_week",
        Decimal(0),
        MAX_HOURS_A_WEEK,
        _("Enter the hours a week, more than 0 and at most 80."),
        errors,
    )
    cleaned["daily_hours"] = decimal_between(
        cleaned["daily_hours"],
        "daily_hours",
        Decimal(0),
        MAX_HOURS_A_DAY,
        _("Enter the hours a day, more than 0 and at most 24."),
        errors,
    )
    if not cleaned["shift_pattern"]:
        cleaned["shift_pattern"] = ShiftPattern.DAY
    elif cleaned["shift_pattern"] not in ShiftPattern.values:
        errors.setdefault("shift_pattern", []).append(_("Choose the shifts from the list."))
    wage = cleaned["wage"]
    if isinstance(wage, str) and wage.strip().isdigit():
        wage = int(wage.strip())
    if not isinstance(wage, int) or isinstance(wage, bool) or not 0 < wage <= MAX_WAGE:
        errors.setdefault("wage", []).append(_("Enter the base wage in yen, a whole number above 0."))
    cleaned["wage"] = wage
    if cleaned["wage_unit"] not in WageUnit.values:
        errors.setdefault("wage_unit", []).append(_("Choose whether the wage is an hour, a day or a month."))
    if cleaned["contract_type"] not in ContractType.values:
        errors.setdefault("contract_type", []).append(_("Choose the kind of contract."))
    if not isinstance(cleaned["start_date"], date):
        errors.setdefault("start_date", []).append(_("Enter the day the job starts."))
    months = cleaned["probation_months"]
    if months in ("", None):
        cleaned["probation_months"] = None
    elif not isinstance(months, int) or isinstance(months, bool) or not 0 <= months <= 24:
        errors.setdefault("probation_months", []).append(_("Enter the probation in months, from 0 to 24."))
    if cleaned["required_level"] and cleaned["required_level"] not in CEFR_LEVELS:
        errors.setdefault("required_level", []).append(_("Choose a CEFR level from A1 to C2."))
    skills = cleaned["required_skills"] or []
    if isinstance(skills, str):
        skills = [part for part in (s.strip() for s in skills.split(",")) if part]
    if not isinstance(skills, list) or not all(isinstance(s, str) and 0 < len(s) <= 100 for s in skills):
        errors.setdefault("required_skills", []).append(_("List the skills as short words or phrases."))
        skills = []
    cleaned["required_skills"] = [s.strip() for s in skills][:30]
    places = cleaned["places"]
    if places in ("", None):
        places = 1
    if not isinstance(places, int) or isinstance(places, bool) or not 1 <= places <= 500:
        errors.setdefault("places", []).append(_("Enter the number of places, from 1 to 500."))
    cleaned["places"] = places
    if errors:
        raise ValidationError(errors)
    return cleaned


def wage_problem(cleaned: dict[str, Any]) -> tuple[str | None, str | None]:
    """(the refusal, or None; the warning, or None) of the minimum-wage check for an opening's values."""
    check = rules.wage_check(
        rates=rates_for(cleaned["prefecture"]),
        prefecture=cleaned["prefecture"],
        start=cleaned["start_date"],
        wage=cleaned["wage"],
        unit=cleaned["wage_unit"],
        daily_hours=cleaned["daily_hours"],
        weekly_hours=cleaned["hours_per_week"],
    )
    refusal = warning = None
    if check.below and check.minimum is not None:
        refusal = _(
            "The base wage comes to ¥%(hourly)s an hour, below the minimum wage of ¥%(minimum)s an hour "
            "in force in this prefecture from %(since)s."
        ) % {
            "hourly": f"{check.hourly:,}",
            "minimum": f"{check.minimum.yen_per_hour:,}",
            "since": _day(check.minimum.effective_from),
        }
    if check.new_rate_missing:
        warning = _(
            "The new minimum wage for this prefecture is not entered yet: the check used last year's rate."
        )
    return refusal, warning


def _check_status(cleaned_status: str, opening: JobOpening | None) -> str:
    status = _text(cleaned_status) or (opening.status if opening else OpeningStatus.DRAFT)
    if status not in STAFF_STATUSES and (opening is None or status != opening.status):
        raise ValidationError({"status": _("Choose draft, open, filled or closed.")})
    if opening is not None and status != opening.status and status not in STATUS_MOVES[opening.status]:
        raise ValidationError(
            {
                "status": _("An opening that is %(current)s cannot become %(target)s.")
                % {
                    "current": OpeningStatus(opening.status).label,
                    "target": OpeningStatus(status).label,
                }
            }
        )
    return status


def _guard_wage(cleaned: dict[str, Any], status: str) -> None:
    """Opening (or keeping open) a job below the minimum wage is refused; a draft may hold it."""
    refusal, _warning = wage_problem(cleaned)
    if refusal and status in (OpeningStatus.OPEN, OpeningStatus.FILLED):
        raise ValidationError({"wage": refusal})


@transaction.atomic
def opening_create(*, by: User, employer: Employer, data: dict[str, Any]) -> JobOpening:
    require(Employer.objects.editable_by(by).filter(pk=employer.pk).exists())
    cleaned = clean_opening(data)
    status = _check_status(data.get("status", ""), None)
    _guard_wage(cleaned, status)
    opening = JobOpening.objects.create(employer=employer, created_by=by, status=status, **cleaned)
    record_change(actor=by, instance=opening, before=None)
    return opening


@transaction.atomic
def opening_update(
    *, by: User, opening: JobOpening, data: dict[str, Any], version: int | None = None
) -> JobOpening:
    """Change an opening's details or status; `version` (as read) refuses a change made meanwhile."""
    require(JobOpening.objects.editable_by(by).filter(pk=opening.pk).exists())
    locked = JobOpening.objects.select_for_update().get(pk=opening.pk)
    if version is not None and locked.version != version:
        raise ValidationError(
            {"version": _("Someone else changed this opening meanwhile: reload it and try again.")}
        )
    before = snapshot(locked)
    current = {key: getattr(locked, key) for key in OPENING_FIELDS}
    cleaned = clean_opening({**current, **{k: v for k, v in data.items() if k in OPENING_FIELDS}})
    status = _check_status(data.get("status", ""), locked)
    _guard_wage(cleaned, status)
    note = _text(data.get("status_note", locked.status_note))
    for key, value in cleaned.items():
        setattr(locked, key, value)
    locked.status = status
    locked.status_note = note
    locked.version += 1
    locked.save()
    record_change(actor=by, instance=locked, before=before)
    return locked


# --- The partner portal (issue 16): employers propose openings, staff approve or return them -------------
# An employer user's new or changed opening is "submitted": matching sees it only once staff approve it
# (open). Staff may return it with a reason (status_note, shown to the employer); changing a returned
# opening submits it again. The minimum-wage rule refuses a submission below the minimum, as it refuses
# opening one. Closing is the employer's too, for an opening not yet filled or closed.
PARTNER_EDITABLE = (OpeningStatus.DRAFT, OpeningStatus.SUBMITTED, OpeningStatus.RETURNED, OpeningStatus.OPEN)
PARTNER_CLOSABLE = (OpeningStatus.SUBMITTED, OpeningStatus.RETURNED, OpeningStatus.OPEN)


def _partner_employer_id(by: User) -> int:
    """The employer an employer user may write for: refused when none, or the partnership is paused."""
    access = partner_access(by)
    require(access is not None and not access.read_only)
    assert access is not None
    return access.employer.pk


def _partner_opening(by: User, opening: JobOpening) -> JobOpening:
    """The opening, locked, when it is the employer user's employer's; else a 404 (as for no such id)."""
    employer_id = _partner_employer_id(by)
    locked = JobOpening.objects.select_for_update().filter(pk=opening.pk, employer_id=employer_id).first()
    if locked is None:
        raise Http404
    return locked


def _check_version(locked: JobOpening, version: int | None) -> None:
    if version is not None and locked.version != version:
        raise ValidationError(
            {"version": _("Someone else changed this opening meanwhile: reload it and try again.")}
        )


@transaction.atomic
def partner_opening_create(*, by: User, data: dict[str, Any]) -> JobOpening:
    """An employer user proposes an opening for their own employer (never another: it is not asked)."""
    employer_id = _partner_employer_id(by)
    cleaned = clean_opening(data)
    _guard_wage(cleaned, OpeningStatus.OPEN)  # it is meant to open: the same refusal as staff get
    opening = JobOpening.objects.create(
        employer_id=employer_id, created_by=by, status=OpeningStatus.SUBMITTED, **cleaned
    )
    record_change(actor=by, instance=opening, before=None)
    return opening


@transaction.atomic
def partner_opening_update(
    *, by: User, opening: JobOpening, data: dict[str, Any], version: int | None = None
) -> JobOpening:
    """An employer user changes their opening: it is submitted (again) for staff to approve."""
    locked = _partner_opening(by, opening)
    _check_version(locked, version)
    if locked.status not in PARTNER_EDITABLE:
        raise ValidationError(
            {
                "status": _("An opening that is %(current)s can no longer be changed.")
                % {"current": OpeningStatus(locked.status).label}
            }
        )
    before = snapshot(locked)
    current = {key: getattr(locked, key) for key in OPENING_FIELDS}
    cleaned = clean_opening({**current, **{k: v for k, v in data.items() if k in OPENING_FIELDS}})
    _guard_wage(cleaned, OpeningStatus.OPEN)
    for key, value in cleaned.items():
        setattr(locked, key, value)
    locked.status = OpeningStatus.SUBMITTED
    locked.status_note = ""  # the reason it was returned stays in the history
    locked.version += 1
    locked.save()
    record_change(actor=by, instance=locked, before=before)
    return locked


@transaction.atomic
def partner_opening_close(*, by: User, opening: JobOpening, version: int | None = None) -> JobOpening:
    locked = _partner_opening(by, opening)
    _check_version(locked, version)
    if locked.status not in PARTNER_CLOSABLE:
        raise ValidationError(
            {
                "status": _("An opening that is %(current)s cannot be closed.")
                % {"current": OpeningStatus(locked.status).label}
            }
        )
    before = snapshot(locked)
    locked.status = OpeningStatus.CLOSED
    locked.version += 1
    locked.save()
    record_change(actor=by, instance=locked, before=before)
    return locked


def _staff_submitted(by: User, opening: JobOpening, version: int | None) -> JobOpening:
    require(JobOpening.objects.editable_by(by).filter(pk=opening.pk).exists())
    locked = JobOpening.objects.select_for_update().get(pk=opening.pk)
    _check_version(locked, version)
    if locked.status != OpeningStatus.SUBMITTED:
        raise ValidationError(
            {
                "status": _(
                    "Only an opening the employer submitted can be approved or returned; this one is %(current)s."
                )
                % {"current": OpeningStatus(locked.status).label}
            }
        )
    return locked


@transaction.atomic
def opening_approve(*, by: User, opening: JobOpening, version: int | None = None) -> JobOpening:
    """Staff approve an employer's submitted opening: it opens (and matching sees it)."""
    locked = _staff_submitted(by, opening, version)
    before = snapshot(locked)
    cleaned = {key: getattr(locked, key) for key in OPENING_FIELDS}
    _guard_wage(cleaned, OpeningStatus.OPEN)  # the minimum may have risen since it was submitted
    locked.status = OpeningStatus.OPEN
    locked.status_note = ""
    locked.version += 1
    locked.save()
    record_change(actor=by, instance=locked, before=before)
    return locked


@transaction.atomic
def opening_return(*, by: User, opening: JobOpening, reason: Any, version: int | None = None) -> JobOpening:
    """Staff return an employer's submitted opening with the reason, which the employer sees."""
    locked = _staff_submitted(by, opening, version)
    text = _text(reason)
    if not text:
        raise ValidationError({"status_note": _("Say why the opening is returned: the employer reads it.")})
    if len(text) > 2000:
        raise ValidationError({"status_note": _("Keep the reason within 2,000 characters.")})
    before = snapshot(locked)
    locked.status = OpeningStatus.RETURNED
    locked.status_note = text
    locked.version += 1
    locked.save()
    record_change(actor=by, instance=locked, before=before)
    return locked
