"""Outcome figures (jobs/selectors/outcomes.py) on hand-made data whose figures were worked out by hand
(the comments show the working), in one query each, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from jobs import rules
from jobs.models import FollowUp, JobOpening, Placement, Referral, Stage
from jobs.selectors.outcomes import Quartiles, placements_by_month, retention, time_to_fill
from tests.casework.applicant_factories import bulk_applicants
from tests.jobs.factories import EmployerFactory, JobOpeningFactory

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

TOKYO = ZoneInfo("Asia/Tokyo")
AS_OF = date(2026, 7, 1)


def tokyo(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


@pytest.fixture
def make_placement(team, caseworker):
    def make(
        opening: JobOpening,
        start: date,
        *,
        ended_on: date | None = None,
        recorded: dict[int, str] | None = None,
        confirmed_at: datetime | None = None,
    ) -> Placement:
        (applicant,) = bulk_applicants(1, team=team, caseworker=caseworker)
        referral = Referral.objects.create(
            applicant=applicant,
            opening=opening,
            stage=Stage.HIRED,
            stage_changed_at=tokyo(start),
            created_by=caseworker,
        )
        placement = Placement.objects.create(
            referral=referral,
            applicant=applicant,
            opening=opening,
            start_date=start,
            ended_on=ended_on,
            leaving_reason="better_job" if ended_on else "",
            hours_per_week=40,
            daily_hours=8,
            wage=1300,
            wage_unit="hourly",
            employment_insurance=True,
            confirmed_by=caseworker,
            confirmed_at=confirmed_at or tokyo(start - timedelta(days=7)),
        )
        outcomes = recorded or {}
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    placement=placement,
                    month=month,
                    due_on=due,
                    outcome=outcomes.get(month, ""),
                    leaving_reason="better_job" if outcomes.get(month) == "left" else "",
                )
                for month, due in rules.follow_up_dates(start)
            ]
        )
        return placement

    return make


@pytest.fixture
def opening(caseworker):
    return JobOpeningFactory(created_by=caseworker)


@pytest.fixture
def retention_world(make_placement, opening, caseworker):
    """Marks (start + 3 / 6 / 12 months) in the comments; as of 2026-07-01."""
    # P1: 3 → 2025-04-10, 6 → 2025-07-10, 12 → 2026-01-10; only the 12-month follow-up recorded: it says
    # "still working there", so the person worked at the 3- and 6-month marks too: retained at 3, 6, 12.
    make_placement(opening, date(2025, 1, 10), recorded={12: "retained"})
    # P2: 3 → 2025-09-01, 6 → 2025-12-01, 12 → 2026-06-01; left 2025-08-15: left at 3, 6, 12.
    make_placement(opening, date(2025, 6, 1), ended_on=date(2025, 8, 15), recorded={1: "retained", 3: "left"})
    # P3: 3 → 2025-12-15, 6 → 2026-03-15, 12 → 2026-09-15 (ahead); left 2026-02-01:
    # retained at 3, left at 6, within the window at 12.
    make_placement(opening, date(2025, 9, 15), ended_on=date(2026, 2, 1), recorded={3: "retained", 6: "left"})
    # P4: 3 → 2026-04-20 (passed, nothing recorded): unconfirmed at 3; within at 6 and 12.
    make_placement(opening, date(2026, 1, 20))
    # P5: 3 → 2026-05-28, recorded "at risk" (still working): retained at 3; within at 6 and 12.
    make_placement(opening, date(2026, 2, 28), recorded={3: "at_risk"})
    # P6: 3 → 2026-06-30; left that very day (not before the mark): retained at 3; within at 6, 12.
    make_placement(opening, date(2026, 3, 31), ended_on=date(2026, 6, 30))
    # P7: 3 → 2026-07-01 = as of (the window has ended); left 2026-05-01: left at 3; within at 6, 12.
    make_placement(opening, date(2026, 4, 1), ended_on=date(2026, 5, 1))
    # P8: starts after the day: not counted at all.
    make_placement(opening, date(2026, 7, 5))
    # Another employer's placement, left early: only in the programme-wide figure.
    elsewhere = JobOpeningFactory(created_by=caseworker)
    make_placement(elsewhere, date(2025, 1, 10), ended_on=date(2025, 2, 1))
    return opening


def test_retention_at_3_6_12_months(retention_world, django_assert_num_queries):
    ours = Placement.objects.filter(opening=retention_world)
    with django_assert_num_queries(1):
        three, six, twelve = retention(ours, as_of=AS_OF)
    # 3: retained P1 P3 P5 P6, left P2 P7, unconfirmed P4 → 4 ÷ 6.
    assert (three.months, three.retained, three.left, three.unconfirmed, three.within_window) == (
        3,
        4,
        2,
        1,
        0,
    )
    assert three.rate == Decimal("0.6667")
    assert three.ended == 7 and three.known == 6
    # 6: retained P1, left P2 P3, within P4 P5 P6 P7 → 1 ÷ 3.
    assert (six.retained, six.left, six.unconfirmed, six.within_window) == (1, 2, 0, 4)
    assert six.rate == Decimal("0.3333")
    # 12: retained P1, left P2, within P3 P4 P5 P6 P7 → 1 ÷ 2.
    assert (twelve.retained, twelve.left, twelve.unconfirmed, twelve.within_window) == (1, 1, 0, 5)
    assert twelve.rate == Decimal("0.5000")


def test_retention_programme_wide_counts_every_employer(retention_world):
    three, _six, twelve = retention(Placement.objects.all(), as_of=AS_OF)
    # The other employer's placement left before every mark.
    assert (three.retained, three.left) == (4, 3)
    assert (twelve.retained, twelve.left) == (1, 2)


def test_retention_without_ended_windows_has_no_rate(make_placement, opening):
    make_placement(opening, date(2026, 6, 1))
    (three,) = retention(Placement.objects.all(), as_of=AS_OF, months=(3,))
    assert (three.retained, three.left, three.within_window) == (0, 0, 1)
    assert three.rate is None
    empty = retention(Placement.objects.none(), as_of=AS_OF)
    assert [r.rate for r in empty] == [None, None, None]
    assert [r.within_window for r in empty] == [0, 0, 0]


def test_retention_refuses_a_month_without_follow_ups():
    with pytest.raises(ValueError):
        retention(Placement.objects.none(), as_of=AS_OF, months=(2,))


@pytest.fixture
def fill_world(make_placement, caseworker):
    """Openings created on a day, filled (first hire confirmed) some days later, Tokyo time."""
    employer = EmployerFactory()

    def opening_created(day: date, hour: int = 9, minute: int = 0) -> JobOpening:
        made = JobOpeningFactory(employer=employer, created_by=caseworker)
        JobOpening.objects.filter(pk=made.pk).update(created_at=tokyo(day, hour, minute))
        return made

    def hired(opening: JobOpening, confirmed: datetime) -> None:
        make_placement(opening, confirmed.date() + timedelta(days=30), confirmed_at=confirmed)

    o1 = opening_created(date(2026, 1, 1))
    hired(o1, tokyo(date(2026, 2, 1)))  # a second hire, later: not the first
    hired(o1, tokyo(date(2026, 1, 11)))  # 10 days
    hired(opening_created(date(2026, 1, 5)), tokyo(date(2026, 1, 25)))  # 20 days
    hired(opening_created(date(2026, 2, 1)), tokyo(date(2026, 2, 4)))  # 3 days
    # 23:30 and 00:30 the next day in Tokyo (the same day in UTC): 1 day.
    hired(opening_created(date(2026, 3, 1), 23, 30), tokyo(date(2026, 3, 2), 0, 30))
    late = opening_created(date(2026, 3, 1))
    hired(late, tokyo(date(2026, 4, 11)))  # 41 days
    opening_created(date(2026, 3, 3))  # not filled: not counted
    return employer, late


def test_time_to_fill_quartiles(fill_world, django_assert_num_queries):
    employer, _late = fill_world
    openings = JobOpening.objects.filter(employer=employer)
    with django_assert_num_queries(1):
        figures = time_to_fill(openings)
    # Sorted days 1 3 10 20 41: positions 1, 2, 3 of 0…4.
    assert figures == Quartiles(5, Decimal(3), Decimal(10), Decimal(20))


def test_time_to_fill_interpolates(fill_world):
    employer, late = fill_world
    figures = time_to_fill(JobOpening.objects.filter(employer=employer).exclude(pk=late.pk))
    # Sorted days 1 3 10 20, positions 0.75, 1.5, 2.25: 1 + 0.75 × 2, 3 + 0.5 × 7, 10 + 0.25 × 10.
    assert figures == Quartiles(4, Decimal("2.5"), Decimal("6.5"), Decimal("12.5"))
    one = time_to_fill(JobOpening.objects.filter(pk=late.pk))
    assert one == Quartiles(1, Decimal(41), Decimal(41), Decimal(41))


def test_time_to_fill_without_hires():
    assert time_to_fill(JobOpening.objects.none()) == Quartiles(0, None, None, None)


def test_placements_by_month(make_placement, opening, django_assert_num_queries):
    for start in (date(2026, 1, 31), date(2026, 3, 1), date(2026, 3, 31), date(2025, 12, 31)):
        make_placement(opening, start)
    months = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    with django_assert_num_queries(1):
        counts = placements_by_month(Placement.objects.all(), months=months)
    assert [(c.month, c.count) for c in counts] == [
        (date(2026, 1, 1), 1),
        (date(2026, 2, 1), 0),
        (date(2026, 3, 1), 2),
    ]
