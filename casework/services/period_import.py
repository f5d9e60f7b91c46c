"""The "periods" importer (issue 18): legal status periods for people already in Tobira, and the pieces of
a period row both casework importers share (the status proposal, the period's cells).

A row names its person by reference code, by a residence card number already recorded, or by name and
date of birth when exactly one person matches. Only people the user may write are looked up (one index
built in prepare, so parse makes no query): a person the user may not write gets the same error as a
person who does not exist, so an import never tells whether someone outside the caseload is in Tobira.
Periods overlapping an earlier row of the file for the same person are errors in parse (a dry run's
rolled-back chunks cannot see each other's saves).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import cells, crypto, names, rules
from casework.models import Applicant, LegalStatusPeriod, User
from casework.roles import Role
from casework.services.importers import (
    SKIP,
    UPDATE,
    Candidate,
    Importer,
    ImportField,
    ParsedRow,
    Saved,
)
from casework.services.legal import legal_period_record, legal_period_update

# --- Statuses ---------------------------------------------------------------------------------------

# Spellings offices use for each kind, besides the kind's own English and Japanese labels. A bare
# 特定活動 / "Designated Activities" says nothing of which one: it is never proposed.
_STATUS_SPELLINGS: dict[str, tuple[str, ...]] = {
    "da_refugee_applicant": (
        "特定活動(難民申請)",
        "特定活動(難民申請中)",
        "特定活動(難民認定申請)",
        "特定活動(難民)",
        "難民申請中",
        "難民認定申請中",
        "難民申請者",
        "Designated Activities (refugee application)",
        "Refugee applicant",
    ),
    "da_humanitarian": ("特定活動(人道的配慮)", "人道配慮", "人道的配慮", "Humanitarian"),
    "da_evacuee": ("特定活動(ウクライナ避難民)", "避難民", "Evacuee"),
    "long_term_resident": ("定住", "Long Term Resident", "Teijusha"),
    "provisional_stay": ("仮滞在", "Provisional stay"),
    "provisional_release": ("仮放免許可", "Provisional release permission"),
    "supervisory_measures": ("監理措置決定", "Supervisory measure"),
    # Statuses of residence Tobira has no kind of: "other", the label kept as the status's name.
    "other": (
        "その他",
        "Other",
        "永住者",
        "Permanent Resident",
        "日本人の配偶者等",
        "永住者の配偶者等",
        "家族滞在",
        "留学",
        "技能実習",
        "特定技能",
        "技術・人文知識・国際業務",
    ),
}
_NEVER_GUESSED = ("特定活動", "Designated Activities", "Designated Activity", "特定活動(その他)")
_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"})


def _status_key(label: str) -> str:
    """A status label as compared: NFKC (（）→()), brackets unified, case and spaces and dots ignored."""
    text = unicodedata.normalize("NFKC", label or "").translate(_BRACKETS).casefold()
    return re.sub(r"[\s・･.\-_]+", "", text)


def _status_table() -> dict[str, str | None]:
    table: dict[str, str | None] = {}
    for code, rule in rules.STATUS_KINDS.items():
        for spelling in (code, rule.label_en, rule.label_ja, *_STATUS_SPELLINGS.get(code, ())):
            table[_status_key(spelling)] = code
    for spelling in _NEVER_GUESSED:
        table[_status_key(spelling)] = None
    return table


_STATUS_TABLE = _status_table()


def propose_status(label: str) -> str | None:
    """The Tobira status kind a file's status label most likely means, or None (never a guess: a bare
    特定活動 and any unknown label are None, for the user to map)."""
    return _STATUS_TABLE.get(_status_key(label))


def status_label(cell: cells.Cell | None) -> str:
    """The label of a status cell, as the mapping step shows it and as mapping["statuses"] is keyed."""
    return cell.text() if cell is not None else ""


def statuses_of(mapping: dict[str, Any] | None) -> dict[str, str]:
    """mapping["statuses"] checked: only known kinds, keyed also by the compared form of the label."""
    chosen: dict[str, str] = {}
    for label, kind in ((mapping or {}).get("statuses") or {}).items():
        if kind in rules.STATUS_KINDS:
            chosen[str(label)] = kind
            chosen.setdefault(_status_key(str(label)), kind)
    return chosen


# --- Cells ------------------------------------------------------------------------------------------


def present(row: ParsedRow, key: str) -> bool:
    cell = row.values.get(key)
    return cell is not None and not cell.empty


def text_of(row: ParsedRow, key: str) -> str:
    cell = row.values.get(key)
    return cell.text() if cell is not None else ""


def date_of(row: ParsedRow, key: str) -> date | None:
    """The cell's date (None when empty); a date casework.cells refuses is an error of that column."""
    cell = row.values.get(key)
    if cell is None or cell.empty:
        return None
    try:
        return cells.parse_date(cell)
    except ValueError as error:
        row.error(key, str(error) or _("This is not a date."))
        return None


