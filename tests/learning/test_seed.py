"""Learning's seeding commands: seed_demo_learning (idempotent, the cases a demo needs, through the
services) and seed_bench_learning (bulk, consistent with the services and the rules)."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from casework.models import Applicant, User
from learning import rules
from learning.models import (
    Assessment,
    Attendance,
    Course,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from tests.module_data import run


@pytest.mark.django_db
def test_seed_demo_learning_needs_seed_demo_first():
    with pytest.raises(CommandError, match="seed_demo"):
        run("seed_demo_learning")
    assert Course.objects.count() == 0


# --- seed_bench_learning ---------------------------------------------------------------------------------


@pytest.fixture
def bench(db) -> str:
    run(
        "seed_bench",
        "--applicants",
        "60",
        "--teams",
        "2",
        "--caseworkers-per-team",
        "2",
        "--card-every",
        "30",
    )
    return run("seed_bench_learning", "--attendance", "700", "--learners-per-course", "8", "--trainers", "3")


@pytest.mark.django_db
def test_seed_bench_learning_adds_exactly_the_attendance_asked_for(bench):
    assert Attendance.objects.count() == 700
    assert "700 attendance rows" in bench
    courses = Course.objects.count()
    assert courses >= 1 and Session.objects.count() >= courses * 40
    assert Enrollment.objects.count() == courses * 8
    assert User.objects.filter(username__startswith="bench-trainer").count() == 3
    # A second run adds more, reproducibly, with new course names.
    run("seed_bench_learning", "--attendance", "100", "--learners-per-course", "8", "--trainers", "3")
    assert Attendance.objects.count() == 800
    assert Course.objects.values("name").distinct().count() == Course.objects.count()


@pytest.mark.django_db
def test_seed_bench_learning_rows_are_consistent_with_the_services(bench):
    today = timezone.localdate()
    marks = Attendance.objects.select_related("session", "enrollment")
    for mark in marks:
        assert mark.enrollment.course_id == mark.session.course_id
        assert not mark.session.cancelled
        assert timezone.localtime(mark.session.starts_at).date() < today
    for session in Session.objects.select_related("course"):
        assert (
            session.course.starts_on <= timezone.localtime(session.starts_at).date() <= session.course.ends_on
        )
    assert not Enrollment.objects.filter(status=EnrollmentStatus.DROPPED, drop_reason="").exists()
    # Each course has a trainer; each person at most once per course (the unique constraint holds).
    assert not Course.objects.filter(trainers=None).exists()


@pytest.mark.django_db
def test_seed_bench_learning_assessments_derive_the_level_by_the_rules(bench):
    people = Applicant.objects.count()
    assessed = Assessment.objects.values("applicant").distinct().count()
    assert assessed == int(people * 0.3)
    for result in Assessment.objects.all():
        derived = rules.assessment_cefr(
            framework=result.framework, level=result.level, score=result.score, on=result.assessed_on
        )
        assert (result.level, result.cefr_level) == (derived.level, derived.cefr)
        assert result.assessed_on <= timezone.localdate()


@pytest.mark.django_db
def test_seed_bench_learning_needs_seed_bench_first():
    with pytest.raises(CommandError, match="seed_bench"):
        run("seed_bench_learning", "--attendance", "10")
