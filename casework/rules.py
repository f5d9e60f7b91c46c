"""The legal-status rules table: the only place Tobira's legal numbers and reminder offsets live.

Sources: DOMAIN.md §1 (kinds of status), §2 (procedure), §3 (renewal, special period), §5 (offsets).
Values marked uncertain there are kept here as data, so an administrator-facing override can
replace them without touching code. Offsets are signed days relative to the deadline date
(-30 is T-30, +30 is deadline + 30); ON_RECORD fires when the record is saved.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from django.utils.translation import get_language

ON_RECORD = "on_record"


@dataclass(frozen=True)
class StatusKindRule:
    code: str
    label_en: str
    label_ja: str
    grants_work: bool  # works by itself, without an explicit WorkPermission row
    special_period_applies: bool  # 特例期間: a renewal filed in time extends lawful stay
    usual_period_months: tuple[int, ...]
    is_status_of_residence: bool
    # Reminder offsets for a period of 6 months or more, and for a shorter one.
    offsets_long: tuple[int | str, ...]
    offsets_short: tuple[int | str, ...]
    may_be_indefinite: bool = False

    @property
    def label(self) -> str:
        return self.label_ja if (get_language() or "en").startswith("ja") else self.label_en

    def offsets_for(self, period_months: int | None) -> tuple[int | str, ...]:
        if period_months is not None and period_months >= LONG_STAY_MONTHS:
            return self.offsets_long
        return self.offsets_short


# A stay of this many months or more: renewal opens RENEWAL_LEAD_MONTHS before the end, and the
# long reminder ladder applies (DOMAIN.md §3, §5).
LONG_STAY_MONTHS = 6
RENEWAL_LEAD_MONTHS = 3
SPECIAL_PERIOD_MONTHS = 2

_LONG = (-90, -60, -30, -14, -7)
_SHORT = (ON_RECORD, -30, -14, -7)

STATUS_KINDS: dict[str, StatusKindRule] = {
    rule.code: rule
    for rule in (
        StatusKindRule(
            "da_refugee_applicant",
            "Designated Activities (refugee applicant)",
            "特定活動（難民認定申請中）",
            grants_work=False,  # depends on the designation sheet: recorded as a WorkPermission
            special_period_applies=True,
            usual_period_months=(2, 3, 6),
            is_status_of_residence=True,
            offsets_long=_LONG,
            offsets_short=_SHORT,
        ),
        StatusKindRule(
            "da_humanitarian",
            "Designated Activities (humanitarian)",
            "特定活動（人道配慮）",
            grants_work=False,  # uncertain: read the designation sheet; recorded as a WorkPermission
            special_period_applies=True,
            usual_period_months=(12,),
            is_status_of_residence=True,
            offsets_long=_LONG,
            offsets_short=_SHORT,
        ),
        StatusKindRule(
            "da_evacuee",
            "Designated Activities (evacuee)",
            "特定活動（避難民）",
            grants_work=True,
            special_period_applies=True,
            usual_period_months=(12,),
            is_status_of_residence=True,
            offsets_long=_LONG,
            offsets_short=_SHORT,
        ),
        StatusKindRule(
            "long_term_resident",
            "Long-Term Resident",
            "定住者",
            grants_work=True,
            special_period_applies=True,
            usual_period_months=(6, 12, 36, 60),
            is_status_of_residence=True,
            offsets_long=_LONG,
            offsets_short=_SHORT,
        ),
        StatusKindRule(
            "provisional_stay",
            "Provisional stay permission",
            "仮滞在許可",
            grants_work=False,
            special_period_applies=False,
            usual_period_months=(3, 6),
            is_status_of_residence=False,
            offsets_long=_LONG,
            offsets_short=_SHORT,
        ),
        StatusKindRule(
            "provisional_release",
            "Provisional release",
            "仮放免",
            grants_work=False,
            special_period_applies=False,
            usual_period_months=(1, 2, 3),
            is_status_of_residence=False,
            # The extension is asked for in person, in advance (DOMAIN.md §5).
            offsets_long=(-14, -7),
            offsets_short=(-14, -7),
        ),
        StatusKindRule(
            "supervisory_measures",
            "Supervisory measures",
            "監理措置",
            grants_work=False,  # only with a separate work permit, recorded as a WorkPermission
            special_period_applies=False,
            usual_period_months=(),
            is_status_of_residence=False,
            offsets_long=(-30, -14, -7),
            offsets_short=(-14, -7),
        ),
        StatusKindRule(
            "other",
            "Other status",
            "その他の在留資格",
            grants_work=False,  # per period: LegalStatusPeriod.other_grants_work
            special_period_applies=True,
            usual_period_months=(),
            is_status_of_residence=True,
            offsets_long=_LONG,
            offsets_short=_SHORT,
            may_be_indefinite=True,
        ),
    )
}

STATUS_KIND_CHOICES = [(code, rule.label_en) for code, rule in STATUS_KINDS.items()]

# Kinds whose periods grant work by themselves (other: per period).
WORK_GRANTING_KINDS = frozenset(code for code, rule in STATUS_KINDS.items() if rule.grants_work)
SPECIAL_PERIOD_KINDS = frozenset(code for code, rule in STATUS_KINDS.items() if rule.special_period_applies)

# Work inside the special period (DOMAIN.md §3; DESIGN.md, WorkPermission) — **uncertain**. While a
# period whose kind has a special period is extended by a renewal filed before its end, Tobira holds that
# the work the kind grants by itself continues, and so do the designation-sheet and outside-status
# permissions tied to that period (in force on its last day): both are part of the status being renewed.
# A supervisory-measures work permit is a decision of its own and never extends. Change these two values
# (not code elsewhere) when the Immigration Services Agency's reading is confirmed otherwise.
WORK_CONTINUES_IN_SPECIAL_PERIOD = True
PERMISSION_BASES_EXTENDED_BY_SPECIAL_PERIOD = frozenset({"designation_sheet", "outside_status"})

# Refugee procedure (DOMAIN.md §2, §5).
APPEAL_WINDOW_DAYS = 7  # request for examination within 7 days of receiving the refusal
APPEAL_OFFSETS: tuple[int | str, ...] = (ON_RECORD, -4, -2)  # at once, day 3 and day 5 of 7
TRIAGE_CHECK_MONTHS = 2
D2_WORK_CHECK_MONTHS = 6
GROUNDS_REQUIRED_FROM_ORDINAL = 3  # since 10 June 2024, a 3rd+ application needs reasonable grounds
RENEWAL_PENDING_OFFSETS: tuple[int | str, ...] = (30, 45)  # after the end, while the decision is pending
REPORTING_OFFSETS: tuple[int | str, ...] = (-14, -3)
WORK_PERMISSION_OFFSETS: tuple[int | str, ...] = (-30, -7)
CONSENT_EXPIRY_OFFSETS: tuple[int | str, ...] = (-30,)
TRIAGE_CHECK_OFFSETS: tuple[int | str, ...] = (0,)  # check-ins: on the day; they end when acknowledged
D2_WORK_CHECK_OFFSETS: tuple[int | str, ...] = (0,)
# A reminder at this offset or nearer (or overdue) escalates to the team's supervisors when it is
# still unacknowledged this many hours after delivery; snooze pauses that, never past T-1.
ESCALATE_FROM_OFFSET = -7
ESCALATE_AFTER_HOURS = 24

# Plausibility limits for entered dates.
PERIOD_START_MAX_YEARS_AGO = 30
PERIOD_START_MAX_YEARS_AHEAD = 2
PERIOD_MAX_LENGTH_YEARS = 10  # the longest period of stay granted is 5 years; 10 catches typos
MAX_AGE_YEARS = 120


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def estimated_period_start(kind: str, end: date, *, today: date) -> date:
    """A period's first day when only its end is known (an intake sheet's 在留期限): the status's longest
    usual length, at most a year, back from the end — never after today nor after the end."""
    months = min(max(status_kind(kind).usual_period_months or (12,)), 12)
    return min(add_months(end, -months) + timedelta(days=1), today, end)


def latest_day_whose_months_later_is_on_or_before(limit: date, months: int) -> date:
    """The greatest d with add_months(d, months) <= limit (add_months is monotone, so this is exact).

    Lets a database filter "end + 2 months <= X" become "end <= this", without month arithmetic in SQL.
    """
    candidate = add_months(limit, -months)
    while add_months(candidate + timedelta(days=1), months) <= limit:
        candidate += timedelta(days=1)
    while add_months(candidate, months) > limit:
        candidate -= timedelta(days=1)
    return candidate


def months_between(start: date, end: date) -> int:
    """Whole months from start to the day after end (an inclusive period of 6 months is 6)."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + (after.month - start.month)
    if after.day < start.day:
        months -= 1
    return max(months, 0)


