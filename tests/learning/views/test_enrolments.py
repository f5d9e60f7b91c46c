"""Enrolment through the pages: enrol (capacity and waiting list, twice, bad input, `next`), drop out
with a reason (the first on the waiting list moves up), complete; per role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from learning.models import Enrollment, EnrollmentStatus
from tests.casework.applicant_factories import ApplicantFactory
from tests.learning.factories import CourseFactory, EnrollmentFactory
from tests.learning.views_setup import today

pytestmark = pytest.mark.django_db
ENROL = "/learning/enrol/"


def detail(course) -> str:
    return reverse("learning:course_detail", kwargs={"pk": course.pk})


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_enrol_contract_url():
    assert reverse("learning:enrol") == ENROL


def test_caseworker_enrols_own_person_and_goes_back_to_the_course(client_for, caseworker, course, own_person):
    response = client_for(caseworker).post(
        ENROL, {"course": course.pk, "applicant": own_person.reference_code}
    )
    assert response.status_code == 302 and response["Location"] == detail(course)
    enrollment = Enrollment.objects.get(course=course, applicant=own_person)
    assert enrollment.status == EnrollmentStatus.ENROLLED and enrollment.enrolled_by == caseworker
    assert texts(response) == [f"{own_person} is enrolled in Japanese A2 evening."]


def test_a_full_course_puts_the_person_on_the_waiting_list(client_for, caseworker, course, team):
    for _ in range(course.capacity):
        EnrollmentFactory(course=course, applicant__team=team)
    first = ApplicantFactory(team=team, caseworker=caseworker)
    second = ApplicantFactory(team=team, caseworker=caseworker)
    client = client_for(caseworker)
    client.post(ENROL, {"course": course.pk, "applicant": first.reference_code})
    response = client.post(ENROL, {"course": course.pk, "applicant": second.reference_code})
    assert texts(response)[-1] == f"Japanese A2 evening is full: {second} is number 2 on the waiting list."
    assert Enrollment.objects.get(applicant=second).status == EnrollmentStatus.WAITLISTED


def test_enrolling_twice_says_so_and_adds_nothing(client_for, caseworker, course, own_enrollment, own_person):
    response = client_for(caseworker).post(
        ENROL, {"course": course.pk, "applicant": own_person.reference_code}
    )
    assert response.status_code == 302
    assert texts(response) == [f"{own_person} is already in this course (Enrolled)."]
    assert Enrollment.objects.filter(applicant=own_person).count() == 1


def test_next_goes_back_to_a_local_page_only(client_for, caseworker, course, own_person, team):
    client = client_for(caseworker)
    back = f"/applicants/{own_person.reference_code}/"
    response = client.post(ENROL, {"course": course.pk, "applicant": own_person.reference_code, "next": back})
    assert response["Location"] == back
    other = ApplicantFactory(team=team, caseworker=caseworker)
    evil = client.post(
        ENROL, {"course": course.pk, "applicant": other.reference_code, "next": "https://evil.example/x"}
    )
    assert evil["Location"] == detail(course)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"course": "", "applicant": "A-2026-00001"}, "Choose a course to enrol the person in."),
        ({"course": "999999", "applicant": "A-2026-00001"}, "Choose a course to enrol the person in."),
        ({"course": "abc"}, "Choose a course to enrol the person in."),
    ],
)
def test_bad_course_input_is_a_message_not_an_error_page(client_for, caseworker, data, message):
    response = client_for(caseworker).post(ENROL, data)
    assert response.status_code == 302 and response["Location"] == reverse("learning:course_list")
    assert texts(response) == [message]
    assert not Enrollment.objects.exists()


def test_an_unknown_or_invisible_person_is_a_message(client_for, caseworker, course, other_person):
    client = client_for(caseworker)
    response = client.post(ENROL, {"course": course.pk, "applicant": "A-1999-99999"})
    assert texts(response) == ["No person with the reference code “A-1999-99999” in your caseload."]
    response = client.post(ENROL, {"course": course.pk, "applicant": other_person.reference_code})
    assert "No person with the reference code" in texts(response)[0]
    assert not Enrollment.objects.exists()


def test_a_teammates_person_is_readable_but_not_enrollable(client_for, caseworker, teammate, course, team):
    theirs = ApplicantFactory(team=team, caseworker=teammate)
    response = client_for(caseworker).post(ENROL, {"course": course.pk, "applicant": theirs.reference_code})
    assert response.status_code == 302
    assert "You cannot enrol" in texts(response)[0]
    assert not Enrollment.objects.exists()


def test_an_ended_course_is_refused_with_the_reason(client_for, caseworker, own_person):
    ended = CourseFactory(starts_on=today() - timedelta(days=100), ends_on=today() - timedelta(days=1))
    response = client_for(caseworker).post(
        ENROL, {"course": ended.pk, "applicant": own_person.reference_code}
    )
    assert texts(response) == ["This course's term has ended; choose a current course."]


@pytest.mark.parametrize("who, status", [("trainer", 403), ("employer", 403)])
def test_trainers_and_employers_cannot_enrol(request, client_for, who, status, course, own_person):
    response = client_for(request.getfixturevalue(who)).post(
        ENROL, {"course": course.pk, "applicant": own_person.reference_code}
    )
    assert response.status_code == status
    assert not Enrollment.objects.exists()


def test_enrol_is_post_only_and_needs_sign_in(client, client_for, caseworker):
    assert client_for(caseworker).get(ENROL).status_code == 405
    assert client.post(ENROL, {}).status_code == 302


@pytest.mark.parametrize("who", ["supervisor", "administrator"])
def test_supervisor_and_administrator_enrol(request, client_for, who, course, own_person):
    client_for(request.getfixturevalue(who)).post(
        ENROL, {"course": course.pk, "applicant": own_person.reference_code}
    )
    assert Enrollment.objects.filter(applicant=own_person).exists()


# --- Drop out -----------------------------------------------------------------------------------------


def drop_url(enrollment) -> str:
    return reverse("learning:enrollment_drop", kwargs={"pk": enrollment.pk})


def test_drop_asks_why_and_moves_up_the_first_waiting(client_for, caseworker, course, own_enrollment, team):
    for _ in range(course.capacity - 1):
        EnrollmentFactory(course=course, applicant__team=team)
    first = EnrollmentFactory(course=course, status=EnrollmentStatus.WAITLISTED, applicant__team=team)
    EnrollmentFactory(course=course, status=EnrollmentStatus.WAITLISTED, applicant__team=team)
    client = client_for(caseworker)
    form = client.get(drop_url(own_enrollment))
    assert form.status_code == 200 and 'name="drop_reason"' in form.content.decode()
    response = client.post(drop_url(own_enrollment), {"drop_reason": "Moved to Osaka"})
    assert response.status_code == 302 and response["Location"] == detail(course)
    own_enrollment.refresh_from_db()
    assert own_enrollment.status == EnrollmentStatus.DROPPED
    assert own_enrollment.drop_reason == "Moved to Osaka" and own_enrollment.ended_on == today()
    first.refresh_from_db()
    assert first.status == EnrollmentStatus.ENROLLED
    assert texts(response) == [
        f"{own_enrollment.applicant} has left Japanese A2 evening.",
        f"{first.applicant} moved up from the waiting list and is now enrolled.",
    ]


def test_drop_without_a_reason_is_refused_next_to_the_field(client_for, caseworker, own_enrollment):
    response = client_for(caseworker).post(drop_url(own_enrollment), {"drop_reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["drop_reason"] == ["Say why the learner is leaving the course."]
    own_enrollment.refresh_from_db()
    assert own_enrollment.status == EnrollmentStatus.ENROLLED


def test_dropping_twice_is_a_form_error(client_for, caseworker, own_enrollment):
    client = client_for(caseworker)
    client.post(drop_url(own_enrollment), {"drop_reason": "Job"})
    again = client.post(drop_url(own_enrollment), {"drop_reason": "Job"})
    assert again.status_code == 200
    assert "This enrolment has already ended." in again.content.decode()


def test_drop_per_role(
    client_for, caseworker, trainer, employer, other_caseworker, supervisor, own_enrollment, other_enrollment
):
    assert client_for(caseworker).get(drop_url(other_enrollment)).status_code == 404  # not their learner
    assert client_for(trainer).get(drop_url(own_enrollment)).status_code == 403
    assert client_for(employer).get(drop_url(own_enrollment)).status_code == 403
    assert client_for(supervisor).get(drop_url(own_enrollment)).status_code == 200
    assert client_for(supervisor).get(drop_url(other_enrollment)).status_code == 404


def test_a_teammates_learner_is_read_only(client_for, caseworker, teammate, course, team):
    theirs = EnrollmentFactory(course=course, applicant=ApplicantFactory(team=team, caseworker=teammate))
    # Team-shared caseload: readable profile, not changeable records; the enrolment is not visible.
    assert client_for(caseworker).get(drop_url(theirs)).status_code == 404


# --- Complete -----------------------------------------------------------------------------------------


def complete_url(enrollment) -> str:
    return reverse("learning:enrollment_complete", kwargs={"pk": enrollment.pk})


@pytest.mark.parametrize("who", ["trainer", "caseworker", "administrator", "supervisor"])
def test_complete_by_trainer_caseworker_supervisor_administrator(
    request, client_for, who, own_enrollment, course
):
    response = client_for(request.getfixturevalue(who)).post(complete_url(own_enrollment))
    assert response.status_code == 302 and response["Location"] == detail(course)
    own_enrollment.refresh_from_db()
    assert own_enrollment.status == EnrollmentStatus.COMPLETED
    assert texts(response) == [f"{own_enrollment.applicant} has completed Japanese A2 evening."]


def test_complete_per_role_refusals(
    client, client_for, other_trainer, employer, caseworker, own_enrollment, other_enrollment
):
    assert client_for(other_trainer).post(complete_url(own_enrollment)).status_code == 404
    assert client_for(employer).post(complete_url(own_enrollment)).status_code == 403
    assert client_for(caseworker).post(complete_url(other_enrollment)).status_code == 404
    assert client_for(caseworker).get(complete_url(own_enrollment)).status_code == 405
    assert client.post(complete_url(own_enrollment)).status_code == 302
    own_enrollment.refresh_from_db()
    assert own_enrollment.status == EnrollmentStatus.ENROLLED


def test_completing_a_waiting_learner_is_a_message(client_for, caseworker, course, team, own_person):
    waiting = EnrollmentFactory(course=course, applicant=own_person, status=EnrollmentStatus.WAITLISTED)
    response = client_for(caseworker).post(complete_url(waiting))
    assert response.status_code == 302
    assert texts(response) == ["Only an enrolled learner can complete the course."]
