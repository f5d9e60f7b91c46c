"""A spreadsheet cell and what it means: text normalised (full-width → half-width), dates in every form
Japanese offices write them (2026/4/1, 2026年4月1日, 令和8年4月1日, R8.4.1, an Excel serial …), card
numbers. Pure functions over values; no model. Used by the import framework and the importers (issue 18).

Every ValueError carries a message for the person who typed the cell: what is wrong, what is expected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from casework import names


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


_SPACES = re.compile(r"\s+")


def normalise_text(value: object) -> str:
    """NFKC (full-width digits and letters to half-width), trimmed, inner runs of spaces to one space.

    A date or datetime gives its ISO date; a float that is a whole number gives no ".0".
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub(" ", text).strip()


def _is_ignored_in_keys(char: str) -> bool:
    # Punctuation (・ _ - ( ) : / . …) and separators; NFKC has already made （ ） ： half-width.
    return unicodedata.category(char)[0] in "PZ" or char.isspace()


def header_key(text: object) -> str:
    """A header name as compared with an importer's aliases: normalised, case-folded, without spaces and
    punctuation (・ _ - ( ) （ ） : ：), so "Date of birth", "date_of_birth" and "生年月日" each find theirs."""
    return "".join(c for c in normalise_text(text).casefold() if not _is_ignored_in_keys(c))


# --- Dates -------------------------------------------------------------------------------------------

# (name, one-letter abbreviation, one-kanji abbreviation, first day, last day or None)
ERAS: tuple[tuple[str, str, str, date, date | None], ...] = (
    ("明治", "M", "明", date(1868, 10, 23), date(1912, 7, 29)),
    ("大正", "T", "大", date(1912, 7, 30), date(1926, 12, 24)),
    ("昭和", "S", "昭", date(1926, 12, 25), date(1989, 1, 7)),
    ("平成", "H", "平", date(1989, 1, 8), date(2019, 4, 30)),
    ("令和", "R", "令", date(2019, 5, 1), None),
)
_ERA_BY_SPELLING = {spelling: era for era in ERAS for spelling in (era[0], era[1], era[2])}

# Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 the 1900-02-29 that never was (a bug
# kept from Lotus 1-2-3), so from serial 61 on the days count from 1899-12-30.
SERIAL_MIN = 1
SERIAL_MAX = 109_573  # 2199-12-31: a larger number in a date column is not a date
_SERIAL_LEAP_BUG = 60

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_WEEKDAY = r"(?:\([月火水木金土日]\)|\((?:mon|tue|wed|thu|fri|sat|sun)\))?"
_WESTERN = re.compile(rf"^(\d{{4}})([/\-.])(\d{{1,2}})\2(\d{{1,2}}){_WEEKDAY}{_TIME}$", re.IGNORECASE)
_WESTERN_KANJI = re.compile(rf"^(\d{{4}})年(\d{{1,2}})月(\d{{1,2}})日?{_WEEKDAY}$", re.IGNORECASE)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}(?:[/\-.]\d{1,2}[/\-.]\d{1,2}|年\d{1,2}月\d{1,2}日?)$")
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.\d+)?$")
_ERA_SPELLINGS = "|".join(sorted(_ERA_BY_SPELLING, key=len, reverse=True))
_JAPANESE = re.compile(
    rf"^(?P<era>{_ERA_SPELLINGS})(?P<year>\d{{1,2}}|元)"
    r"(?:年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日?|(?P<sep>[/\-.])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2}))"
    rf"{_WEEKDAY}$",
    re.IGNORECASE,
)


def _calendar_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(_("%(text)s is not a date in the calendar.") % {"text": text}) from None


def excel_serial_date(serial: int | float, text: str = "") -> date:
    """The day an Excel serial number (1900 date system) stands for; the time of day is dropped."""
    whole = int(serial)
    shown = text or str(whole)
    if whole == _SERIAL_LEAP_BUG:
        raise ValueError(
            _("%(text)s is Excel's 29 February 1900, a day that did not exist. Enter the date itself.")
            % {"text": shown}
        )
    if not SERIAL_MIN <= whole <= SERIAL_MAX:
        raise ValueError(
            _("%(text)s is a number, not a date. Write the date as 2026/4/1 or 2026年4月1日.")
            % {"text": shown}
        )
    if whole < _SERIAL_LEAP_BUG:
        return date(1899, 12, 31) + timedelta(days=whole)
    return date(1899, 12, 30) + timedelta(days=whole)


def _era_date(match: re.Match[str], text: str) -> date:
    name, _letter, _kanji, first, last = _ERA_BY_SPELLING[
        match["era"] if match["era"] in _ERA_BY_SPELLING else match["era"].upper()
    ]
    year = 1 if match["year"] == "元" else int(match["year"])
    if year == 0:
        raise ValueError(
            _("%(text)s: there is no year 0 of %(era)s; its first year is %(era)s元年 (year 1).")
            % {"text": text, "era": name}
        )
    month = int(match["m1"] or match["m2"])
    day = int(match["d1"] or match["d2"])
    result = _calendar_date(first.year + year - 1, month, day, text)
    if result < first:
        raise ValueError(
            _("%(text)s is before %(era)s began (%(first)s). Check the era or the year.")
            % {"text": text, "era": name, "first": first.isoformat()}
        )
    if last is not None and result > last:
        raise ValueError(
            _("%(text)s is after %(era)s ended (%(last)s): that day is %(date)s. Check the era or the year.")
            % {"text": text, "era": name, "last": last.isoformat(), "date": result.isoformat()}
        )
    return result


