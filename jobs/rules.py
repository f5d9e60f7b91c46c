"""The jobs rules table: the minimum-wage check, employment insurance, notification deadlines, follow-ups,
and the referral stages. Pure functions over plain values: no model is imported here (the layout
contract); selectors look up the rows and pass them in.

Sources: DOMAIN.md §9 (what an employer must do; the dated minimum-wage table; the notification
deadlines), DESIGN.md (jobs, Matching).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from casework.rules import add_months

# --- Wages -----------------------------------------------------------------------------------------------

HOURLY, DAILY, MONTHLY = "hourly", "daily", "monthly"
WEEKS_A_YEAR = Decimal(52)
MONTHS_A_YEAR = Decimal(12)


def hourly_equivalent(
    *, wage: int, unit: str, daily_hours: Decimal | None, weekly_hours: Decimal | None
) -> Decimal:
    """The base wage as yen an hour: an hourly wage as it is, a daily wage divided by the daily hours, a
    monthly wage divided by (weekly hours × 52 ÷ 12). Only the base wage counts (not commuting, family or
    attendance allowances, overtime or bonuses): the caller passes the base wage alone.

    Raises ValueError when the hours that the unit needs are missing or zero.
    """
    amount = Decimal(wage)
    if unit == HOURLY:
        return amount
    if unit == DAILY:
        if not daily_hours or daily_hours <= 0:
            raise ValueError("daily_hours")
        return amount / Decimal(daily_hours)
    if unit == MONTHLY:
        if not weekly_hours or weekly_hours <= 0:
            raise ValueError("hours_per_week")
        return amount / (Decimal(weekly_hours) * WEEKS_A_YEAR / MONTHS_A_YEAR)
    raise ValueError("wage_unit")


@dataclass(frozen=True)
class WageRate:
    """One row of the minimum-wage table, as the selectors pass it in."""

    prefecture: str
    yen_per_hour: int
    effective_from: date
    approximate: bool = False


def fiscal_year(day: date) -> int:
    """Japan's fiscal year (April to March): 2025 for any day from 2025-04-01 to 2026-03-31."""
    return day.year if day.month >= 4 else day.year - 1


def minimum_on(rates: Iterable[WageRate], *, prefecture: str, day: date) -> WageRate | None:
    """The prefecture's rate in force on `day`: the latest row effective on or before it."""
    found = [rate for rate in rates if rate.prefecture == prefecture and rate.effective_from <= day]
    return max(found, key=lambda rate: rate.effective_from, default=None)


@dataclass(frozen=True)
class WageCheck:
    hourly: Decimal  # the base wage as yen an hour, rounded down to the yen
    minimum: WageRate | None  # the rate in force on the start date (None: the table has no row)
    below: bool  # refused: the wage is below that rate
    new_rate_missing: bool  # warn: an autumn start with no row yet for that fiscal year


def wage_check(
    *,
    rates: Iterable[WageRate],
    prefecture: str,
    start: date,
    wage: int,
    unit: str,
    daily_hours: Decimal | None,
    weekly_hours: Decimal | None,
) -> WageCheck:
    """The minimum-wage check of DOMAIN.md §9 for a workplace's prefecture on the start date."""
    rows = [rate for rate in rates if rate.prefecture == prefecture]
    hourly = hourly_equivalent(wage=wage, unit=unit, daily_hours=daily_hours, weekly_hours=weekly_hours)
    hourly = hourly.quantize(Decimal(1), rounding=ROUND_FLOOR)
    minimum = minimum_on(rows, prefecture=prefecture, day=start)
    # New rates take effect from 1 October (some prefectures later, up to the next March): a start on or
    # after 1 October of a fiscal year whose row is not entered yet is checked against last year's rate.
    autumn = date(fiscal_year(start), 10, 1)
    missing = start >= autumn and not any(
        fiscal_year(rate.effective_from) == fiscal_year(start) for rate in rows
    )
    return WageCheck(hourly, minimum, minimum is not None and hourly < minimum.yen_per_hour, missing)


# --- Employment insurance (雇用保険) ------------------------------------------------------------------

# (effective from, weekly hours from which a worker is covered): the 2024 amendment lowers 20 to 10
# hours a week from 2028-10-01 (DOMAIN.md §9). Both kept, dated.
INSURANCE_HOURS_THRESHOLDS: tuple[tuple[date, Decimal], ...] = (
    (date(1900, 1, 1), Decimal(20)),
    (date(2028, 10, 1), Decimal(10)),
)
INSURANCE_MIN_DAYS = 31  # expected to work at least 31 days


def insurance_hours_threshold(on: date) -> Decimal:
    return [hours for since, hours in INSURANCE_HOURS_THRESHOLDS if since <= on][-1]


def employment_insurance_covered(*, start: date, contract_end: date | None, weekly_hours: Decimal) -> bool:
    """Covered when the weekly hours reach the threshold in force on the start date and the job is
    expected to last at least 31 days (no end date: open-ended)."""
    lasts = contract_end is None or (contract_end - start).days + 1 >= INSURANCE_MIN_DAYS
    return lasts and Decimal(weekly_hours) >= insurance_hours_threshold(start)


# --- The foreign employment status notification (外国人雇用状況の届出) ------------------------------------


def _last_day_of_next_month(day: date) -> date:
    following = add_months(date(day.year, day.month, 1), 1)
    return date(following.year, following.month, calendar.monthrange(following.year, following.month)[1])


