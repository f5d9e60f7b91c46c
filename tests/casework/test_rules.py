"""The legal-status rules table and its date arithmetic (casework/rules.py)."""

from datetime import date, timedelta

import pytest

from casework import rules


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to the month's last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 10, 15), 3, date(2027, 1, 15)),  # across the year end
        (date(2027, 1, 15), -3, date(2026, 10, 15)),
        (date(2026, 5, 31), -12, date(2025, 5, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 6, 30), 0, date(2026, 6, 30)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_it(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_add_months_is_monotone():
    day = date(2023, 1, 1)
    for _ in range(3 * 366):
        assert rules.add_months(day, 2) <= rules.add_months(day + timedelta(days=1), 2)
        day += timedelta(days=1)


@pytest.mark.parametrize("months", [1, 2, 3, 6])
def test_latest_day_whose_months_later_is_on_or_before_is_exact(months):
    """For every limit over four years (two Februaries of a leap year included): the greatest d with
    add_months(d, months) <= limit, checked against a brute-force search."""
    limit = date(2026, 1, 1)
    while limit < date(2030, 1, 1):
        found = rules.latest_day_whose_months_later_is_on_or_before(limit, months)
        assert rules.add_months(found, months) <= limit
        assert rules.add_months(found + timedelta(days=1), months) > limit
        limit += timedelta(days=1)


def test_latest_day_examples():
    # End + 2 months <= 28 Feb 2027 for every end up to 31 Dec 2026 (31 Dec + 2 months is clamped).
    assert rules.latest_day_whose_months_later_is_on_or_before(date(2027, 2, 28), 2) == date(2026, 12, 31)
    assert rules.latest_day_whose_months_later_is_on_or_before(date(2027, 2, 27), 2) == date(2026, 12, 27)
    assert rules.latest_day_whose_months_later_is_on_or_before(date(2026, 4, 30), 2) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 1), date(2026, 6, 30), 6),
        (date(2026, 1, 1), date(2026, 3, 31), 3),
        (date(2026, 1, 31), date(2026, 2, 28), 1),
        (date(2026, 8, 31), date(2027, 2, 28), 6),
        (date(2026, 1, 1), date(2026, 6, 29), 5),
    ],
)
def test_months_between_counts_inclusive_periods(start, end, months):
    assert rules.months_between(start, end) == months


class TestLawfulStayUntil:
    end = date(2026, 6, 30)

    def test_no_renewal_filed_is_the_end(self):
        assert (
            rules.lawful_stay_until(
                kind="da_refugee_applicant", end=self.end, renewal_filed_on=None, renewal_decided_on=None
            )
            == self.end
        )

    def test_filed_before_the_end_and_pending_is_end_plus_two_months(self):
        until = rules.lawful_stay_until(
            kind="da_refugee_applicant",
            end=self.end,
            renewal_filed_on=date(2026, 6, 1),
            renewal_decided_on=None,
        )
        assert until == date(2026, 8, 30)

    def test_filed_on_the_last_day_counts(self):
        until = rules.lawful_stay_until(
            kind="long_term_resident", end=self.end, renewal_filed_on=self.end, renewal_decided_on=None
        )
        assert until == date(2026, 8, 30)

    def test_decided_within_the_special_period_is_the_decision_date(self):
        until = rules.lawful_stay_until(
            kind="da_refugee_applicant",
            end=self.end,
            renewal_filed_on=date(2026, 6, 1),
            renewal_decided_on=date(2026, 7, 20),
        )
        assert until == date(2026, 7, 20)

    def test_decision_after_the_special_period_is_capped(self):
        until = rules.lawful_stay_until(
            kind="da_refugee_applicant",
            end=self.end,
            renewal_filed_on=date(2026, 6, 1),
            renewal_decided_on=date(2026, 10, 1),
        )
        assert until == date(2026, 8, 30)

    def test_decided_before_the_end_is_the_end(self):
        until = rules.lawful_stay_until(
            kind="da_refugee_applicant",
            end=self.end,
            renewal_filed_on=date(2026, 5, 1),
            renewal_decided_on=date(2026, 6, 10),
        )
        assert until == self.end

    def test_filed_after_the_end_gives_no_special_period(self):
        until = rules.lawful_stay_until(
            kind="da_refugee_applicant",
            end=self.end,
            renewal_filed_on=date(2026, 7, 1),
            renewal_decided_on=None,
        )
        assert until == self.end

    @pytest.mark.parametrize("kind", ["provisional_release", "provisional_stay", "supervisory_measures"])
    def test_not_a_status_of_residence_has_no_special_period(self, kind):
        until = rules.lawful_stay_until(
            kind=kind, end=self.end, renewal_filed_on=date(2026, 6, 1), renewal_decided_on=None
        )
        assert until == self.end

    def test_indefinite_has_no_end(self):
        assert (
            rules.lawful_stay_until(kind="other", end=None, renewal_filed_on=None, renewal_decided_on=None)
            is None
        )

    def test_special_period_clamps_at_month_end(self):
        until = rules.lawful_stay_until(
            kind="da_humanitarian",
            end=date(2026, 12, 31),
            renewal_filed_on=date(2026, 12, 1),
            renewal_decided_on=None,
        )
        assert until == date(2027, 2, 28)