def parse_date(cell: Cell) -> date:
    """The date a cell holds, or ValueError with a message for the person who typed it.

    Accepts date and datetime values, Excel serial numbers (numbers from 1 to 109573, and five-digit
    text), 2026/4/1, 2026-04-01, 2026.4.1, 20260401, 2026年4月1日, and Japanese eras by name or letter
    (令和8年4月1日, 令和元年5月1日, R8.4.1, R8/4/1, h31.4.30), full-width or not. Two-digit Western years
    are refused: 26/4/1 could be 1926 or 2026.
    """
    value = cell.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return excel_serial_date(value, cell.text())
    text = cell.text()
    if not text:
        raise ValueError(_("A date is needed here, for example 2026/4/1."))
    compact = text.replace(" ", "")  # 令和 8年 4月 1日
    if match := _WESTERN.match(text):
        return _calendar_date(int(match[1]), int(match[3]), int(match[4]), text)
    if match := _WESTERN_KANJI.match(compact):
        return _calendar_date(int(match[1]), int(match[2]), int(match[3]), text)
    if match := _JAPANESE.match(compact):
        return _era_date(match, text)
    if match := _COMPACT.match(text):
        return _calendar_date(int(match[1]), int(match[2]), int(match[3]), text)
    if _SERIAL_TEXT.match(text):
        return excel_serial_date(float(text), text)
    if _TWO_DIGIT_YEAR.match(compact):
        raise ValueError(
            _("%(text)s has a two-digit year, which could be 19xx or 20xx. Write the year in full: 2026/4/1.")
            % {"text": text}
        )
    raise ValueError(
        _("“%(text)s” is not a date Tobira can read. Write it as 2026/4/1, 2026年4月1日 or 令和8年4月1日.")
        % {"text": text}
    )


# --- Numbers, yes/no, card numbers, choices ----------------------------------------------------------

_INTEGER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)$")
_DECIMAL = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


def parse_int(cell: Cell) -> int:
    """A whole number: 12, 1,200, １２ or an Excel number without a fraction."""
    value = cell.value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell.text()
    if not text:
        raise ValueError(_("A number is needed here, for example 12 or 1,200."))
    if _INTEGER.match(text):
        return int(text.replace(",", ""))
    if _DECIMAL.match(text) and any(c.isdigit() for c in text):
        number = Decimal(text.replace(",", ""))
        if number == number.to_integral_value():
            return int(number)
    raise ValueError(_("“%(text)s” is not a whole number. Write it as 12 or 1,200.") % {"text": text})


def parse_decimal(cell: Cell) -> Decimal:
    """A number with or without a fraction: 12.5, 1,200.75, -3, or an Excel number."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    text = cell.text()
    if not text:
        raise ValueError(_("A number is needed here, for example 12.5 or 1,200."))
    if _DECIMAL.match(text) and any(c.isdigit() for c in text):
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            pass
    raise ValueError(_("“%(text)s” is not a number. Write it as 12.5 or 1,200.") % {"text": text})


_TRUE = frozenset({"はい", "有", "有り", "あり", "yes", "y", "true", "1", "○", "◯", "〇", "✓", "✔"})
_FALSE = frozenset({"いいえ", "無", "無し", "なし", "no", "n", "false", "0", "×", "✕", "✗", "-"})


def parse_bool(cell: Cell) -> bool:
    """Yes or no: はい/いいえ, 有/無, yes/no, y/n, true/false, 1/0, ○/×."""
    value = cell.value
    if isinstance(value, bool):
        return value
    text = cell.text().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(
        _("“%(text)s” is not yes or no. Write はい or いいえ, yes or no, ○ or ×.") % {"text": cell.text()}
    )


def card_number(cell: Cell) -> str:
    """A residence card number normalised (half-width, upper case, no spaces or hyphens); "" when empty."""
    normalised = names.normalise_card_number(cell.text())
    if normalised and not names.is_valid_card_number(normalised):
        raise ValueError(
            _("A residence card number is 2 letters, 8 digits and 2 letters, for example AB12345678CD.")
        )
    return normalised


def choice(cell: Cell, table: dict[str, str]) -> str:
    """The code whose label (or the code itself) the cell names, compared as header keys (case, width,
    spaces and punctuation ignored). ValueError naming a few accepted labels otherwise."""
    key = header_key(cell.text())
    if key:
        for label, code in table.items():
            if header_key(label) == key:
                return code
        for code in table.values():
            if header_key(code) == key:
                return code
    labels = list(table)
    shown = ", ".join(labels[:5]) + (", …" if len(labels) > 5 else "")
    if not key:
        raise ValueError(_("A value is needed here, one of: %(values)s.") % {"values": shown})
    raise ValueError(
        _("“%(text)s” is not one of the accepted values: %(values)s.")
        % {"text": cell.text(), "values": shown}
    )
