"""Periods of stay in bulk, for an import (issue 18): a period checked without saving (the dry run) and
the first periods of people registered in the same transaction, written at once. The rules are
legal_period_record's own (`_clean_period`, the card number's format and uniqueness)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import crypto, names
from casework.audit import record_creations
from casework.models import Applicant, LegalStatusPeriod, User
from casework.services.legal import _card_format_error, _clean_period


def legal_period_check(*, data: dict[str, Any], card_number: str | None = None) -> dict[str, Any]:
    """What legal_period_record would refuse in the period itself, said without saving (a dry run)."""
    cleaned = _clean_period(data, today=timezone.localdate())
    normalised = names.normalise_card_number(card_number or "")
    if normalised and not names.is_valid_card_number(normalised):
        raise _card_format_error()
    return cleaned


@transaction.atomic
def legal_periods_record_new(
    *, by: User, entries: list[tuple[Applicant, dict[str, Any], str | None]]
) -> list[LegalStatusPeriod]:
    """The first period of people registered in this same transaction (a chunk of an import), in bulk.

    The same rules as legal_period_record: each period cleaned alike; a card number recorded for
    anyone else (or twice among the entries) is refused, never confirmed. Such a person has no other
    period to overlap or to end. The periods came from an import: no "on record" reminder (from_import).
    """
    applicant_ids = [applicant.pk for applicant, _data, _card in entries]
    if Applicant.objects.editable_by(by).filter(pk__in=applicant_ids).count() != len(set(applicant_ids)):
        raise PermissionDenied
    if LegalStatusPeriod.objects.filter(applicant_id__in=applicant_ids).exists():
        raise ValidationError(_("These people already have periods: record each one by one."))
    today = timezone.localdate()
    periods: list[LegalStatusPeriod] = []
    digests: dict[str, int] = {}
    for applicant, data, card_number in entries:
        period = LegalStatusPeriod(applicant=applicant, from_import=True, **_clean_period(data, today=today))
        normalised = names.normalise_card_number(card_number or "")
        if normalised:
            if not names.is_valid_card_number(normalised):
                raise _card_format_error()
            digest = crypto.lookup_hash(normalised)
            if digests.setdefault(digest, applicant.pk) != applicant.pk:
                raise ValidationError({"card_number": _("The same card number is given for two people.")})
            period.card_number_encrypted = crypto.encrypt(normalised)
            period.card_number_hash = digest
            period.card_number_hint = normalised[:2] + normalised[-2:]
        periods.append(period)
    clash = (
        LegalStatusPeriod.objects.filter(
            card_number_hash__in=list(digests), applicant__organisation_id=by.organisation_id
        )
        .exclude(applicant_id__in=applicant_ids)
        .values_list("applicant__reference_code", flat=True)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "card_number": _(
                    "This card number is already recorded for %(reference)s. Check the number; if it is "
                    "right, confirm to save it anyway."
                )
                % {"reference": clash}
            }
        )
    LegalStatusPeriod.objects.bulk_create(periods)
    record_creations(actor=by, instances=periods)
    return periods
