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
from tests.learning.factories import AttendanceFactory, CourseFactory, EnrollmentFactory, SessionFactory, at
from tests.reports.data import period, placement, referral, reminder, stage_change, today

pytestmark = pytest.mark.django_db


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