class TestRenewalWindow:
    def test_six_months_or_more_opens_three_months_before_the_end(self):
        assert rules.renewal_window_opens(start=date(2026, 1, 1), end=date(2026, 6, 30)) == date(2026, 3, 30)
        assert rules.renewal_window_opens(start=date(2026, 1, 1), end=date(2026, 12, 31)) == date(2026, 9, 30)

    def test_under_six_months_opens_at_the_start(self):
        start = date(2026, 1, 1)
        assert rules.renewal_window_opens(start=start, end=date(2026, 3, 31)) == start
        assert rules.renewal_window_opens(start=start, end=date(2026, 6, 29)) == start

    def test_no_end_no_window(self):
        assert rules.renewal_window_opens(start=date(2026, 1, 1), end=None) is None


def test_appeal_deadline_is_seven_days_after_the_notice():
    assert rules.appeal_deadline(date(2026, 11, 28)) == date(2026, 12, 5)
    assert rules.APPEAL_WINDOW_DAYS == 7


def test_rules_table_is_complete():
    assert set(rules.STATUS_KINDS) == {
        "da_refugee_applicant",
        "da_humanitarian",
        "da_evacuee",
        "long_term_resident",
        "provisional_stay",
        "provisional_release",
        "supervisory_measures",
        "other",
    }
    for rule in rules.STATUS_KINDS.values():
        assert rule.label_en and rule.label_ja
        # Only statuses of residence have the special period (DOMAIN.md §3).
        assert rule.special_period_applies == rule.is_status_of_residence
    assert {"da_evacuee", "long_term_resident"} == rules.WORK_GRANTING_KINDS


def test_offsets_depend_on_the_length():
    rule = rules.status_kind("da_refugee_applicant")
    assert rule.offsets_for(6) == (-90, -60, -30, -14, -7)
    assert rule.offsets_for(3) == (rules.ON_RECORD, -30, -14, -7)
    assert rule.offsets_for(None) == rule.offsets_short


def test_a_period_known_only_by_its_end_starts_its_usual_length_before():
    # Intake sheets keep only 在留期限 (issue 18): six months back for a refugee applicant, a year at most.
    from casework.rules import estimated_period_start

    today = date(2026, 12, 6)
    assert estimated_period_start("da_refugee_applicant", date(2027, 4, 1), today=today) == date(2026, 10, 2)
    assert estimated_period_start("long_term_resident", date(2027, 4, 1), today=today) == date(2026, 4, 2)
    assert estimated_period_start("da_refugee_applicant", date(2027, 12, 31), today=today) == today
