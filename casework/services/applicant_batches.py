"""The applicants importer's fast paths (issue 18: 10,000 people in a minute): a chunk of new rows
checked through the services' own checks without saving anything (the dry run), and created through the
services' bulk path (the import). The rules are the services' (`applicant_register_check`,
`legal_period_check`, `applicants_register_many`, `legal_periods_record_new`); when the bulk path refuses
a chunk, the framework saves its rows one by one so that each gets its own errors.

The context is the applicants importer's (`applicant_import.ApplicantContext`): its team, its
caseworkers by pk and a set of the (team, caseworker) pairs already checked.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from casework.models import User
from casework.services.applicants import applicant_register_check, applicants_register_many
from casework.services.importers import ParsedRow, Saved
from casework.services.period_batches import legal_period_check, legal_periods_record_new


def _caseworker(context: Any, row: ParsedRow) -> User | None:
    return context.caseworkers.get(row.data["caseworker"]) if row.data.get("caseworker") else None


def _refused(row: ParsedRow, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            for message in messages:
                row.error("" if key == "__all__" else key, message)
    else:
        for message in error.messages:
            row.error("", message)


def applicants_check(*, by: User, context: Any, rows: list[ParsedRow]) -> None:
    """Each new row through what applicant_register and legal_period_record would refuse."""
    for row in rows:
        try:
            applicant_register_check(
                by=by,
                data=dict(row.data["profile"]),
                team=context.team,
                caseworker=_caseworker(context, row),
                checked=context.checked,
            )
        except ValidationError as error:
            _refused(row, error)
        except PermissionDenied:
            row.error("", _("You may not register people."))
        period = row.data.get("period")
        if period:
            try:
                legal_period_check(data=dict(period), card_number=row.data.get("card_number"))
            except ValidationError as error:
                _refused(row, error)


def applicants_save_new(*, by: User, context: Any, rows: list[ParsedRow]) -> dict[int, Saved]:
    """A chunk of new people and their periods, in bulk; {row number: what it created}."""
    people = applicants_register_many(
        by=by, entries=[(dict(row.data["profile"]), context.team, _caseworker(context, row)) for row in rows]
    )
    entries = [
        (applicant, dict(row.data["period"]), row.data.get("card_number"))
        for row, applicant in zip(rows, people, strict=True)
        if row.data.get("period")
    ]
    periods = (
        {period.applicant_id: period for period in legal_periods_record_new(by=by, entries=entries)}
        if entries
        else {}
    )
    return {
        row.number: Saved(created=[applicant, *([periods[applicant.pk]] if applicant.pk in periods else [])])
        for row, applicant in zip(rows, people, strict=True)
    }