def status_kind(code: str) -> StatusKindRule:
    return STATUS_KINDS[code]


def lawful_stay_until(
    *, kind: str, end: date | None, renewal_filed_on: date | None, renewal_decided_on: date | None
) -> date | None:
    """The last day of lawful stay: the end, or within the special period the decision or end + 2 months."""
    if end is None:
        return None
    if kind in SPECIAL_PERIOD_KINDS and renewal_filed_on is not None and renewal_filed_on <= end:
        limit = add_months(end, SPECIAL_PERIOD_MONTHS)
        if renewal_decided_on is not None and renewal_decided_on > end:
            return min(renewal_decided_on, limit)
        if renewal_decided_on is None:
            return limit
    return end


class PeriodDates(Protocol):
    """What the rules read of a status period (a LegalStatusPeriod, or any row with these attributes)."""

    status_kind: str
    start_date: date
    end_date: date | None
    renewal_filed_on: date | None
    renewal_decided_on: date | None


def lawful_stay_until_chain(current: PeriodDates, later: Iterable[PeriodDates]) -> date | None:
    """The last day of lawful stay from the current period on, None when it has no end.

    A later period that starts by the day after the current one's lawful end continues it: an extension
    recorded ahead of time (a provisional release extended, a renewal granted and entered as the next
    period) keeps the person lawfully here until the end of the chain, not the end of the period that
    happens to cover today.
    """
    until = lawful_stay_until(
        kind=current.status_kind,
        end=current.end_date,
        renewal_filed_on=current.renewal_filed_on,
        renewal_decided_on=current.renewal_decided_on,
    )
    for period in sorted(later, key=lambda row: row.start_date):
        if until is None or period.start_date > until + timedelta(days=1):
            break
        following = lawful_stay_until(
            kind=period.status_kind,
            end=period.end_date,
            renewal_filed_on=period.renewal_filed_on,
            renewal_decided_on=period.renewal_decided_on,
        )
        until = None if following is None else max(until, following)
    return until


