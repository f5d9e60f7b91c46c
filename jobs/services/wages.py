"""The minimum-wage table: administrators add each autumn's rows (the seed is a data migration)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework.audit import record_change
from casework.models import User
from jobs.models import MinimumWage
from jobs.services.base import is_admin, require
from jobs.services.employers import clean_prefecture

MAX_YEN_PER_HOUR = 100_000  # catches a typo without limiting any real rate


@transaction.atomic
def minimum_wage_add(
    *, by: User, prefecture: Any, yen_per_hour: Any, effective_from: Any, approximate: bool = False
) -> MinimumWage:
    """Add one prefecture's rate from a date. Refused, naming the field: an unknown prefecture, a rate
    that is not a whole number of yen above 0, no date, a row for the same prefecture and date."""
    require(is_admin(by))
    errors: dict[str, list[str]] = {}
    code = clean_prefecture(prefecture, "prefecture", errors)
    if (
        not isinstance(yen_per_hour, int)
        or isinstance(yen_per_hour, bool)
        or not 0 < yen_per_hour <= MAX_YEN_PER_HOUR
    ):
        errors.setdefault("yen_per_hour", []).append(
            _("Enter the rate in yen an hour, a whole number above 0.")
        )
    if not isinstance(effective_from, date):
        errors.setdefault("effective_from", []).append(_("Enter the day the rate takes effect."))
    if errors:
        raise ValidationError(errors)
    duplicate = _("This prefecture already has a rate from this date.")
    if MinimumWage.objects.filter(prefecture=code, effective_from=effective_from).exists():
        raise ValidationError({"effective_from": duplicate})
    try:
        with transaction.atomic():
            row = MinimumWage.objects.create(
                prefecture=code,
                yen_per_hour=yen_per_hour,
                effective_from=effective_from,
                approximate=bool(approximate),
            )
    except IntegrityError as error:  # the same row added at the same moment
        raise ValidationError({"effective_from": duplicate}) from error
    record_change(actor=by, instance=row, before=None)
    return row
