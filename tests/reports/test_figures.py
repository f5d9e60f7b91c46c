"""Each report's figures over hand-made data (run on SQLite and, with DATABASE_URL, on PostgreSQL), each
role's scope (a caseworker's report does not count another caseworker's people)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.roles import Role
from reports.forms.filters import default_period
from reports.selectors.catalogue import REPORTS
from reports.selectors.scope import ReportFilters
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import tokyo_rate
from tests.learning.factories import (
    AssessmentFactory,
    AttendanceFactory,
    CourseFactory,
    EnrollmentFactory,
    SessionFactory,
    at,
)
from tests.reports.data import follow_up_record, period, placement, referral, reminder, stage_change, today

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def run(key, user, **filters):
    start, end = default_period(today())
    return REPORTS[key].run(user=user, filters=ReportFilters(start=start, end=end, **filters))


def figures(result) -> dict:
    return {figure.key: figure.value for figure in result.figures}


@pytest.fixture
def people(team, other_team, caseworker, teammate, other_caseworker):
    return {
        "own1": ApplicantFactory(team=team, caseworker=caseworker, intake_date=today() - timedelta(days=30)),
        "own2": ApplicantFactory(team=team, caseworker=caseworker, intake_date=today() - timedelta(days=800)),
        "own3": ApplicantFactory(team=team, caseworker=caseworker, nationality="MM"),
        "mate": ApplicantFactory(team=team, caseworker=teammate),
        "other": ApplicantFactory(team=other_team, caseworker=other_caseworker),
    }


# --- 1. the funnel --------------------------------------------------------------------------------------


@pytest.fixture
def funnel_data(people, administrator):
    by = administrator
    stage_change(people["own1"], "intake", days_ago=30, actor=by, created=True)
    stage_change(people["own1"], "job_ready", days_ago=20, actor=by)
    referral(people["own1"], days_ago=10, by=by)
    referral(people["own1"], days_ago=4, by=by)  # a second referral: one person
    stage_change(people["own1"], "placed", days_ago=5, actor=by)
    stage_change(people["own2"], "intake", days_ago=800, actor=by, created=True)  # before the period
    stage_change(people["own2"], "job_ready", days_ago=15, actor=by)
    referral(people["own2"], days_ago=700, by=by)  # first referral before the period
    referral(people["own2"], days_ago=3, by=by)
    stage_change(people["own3"], "intake", days_ago=40, actor=by, created=True)
    stage_change(people["mate"], "intake", days_ago=50, actor=by, created=True)
    referral(people["mate"], days_ago=8, by=by)
    stage_change(people["other"], "intake", days_ago=60, actor=by, created=True)
    stage_change(people["other"], "placed", days_ago=2, actor=by)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("caseworker", {"intake": 2, "job_ready": 2, "referred": 1, "placed": 1, "placed_of_intake": 50.0}),
        ("supervisor", {"intake": 3, "job_ready": 2, "referred": 2, "placed": 1, "placed_of_intake": 33.3}),
        (
            "administrator",
            {"intake": 4, "job_ready": 2, "referred": 2, "placed": 2, "placed_of_intake": 50.0},
        ),
        (
            "other_caseworker",
            {"intake": 1, "job_ready": 0, "referred": 0, "placed": 1, "placed_of_intake": 100.0},
        ),
    ],
)
def test_funnel_counts_each_role_scope(request, funnel_data, role, expected):
    result = run("funnel", request.getfixturevalue(role))
    assert figures(result) == expected
    columns, rows = result.table()
    assert len(columns) == 3 and [row[1] for row in rows] == [
        expected[k] for k in ("intake", "job_ready", "referred", "placed")
    ]


def test_funnel_person_filters(funnel_data, administrator, other_team):
    assert figures(run("funnel", administrator, team=other_team))["intake"] == 1
    assert figures(run("funnel", administrator, nationality="MM"))["intake"] == 1


# --- 2. time from intake to first placement -----------------------------------------------------------


@pytest.fixture
def placement_data(team, other_team, caseworker, other_caseworker, administrator):
    start = today() - timedelta(days=20)
    for days in (
        90,
        10,
        200,
        50,
        30,
        70,
    ):  # 10 30 50 70 90 200: positions 1.25, 2.5, 3.75 → q1 35, median 60, q3 85
        person = ApplicantFactory(team=team, caseworker=caseworker, intake_date=start - timedelta(days=days))
        placement(person, start=start, by=administrator)
    # A first placement before the period (a second one in it): not counted.
    early = ApplicantFactory(team=team, caseworker=caseworker, intake_date=today() - timedelta(days=900))
    placement(early, start=today() - timedelta(days=400), by=administrator)
    placement(early, start=start, by=administrator)
    other = ApplicantFactory(
        team=other_team, caseworker=other_caseworker, intake_date=start - timedelta(days=1000)
    )
    placement(other, start=start, by=administrator)


def test_time_to_placement_median_and_quartiles(placement_data, caseworker, administrator):
    assert figures(run("placement_time", caseworker)) == {"people": 6, "q1": 35.0, "median": 60.0, "q3": 85.0}
    # With 1000 days more (n=7): positions 1.5, 3, 4.5 → q1 (30+50)/2, median 70, q3 (90+200)/2.
    assert figures(run("placement_time", administrator)) == {
        "people": 7,
        "q1": 40.0,
        "median": 70.0,
        "q3": 145.0,
    }


def test_time_to_placement_with_nothing_to_count(caseworker):
    assert figures(run("placement_time", caseworker)) == {"people": 0, "q1": None, "median": None, "q3": None}


# --- 7. attendance rate by course ---------------------------------------------------------------------


@pytest.fixture
def attendance_data(people, trainer, make_user):
    course = CourseFactory(name="A Japanese", trainers=[trainer])
    other_course = CourseFactory(name="B IT basics", trainers=[make_user(Role.TRAINER)])
    day = today() - timedelta(days=7)
    first = SessionFactory(course=course, starts_at=at(day))
    second = SessionFactory(course=course, starts_at=at(day + timedelta(days=1)))
    cancelled = SessionFactory(course=course, starts_at=at(day + timedelta(days=2)), cancelled=True)
    own = EnrollmentFactory(course=course, applicant=people["own1"])
    mate = EnrollmentFactory(course=course, applicant=people["mate"])
    for session, enrollment, status in (
        (first, own, "present"),
        (second, own, "absent"),
        (first, mate, "late"),
        (second, mate, "present"),
        (cancelled, own, "absent"),
    ):
        AttendanceFactory(session=session, enrollment=enrollment, status=status)
    other_session = SessionFactory(course=other_course, starts_at=at(day))
    AttendanceFactory(
        session=other_session,
        enrollment=EnrollmentFactory(course=other_course, applicant=people["own1"]),
        status="absent",
    )
    return course


def test_attendance_by_course_for_each_role(attendance_data, trainer, caseworker, supervisor):
    assert figures(run("attendance", trainer)) == {"marks": 4, "rate": 75.0}
    assert run("attendance", trainer).table()[1] == [["A Japanese", 4, 3, 75.0]]
    assert run("attendance", caseworker).table()[1] == [
        ["A Japanese", 2, 1, 50.0],
        ["B IT basics", 1, 0, 0.0],
    ]
    assert figures(run("attendance", supervisor)) == {"marks": 5, "rate": 60.0}
    assert figures(run("attendance", supervisor, course_id=attendance_data.pk)) == {"marks": 4, "rate": 75.0}


# --- 8. deadlines met and missed, reminders -----------------------------------------------------------


@pytest.fixture
def deadline_data(people):
    period(people["own1"], end=today() - timedelta(days=10))  # missed
    period(people["own2"], end=today() - timedelta(days=20), renewal_filed=True)  # met
    period(people["own3"], end=today() - timedelta(days=30))  # met: a next period is recorded
    period(people["own3"], start=today() - timedelta(days=29), end=today() + timedelta(days=150))
    period(people["own1"], end=today() - timedelta(days=400))  # ended before the period
    period(people["other"], end=today() - timedelta(days=5))  # another caseworker's: missed
    reminder(people["own1"], days_ago=40, acknowledged=True, source_id=1)
    reminder(people["own1"], days_ago=12, acknowledged=False, source_id=2)
    reminder(people["other"], days_ago=12, acknowledged=True, source_id=3)


def test_deadlines_met_missed_and_reminders(deadline_data, caseworker, administrator):
    assert figures(run("deadlines", caseworker)) == {
        "met": 2,
        "missed": 1,
        "met_rate": 66.7,
        "sent": 2,
        "acknowledged": 1,
        "ack_rate": 50.0,
    }
    assert figures(run("deadlines", administrator)) == {
        "met": 2,
        "missed": 2,
        "met_rate": 50.0,
        "sent": 3,
        "acknowledged": 2,
        "ack_rate": 66.7,
    }


# --- 3. retention at 3, 6 and 12 months; 4. reasons for leaving and difficulties ----------------------------


@pytest.fixture
def retention_data(people, administrator):
    by = administrator
    placement(people["own1"], start=today() - timedelta(days=400), by=by)  # started before the period
    kept = placement(people["own1"], start=today() - timedelta(days=200), by=by)
    follow_up_record(kept, 3, outcome="retained", days_ago=100, difficulties=("commute", "language"))
    follow_up_record(kept, 6, outcome="retained", days_ago=15)
    placement(
        people["own2"],
        start=today() - timedelta(days=200),
        by=by,
        ended_on=today() - timedelta(days=150),
        reason="language",
    )
    placement(
        people["own3"], start=today() - timedelta(days=120), by=by
    )  # 3-month mark passed, nothing recorded
    placement(people["own3"], start=today() - timedelta(days=10), by=by)  # every mark ahead
    old = placement(people["own2"], start=today() - timedelta(days=700), by=by)
    follow_up_record(old, 3, outcome="at_risk", days_ago=500, difficulties=("hours",))  # before the period
    placement(
        people["other"],
        start=today() - timedelta(days=50),
        by=by,
        ended_on=today() - timedelta(days=20),
        reason="moved",
    )


def test_retention_counts_those_within_the_window_as_such(retention_data, caseworker, administrator):
    result = run("retention", caseworker)
    assert result.table()[1] == [
        # mark, retained, left, not confirmed, still within the window, rate
        ["3 months", 1, 1, 1, 1, 50.0],
        ["6 months", 1, 1, 0, 2, 50.0],
        ["12 months", 0, 0, 0, 4, None],
    ]
    assert figures(result) == {"rate_3": 50.0, "rate_6": 50.0, "rate_12": None}
    assert run("retention", administrator).table()[1][0] == ["3 months", 1, 1, 1, 2, 50.0]


def test_reasons_for_leaving_and_difficulties(retention_data, caseworker, administrator):
    result = run("leaving", caseworker)
    assert figures(result) == {"left": 1, "difficulties": 2}
    assert result.table()[1] == [
        ["Reason for leaving", "Language difficulties", 1],
        ["Difficulty", "Japanese language", 1],
        ["Difficulty", "Commute", 1],
    ]
    assert figures(run("leaving", administrator)) == {"left": 2, "difficulties": 2}


# --- 5. wage and hours at placement against the minimum wage --------------------------------------------------


def test_wage_and_hours_against_the_minimum_wage(people, caseworker, administrator):
    tokyo_rate(1000, since=today() - timedelta(days=300))
    start = today() - timedelta(days=30)
    for person, wage, unit, hours in (
        ("own1", 1000, "hourly", 40),  # 100 %
        ("own2", 1050, "hourly", 20),  # 105 %
        ("own3", 9600, "daily", 40),  # 9600 / 8 h = 1200: 120 %
        ("own1", 260_000, "monthly", 40),  # 260000 × 12 / (40 × 52) = 1500: 150 %
        ("own2", 900, "hourly", 30),  # 90 %: below
    ):
        placement(people[person], start=start, by=administrator, wage=wage, unit=unit, hours=hours)
    placement(people["other"], start=start, by=administrator, wage=800)
    result = run("wages", caseworker)
    # Sorted (n=5, positions 1, 2, 3): wages 900 1000 1050 1200 1500; shares 90 100 105 120 150;
    # hours 20 30 40 40 40.
    assert result.table()[1] == [
        ["Wage an hour (yen)", 1000.0, 1050.0, 1200.0],
        ["Share of the minimum wage (%)", 100.0, 105.0, 120.0],
        ["Hours a week", 30.0, 40.0, 40.0],
    ]
    assert [bar.value for bar in result.bars] == [1, 2, 1, 1]
    assert figures(result)["below_minimum"] == 1 and figures(result)["placements"] == 5
    assert figures(run("wages", administrator))["below_minimum"] == 2


# --- 6. language progress: CEFR steps per 100 attended hours, by course --------------------------------------


def test_language_progress_by_course(people, trainer, caseworker):
    course = CourseFactory(name="Japanese A", trainers=[trainer])
    day = today() - timedelta(days=20)
    sessions = [
        SessionFactory(course=course, starts_at=at(day + timedelta(days=i)), duration_minutes=300)
        for i in range(2)
    ]

    def learner(key, levels, attended):
        enrollment = EnrollmentFactory(course=course, applicant=people[key])
        for session in sessions[:attended]:
            AttendanceFactory(session=session, enrollment=enrollment, status="present")
        for days_ago, level in levels:
            AssessmentFactory(
                applicant=people[key],
                cefr_level=level,
                level=level,
                assessed_on=today() - timedelta(days=days_ago),
            )

    learner("own1", [(60, "A1"), (5, "B1")], 2)  # 2 steps in 10 h: 20 per 100 h
    learner("mate", [(60, "A1"), (5, "A2")], 2)  # 1 step in 10 h: 10
    learner("own2", [(400, "A1"), (100, "A2"), (10, "A2")], 2)  # 0 steps in the period (A1 is before it)
    learner("own3", [(10, "A2")], 2)  # one assessment: no progress measured
    # The trainer's course: 0, 10, 20 (n=3, positions 0.5, 1, 1.5) → q1 5, median 10, q3 15.
    assert run("language", trainer).table()[1] == [["Japanese A", 3, 5.0, 10.0, 15.0]]
    # The caseworker's own people: 0 and 20 (n=2, positions .25, .5, .75) → 5, 10, 15.
    assert run("language", caseworker).table()[1] == [["Japanese A", 2, 5.0, 10.0, 15.0]]
