"""What a report returns: its figures, the chart's series and its table (columns + rows, for exports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One headline number (``value`` None: nothing to count yet, shown as a dash)."""

    key: str
    label: str
    value: float | int | None
    unit: str = ""


@dataclass(frozen=True)
class Bar:
    """One bar of the chart: a label, its value and the words its <title> says."""

    key: str
    label: str
    value: float
    text: str = ""


@dataclass(frozen=True)
class ReportResult:
    key: str
    title: str
    unit: str  # what the bars measure ("people", "%", "days")
    figures: list[Figure]
    bars: list[Bar]
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """The report as a table: column labels and rows (the data table on screen and the exports)."""
        return list(self.columns), [list(row) for row in self.rows]

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
