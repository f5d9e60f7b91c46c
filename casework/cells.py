"""A spreadsheet cell and what it means: text normalised (full-width → half-width), dates in every form
Japanese offices write them (2026/4/1, 2026年4月1日, 令和8年4月1日, R8.4.1, an Excel serial …), card
numbers. Pure functions over values; no model. Used by the import framework and the importers (issue 18).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Cell:
    """One cell as read: its value (text, number, date, bool or None) and what the reader says about it
    (a formula whose saved value was used, a merged range whose value was repeated …)."""

    value: str | int | float | bool | date | datetime | None
    note: str = ""

    def text(self) -> str:
        """The value as normalised text ("" when empty)."""
        return normalise_text(self.value)

    @property
    def empty(self) -> bool:
        return self.text() == ""


def normalise_text(value: object) -> str:
    """NFKC (full-width digits and letters to half-width), trimmed, inner runs of spaces to one space.

    A date or datetime gives its ISO date; a float that is a whole number gives no ".0".
    """
    raise NotImplementedError


def header_key(text: object) -> str:
    """A header name as compared with an importer's aliases: normalised, case-folded, without spaces and
    punctuation (・ _ - ( ) （ ） : ：), so "Date of birth", "date_of_birth" and "生年月日" each find theirs."""
    raise NotImplementedError


def parse_date(cell: Cell) -> date:
    """The date a cell holds, or ValueError with a message for the person who typed it."""
    raise NotImplementedError
