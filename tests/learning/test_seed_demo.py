"""seed_demo_learning: idempotent, the cases a demo needs, through the services. The demo is seeded once
for the module; the commands' other tests (seed_bench_learning, the order of the commands) are in
test_seed.py."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from casework.deadlines import sweep as deadline_sweep
from casework.models import Applicant, ChangeRecord, Document, User
from casework.roles import Role
from learning import rules, selectors
from learning.models import (
    Assessment,
    Attendance,
    AttendanceStatus,
    Course,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from tests.module_data import counts as model_counts
from tests.module_data import run, seeded_once

MODELS = (Course, Session, Enrollment, Attendance, Assessment, Document, User, ChangeRecord)


def counts() -> dict[str, int]:
    return model_counts(MODELS)


# The demo, seeded once for the module (tests/module_data.py): every test here reads it.
module_demo = seeded_once("seed_demo", "seed_demo_learning")


@pytest.fixture
def demo(module_demo, db) -> str:
    return module_demo


# --- seed_demo_learning ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_learning_twice_creates_nothing_new(demo):
    first = counts()
    assert first["Course"] == 5 and 15 <= first["Enrollment"] <= 27
    second = run("seed_demo_learning")
    assert counts() == first
    assert "0 courses added, 5 already there" in second
    assert "0 added (0 with a certificate)" in second


@pytest.mark.django_db
def test_demo_writes_go_through_the_services(demo):
    # Services record history: every course and enrolment has its "created" record.
    models = dict(ChangeRecord.objects.values_list("model").annotate(n=Count("pk")))
    assert models.get("learning.course", 0) >= Course.objects.count(), models
    assert models.get("learning.enrollment", 0) >= Enrollment.objects.count(), models
    assert models.get("learning.assessment", 0) >= Assessment.objects.count(), models


@pytest.mark.django_db
def test_demo_has_the_cases_a_demo_needs(demo):
    today = timezone.localdate()
    trainer = User.objects.get(username="trainer")
    trainer2 = User.objects.get(username="trainer2")
    assert trainer2.has_role(Role.TRAINER) and trainer2.check_password("tobira-demo-2026")

    # A session today for the demo trainer; a cancelled one; the upcoming N3 course starts next month.
    assert Session.objects.filter(course__trainers=trainer, starts_at__date=today, cancelled=False).exists()
    assert Session.objects.filter(cancelled=True).exclude(cancel_reason="").count() == 1
    upcoming = Course.objects.get(name="JLPT N3 preparation")
    assert upcoming.starts_on > today and upcoming.starts_on.month != today.month
    assert not Attendance.objects.filter(session__course=upcoming).exists()

    # One course full with two on its waiting list; a drop-out with a reason; completed learners.
    full = selectors.courses_visible(user=User.objects.get(username="admin")).get(name="Japanese A2 online")
    assert (full.enrolled_count, full.waitlisted_count) == (full.capacity, 2)
    dropped = Enrollment.objects.get(status=EnrollmentStatus.DROPPED)
    assert dropped.drop_reason and dropped.ended_on
    assert Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED).exists()
    # Only caseworker's and caseworker2's people (the demo caseworkers who enrol).
    assert set(Enrollment.objects.values_list("applicant__caseworker__username", flat=True).distinct()) <= {
        "caseworker",
        "caseworker2",
    }

    # Attendance only for past, held sessions; mostly present, some late and excused.
    marks = Attendance.objects.all()
    assert not marks.filter(session__cancelled=True).exists()
    assert not marks.filter(session__starts_at__date__gte=today).exists()
    by_status = dict(marks.values_list("status").annotate(n=Count("pk")))
    assert by_status[AttendanceStatus.PRESENT] > marks.count() / 2
    assert by_status.get(AttendanceStatus.LATE) and by_status.get(AttendanceStatus.EXCUSED)


@pytest.mark.django_db
def test_demo_learner_absent_from_the_last_three_sessions_gets_the_absence_reminder(demo):
    serhat = Enrollment.objects.get(applicant__given_name="Serhat")
    last = list(serhat.attendances.order_by("-session__starts_at").values_list("status", flat=True)[:4])
    assert last == ["absent", "absent", "absent", "present"]
    result = deadline_sweep.sweep(kinds=["learning_absence"], dry_run=True)
    assert [reminder.source_id for reminder in result.planned] == [serhat.pk]


@pytest.mark.django_db
def test_demo_progress_learner_has_a_clear_progression_with_certificates(demo):
    tharindu = Applicant.objects.get(given_name="Tharindu", family_name="Jayasinghe")
    results = list(Assessment.objects.filter(applicant=tharindu).order_by("assessed_on"))
    assert [(r.framework, r.level, r.cefr_level) for r in results] == [
        ("placement", "A1", "A1"),
        ("trainer_cefr", "A2", "A2"),
        ("jlpt", "N4", "A2"),
        ("jft_basic", "A2.2", "A2"),
    ]
    assert (timezone.localdate() - results[0].assessed_on).days >= 365
    jlpt, jft = results[2], results[3]
    assert jlpt.assessed_on >= rules.JLPT_TABLES[0].applies_from and jlpt.score and jlpt.passed
    assert jft.assessed_on >= rules.JFT_TABLES[-1].applies_from and jft.score == 205
    for result in (jlpt, jft):
        assert result.certificate is not None
        assert result.certificate.kind == Document.Kind.CERTIFICATE
        assert result.certificate.original_name.endswith(".pdf")
    admin = User.objects.get(username="admin")
    level = selectors.current_assessed_level(user=admin, applicant_id=tharindu.pk)
    assert level is not None and (level.framework, level.level) == ("jft_basic", "A2.2")
    # Hours attended for the progress chart: the learner came to sessions.
    figures = selectors.attendance_figures(
        Enrollment.objects.filter(applicant=tharindu).values_list("pk", flat=True)
    )
    assert sum(f.minutes_attended for f in figures.values()) > 0