def hire_notification_due(*, start: date, insured: bool) -> date:
    """By the 10th of the month after the month of hire (insured), else by the last day of that month."""
    if insured:
        following = add_months(date(start.year, start.month, 1), 1)
        return date(following.year, following.month, 10)
    return _last_day_of_next_month(start)


def leaving_notification_due(*, left_on: date, insured: bool) -> date:
    """Within 10 days counted from the day after leaving (insured), else by the last day of the month
    after the month of leaving."""
    if insured:
        return left_on + timedelta(days=10)
    return _last_day_of_next_month(left_on)


NOTIFICATION_OFFSETS: tuple[int | str, ...] = (-7, 0)  # a week before, and on the day

# --- Follow-ups -----------------------------------------------------------------------------------------

FOLLOW_UP_MONTHS: tuple[int, ...] = (1, 3, 6, 12)
FOLLOW_UP_OFFSETS: tuple[int | str, ...] = (-7, 0)
FOLLOW_UP_OVERDUE_DAYS = 14  # a follow-up is overdue 14 days after its due date


def follow_up_dates(start: date) -> list[tuple[int, date]]:
    """(month, due date) for each follow-up of a placement that starts on `start`."""
    return [(months, add_months(start, months)) for months in FOLLOW_UP_MONTHS]


# The employer confirms a follow-up from the portal once it is this close to its due date (the portal
# home lists it as "to confirm" from then on); earlier, "still employed?" would be a guess.
FOLLOW_UP_CONFIRM_AHEAD_DAYS = 30
# A placed worker's "may work until" date: the employer is told this many days before it.
MAY_WORK_UNTIL_NOTICE_DAYS = 30


def follow_up_confirmable_from(due_on: date) -> date:
    return due_on - timedelta(days=FOLLOW_UP_CONFIRM_AHEAD_DAYS)


# --- Outcomes (the partner impact page, the outcome reports) --------------------------------------------

# Retention is reported at these follow-up months (each must be one of FOLLOW_UP_MONTHS: the follow-up's
# due date is the mark).
RETENTION_MONTHS: tuple[int, ...] = (3, 6, 12)
# A figure with fewer placements than this behind it is not shown to an employer ("not shown: fewer than
# 5 placements"): small numbers say little and come close to describing single people.
MIN_PLACEMENTS_SHOWN = 5


def figure_shown(placements_behind: int) -> bool:
    """Whether an employer may see a figure that this many placements stand behind."""
    return placements_behind >= MIN_PLACEMENTS_SHOWN


def programme_shown(other_placements_behind: int, other_employers: int) -> bool:
    """Whether an employer may see the programme's figure beside its own: the other employers' part of it
    (the programme's less its own, which a subtraction gives) needs as many placements behind it as any
    figure, from two employers or more (else it is one other employer's figure)."""
    return figure_shown(other_placements_behind) and other_employers >= 2


# --- Referral stages ------------------------------------------------------------------------------------

PROPOSED = "proposed"
CONSENT_RECORDED = "consent_recorded"
SHARED = "shared"
INTERVIEW = "interview"
OFFER = "offer"
HIRE_REPORTED = "hire_reported"
HIRED = "hired"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

# The forward path, in order. Rejected and withdrawn end a referral from any open stage; hired is reached
# only by confirming a reported hire.
PIPELINE: tuple[str, ...] = (PROPOSED, CONSENT_RECORDED, SHARED, INTERVIEW, OFFER, HIRE_REPORTED, HIRED)
ENDED: tuple[str, ...] = (REJECTED, WITHDRAWN)
CLOSED_STAGES: frozenset[str] = frozenset({HIRED, REJECTED, WITHDRAWN})
OPEN_STAGES: tuple[str, ...] = PIPELINE[:-1]
# From "shared" on, the employer sees the person's packet: reaching it needs a current consent.
NEEDS_CONSENT: frozenset[str] = frozenset({SHARED, INTERVIEW, OFFER, HIRE_REPORTED, HIRED})


def stage_index(stage: str) -> int:
    return PIPELINE.index(stage) if stage in PIPELINE else len(PIPELINE)


@dataclass(frozen=True)
class Move:
    allowed: bool
    backwards: bool = False
    reason_required: bool = False
    why: str = ""  # a code the service turns into a message


def stage_move(*, current: str, target: str) -> Move:
    """Whether a referral may go from `current` to `target`, before who asks is considered.

    Forward along the pipeline (stages may be skipped, but never past a reported hire: a hire is
    confirmed, not moved to); to rejected or withdrawn from any open stage, with a reason; backwards
    only from an open stage to an earlier one (the service lets only a supervisor do it, with a reason).
    Closed referrals do not move.
    """
    if current == target:
        return Move(False, why="same")
    if current in CLOSED_STAGES:
        return Move(False, why="closed")
    if target == HIRED:
        return Move(False, why="confirm")
    if target in ENDED:
        return Move(True, reason_required=True)
    if target not in PIPELINE:
        return Move(False, why="unknown")
    if stage_index(target) < stage_index(current):
        return Move(True, backwards=True, reason_required=True)
    return Move(True)


def employer_ref(employer_id: int) -> str:
    """How a consent names a partner employer (casework's Consent.employer_ref)."""
    return f"jobs.employer:{employer_id}"