def card_number_of(row: ParsedRow, key: str = "card_number") -> str | None:
    """The normalised residence card number (None when empty); a wrong format is an error."""
    cell = row.values.get(key)
    if cell is None:
        return None
    try:
        return cells.card_number(cell) or None
    except ValueError as error:
        row.error(key, str(error))
        return None


def day_text(day: date | None) -> str:
    return formats.date_format(day, "Y-m-d") if day else "…"


PERIOD_KEYS = ("status", "period_start", "period_end", "card_expiry", "card_number")


def parse_period(row: ParsedRow, statuses: dict[str, str], *, status_field: str = "status") -> dict | None:
    """The period a row describes, as legal_period_record's data, or None when it has none.

    The period's end is the effective-end column, or the card's expiry (在留期限) when that column is not
    mapped. A kind "other" keeps the file's label as the status's name; "other" without an end is
    indefinite (永住者).
    """
    label = text_of(row, status_field)
    end_key = "period_end" if "period_end" in row.values else "card_expiry"
    start, expiry = date_of(row, "period_start"), date_of(row, "card_expiry")
    end = date_of(row, "period_end") if end_key == "period_end" else expiry
    kind = (statuses.get(label) or statuses.get(_status_key(label))) if label else None
    if not label:
        row.error(status_field, _("Enter the status."))
    elif kind is None:
        row.error(status_field, _("Map the status “%(label)s” to a Tobira status first.") % {"label": label})
    if start is None and not present(row, "period_start") and end is not None and kind in rules.STATUS_KINDS:
        # Intake sheets often keep only 在留期限: the start is estimated from the status's usual length
        # (at most a year back, never after today), and the row says so.
        start = rules.estimated_period_start(kind, end, today=timezone.localdate())
        row.notes.append(
            _(
                "The period's start was not in the file: %(start)s was assumed; correct it on the person's page."
            )
            % {"start": day_text(start)}
        )
    if start is None and not present(row, "period_start"):
        row.error("period_start", _("Enter the first day of the period."))
    if end is None and not present(row, end_key) and kind != "other":
        row.error(end_key, _("Enter the last day of the period."))
    if start and end and end < start:
        row.error(end_key, _("The end cannot be before the start."))
    if kind is None or start is None:
        return None
    period: dict[str, Any] = {
        "status_kind": kind,
        "start_date": start,
        "end_date": end,
        "card_expiry_date": expiry,
    }
    if kind == "other":
        period["status_other_label"] = label
        period["is_indefinite"] = end is None
    return period


def may_import_periods(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR) or user.is_superuser)
    )


# --- The periods importer ---------------------------------------------------------------------------


@dataclass
class PeriodContext:
    by: User
    statuses: dict[str, str]
    by_reference: dict[str, int]
    by_card: dict[str, int]
    by_name: dict[tuple[str, date], list[int]]
    references: dict[int, str]
    # Per person, the periods of earlier rows of the file: (start, end, row number).
    intervals: dict[int, list[tuple[date, date | None, int]]] = field(default_factory=dict)


