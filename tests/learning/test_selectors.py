"""learning.selectors: the current assessed level (one query, one for many), visibility, attendance figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from casework.roles import Role
from learning import selectors
from learning.models import Assessment, Course, Enrollment
from tests.casework.applicant_factories import ApplicantFactory
from tests.learning.factories import (
    AssessmentFactory,
    AttendanceFactory,
    CourseFactory,
    EnrollmentFactory,
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


@pytest.fixture
def own(team, caseworker):
    return ApplicantFactory(team=team, caseworker=caseworker)


def level_of(user, applicant):
    return selectors.current_assessed_level(user=user, applicant_id=applicant.pk)


def test_the_most_recent_result_with_a_cefr_level_wins(administrator, own):
    AssessmentFactory(
        applicant=own, framework="jlpt", level="N2", cefr_level="B2", score=120, assessed_on=DAY
    )
    newer = AssessmentFactory(
        applicant=own,
        framework="trainer_cefr",
        level="B1",
        cefr_level="B1",
        assessed_on=DAY + timedelta(days=30),
    )
    # Newer still, but without a CEFR level (a failed test, a BJT): never the answer.
    AssessmentFactory(
        applicant=own,
        framework="bjt",
        level="J3",
        cefr_level="",
        score=350,
        assessed_on=DAY + timedelta(days=60),
    )
    AssessmentFactory(
        applicant=own,
        framework="jlpt",
        level="N1",
        cefr_level="",
        score=90,
        assessed_on=DAY + timedelta(days=60),
    )
    level = level_of(administrator, own)
    assert level is not None
    assert (level.cefr, level.framework, level.level, level.assessed_on, level.assessment_id) == (
        "B1",
        "trainer_cefr",
        "B1",
        DAY + timedelta(days=30),
        newer.pk,
    )
    assert level.source == "Trainer's CEFR judgement"
    assert not level.is_official
    assert str(level) == f"B1 (Trainer's CEFR judgement, {(DAY + timedelta(days=30)).isoformat()})"


@pytest.mark.parametrize(
    ("frameworks", "winner"),
    [
        (["trainer_cefr", "placement", "jlpt"], "jlpt"),
        (["jft_basic", "trainer_cefr", "placement"], "jft_basic"),
        (["trainer_cefr", "placement"], "placement"),
        (["placement", "trainer_cefr"], "placement"),
    ],
)
def test_on_the_same_date_official_beats_placement_beats_trainer(administrator, own, frameworks, winner):
    levels = {
        "jlpt": ("N3", "A2"),
        "jft_basic": ("A2.2", "A2"),
        "placement": ("B1", "B1"),
        "trainer_cefr": ("B2", "B2"),
    }
    for framework in frameworks:  # recorded in this order: the last recorded does not simply win
        level, cefr = levels[framework]
        AssessmentFactory(applicant=own, framework=framework, level=level, cefr_level=cefr, assessed_on=DAY)
    found = level_of(administrator, own)
    assert found is not None and found.framework == winner
    assert found.cefr == levels[winner][1]
    assert found.assessed_on == DAY
    assert str(found).endswith(f", {DAY.isoformat()})")


def test_same_date_same_framework_the_one_recorded_last_wins(administrator, own):
    AssessmentFactory(applicant=own, level="A2", cefr_level="A2", assessed_on=DAY)
    last = AssessmentFactory(applicant=own, level="B1", cefr_level="B1", assessed_on=DAY)
    assert level_of(administrator, own).assessment_id == last.pk


def test_no_level_without_a_result_with_cefr(administrator, own):
    assert level_of(administrator, own) is None
    AssessmentFactory(applicant=own, framework="bjt", level="J2", cefr_level="", score=450)
    assert level_of(administrator, own) is None
    assert selectors.assessed_levels(user=administrator, applicant_ids=[own.pk]) == {}


def test_current_level_is_one_query(administrator, own, django_assert_num_queries):
    AssessmentFactory(applicant=own)
    assert administrator.roles  # loaded once per user (a request has them already)
    with django_assert_num_queries(1):
        level_of(administrator, own)


def _varied_people(team, caseworker, count):
    people = [ApplicantFactory(team=team, caseworker=caseworker) for _ in range(count)]
    frameworks = ["jlpt", "placement", "trainer_cefr", "jft_basic"]
    cefrs = ["A1", "A2", "B1", "B2", ""]
    for index, person in enumerate(people):
        for step in range(index % 4):
            AssessmentFactory(
                applicant=person,
                framework=frameworks[(index + step) % 4],
                level="X",
                cefr_level=cefrs[(index * 3 + step) % 5],
                assessed_on=DAY + timedelta(days=(index + step) % 3),
            )
    return people


def test_assessed_levels_for_many_equals_the_current_level_of_each_in_one_query(
    administrator, team, caseworker, django_assert_num_queries
):
    people = _varied_people(team, caseworker, 24)
    assert administrator.roles
    with django_assert_num_queries(1):
        many = selectors.assessed_levels(user=administrator, applicant_ids=[p.pk for p in people])
    each = {p.pk: level_of(administrator, p) for p in people}
    assert many == {pk: level for pk, level in each.items() if level is not None}
    assert 0 < len(many) < len(people)  # some have none: the test covers both cases
    assert selectors.assessed_levels(user=administrator, applicant_ids=[]) == {}


def test_a_trainer_sees_levels_only_of_own_learners(trainer, make_user, own, team, caseworker):
    course = CourseFactory(trainers=[trainer])
    EnrollmentFactory(course=course, applicant=own)
    stranger = ApplicantFactory(team=team, caseworker=caseworker)
    EnrollmentFactory(course=CourseFactory(trainers=[make_user(Role.TRAINER)]), applicant=stranger)
    AssessmentFactory(applicant=own, cefr_level="A2")
    AssessmentFactory(applicant=stranger, cefr_level="B1")
    assert level_of(trainer, own).cefr == "A2"
    assert level_of(trainer, stranger) is None
    assert set(selectors.assessed_levels(user=trainer, applicant_ids=[own.pk, stranger.pk])) == {own.pk}


def test_caseworkers_see_levels_of_their_caseload_only(
    caseworker, teammate, team, other_caseworker, employer, own
):
    shared = ApplicantFactory(team=team, caseworker=teammate)
    foreign = ApplicantFactory(caseworker=other_caseworker)
    for person in (own, shared, foreign):
        AssessmentFactory(applicant=person)
    ids = [own.pk, shared.pk, foreign.pk]
    assert set(selectors.assessed_levels(user=caseworker, applicant_ids=ids)) == {own.pk}
    assert selectors.assessed_levels(user=employer, applicant_ids=ids) == {}
    assert Assessment.objects.visible_to(employer).count() == 0


def test_visible_to_per_role(
    trainer, make_user, caseworker, supervisor, administrator, employer, own, other_caseworker
):
    mine = CourseFactory(trainers=[trainer])
    theirs = CourseFactory(trainers=[make_user(Role.TRAINER)])
    foreign = ApplicantFactory(caseworker=other_caseworker)
    in_mine = EnrollmentFactory(course=mine, applicant=own)
    in_theirs = EnrollmentFactory(course=theirs, applicant=foreign)
    assert set(Course.objects.visible_to(trainer)) == {mine}
    for user in (caseworker, supervisor, administrator):
        assert set(Course.objects.visible_to(user)) == {mine, theirs}
    assert not Course.objects.visible_to(employer).exists()
    assert set(Enrollment.objects.visible_to(trainer)) == {in_mine}
    assert set(Enrollment.objects.visible_to(caseworker)) == {in_mine}
    assert set(Enrollment.objects.visible_to(supervisor)) == {in_mine}
    assert set(Enrollment.objects.visible_to(administrator)) == {in_mine, in_theirs}
    assert not Enrollment.objects.visible_to(employer).exists()


def test_courses_visible_counts_places_and_waiting_list(administrator, django_assert_num_queries):
    course = CourseFactory(capacity=2)
    EnrollmentFactory.create_batch(2, course=course)
    EnrollmentFactory.create_batch(3, course=course, status="waitlisted")
    EnrollmentFactory(course=course, status="dropped", drop_reason="Moved")
    assert administrator.roles
    with django_assert_num_queries(1):
        found = selectors.courses_visible(user=administrator).get(pk=course.pk)
    assert (found.enrolled_count, found.waitlisted_count) == (2, 3)


def test_attendance_figures_leave_excused_and_cancelled_out(django_assert_num_queries):
    course = CourseFactory()
    enrollment = EnrollmentFactory(course=course)
    today = timezone.localdate()
    statuses = ["present", "late", "excused", "absent", "present"]
    for offset, status in enumerate(statuses):
        session = SessionFactory(
            course=course, starts_at=at(today - timedelta(days=offset + 1)), duration_minutes=60
        )
        AttendanceFactory(session=session, enrollment=enrollment, status=status)
    cancelled = SessionFactory(course=course, starts_at=at(today - timedelta(days=10)), cancelled=True)
    AttendanceFactory(session=cancelled, enrollment=enrollment, status="absent")
    empty = EnrollmentFactory(course=course)
    with django_assert_num_queries(1):
        figures = selectors.attendance_figures([enrollment.pk, empty.pk])
    found = figures[enrollment.pk]
    assert (found.present, found.late, found.excused, found.absent) == (2, 1, 1, 1)
    assert found.rate == pytest.approx(3 / 4) and found.rate_percent == 75
    assert found.hours_attended == 3.0
    assert empty.pk not in figures
    assert selectors.AttendanceFigures().rate is None
    assert selectors.attendance_figures([]) == {}
