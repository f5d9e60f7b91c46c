"""The Django admin for learning: administrators (not superusers) through their group's permissions,
reads through visible_to, new rows through the services, no per-row queries on the changelists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from casework.models import Organisation
from casework.roles import Role
from learning.models import Assessment, Attendance, Course, Enrollment, EnrollmentStatus, Session
from tests.casework.applicant_factories import ApplicantFactory
from tests.casework.factories import UserFactory
from tests.learning.factories import (
    AssessmentFactory,
    AttendanceFactory,
    CourseFactory,
    EnrollmentFactory,
    SessionFactory,
    at,
)

MODELS = ("course", "session", "enrollment", "attendance", "assessment")
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for, administrator):
    assert not administrator.is_superuser
    return client_for(administrator)


def make_rows(trainer, caseworker, count: int) -> list[Course]:
    """`count` courses, each with two past sessions, three learners, their marks and an assessment."""
    courses = []
    today = timezone.localdate()
    for _ in range(count):
        course = CourseFactory(trainers=[trainer])
        sessions = [SessionFactory(course=course, starts_at=at(today - timedelta(days=d))) for d in (7, 14)]
        for _learner in range(3):
            applicant = ApplicantFactory(caseworker=caseworker, team=caseworker.team)
            enrollment = EnrollmentFactory(course=course, applicant=applicant)
            for session in sessions:
                AttendanceFactory(session=session, enrollment=enrollment)
            AssessmentFactory(applicant=applicant, course=course)
        courses.append(course)
    return courses


def test_the_administrator_group_has_the_learning_permissions():
    codenames = set(
        Group.objects.get(name=Role.ADMINISTRATOR)
        .permissions.filter(content_type__app_label="learning")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        f"{action}_{model}" for model in MODELS for action in ("add", "view", "change", "delete")
    }


@pytest.mark.parametrize("model", MODELS)
def test_administrator_opens_every_learning_changelist_and_add_page(admin_client, trainer, caseworker, model):
    make_rows(trainer, caseworker, 1)
    changelist = admin_client.get(reverse(f"admin:learning_{model}_changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count >= 1
    assert admin_client.get(reverse(f"admin:learning_{model}_add")).status_code == 200


def test_administrator_opens_the_change_pages(admin_client, trainer, caseworker):
    course = make_rows(trainer, caseworker, 1)[0]
    rows = {
        "course": course,
        "session": Session.objects.filter(course=course).first(),
        "enrollment": Enrollment.objects.filter(course=course).first(),
        "attendance": Attendance.objects.filter(session__course=course).first(),
        "assessment": Assessment.objects.filter(course=course).first(),
    }
    for model, row in rows.items():
        response = admin_client.get(reverse(f"admin:learning_{model}_change", args=[row.pk]))
        assert response.status_code == 200, model


@pytest.mark.parametrize("role_name", ["trainer", "caseworker", "supervisor", "employer"])
def test_other_roles_cannot_open_the_learning_admin(role_users, client_for, role_name):
    user = role_users[Role(role_name)]
    client = client_for(user)
    for model in MODELS:
        response = client.get(reverse(f"admin:learning_{model}_changelist"))
        assert response.status_code == 302 and "/login/" in response["Location"], model


def test_a_trainer_marked_staff_still_gets_no_learning_admin(make_user, client_for):
    # is_staff opens the admin site, but the trainer group carries no model permission.
    user = make_user(Role.TRAINER, username="staff-trainer", is_staff=True)
    client = client_for(user)
    for model in MODELS:
        assert client.get(reverse(f"admin:learning_{model}_changelist")).status_code == 403, model


def test_admin_lists_only_the_organisation_s_courses(admin_client, trainer):
    ours = CourseFactory(name="Ours", trainers=[trainer])
    other_org = Organisation.objects.create(name="Other NPO", slug="other")
    theirs = CourseFactory(
        name="Theirs", organisation=other_org, created_by=UserFactory(organisation=other_org)
    )
    response = admin_client.get(reverse("admin:learning_course_changelist"))
    shown = {course.pk for course in response.context["cl"].result_list}
    assert ours.pk in shown and theirs.pk not in shown


@pytest.mark.parametrize("model", MODELS)
def test_changelists_run_a_fixed_number_of_queries(
    admin_client, trainer, caseworker, django_assert_max_num_queries, model
):
    make_rows(trainer, caseworker, 1)
    url = reverse(f"admin:learning_{model}_changelist")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(url).status_code == 200
    make_rows(trainer, caseworker, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_a_course_added_in_the_admin_goes_through_the_service(admin_client, administrator, trainer):
    today = timezone.localdate()
    response = admin_client.post(
        reverse("admin:learning_course_add"),
        {
            "name": "Japanese A1 (admin)",
            "kind": "japanese",
            "target_level": "A1",
            "format": "online",
            "place": "",
            "description": "",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
            "capacity": "10",
            "trainers": [str(trainer.pk)],
            "sessions-TOTAL_FORMS": "0",
            "sessions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    course = Course.objects.get(name="Japanese A1 (admin)")
    assert course.created_by == administrator
    assert list(course.trainers.all()) == [trainer]


def test_a_bad_course_shows_the_service_message_next_to_the_field(admin_client):
    today = timezone.localdate()
    response = admin_client.post(
        reverse("admin:learning_course_add"),
        {
            "name": "Backwards",
            "kind": "japanese",
            "format": "online",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=3)).isoformat(),
            "capacity": "10",
            "sessions-TOTAL_FORMS": "0",
            "sessions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "The term cannot end before it starts." in response.context["adminform"].form.errors["ends_on"]
    assert not Course.objects.filter(name="Backwards").exists()


def test_enrolling_past_capacity_in_the_admin_puts_the_person_on_the_waiting_list(admin_client, caseworker):
    course = CourseFactory(capacity=1)
    EnrollmentFactory(course=course)
    applicant = ApplicantFactory(caseworker=caseworker, team=caseworker.team)
    response = admin_client.post(
        reverse("admin:learning_enrollment_add"), {"course": str(course.pk), "applicant": str(applicant.pk)}
    )
    assert response.status_code == 302
    assert Enrollment.objects.get(course=course, applicant=applicant).status == EnrollmentStatus.WAITLISTED


def test_an_assessment_correction_derives_the_cefr_level_again(admin_client, caseworker):
    applicant = ApplicantFactory(caseworker=caseworker, team=caseworker.team)
    assessment = AssessmentFactory(
        applicant=applicant, framework="jft_basic", level="A2.1", score=180, cefr_level="A2"
    )
    day = assessment.assessed_on
    response = admin_client.post(
        reverse("admin:learning_assessment_change", args=[assessment.pk]),
        {
            "framework": "jft_basic",
            "level": "",
            "score": "150",
            "skill_scores": "{}",
            "assessed_on": day.isoformat(),
            "course": "",
            "notes": "corrected",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assessment.refresh_from_db()
    assert (assessment.score, assessment.level, assessment.cefr_level) == (150, "A1", "A1")