def periods_prepare(*, by: User, target: Any = None, mapping: dict[str, Any] | None = None) -> PeriodContext:
    """Index the people this user may write (reference, card hashes, name and birth date): parse then
    finds each row's person without a query."""
    if not may_import_periods(by):
        raise PermissionDenied
    editable = Applicant.objects.editable_by(by)
    by_reference: dict[str, int] = {}
    by_name: dict[tuple[str, date], list[int]] = {}
    references: dict[int, str] = {}
    for pk, reference, key, born in editable.values_list("pk", "reference_code", "name_key", "date_of_birth"):
        by_reference[reference.upper()] = pk
        references[pk] = reference
        if key and born:
            by_name.setdefault((key, born), []).append(pk)
    by_card = dict(
        LegalStatusPeriod.objects.filter(applicant__in=editable.values("pk"))
        .exclude(card_number_hash="")
        .values_list("card_number_hash", "applicant_id")
    )
    return PeriodContext(
        by=by,
        statuses=statuses_of(mapping),
        by_reference=by_reference,
        by_card=by_card,
        by_name=by_name,
        references=references,
    )


def _not_found(row: ParsedRow, key: str) -> None:
    # The same words whether the person does not exist or is outside what the user may write.
    row.error(key, _("No person you may change matches this row: check the reference, card number or name."))


def _find_person(context: PeriodContext, row: ParsedRow, card: str | None) -> int | None:
    if present(row, "reference"):
        pk = context.by_reference.get(text_of(row, "reference").upper().replace(" ", ""))
        if pk is None:
            _not_found(row, "reference")
        return pk
    if card:
        pk = context.by_card.get(crypto.lookup_hash(card))
        if pk is not None:
            return pk
    if present(row, "name"):
        born = date_of(row, "date_of_birth")
        if born is None:
            if not present(row, "date_of_birth"):
                row.error("date_of_birth", _("Enter the date of birth to find the person by name."))
            return None
        found = context.by_name.get((names.name_key([text_of(row, "name")]), born), [])
        if len(found) > 1:
            row.error(
                "name",
                _("Several people you may change have this name and date of birth: give the reference."),
            )
            return None
        if not found:
            _not_found(row, "name")
            return None
        return found[0]
    _not_found(row, "reference" if "reference" in row.values else "card_number")
    return None


def periods_parse(*, context: PeriodContext, row: ParsedRow) -> None:
    card = card_number_of(row)
    filed = date_of(row, "renewal_filed_on")
    period = parse_period(row, context.statuses)
    pk = _find_person(context, row, card)
    if pk is None or period is None or row.errors:
        return
    start, end = period["start_date"], period["end_date"]
    for other_start, other_end, number in context.intervals.get(pk, []):
        if (end is None or other_start <= end) and (other_end is None or start <= other_end):
            row.error(
                "period_start",
                _("This period overlaps the period of row %(row)d for the same person.") % {"row": number},
            )
            return
    context.intervals.setdefault(pk, []).append((start, end, row.number))
    if filed is not None:
        period["renewal_filed_on"] = filed
    row.data = {"applicant": pk, "period": period, "card_number": card}
    row.key = (pk, period["status_kind"], start)


def periods_find_duplicates(*, context: PeriodContext, rows: list[ParsedRow]) -> None:
    """A period of the same kind and start already recorded for the person: one query per chunk."""
    wanted = {
        (row.data["applicant"], row.data["period"]["status_kind"], row.data["period"]["start_date"]): row
        for row in rows
        if row.data.get("period")
    }
    if not wanted:
        return
    existing = LegalStatusPeriod.objects.filter(
        applicant_id__in={key[0] for key in wanted}, start_date__in={key[2] for key in wanted}
    ).values_list("pk", "applicant_id", "status_kind", "start_date", "end_date")
    for pk, applicant_id, kind, start, end in existing:
        row = wanted.get((applicant_id, kind, start))
        if row is not None:
            label = f"{context.references.get(applicant_id, '')} · {rules.status_kind(kind).label} · {day_text(start)} – {day_text(end)}"
            row.candidates.append(Candidate(pk=pk, label=label))


