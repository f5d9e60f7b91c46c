"""Cells as people type them into spreadsheets (casework/cells.py): text, header keys, dates in every
Western and Japanese form, numbers, yes/no, card numbers and choices — and a clear message for each
thing that cannot be read."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from casework.cells import (
    Cell,
    card_number,
    choice,
    excel_serial_date,
    header_key,
    normalise_text,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  abc  ", "abc"),
        ("ＡＢＣ１２３", "ABC123"),  # full-width letters and digits
        ("山田\u3000太郎", "山田 太郎"),  # ideographic space
        ("a \t\n  b", "a b"),
        ("ｶﾀｶﾅ", "カタカナ"),  # half-width katakana to full-width
        (46113.0, "46113"),
        (12.5, "12.5"),
        (7, "7"),
        (True, "TRUE"),
        (date(2026, 4, 1), "2026-04-01"),
        (datetime(2026, 4, 1, 9, 30), "2026-04-01"),
    ],
)
def test_normalise_text(value, expected):
    assert normalise_text(value) == expected


def test_cell_text_and_empty():
    assert Cell("　").empty
    assert Cell(None).empty
    assert not Cell(0).empty
    assert Cell("ＡＢ", note="x").text() == "AB"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Date of birth", "dateofbirth"),
        ("date_of_birth", "dateofbirth"),
        ("DATE-OF-BIRTH", "dateofbirth"),
        ("Date of birth:", "dateofbirth"),
        ("生年月日", "生年月日"),
        ("生年月日（西暦）", "生年月日西暦"),
        ("氏名・カナ", "氏名カナ"),
        ("在留期限：", "在留期限"),
        ("Card No.", "cardno"),
        ("ｶｰﾄﾞ番号", "カード番号"),
        ("start/end", "startend"),
        ("ＮＡＭＥ", "name"),
        (None, ""),
    ],
)
def test_header_key(header, expected):
    assert header_key(header) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 4, 1), date(2026, 4, 1)),
        (datetime(2026, 4, 1, 13, 5), date(2026, 4, 1)),
        ("2026/4/1", date(2026, 4, 1)),
        ("2026/04/01", date(2026, 4, 1)),
        ("2026-04-01", date(2026, 4, 1)),
        ("2026-04-01 00:00:00", date(2026, 4, 1)),
        ("2026-04-01T09:30", date(2026, 4, 1)),
        ("2026.4.1", date(2026, 4, 1)),
        ("20260401", date(2026, 4, 1)),
        ("2026年4月1日", date(2026, 4, 1)),
        ("2026年 4月 1日", date(2026, 4, 1)),
        ("2026年4月1日(水)", date(2026, 4, 1)),
        ("２０２６／４／１", date(2026, 4, 1)),  # full-width digits and slash
        ("２０２６年４月１日", date(2026, 4, 1)),
        ("  2026/4/1 ", date(2026, 4, 1)),
        # Excel serial numbers: values and digit-only text.
        (46113, date(2026, 4, 1)),
        (46113.0, date(2026, 4, 1)),
        (46113.75, date(2026, 4, 1)),  # the time of day is dropped
        ("46113", date(2026, 4, 1)),
        ("４６１１３", date(2026, 4, 1)),
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),  # after the 1900-02-29 that never was
        (25569, date(1970, 1, 1)),
        # Japanese eras: names, letters (either case), 元年, separators.
        ("令和8年4月1日", date(2026, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和 元年 5月 1日", date(2019, 5, 1)),
        ("令和８年４月１日", date(2026, 4, 1)),
        ("令8.4.1", date(2026, 4, 1)),
        ("R8.4.1", date(2026, 4, 1)),
        ("R8/4/1", date(2026, 4, 1)),
        ("R8-4-1", date(2026, 4, 1)),
        ("r8.4.1", date(2026, 4, 1)),
        ("Ｒ８．４．１", date(2026, 4, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("㋿8年4月1日", date(2026, 4, 1)),  # the one-character 令和
        ("H31.4.30", date(2019, 4, 30)),
        ("h31.4.30", date(2019, 4, 30)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("㍻元年1月8日", date(1989, 1, 8)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("S64.1.7", date(1989, 1, 7)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("S45.3.15", date(1970, 3, 15)),
        ("大正15年12月24日", date(1926, 12, 24)),
        ("T1.7.30", date(1912, 7, 30)),
        ("明治45年7月29日", date(1912, 7, 29)),
        ("M1.10.23", date(1868, 10, 23)),
        ("令和8年4月1日(水)", date(2026, 4, 1)),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(Cell(value)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026/2/30", "2026/2/30 is not a date in the calendar."),
        ("２０２６／２／３０", "2026/2/30 is not a date in the calendar."),
        ("2026年2月30日", "not a date in the calendar"),
        ("20261301", "not a date in the calendar"),
        ("2026-13-01", "not a date in the calendar"),
        ("2025/2/29", "not a date in the calendar"),  # not a leap year
        ("令和8年2月30日", "not a date in the calendar"),
        ("令和0年4月1日", "no year 0 of 令和"),
        ("R0.4.1", "no year 0 of 令和"),
        ("平成32年4月1日", "after 平成 ended (2019-04-30)"),
        ("H31.5.1", "after 平成 ended"),
        ("昭和65年1月1日", "after 昭和 ended"),
        ("令和1年4月30日", "before 令和 began (2019-05-01)"),
        ("令和元年4月30日", "before 令和 began"),
        ("M1.1.1", "before 明治 began"),
        ("26/4/1", "two-digit year"),
        ("26年4月1日", "two-digit year"),
        ("abc", "is not a date"),
        ("2026/4", "is not a date"),
        ("4月1日", "is not a date"),
        ("X8.4.1", "is not a date"),
        ("2026", "is not a date"),  # a year alone is not an Excel serial
        ("", "A date is needed"),
        (None, "A date is needed"),
        (60, "29 February 1900"),
        ("60.0", "is not a date"),
        (0, "is a number, not a date"),
        (-5, "is a number, not a date"),
        (10_000_000, "is a number, not a date"),
        ("99999999", "not a date in the calendar"),
        (True, "is not a date"),
    ],
)
def test_parse_date_errors(value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        parse_date(Cell(value))


def test_excel_serial_date_directly():
    assert excel_serial_date(45000) == date(2023, 3, 15)
    with pytest.raises(ValueError):
        excel_serial_date(60)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        ("１２", 12),
        ("1,200", 1200),
        ("１，２００", 1200),
        ("-3", -3),
        ("+4", 4),
        ("12.0", 12),
        ("1,234,567", 1234567),
    ],
)
def test_parse_int(value, expected):
    assert parse_int(Cell(value)) == expected


@pytest.mark.parametrize("value", ["12.5", 12.5, "abc", "1,20", "12,00,000", "", None, True, "1 200", ","])
def test_parse_int_errors(value):
    with pytest.raises(ValueError, match="whole number|A number is needed"):
        parse_int(Cell(value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, Decimal("12")),
        (12.5, Decimal("12.5")),
        ("1,200.75", Decimal("1200.75")),
        ("１２．５", Decimal("12.5")),
        ("-0.5", Decimal("-0.5")),
        (".5", Decimal("0.5")),
        ("1200", Decimal("1200")),
    ],
)
def test_parse_decimal(value, expected):
    assert parse_decimal(Cell(value)) == expected


@pytest.mark.parametrize("value", ["abc", "1.2.3", "1,20.5", "", None, False, ".", "-"])
def test_parse_decimal_errors(value):
    with pytest.raises(ValueError, match="is not a number|A number is needed"):
        parse_decimal(Cell(value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[
            (v, True)
            for v in [
                "はい",
                "有",
                "あり",
                "yes",
                "YES",
                "Ｙｅｓ",
                "y",
                "true",
                "TRUE",
                "1",
                "○",
                "◯",
                True,
                1,
            ]
        ],
        *[(v, False) for v in ["いいえ", "無", "なし", "no", "No", "n", "false", "0", "×", False, 0]],
    ],
)
def test_parse_bool(value, expected):
    assert parse_bool(Cell(value)) is expected


@pytest.mark.parametrize("value", ["maybe", "2", "", None, "△"])
def test_parse_bool_errors(value):
    with pytest.raises(ValueError, match="is not yes or no"):
        parse_bool(Cell(value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("AB12345678CD", "AB12345678CD"),
        ("ab12345678cd", "AB12345678CD"),
        ("ＡＢ１２３４５６７８ＣＤ", "AB12345678CD"),
        ("AB 1234 5678 CD", "AB12345678CD"),
        ("AB-12345678-CD", "AB12345678CD"),
        ("", ""),
        (None, ""),
        ("　", ""),
    ],
)
def test_card_number(value, expected):
    assert card_number(Cell(value)) == expected


@pytest.mark.parametrize("value", ["AB1234567CD", "A12345678CD", "AB12345678C1", "12345678", "ＡＢ１２３"])
def test_card_number_errors(value):
    with pytest.raises(ValueError, match="2 letters, 8 digits and 2 letters, for example AB12345678CD"):
        card_number(Cell(value))


STATUSES = {
    "技術・人文知識・国際業務": "engineer",
    "特定技能1号": "ssw1",
    "Specified Skilled Worker (i)": "ssw1",
    "永住者": "permanent",
    "留学": "student",
    "家族滞在": "dependent",
    "定住者": "long_term",
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("技術・人文知識・国際業務", "engineer"),
        ("技術 人文知識 国際業務", "engineer"),
        ("特定技能１号", "ssw1"),
        ("specified skilled worker(i)", "ssw1"),
        ("  永住者 ", "permanent"),
        ("student", "student"),  # the code itself
    ],
)
def test_choice(value, expected):
    assert choice(Cell(value), STATUSES) == expected


def test_choice_errors_list_a_few_accepted_values():
    with pytest.raises(ValueError) as raised:
        choice(Cell("特定活動"), STATUSES)
    message = str(raised.value)
    assert "特定活動" in message
    assert "技術・人文知識・国際業務" in message and "…" in message
    with pytest.raises(ValueError, match="A value is needed here"):
        choice(Cell(""), {"はい": "yes"})