def in_special_period(
    *, kind: str, end: date | None, renewal_filed_on: date | None, renewal_decided_on: date | None, day: date
) -> bool:
    """Is `day` past the period's end but still lawful through its special period (renewal filed in time)?"""
    if end is None or day <= end:
        return False
    until = lawful_stay_until(
        kind=kind, end=end, renewal_filed_on=renewal_filed_on, renewal_decided_on=renewal_decided_on
    )
    return until is not None and day <= until


def renewal_window_opens(*, start: date, end: date | None) -> date | None:
    """When an extension may be applied for: 3 months before the end for stays of 6 months or more."""
    if end is None:
        return None
    if months_between(start, end) >= LONG_STAY_MONTHS:
        return max(add_months(end, -RENEWAL_LEAD_MONTHS), start)
    return start


def appeal_deadline(refusal_notice_received_on: date) -> date:
    return refusal_notice_received_on + timedelta(days=APPEAL_WINDOW_DAYS)


# --- Prefectures (JIS X 0401 codes) --------------------------------------------------------------------
# Where a person can commute to (their availability), where a job is (jobs: the workplace's prefecture
# sets the minimum wage, DOMAIN.md §9). Codes are the two-digit JIS X 0401 numbers, stable and short.


@dataclass(frozen=True)
class Prefecture:
    code: str
    label_en: str
    label_ja: str

    @property
    def label(self) -> str:
        return self.label_ja if (get_language() or "en").startswith("ja") else self.label_en


PREFECTURES: tuple[Prefecture, ...] = tuple(
    Prefecture(f"{number:02d}", en, ja)
    for number, (en, ja) in enumerate(
        (
            ("Hokkaido", "北海道"),
            ("Aomori", "青森県"),
            ("Iwate", "岩手県"),
            ("Miyagi", "宮城県"),
            ("Akita", "秋田県"),
            ("Yamagata", "山形県"),
            ("Fukushima", "福島県"),
            ("Ibaraki", "茨城県"),
            ("Tochigi", "栃木県"),
            ("Gunma", "群馬県"),
            ("Saitama", "埼玉県"),
            ("Chiba", "千葉県"),
            ("Tokyo", "東京都"),
            ("Kanagawa", "神奈川県"),
            ("Niigata", "新潟県"),
            ("Toyama", "富山県"),
            ("Ishikawa", "石川県"),
            ("Fukui", "福井県"),
            ("Yamanashi", "山梨県"),
            ("Nagano", "長野県"),
            ("Gifu", "岐阜県"),
            ("Shizuoka", "静岡県"),
            ("Aichi", "愛知県"),
            ("Mie", "三重県"),
            ("Shiga", "滋賀県"),
            ("Kyoto", "京都府"),
            ("Osaka", "大阪府"),
            ("Hyogo", "兵庫県"),
            ("Nara", "奈良県"),
            ("Wakayama", "和歌山県"),
            ("Tottori", "鳥取県"),
            ("Shimane", "島根県"),
            ("Okayama", "岡山県"),
            ("Hiroshima", "広島県"),
            ("Yamaguchi", "山口県"),
            ("Tokushima", "徳島県"),
            ("Kagawa", "香川県"),
            ("Ehime", "愛媛県"),
            ("Kochi", "高知県"),
            ("Fukuoka", "福岡県"),
            ("Saga", "佐賀県"),
            ("Nagasaki", "長崎県"),
            ("Kumamoto", "熊本県"),
            ("Oita", "大分県"),
            ("Miyazaki", "宮崎県"),
            ("Kagoshima", "鹿児島県"),
            ("Okinawa", "沖縄県"),
        ),
        start=1,
    )
)
PREFECTURE_BY_CODE: dict[str, Prefecture] = {prefecture.code: prefecture for prefecture in PREFECTURES}


def prefecture_choices() -> list[tuple[str, str]]:
    """(code, label) in the active language, north to south: a form's or a filter's choices."""
    return [(prefecture.code, prefecture.label) for prefecture in PREFECTURES]


def prefecture_by_name(name: str) -> Prefecture | None:
    """A prefecture from its code, its English name or its Japanese name (with or without 都/道/府/県)."""
    text = (name or "").strip()
    if text in PREFECTURE_BY_CODE:
        return PREFECTURE_BY_CODE[text]
    folded = text.lower()
    for prefecture in PREFECTURES:
        short = prefecture.label_ja[:-1] if prefecture.label_ja[-1] in "都府県" else prefecture.label_ja
        if folded == prefecture.label_en.lower() or text in (prefecture.label_ja, short):
            return prefecture
    return None
