"""The attendance importer (issue 18): a trainer's grid of learners × class dates, called as the import
framework calls it (prepare → parse → find_duplicates → save), with cells as a spreadsheet gives them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.cells import Cell
from casework.roles import Role
from casework.services.importers import SKIP, UPDATE, ParsedRow, importer_for, importers_for
from learning.models import Attendance, AttendanceStatus, EnrollmentStatus
from learning.services import attendance_import as importer
from tests.casework.applicant_factories import ApplicantFactory
from tests.learning.factories import AttendanceFactory, CourseFactory, EnrollmentFactory, SessionFactory, at
from tests.learning.views_setup import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_trainer(make_user):
    return make_user(Role.TRAINER, username="trainer2")


@pytest.fixture
def days():
    """Three class days in the past: a week, two weeks and three weeks ago."""
    return [today() - timedelta(days=n) for n in (21, 14, 7)]


@pytest.fixture
def course(trainer, days):
    course = CourseFactory(name="Japanese A2 evening", trainers=[trainer], capacity=100)
    for day in days:
        SessionFactory(course=course, starts_at=at(day, 18))
    return course


@pytest.fixture
def learners(course):
    people = [
        ApplicantFactory(family_name="Perera", given_name="Suriya", name_katakana="ペレラ スリヤ"),
        ApplicantFactory(family_name="Nguyen", given_name="Van An", name_native="Nguyễn Văn An"),
    ]
    return [EnrollmentFactory(course=course, applicant=person) for person in people]


def header(day: date) -> str:
    return f"{day.year}/{day.month}/{day.day}"


def row(number: int, extra: dict, **values) -> ParsedRow:
    return ParsedRow(
        number=number,
        values={key: Cell(value) for key, value in values.items()},
        extra={key: Cell(value) for key, value in extra.items()},
    )


def run(user, course, rows):
    context = importer.prepare(by=user, target=str(course.pk), mapping={})
    for each in rows:
        importer.parse(context=context, row=each)
    importer.find_duplicates(context=context, rows=[each for each in rows if not each.errors])
    return context


def test_registered_with_the_apps_word_and_for_trainers_only(
    trainer, caseworker, supervisor, employer, course
):
    assert importer_for("attendance") is importer.IMPORTER
    assert importer.IMPORTER.grid and importer.IMPORTER.decisions == (SKIP, UPDATE)
    assert importer.IMPORTER in importers_for(trainer)
    # Caseworkers and supervisors do not mark attendance today (Course.editable_by); employers nothing.
    for user in (caseworker, supervisor, employer):
        assert importer.IMPORTER not in importers_for(user)


def test_targets_are_the_trainers_own_courses(trainer, other_trainer, administrator, course):
    other = CourseFactory(name="IT basics", trainers=[other_trainer])
    assert [value for value, _label in importer.targets(trainer)] == [str(course.pk)]
    assert {value for value, _label in importer.targets(administrator)} == {str(course.pk), str(other.pk)}


def test_a_trainer_may_not_import_into_another_trainers_course(other_trainer, course):
    with pytest.raises(PermissionDenied):
        importer.prepare(by=other_trainer, target=str(course.pk), mapping={})
    with pytest.raises(PermissionDenied):
        importer.prepare(by=other_trainer, target="not a course", mapping={})


def test_a_grid_in_japanese_marks_and_full_width_is_saved(trainer, course, learners, days):
    grid = [
        row(
            2,
            {header(days[0]): "○", header(days[1]): "遅", header(days[2]): "", "出席率": "66%"},
            name="ペレラ　スリヤ",
        ),
        row(
            3,
            {header(days[0]): "×", header(days[1]): "１", header(days[2]): "公欠", "備考": "-"},
            reference_code=learners[1].applicant.reference_code.lower(),
        ),
    ]
    context = run(trainer, course, grid)
    assert [each.errors for each in grid] == [[], []]
    assert all(not each.candidates for each in grid)
    saved = [importer.save(by=trainer, context=context, row=each) for each in grid]
    assert [len(each.created) for each in saved] == [2, 3]
    marks = {
        (mark.enrollment_id, mark.session.starts_at.date()): mark.status
        for mark in Attendance.objects.select_related("session")
    }
    assert marks == {
        (learners[0].pk, days[0]): AttendanceStatus.PRESENT,
        (learners[0].pk, days[1]): AttendanceStatus.LATE,
        (learners[1].pk, days[0]): AttendanceStatus.ABSENT,
        (learners[1].pk, days[1]): AttendanceStatus.PRESENT,
        (learners[1].pk, days[2]): AttendanceStatus.EXCUSED,
    }


def test_month_and_day_headers_fall_within_the_term(trainer, course, learners, days):
    grid = [
        row(
            2,
            {
                f"{days[0].month}月{days[0].day}日(水)": "P",
                f"{days[1].month}/{days[1].day}": "L",
                f"R{days[2].year - 2018}.{days[2].month}.{days[2].day}": "ｘ",  # an era date, a full-width x
                "1": "○",  # a lesson number, not a date: ignored
            },
            name="Suriya Perera",
        )
    ]
    context = run(trainer, course, grid)
    assert grid[0].errors == []
    assert [status for _session, status, _header in grid[0].data["marks"]] == ["present", "late", "absent"]
    assert len(importer.save(by=trainer, context=context, row=grid[0]).created) == 3


def test_bad_cells_are_row_errors_naming_the_column(trainer, course, learners, days):
    no_class = today() - timedelta(days=3)
    ahead = today() + timedelta(days=7)
    SessionFactory(course=course, starts_at=at(ahead, 18))
    grid = [
        row(2, {header(days[0]): "?", header(no_class): "○"}, name="Perera Suriya"),
        row(3, {header(no_class): ""}, name="Perera Suriya"),  # an empty cell in that column: nothing lost
        row(4, {header(ahead): "○"}, name="Nguyen Van An"),
        row(5, {header(ahead): "公欠"}, name="Nguyen Van An"),  # excused ahead is allowed
    ]
    run(trainer, course, grid)
    keys = [[key for key, _message in each.errors] for each in grid]
    assert keys == [[header(days[0]), header(no_class)], [], [header(ahead)], []]
    assert "?" in grid[0].errors[0][1] and header(days[0]) in grid[0].errors[0][1]
    assert "no session" in grid[0].errors[1][1]


def test_a_cancelled_session_and_two_sessions_a_day_are_errors(trainer, course, learners, days):
    course.sessions.filter(starts_at__date=days[0]).update(cancelled=True, cancel_reason="Typhoon")
    SessionFactory(course=course, starts_at=at(days[1], 10))
    grid = [row(2, {header(days[0]): "○", header(days[1]): "○", header(days[2]): "○"}, name="Perera Suriya")]
    run(trainer, course, grid)
    assert [key for key, _message in grid[0].errors] == [header(days[0]), header(days[1])]


def test_learners_not_found_or_not_enrolled(trainer, course, learners, days):
    stranger = ApplicantFactory(family_name="Tun", given_name="Aye")
    dropped = EnrollmentFactory(
        course=course,
        applicant=ApplicantFactory(family_name="Kim", given_name="Min"),
        status=EnrollmentStatus.DROPPED,
        drop_reason="Moved",
    )
    grid = [
        row(2, {header(days[0]): "○"}, name="Tun Aye"),
        row(3, {header(days[0]): "○"}, reference_code=stranger.reference_code),
        row(4, {header(days[0]): "○"}, name="Kim Min"),
        row(5, {header(days[0]): "○"}),
        row(6, {header(days[0]): "○"}, name="Tun Aye", reference_code=learners[0].applicant.reference_code),
    ]
    run(trainer, course, grid)
    assert [[key for key, _message in each.errors] for each in grid] == [
        ["name"],
        ["reference_code"],
        ["name"],
        ["name"],
        ["name"],
    ]
    assert "not enrolled" in grid[2].errors[0][1] and dropped.applicant.given_name in grid[2].errors[0][1]


def test_a_repeated_row_has_the_same_key(trainer, course, learners, days):
    grid = [row(n, {header(days[0]): "○"}, name="Perera Suriya") for n in (2, 3)]
    run(trainer, course, grid)
    assert grid[0].key == grid[1].key == learners[0].pk


def test_existing_marks_are_candidates_and_update_overwrites_them(trainer, course, learners, days):
    session = course.sessions.get(starts_at=at(days[0], 18))
    existing = AttendanceFactory(session=session, enrollment=learners[0], status=AttendanceStatus.ABSENT)
    grid = [row(2, {header(days[0]): "出席", header(days[1]): "出"}, name="Perera Suriya")]
    context = run(trainer, course, grid)
    assert [candidate.pk for candidate in grid[0].candidates] == [existing.pk]
    saved = importer.save(
        by=trainer, context=context, row=grid[0], decision=UPDATE, candidate=grid[0].candidates[0]
    )
    assert len(saved.created) == 1
    assert [(mark.pk, before) for mark, before in saved.updated] == [(existing.pk, {"status": "absent"})]
    existing.refresh_from_db()
    assert existing.status == AttendanceStatus.PRESENT


def test_the_same_file_twice_finds_every_row_a_duplicate(trainer, course, learners, days):
    def grid():
        return [
            row(2, {header(days[0]): "○"}, name="Perera Suriya"),
            row(3, {header(days[0]): "×"}, name="Nguyen Van An"),
        ]

    first = grid()
    context = run(trainer, course, first)
    for each in first:
        importer.save(by=trainer, context=context, row=each)
    second = grid()
    run(trainer, course, second)
    assert all(each.candidates for each in second)


def test_duplicates_are_found_in_a_fixed_number_of_queries(trainer, course, days):
    people = [ApplicantFactory(family_name="Learner", given_name=f"Number {n}") for n in range(50)]
    enrolments = [EnrollmentFactory(course=course, applicant=person) for person in people]
    session = course.sessions.get(starts_at=at(days[0], 18))
    for enrollment in enrolments:
        AttendanceFactory(session=session, enrollment=enrollment)
    context = importer.prepare(by=trainer, target=str(course.pk), mapping={})

    def count(size: int) -> int:
        rows = [
            row(n, {header(days[0]): "○", header(days[1]): "×"}, reference_code=person.reference_code)
            for n, person in enumerate(people[:size], start=2)
        ]
        for each in rows:
            importer.parse(context=context, row=each)
        with CaptureQueriesContext(connection) as queries:
            importer.find_duplicates(context=context, rows=rows)
        assert all(len(each.candidates) == 1 for each in rows)
        return len(queries)

    assert count(5) == count(50) == 1


def test_parse_makes_no_query_per_row(trainer, course, learners, days):
    context = importer.prepare(by=trainer, target=str(course.pk), mapping={})
    with CaptureQueriesContext(connection) as queries:
        for n in range(20):
            importer.parse(context=context, row=row(n + 2, {header(days[0]): "○"}, name="Perera Suriya"))
    assert len(queries) == 0
