"""Learner pages through the test client: access per role, recording results (bad input), certificates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLogEntry, Document
from casework.roles import Role
from learning.models import Assessment
from learning.services import assessment_record
from tests.casework.applicant_factories import ApplicantFactory
from tests.casework.factories import UserFactory
from tests.casework.record_factories import (
    clean_documents,  # noqa: F401 (fixture)
    pdf_upload,
)
from tests.learning.factories import AssessmentFactory, CourseFactory, EnrollmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_documents")]

ROLES = ["anonymous", "administrator", "supervisor", "caseworker", "trainer", "employer"]


def today():
    return timezone.localdate()


@pytest.fixture
def world(team, other_team, caseworker, other_caseworker, trainer, make_user):
    """Own caseload learner in the trainer's course; another team's learner in another trainer's course."""
    other_trainer = make_user(Role.TRAINER, username="trainer-other")
    own = ApplicantFactory(team=team, caseworker=caseworker, family_name="Own", given_name="Learner")
    other = ApplicantFactory(
        team=other_team, caseworker=other_caseworker, family_name="Other", given_name="One"
    )
    course = CourseFactory(trainers=[trainer], name="Japanese A2 evening")
    other_course = CourseFactory(trainers=[other_trainer], name="Japanese B1 weekend")
    EnrollmentFactory(course=course, applicant=own)
    EnrollmentFactory(course=other_course, applicant=other)
    return {"own": own, "other": other, "course": course, "other_course": other_course}


def client_of(role, request, client_for):
    if role == "anonymous":
        from django.test import Client

        return Client()
    return client_for(request.getfixturevalue(role))


