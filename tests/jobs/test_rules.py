"""jobs.rules: the minimum-wage check (hourly, daily, monthly), employment insurance (dated), the
notification deadlines, follow-up dates and the referral stage moves. Pure functions: no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jobs import rules
from jobs.rules import WageRate

TOKYO = [
    WageRate("13", 1163, date(2024, 10, 1)),
    WageRate("13", 1226, date(2025, 10, 3)),
]


def check(wage, unit, start=date(2025, 11, 1), daily=Decimal(8), weekly=Decimal(40), rates=TOKYO):
    return rules.wage_check(
        rates=rates,
        prefecture="13",
        start=start,
        wage=wage,
        unit=unit,
        daily_hours=daily,
        weekly_hours=weekly,
    )


def test_an_hourly_wage_is_compared_with_the_rate_in_force_on_the_start_date():
    assert not check(1226, "hourly").below
    refused = check(1225, "hourly")
    assert refused.below and refused.minimum == TOKYO[1]
    # The day before the new rate, last year's applies.
    assert not check(1200, "hourly", start=date(2025, 10, 2)).below
    assert check(1200, "hourly", start=date(2025, 10, 3)).below


def test_a_daily_wage_is_divided_by_the_daily_hours():
    assert not check(1226 * 8, "daily").below
    assert check(1226 * 8 - 1, "daily").below  # ¥1,225.87 an hour
    assert check(9000, "daily", daily=Decimal("7.5")).hourly == 1200


def test_a_monthly_wage_is_divided_by_weekly_hours_times_52_over_12():
    # 40 hours a week: 173.33 hours a month; ¥1,226 an hour is ¥212,507 a month.
    assert not check(212_507, "monthly").below
    assert check(212_000, "monthly").below
    assert check(212_000, "monthly").hourly == 1223


def test_hours_the_unit_needs_must_be_there():
    with pytest.raises(ValueError, match="daily_hours"):
        check(10_000, "daily", daily=Decimal(0))
    with pytest.raises(ValueError, match="hours_per_week"):
        check(200_000, "monthly", weekly=None)


def test_an_autumn_start_with_no_row_for_its_fiscal_year_warns():
    only_2024 = TOKYO[:1]
    assert check(1200, "hourly", start=date(2025, 10, 5), rates=only_2024).new_rate_missing
    assert check(1200, "hourly", start=date(2026, 2, 1), rates=only_2024).new_rate_missing
    # Before October the old fiscal year's rate is the right one: no warning.
    assert not check(1200, "hourly", start=date(2025, 9, 30), rates=only_2024).new_rate_missing
    assert not check(1300, "hourly", start=date(2025, 10, 5)).new_rate_missing


def test_employment_insurance_is_a_dated_rule():
    start = date(2026, 4, 1)
    assert rules.employment_insurance_covered(start=start, contract_end=None, weekly_hours=Decimal(20))
    assert not rules.employment_insurance_covered(start=start, contract_end=None, weekly_hours=Decimal(19))
    # Fewer than 31 days expected: not covered whatever the hours.
    assert not rules.employment_insurance_covered(
        start=start, contract_end=date(2026, 4, 30), weekly_hours=Decimal(40)
    )
    assert rules.employment_insurance_covered(
        start=start, contract_end=date(2026, 5, 1), weekly_hours=Decimal(40)
    )
    # From 2028-10-01: 10 hours a week.
    assert rules.employment_insurance_covered(
        start=date(2028, 10, 1), contract_end=None, weekly_hours=Decimal(10)
    )
    assert not rules.employment_insurance_covered(
        start=date(2028, 9, 30), contract_end=None, weekly_hours=Decimal(10)
    )


def test_notification_deadlines_of_domain_section_9():
    assert rules.hire_notification_due(start=date(2026, 1, 20), insured=True) == date(2026, 2, 10)
    assert rules.hire_notification_due(start=date(2026, 1, 20), insured=False) == date(2026, 2, 28)
    assert rules.hire_notification_due(start=date(2026, 12, 1), insured=False) == date(2027, 1, 31)
    assert rules.leaving_notification_due(left_on=date(2026, 3, 25), insured=True) == date(2026, 4, 4)
    assert rules.leaving_notification_due(left_on=date(2026, 3, 25), insured=False) == date(2026, 4, 30)


def test_follow_ups_fall_due_at_1_3_6_and_12_months():
    assert rules.follow_up_dates(date(2026, 1, 31)) == [
        (1, date(2026, 2, 28)),
        (3, date(2026, 4, 30)),
        (6, date(2026, 7, 31)),
        (12, date(2027, 1, 31)),
    ]


@pytest.mark.parametrize(
    ("current", "target", "allowed", "backwards", "reason"),
    [
        ("proposed", "consent_recorded", True, False, False),
        ("proposed", "shared", True, False, False),  # skipping a stage forward is fine
        ("interview", "shared", True, True, True),  # backwards: a supervisor, with a reason
        ("offer", "rejected", True, False, True),
        ("shared", "withdrawn", True, False, True),
        ("hire_reported", "hired", False, False, False),  # only by confirming
        ("hired", "offer", False, False, False),  # closed
        ("rejected", "proposed", False, False, False),
        ("offer", "offer", False, False, False),
    ],
)
def test_stage_moves(current, target, allowed, backwards, reason):
    move = rules.stage_move(current=current, target=target)
    assert (move.allowed, move.backwards, move.reason_required) == (allowed, backwards, reason)


def test_an_employer_sees_a_figure_from_5_placements():
    assert rules.MIN_PLACEMENTS_SHOWN == 5
    assert not rules.figure_shown(4)
    assert rules.figure_shown(5)
    assert set(rules.RETENTION_MONTHS) <= set(rules.FOLLOW_UP_MONTHS)
