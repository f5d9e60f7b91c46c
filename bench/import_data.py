"""Made-up applicants as an organisation's intake sheet (issue 18): a UTF-8 CSV with Japanese headers and
令和 dates, generated in code for the bench and the import tests (no sample file is read).

Every row has a status of residence, its period and a residence card number. The periods are placed
around `today` so that reminders are due when they are imported: a third are 3-month stays (the short
ladder, whose first reminder is "on record") ending in about three weeks, a sixth are 3-month stays
that ended ten days ago (overdue), the rest 1-year stays ending in about two weeks (the long ladder,
several offsets already due). Names, card numbers and birth dates are unique within a file and carry
`prefix` in the card numbers (two letters), so two files of different prefixes never collide.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

HEADERS = (
    "氏名",
    "フリガナ",
    "生年月日",
    "性別",
    "国籍",
    "在留資格",
    "許可年月日",
    "在留期限",
    "在留カード番号",
)

# The status labels of the file and the Tobira kind each is mapped to on the mapping page.
STATUSES = {"特定活動（難民認定申請中）": "da_refugee_applicant", "定住者": "long_term_resident"}

# The mapping of the columns (field key → header), as the mapping page would confirm it.
COLUMNS = {
    "full_name": "氏名",
    "name_katakana": "フリガナ",
    "date_of_birth": "生年月日",
    "gender": "性別",
    "nationality": "国籍",
    "status": "在留資格",
    "period_start": "許可年月日",
    "card_expiry": "在留期限",
    "card_number": "在留カード番号",
}

_FAMILY = (
    ("グエン", "グエン"),
    ("チャン", "チャン"),
    ("ペレラ", "ペレラ"),
    ("シャルマ", "シャルマ"),
    ("サントス", "サントス"),
    ("アーメド", "アーメド"),
    ("カーン", "カーン"),
    ("タパ", "タパ"),
    ("ソー", "ソー"),
    ("ハッサン", "ハッサン"),
)
_GIVEN = ("アン", "ビン", "チー", "ダオ", "エム", "フォン", "ザン", "ハイ", "イム", "キエン", "ラン", "ミン")
_COUNTRIES = (
    "ベトナム",
    "スリランカ",
    "ネパール",
    "ミャンマー",
    "フィリピン",
    "バングラデシュ",
    "VN",
    "LK",
    "NP",
)
_GENDERS = ("男性", "女性", "男", "女", "")


def reiwa(day: date) -> str:
    """`令和8年4月1日` (令和元年 for 2019); dates before 令和 are not generated."""
    year = day.year - 2018
    return f"令和{'元' if year == 1 else year}年{day.month}月{day.day}日"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def period_for(number: int, today: date) -> tuple[str, date, date]:
    """(status label, start, end) of row `number` (0-based), placed so that reminders are due."""
    shape = number % 6
    if shape in (0, 1):  # a 3-month stay ending in about three weeks: "on record" and T-30 due
        end = today + timedelta(days=15 + number % 10)
        return "特定活動（難民認定申請中）", _add_months(end + timedelta(days=1), -3), end
    if shape == 2:  # a 3-month stay that ended ten days ago: overdue
        end = today - timedelta(days=10)
        return "特定活動（難民認定申請中）", _add_months(end + timedelta(days=1), -3), end
    end = today + timedelta(days=10 + number % 5)  # a 1-year stay: T-90 … T-14 due
    return "定住者", _add_months(end + timedelta(days=1), -12), end


def rows(count: int, *, today: date, prefix: str = "IB", seed: int = 18) -> list[list[str]]:
    rng = random.Random(seed)  # noqa: S311 - made-up birth dates, not secrets
    out = []
    for number in range(count):
        family, family_kana = _FAMILY[number % len(_FAMILY)]
        given = _GIVEN[(number // len(_FAMILY)) % len(_GIVEN)]
        # The number keeps every name unique (the duplicate check compares names and birth years).
        suffix = f"{number:06d}"
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 40 * 365))
        status, start, end = period_for(number, today)
        out.append(
            [
                f"{family}　{given}{suffix}",
                f"{family_kana} {given}",
                born.strftime("%Y/%m/%d") if number % 2 else f"{born.year}/{born.month}/{born.day}",
                _GENDERS[number % len(_GENDERS)],
                _COUNTRIES[number % len(_COUNTRIES)],
                status,
                reiwa(start),
                reiwa(end),
                f"{prefix}{number:08d}CD",
            ]
        )
    return out


def csv_bytes(count: int, *, today: date, prefix: str = "IB", seed: int = 18) -> bytes:
    """The sheet as Excel's "CSV UTF-8" saves it (with a byte order mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows(count, today=today, prefix=prefix, seed=seed))
    return buffer.getvalue().encode("utf-8-sig")