def periods_save(
    *, by: User, context: PeriodContext, row: ParsedRow, decision: str, candidate: Any = None
) -> Saved:
    data = dict(row.data["period"])
    if decision == UPDATE and candidate is not None:
        period = (
            LegalStatusPeriod.objects.editable_by(by)
            .select_related("applicant")
            .filter(pk=candidate.pk)
            .first()
        )
        if period is None:
            raise ValidationError({"": _("This period can no longer be changed.")})
        before = {key: getattr(period, key) for key in data if getattr(period, key) != data[key]}
        saved = legal_period_update(by=by, period=period, data=data, card_number=row.data["card_number"])
        return Saved(updated=[(saved, before)] if before else [])
    applicant = Applicant.objects.editable_by(by).filter(pk=row.data["applicant"]).first()
    if applicant is None:
        raise ValidationError(
            {
                "reference": _(
                    "No person you may change matches this row: check the reference, card number or name."
                )
            }
        )
    period = legal_period_record(
        by=by, applicant=applicant, data=data, card_number=row.data["card_number"], from_import=True
    )
    return Saved(created=[period])


# Service field → import field.
PERIOD_FIELD_MAP = {
    "status_kind": "status",
    "status_other_label": "status",
    "start_date": "period_start",
    "end_date": "period_end",
    "is_indefinite": "period_end",
    "card_expiry_date": "card_expiry",
    "card_number": "card_number",
    "renewal_filed_on": "renewal_filed_on",
}


def _field(key: str, label: Any, *aliases: str, required: bool = False, help: Any = "") -> ImportField:
    return ImportField(key=key, label=label, aliases=aliases, required=required, help=help)


STATUS_FIELD = _field(
    "status",
    gettext_lazy("Status of residence"),
    "在留資格",
    "資格",
    "Status",
    "Visa",
    "Visa status",
    "Residence status",
)
START_FIELD = _field(
    "period_start",
    gettext_lazy("Period start"),
    "在留開始日",
    "許可日",
    "許可年月日",
    "Start",
    "Start date",
    "Period start",
)
END_FIELD = _field(
    "period_end", gettext_lazy("Period end"), "在留期間満了日", "満了日", "End", "End date", "Period end"
)
EXPIRY_FIELD = _field(
    "card_expiry",
    gettext_lazy("Card expiry (在留期限)"),
    "在留期限",
    "在留カード有効期限",
    "有効期限",
    "Card expiry",
    "Expiry",
    "Visa expiry",
    help=gettext_lazy("Also the period's end when no period end column is mapped."),
)
CARD_FIELD = _field(
    "card_number",
    gettext_lazy("Residence card number"),
    "在留カード番号",
    "カード番号",
    "Card number",
    "Residence card number",
    "Residence card",
)


PERIODS = Importer(
    kind="periods",
    label=gettext_lazy("Legal status periods"),
    description=gettext_lazy(
        "Periods of stay for people already in Tobira, found by reference, residence card number, or name "
        "and date of birth."
    ),
    fields=(
        _field(
            "reference",
            gettext_lazy("Reference"),
            "整理番号",
            "管理番号",
            "Reference",
            "Reference code",
            "Ref",
        ),
        _field("name", gettext_lazy("Name"), "氏名", "名前", "Name", "Full name"),
        _field(
            "date_of_birth", gettext_lazy("Date of birth"), "生年月日", "Date of birth", "DOB", "Birth date"
        ),
        STATUS_FIELD,
        START_FIELD,
        END_FIELD,
        EXPIRY_FIELD,
        CARD_FIELD,
        _field(
            "renewal_filed_on",
            gettext_lazy("Renewal filed on"),
            "更新申請日",
            "申請日",
            "Renewal filed",
            "Renewal filed on",
        ),
    ),
    may_import=may_import_periods,
    prepare=periods_prepare,
    parse=periods_parse,
    find_duplicates=periods_find_duplicates,
    save=periods_save,
    status_field="status",
    propose_status=propose_status,
    decisions=(SKIP, UPDATE),
    field_map=PERIOD_FIELD_MAP,
    order=20,
)
