"""The minimum-wage table's writes: an administrator adds each autumn's rows or corrects one.

DOMAIN.md §9: the table is dated (prefecture, yen an hour, effective from); a year's new rates are added
without a code change. Only administrators write it (the admin and the API use these two services).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.models import User
from jobs.models import MinimumWage
from jobs.services.base import is_admin, require
from jobs.services.employers import clean_prefecture

WAGE_FIELDS = ("prefecture", "yen_per_hour", "effective_from", "approximate")
# Far above any regional minimum wage in Japan (¥1,226 in Tokyo from 2025-10-03): a typo guard.
MAX_YEN_PER_HOUR = 5000


def _clean_wage(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    prefecture = clean_prefecture(data.get("prefecture"), "prefecture", errors)
    yen = data.get("yen_per_hour")
    if isinstance(yen, str) and yen.strip().isdigit():
        yen = int(yen.strip())
    if not isinstance(yen, int) or isinstance(yen, bool) or not 1 <= yen <= MAX_YEN_PER_HOUR:
        errors.setdefault("yen_per_hour", []).append(
            _("Enter the minimum wage in yen an hour, a whole number from 1 to %(max)d.")
            % {"max": MAX_YEN_PER_HOUR}
        )
    since = data.get("effective_from")
    if not isinstance(since, date):
        errors.setdefault("effective_from", []).append(_("Enter the day the rate takes effect."))
    if errors:
        raise ValidationError(errors)
    return {
        "prefecture": prefecture,
        "yen_per_hour": yen,
        "effective_from": since,
        "approximate": bool(data.get("approximate")),
    }


def _taken(cleaned: dict[str, Any], exclude: int | None = None) -> bool:
    rows = MinimumWage.objects.filter(
        prefecture=cleaned["prefecture"], effective_from=cleaned["effective_from"]
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.exists()


def _taken_message() -> str:
    return _("A rate for this prefecture taking effect on this day is already recorded: change that one.")


def minimum_wage_add(*, by: User, data: dict[str, Any]) -> MinimumWage:
    """Add a dated rate (a new fiscal year's rate of a prefecture)."""
    require(is_admin(by))
    cleaned = _clean_wage(data)
    if _taken(cleaned):
        raise ValidationError({"effective_from": _taken_message()})
    try:
        with transaction.atomic():
            row = MinimumWage.objects.create(**cleaned)
    except IntegrityError as error:  # the same row added at the same moment by someone else
        raise ValidationError({"effective_from": _taken_message()}) from error
    record_change(actor=by, instance=row, before=None)
    return row


@transaction.atomic
def minimum_wage_update(*, by: User, wage: MinimumWage, data: dict[str, Any]) -> MinimumWage:
    """Correct a rate (its amount, its date, whether the date is approximate)."""
    require(is_admin(by))
    locked = MinimumWage.objects.select_for_update().get(pk=wage.pk)
    before = snapshot(locked)
    current = {key: getattr(locked, key) for key in WAGE_FIELDS}
    cleaned = _clean_wage({**current, **{k: v for k, v in data.items() if k in WAGE_FIELDS}})
    if _taken(cleaned, exclude=locked.pk):
        raise ValidationError({"effective_from": _taken_message()})
    for key, value in cleaned.items():
        setattr(locked, key, value)
    locked.save()
    record_change(actor=by, instance=locked, before=before)
    return locked
