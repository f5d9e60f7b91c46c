"""The numbers of reporting as pure functions: bands, k-anonymity, formula escaping (no models)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

# A spreadsheet reads a cell starting with one of these as a formula (CSV/formula injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@")
# Up to this many rows an export is written while the user waits; above it, by a Celery task.
EXPORT_SYNC_MAX_ROWS = 5_000
# How long an export's file can be downloaded, and how often the task writes its progress.
EXPORT_KEEP_HOURS = 24
EXPORT_PROGRESS_EVERY = 1_000
EXPORT_FORMATS = ("csv", "xlsx")

Cell = str | int | float | Decimal | date | datetime | bool | None


def escape_cell(value: Cell) -> Cell:
    """A cell as it may go into a CSV or XLSX file: text starting with =, +, -, @ gets a leading ' so
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
