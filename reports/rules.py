"""The numbers of reporting as pure functions: bands, k-anonymity, formula escaping (no models)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from casework.rules import add_months, prefecture_by_name

# --- Exports ---------------------------------------------------------------------------------------------

# A spreadsheet reads a cell starting with one of these as a formula (CSV/formula injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Up to this many rows an export is written while the user waits; above it, by a Celery task.
EXPORT_SYNC_MAX_ROWS = 5_000
# How long an export's file can be downloaded, and how often the task writes its progress.
EXPORT_KEEP_HOURS = 24
EXPORT_PROGRESS_EVERY = 1_000
# A running export's lease: renewed by every progress; a worker silent this long is taken as lost.
EXPORT_LEASE_SECONDS = 300
# A queued export no worker has taken for this long is failed (its message was lost): its maker may ask
# again. An hour: the broker's visibility timeout, after which a message a lost worker held comes back.
EXPORT_QUEUE_SECONDS = 3600
EXPORT_FORMATS = ("csv", "xlsx")

Cell = str | int | float | Decimal | date | datetime | bool | None


def escape_cell(value: Cell) -> Cell:
    """A cell as it may go into a CSV or XLSX file: text starting with =, +, -, @ (or a tab or carriage return) gets a leading ' so
    a spreadsheet shows it as text instead of running it; numbers, dates and booleans pass unchanged
    (a negative number is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_text(value: Cell) -> str:
    """A cell as CSV text: escaped, None empty, dates in ISO 8601, booleans as yes/no words left to
    the caller (sources give display text)."""
    value = escape_cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


# --- The wage report -----------------------------------------------------------------------------------

# Bands of a wage as a share of the prefecture's minimum wage (the chart's bars): (key, from, below).
WAGE_BANDS: tuple[tuple[str, float | None, float | None], ...] = (
    ("below", None, 1.0),
    ("to110", 1.0, 1.1),
    ("to125", 1.1, 1.25),
    ("over125", 1.25, None),
)


# --- The anonymised research export (APPI: anonymously processed information) -----------------------------

OTHER = "other"  # a nationality or prefecture generalised away
UNKNOWN = "unknown"  # not recorded (or, for a prefecture, not a prefecture's name)
BIRTH_YEAR_BAND_YEARS = 5

# The quasi-identifiers: the columns someone could link to another source. k-anonymity is counted over
# their combination; only nationality and prefecture are generalised (to OTHER) to reach it.
QUASI_IDENTIFIERS: tuple[str, ...] = (
    "birth_year_band",
    "gender",
    "nationality",
    "prefecture",
    "intake_month",
    "status_at_intake",
)
# In this order: nationality first (the rarest values), then prefecture, then both.
GENERALISATION_STEPS: tuple[tuple[str, ...], ...] = (
    ("nationality",),
    ("prefecture",),
    ("nationality", "prefecture"),
)


def birth_year_band(year: int | None) -> str:
    """1993 -> "1990-1994": five-year bands starting at a multiple of five."""
    if year is None:
        return UNKNOWN
    first = year - year % BIRTH_YEAR_BAND_YEARS
    return f"{first}-{first + BIRTH_YEAR_BAND_YEARS - 1}"


def month_of(day: date | None) -> str:
    """A date as its month (YYYY-MM); empty for none."""
    return f"{day:%Y-%m}" if day else ""


# Gender is free text in the case file (people describe it in their own words): the export codes it, so
# no free text leaves, and the rare answers fall into one group.
_FEMALE = {"female", "woman", "f", "女性", "女"}
_MALE = {"male", "man", "m", "男性", "男"}


def gender_code(text: str | None) -> str:
    folded = (text or "").strip().casefold()
    if folded in _FEMALE:
        return "female"
    if folded in _MALE:
        return "male"
    return "other_or_not_stated"


def prefecture_code(text: str | None) -> str:
    """A prefecture's English name; anything that is not a prefecture's name (free text) is UNKNOWN."""
    found = prefecture_by_name(text or "")
    return found.label_en if found else UNKNOWN


def retention(*, start: date | None, months: int, outcome: str, ended_on: date | None, today: date) -> str:
    """Was the person still in their first job `months` months after it started? The reports' rule
    (jobs.selectors.outcomes.retention), for one person: "yes" when that month's follow-up says retained
    or at risk, or the job ended on or after the mark; "no" when it ended before the mark or the
    follow-up says left; "not_yet" while the month has not come (still within the window: not counted as
    left); "unknown" when it came and nobody recorded it; empty without a placement."""
    if start is None:
        return ""
    due = add_months(start, months)
    if outcome in ("retained", "at_risk"):
        return "yes"
    if ended_on is not None:
        return "yes" if ended_on >= due else "no"
    if outcome == "left":
        return "no"
    return "not_yet" if due > today else UNKNOWN


@dataclass(frozen=True)
class ResearchColumn:
    key: str
    category: str
    meaning: Any  # lazy translations
    generalisation: Any
    quasi_identifier: bool = False


# The published item categories (APPI art. 43(3): the categories of information in anonymously processed
# information are made public): each export records those it contained.
ITEM_CATEGORIES: dict[str, Any] = {
    "demographics": _("Demographics: birth-year band, gender, nationality"),
    "residence": _("Area of residence: prefecture"),
    "case": _("Case: intake month, status at intake, case stage, job-ready month"),
    "employment": _("Employment: first placement month, retention at 3, 6 and 12 months"),
    "language": _("Japanese level: latest CEFR level"),
}

ITEM_CATEGORY_LABELS: dict[str, Any] = {
    "demographics": _("Demographics"),
    "residence": _("Area of residence"),
    "case": _("Case"),
    "employment": _("Employment"),
    "language": _("Japanese level"),
}

_AS_MONTH = _("Month only (YYYY-MM).")
_NONE = _("None: a coded value.")
_RETENTION = _(
    "yes / no / not_yet (the month has not come) / unknown (not recorded); empty without a placement."
)

RESEARCH_COLUMNS: tuple[ResearchColumn, ...] = (
    ResearchColumn(
        "birth_year_band",
        "demographics",
        _("Year of birth, as a five-year band."),
        _("Five-year band (1990-1994); unknown when not recorded."),
        quasi_identifier=True,
    ),
    ResearchColumn(
        "gender",
        "demographics",
        _("Gender, coded from the case file's own words."),
        _("female / male / other_or_not_stated."),
        quasi_identifier=True,
    ),
    ResearchColumn(
        "nationality",
        "demographics",
        _("Nationality (ISO 3166 code)."),
        _("'other' where fewer than k people share the combination of quasi-identifiers."),
        quasi_identifier=True,
    ),
    ResearchColumn(
        "prefecture",
        "residence",
        _("Prefecture of residence."),
        _("'other' where fewer than k people share the combination; no city or address."),
        quasi_identifier=True,
    ),
    ResearchColumn("intake_month", "case", _("Month of intake."), _AS_MONTH, quasi_identifier=True),
    ResearchColumn(
        "status_at_intake",
        "case",
        _("Kind of legal status on the intake date (code)."),
        _("Code of the status kind; unknown when no period covered the intake date."),
        quasi_identifier=True,
    ),
    ResearchColumn("case_stage", "case", _("Case stage today (code)."), _NONE),
    ResearchColumn("job_ready_month", "case", _("Month the case was first marked job-ready."), _AS_MONTH),
    ResearchColumn("first_placement_month", "employment", _("Month the first job started."), _AS_MONTH),
    ResearchColumn(
        "retained_3_months", "employment", _("Still in the first job after 3 months."), _RETENTION
    ),
    ResearchColumn(
        "retained_6_months", "employment", _("Still in the first job after 6 months."), _RETENTION
    ),
    ResearchColumn(
        "retained_12_months", "employment", _("Still in the first job after 12 months."), _RETENTION
    ),
    ResearchColumn("cefr_level", "language", _("Latest assessed CEFR level of Japanese."), _NONE),
)
RESEARCH_COLUMN_KEYS: tuple[str, ...] = tuple(column.key for column in RESEARCH_COLUMNS)


def combination(row: dict[str, str], keys: Sequence[str] = QUASI_IDENTIFIERS) -> tuple[str, ...]:
    return tuple(row[key] for key in keys)


def class_sizes(rows: Iterable[dict[str, str]], keys: Sequence[str] = QUASI_IDENTIFIERS) -> Counter:
    """How many rows share each combination of the quasi-identifiers (an equivalence class)."""
    return Counter(combination(row, keys) for row in rows)


def smallest_class(rows: Iterable[dict[str, str]], keys: Sequence[str] = QUASI_IDENTIFIERS) -> int:
    """The k the rows meet: the size of their smallest equivalence class (0 for no rows)."""
    sizes = class_sizes(rows, keys)
    return min(sizes.values(), default=0)


@dataclass
class Generalised:
    rows: list[dict[str, str]]
    k_met: int  # the smallest class after generalising
    generalised: dict[str, int] = field(default_factory=dict)  # values replaced by OTHER, per column


def generalise_to_k(rows: list[dict[str, str]], k: int) -> Generalised:
    """Generalise nationality, then prefecture, then both, to OTHER in the rows of the classes smaller
    than k (local recoding: a class of k or more keeps its values). Changes the rows in place. The caller
    refuses the export when k_met < k: no row is ever suppressed quietly."""
    replaced: Counter = Counter()
    for columns in GENERALISATION_STEPS:
        sizes = class_sizes(rows)
        small = [row for row in rows if sizes[combination(row)] < k]
        if not small:
            break
        for row in small:
            for column in columns:
                if row[column] != OTHER:
                    row[column] = OTHER
                    replaced[column] += 1
    return Generalised(rows=rows, k_met=smallest_class(rows), generalised=dict(replaced))