# Expected status per role for (own learner, other learner).
DETAIL_EXPECTED = {
    "anonymous": (302, 302),
    "administrator": (200, 200),
    "supervisor": (200, 404),
    "caseworker": (200, 404),
    "trainer": (200, 404),
    "employer": (403, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_learner_page_access(role, request, client_for, world):
    client = client_of(role, request, client_for)
    for who, expected in zip(("own", "other"), DETAIL_EXPECTED[role], strict=True):
        path = reverse("learning:learner_detail", kwargs={"reference_code": world[who].reference_code})
        assert client.get(path).status_code == expected, (role, who)


@pytest.mark.parametrize("role", ROLES)
def test_assessment_add_access(role, request, client_for, world):
    client = client_of(role, request, client_for)
    for who, expected in zip(("own", "other"), DETAIL_EXPECTED[role], strict=True):
        path = reverse("learning:assessment_add", kwargs={"reference_code": world[who].reference_code})
        assert client.get(path).status_code == expected, (role, who)
        # A POST by someone who may not see the person writes nothing.
        client.post(path, {"framework": "trainer_cefr", "level": "B1", "assessed_on": today().isoformat()})
    written = set(Assessment.objects.values_list("applicant__family_name", flat=True))
    allowed_own, allowed_other = (code == 200 for code in DETAIL_EXPECTED[role])
    assert ("Own" in written) == allowed_own
    assert ("Other" in written) == allowed_other


def test_a_teammate_reading_a_shared_case_has_no_learner_page(client_for, teammate, world):
    path = reverse("learning:learner_detail", kwargs={"reference_code": world["own"].reference_code})
    assert client_for(teammate).get(path).status_code == 404


def test_learner_page_shows_language_data_and_nothing_of_the_case(client_for, trainer, caseworker, world):
    own = world["own"]
    own.phone = "090-1234-5678"
    own.email = "own.learner@example.org"
    own.save()
    AssessmentFactory(applicant=own, framework="jft_basic", level="A2", score=210, cefr_level="A2")
    page = client_for(trainer).get(
        reverse("learning:learner_detail", kwargs={"reference_code": own.reference_code})
    )
    html = page.content.decode()
    assert own.display_name in html
    assert "Japanese A2 evening" in html and "Japanese B1 weekend" not in html
    assert "JFT-Basic" in html and "<svg" in html
    for secret in ("090-1234-5678", "own.learner@example.org", "Legal status", "Notes", "Documents"):
        assert secret not in html, secret
    # The trainer gets no link to the case page (which is closed to them); the caseworker does.
    case_url = reverse("applicant_detail", kwargs={"reference_code": own.reference_code})
    assert f'href="{case_url}"' not in html
    staff_html = client_for(caseworker).get(page.wsgi_request.path).content.decode()
    assert f'href="{case_url}"' in staff_html


def test_trainer_sees_only_the_enrolments_of_their_own_courses(client_for, trainer, world, make_user):
    third = CourseFactory(trainers=[make_user(Role.TRAINER)], name="IT basics for work")
    EnrollmentFactory(course=third, applicant=world["own"])
    path = reverse("learning:learner_detail", kwargs={"reference_code": world["own"].reference_code})
    html = client_for(trainer).get(path).content.decode()
    assert "Japanese A2 evening" in html and "IT basics for work" not in html


# --- Recording a result ------------------------------------------------------------------------------------


def post_result(client, applicant, **data):
    path = reverse("learning:assessment_add", kwargs={"reference_code": applicant.reference_code})
    payload = {"framework": "jft_basic", "assessed_on": (today() - timedelta(days=3)).isoformat(), **data}
    return client.post(path, {k: v for k, v in payload.items() if v is not None})


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"framework": "jlpt", "level": "N6", "score": "100"}, "level", "N5 to N1"),
        ({"framework": "jft_basic", "score": "5"}, "score", "10 to 250"),
        ({"framework": "jft_basic", "score": "251"}, "score", "10 to 250"),
        ({"framework": "bjt", "score": "801"}, "score", "0 to 800"),
        ({"framework": "jft_basic", "score": "220", "assessed_on": "2999-01-01"}, "assessed_on", "future"),
        ({"framework": "jlpt", "level": "N3", "score": ""}, "score", "total score"),
        ({"framework": "jft_basic", "score": "abc"}, "score", "whole number"),
        ({"framework": "trainer_cefr", "level": "Z9"}, "level", "A1 to C2"),
        (
            {"framework": "jlpt", "level": "N3", "score": "120", "section_language_knowledge": "61"},
            "section_listening",
            "0 to 60",
        ),
    ],
)
def test_bad_input_is_shown_next_to_the_field(client_for, caseworker, world, data, field, message):
    response = post_result(client_for(caseworker), world["own"], **data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert any(message in error for error in form.errors[field]), form.errors[field]
    html = response.content.decode()
    assert 'class="errorlist' in html
    assert not Assessment.objects.exists()


def test_jlpt_level_is_normalised_and_next_leads_back_to_the_applicant_page(client_for, caseworker, world):
    own = world["own"]
    back = reverse("applicant_detail", kwargs={"reference_code": own.reference_code}) + "#panel-learning"
    response = post_result(client_for(caseworker), own, framework="jlpt", level="N 3", score="110", next=back)
    assert response.status_code == 302 and response["Location"] == back
    result = Assessment.objects.get()
    assert (result.level, result.cefr_level, result.recorded_by) == ("N3", "B1", caseworker)


def test_an_outside_next_is_ignored(client_for, caseworker, world):
    response = post_result(client_for(caseworker), world["own"], score="210", next="https://evil.example/")
    learner = reverse("learning:learner_detail", kwargs={"reference_code": world["own"].reference_code})
    assert response["Location"] == learner


def test_jlpt_section_scores_are_kept(client_for, trainer, world):
    response = post_result(
        client_for(trainer),
        world["own"],
        framework="jlpt",
        level="N4",
        score="100",
        section_language_knowledge_reading="70",
        section_listening="30",
        course=str(world["course"].pk),
    )
    assert response.status_code == 302
    result = Assessment.objects.get()
    assert result.skill_scores == {"language_knowledge_reading": 70, "listening": 30}
    assert result.course == world["course"] and result.recorded_by.username == "trainer1"


def test_a_course_the_user_cannot_see_is_refused(client_for, trainer, world):
    response = post_result(
        client_for(trainer), world["own"], score="210", course=str(world["other_course"].pk)
    )
    assert "course" in response.context["form"].errors
    assert not Assessment.objects.exists()


def test_certificate_upload_is_stored_as_a_certificate_document(client_for, trainer, world):
    client = client_for(trainer)
    path = reverse("learning:assessment_add", kwargs={"reference_code": world["own"].reference_code})
    response = client.post(
        path,
        {
            "framework": "jft_basic",
            "score": "215",
            "assessed_on": (today() - timedelta(days=1)).isoformat(),
            "certificate": pdf_upload("jft-score-report.pdf"),
        },
    )
    assert response.status_code == 302
    result = Assessment.objects.get()
    assert result.certificate.kind == Document.Kind.CERTIFICATE
    assert result.certificate.applicant == world["own"]


def test_a_file_that_is_not_a_document_is_refused_next_to_the_field(client_for, caseworker, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = reverse("learning:assessment_add", kwargs={"reference_code": world["own"].reference_code})
    response = client_for(caseworker).post(
        path,
        {
            "framework": "jft_basic",
            "score": "215",
            "assessed_on": (today() - timedelta(days=1)).isoformat(),
            "certificate": SimpleUploadedFile(
                "run.exe", b"MZ\x90\x00binary", content_type="application/x-msdownload"
            ),
        },
    )
    assert response.status_code == 200
    assert "certificate" in response.context["form"].errors
    assert not Assessment.objects.exists() and not Document.objects.exists()


# --- Certificates --------------------------------------------------------------------------------------


@pytest.fixture
def certificates(world, caseworker, other_caseworker):
    day = today() - timedelta(days=2)
    own = assessment_record(
        by=caseworker,
        applicant=world["own"],
        framework="jft_basic",
        score=205,
        assessed_on=day,
        certificate=pdf_upload("own-certificate.pdf"),
    )
    other = assessment_record(
        by=other_caseworker,
        applicant=world["other"],
        framework="jft_basic",
        score=205,
        assessed_on=day,
        certificate=pdf_upload("other-certificate.pdf"),
    )
    bare = AssessmentFactory(applicant=world["own"])
    return {"own": own, "other": other, "bare": bare}


CERTIFICATE_EXPECTED = {  # own learner's, other learner's, own learner's result without a certificate
    "anonymous": (302, 302, 302),
    "administrator": (200, 200, 404),
    "supervisor": (200, 404, 404),
    "caseworker": (200, 404, 404),
    "trainer": (200, 404, 404),
    "employer": (403, 403, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_certificate_download_access_and_access_log(role, request, client_for, certificates):
    client = client_of(role, request, client_for)
    for which, expected in zip(("own", "other", "bare"), CERTIFICATE_EXPECTED[role], strict=True):
        path = reverse("learning:assessment_certificate", kwargs={"pk": certificates[which].pk})
        response = client.get(path)
        assert response.status_code == expected, (role, which)
        if expected == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
    logged = AccessLogEntry.objects.filter(kind="document_download", detail__through="learning")
    assert logged.count() == sum(code == 200 for code in CERTIFICATE_EXPECTED[role])
    if logged:
        entry = logged.filter(applicant=certificates["own"].applicant).get()
        assert entry.detail["document"] == certificates["own"].certificate_id
        assert entry.actor.username == request.getfixturevalue(role).username


def test_trainer_cannot_download_certificates_through_casework(client_for, trainer, certificates):
    document = certificates["own"].certificate
    path = reverse(
        "applicant_document_download",
        kwargs={"reference_code": document.applicant.reference_code, "pk": document.pk},
    )
    assert client_for(trainer).get(path).status_code in (403, 404)


def test_learner_page_query_count_does_not_grow(client_for, trainer, world, django_assert_max_num_queries):
    from tests.learning.factories import AttendanceFactory, SessionFactory, at

    own = world["own"]
    client = client_for(trainer)
    path = reverse("learning:learner_detail", kwargs={"reference_code": own.reference_code})
    client.get(path)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    enrollment = own.enrollments.get()
    for index in range(30):
        session = SessionFactory(course=world["course"], starts_at=at(today() - timedelta(days=index + 1)))
        AttendanceFactory(session=session, enrollment=enrollment, status="absent" if index % 3 else "present")
    for index in range(8):
        AssessmentFactory(
            applicant=own, assessed_on=today() - timedelta(days=10 * index + 1), cefr_level="A2"
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(path).status_code == 200
    assert len(small) == len(large), (len(small), len(large))


def test_employer_user_in_the_same_organisation_gets_403(client_for, world):
    employer = UserFactory(roles=[Role.EMPLOYER])
    path = reverse("learning:learner_detail", kwargs={"reference_code": world["own"].reference_code})
    assert client_for(employer).get(path).status_code == 403
