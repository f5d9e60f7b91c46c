"""Correcting and deleting a language result: the services (CEFR derived again, bad input named, history),
the pages (each role, own and others' learners, GET and POST), the API (PATCH and DELETE), and the
applicant page's query count with the new links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import ChangeRecord, Document, Organisation
from casework.roles import Role
from learning import services
from learning.models import Assessment
from tests.casework.applicant_factories import ApplicantFactory
from tests.casework.factories import TeamFactory, UserFactory
from tests.casework.record_factories import (
    clean_documents,  # noqa: F401 (fixture)
    pdf_upload,
)
from tests.learning.factories import AssessmentFactory, CourseFactory, EnrollmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_documents")]

ROLES = ["anonymous", "administrator", "supervisor", "caseworker", "teammate", "trainer", "employer"]
CASES = ("own", "other", "foreign")
API = "/api/v1/assessments/"


def today():
    return timezone.localdate()


def jlpt(by, applicant, *, score=100, level="N3", course=None):
    return services.assessment_record(
        by=by,
        applicant=applicant,
        framework="jlpt",
        level=level,
        score=score,
        assessed_on=today() - timedelta(days=10),
        course=course,
    )


@pytest.fixture
def world(team, other_team, caseworker, other_caseworker, trainer, make_user, administrator):
    """Own learner (caseworker's caseload, in the trainer's course); another team's learner in another
    trainer's course; a person of another organisation. Each has one JLPT N3 result (score 100: A2)."""
    other_trainer = make_user(Role.TRAINER, username="trainer-other")
    own = ApplicantFactory(team=team, caseworker=caseworker, family_name="Own", given_name="Learner")
    other = ApplicantFactory(
        team=other_team, caseworker=other_caseworker, family_name="Other", given_name="One"
    )
    elsewhere = Organisation.objects.create(name="Elsewhere", slug="elsewhere")
    foreign_team = TeamFactory(organisation=elsewhere)
    foreign_admin = UserFactory(roles=[Role.ADMINISTRATOR], organisation=elsewhere, team=foreign_team)
    foreign = ApplicantFactory(team=foreign_team, family_name="Far", given_name="Away")
    course = CourseFactory(trainers=[trainer], name="Japanese A2 evening")
    other_course = CourseFactory(trainers=[other_trainer], name="Japanese B1 weekend")
    EnrollmentFactory(course=course, applicant=own)
    EnrollmentFactory(course=other_course, applicant=other)
    return {
        "own": own,
        "other": other,
        "foreign": foreign,
        "course": course,
        "other_course": other_course,
        "other_trainer": other_trainer,
        "results": {
            "own": jlpt(caseworker, own),
            "other": jlpt(other_caseworker, other),
            "foreign": jlpt(foreign_admin, foreign),
        },
    }


def client_of(role, request, client_for):
    if role == "anonymous":
        return Client()
    return client_for(request.getfixturevalue(role))


def stored(assessment):
    return Assessment.objects.filter(pk=assessment.pk).values(
        "framework", "level", "score", "cefr_level", "passed", "assessed_on", "notes", "course_id"
    )[0]


def history(assessment, action):
    return ChangeRecord.objects.filter(
        model="learning.assessment", object_id=str(assessment.pk), action=action
    )


# --- Services ----------------------------------------------------------------------------------------------


def test_a_corrected_score_derives_the_cefr_level_again(world, caseworker):
    result = world["results"]["own"]
    assert (result.cefr_level, result.passed) == ("A2", True)
    corrected = services.assessment_update(by=caseworker, assessment=result, data={"score": 110})
    row = stored(result)
    assert (row["score"], row["level"], row["cefr_level"], row["passed"]) == (110, "N3", "B1", True)
    assert corrected.cefr_level == "B1"
    # Below the pass mark: not passed, and no CEFR level any more (N3 below 95).
    services.assessment_update(by=caseworker, assessment=result, data={"score": 60})
    assert (stored(result)["cefr_level"], stored(result)["passed"]) == ("", False)


def test_a_correction_changes_only_the_fields_sent(world, caseworker):
    result = world["results"]["own"]
    before = stored(result)
    services.assessment_update(by=caseworker, assessment=result, data={"notes": "  Typo in the score  "})
    after = stored(result)
    assert after["notes"] == "Typo in the score"
    assert {k: v for k, v in after.items() if k != "notes"} == {
        k: v for k, v in before.items() if k != "notes"
    }


def test_a_correction_may_change_framework_and_level(world, caseworker):
    result = world["results"]["own"]
    services.assessment_update(
        by=caseworker, assessment=result, data={"framework": "jft_basic", "level": "", "score": 210}
    )
    row = stored(result)
    assert (row["framework"], row["level"], row["cefr_level"], row["passed"]) == (
        "jft_basic",
        "A2.2",
        "A2",
        True,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"level": "N6"}, "level"),
        ({"framework": "jft_basic", "level": "", "score": 300}, "score"),
        ({"assessed_on": "tomorrow"}, "assessed_on"),
        ({"score": 200}, "score"),  # JLPT runs 0–180
        ({"framework": "bogus"}, "framework"),
        ({"skill_scores": {"listening": 70}}, "skill_scores"),
    ],
)
def test_bad_corrections_name_the_field_and_change_nothing(world, caseworker, data, field):
    if data.get("assessed_on") == "tomorrow":
        data = {"assessed_on": today() + timedelta(days=1)}
    result = world["results"]["own"]
    before = stored(result)
    updates = history(result, ChangeRecord.Action.UPDATE).count()
    with pytest.raises(ValidationError) as caught:
        services.assessment_update(by=caseworker, assessment=result, data=data)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert stored(result) == before
    assert history(result, ChangeRecord.Action.UPDATE).count() == updates


def test_a_course_chosen_on_correction_must_be_one_of_the_users(world, trainer):
    result = world["results"]["own"]
    with pytest.raises(ValidationError) as caught:
        services.assessment_update(by=trainer, assessment=result, data={"course": world["other_course"]})
    assert "course" in caught.value.message_dict
    assert stored(result)["course_id"] is None
    services.assessment_update(by=trainer, assessment=result, data={"course": world["course"]})
    assert stored(result)["course_id"] == world["course"].pk


def test_a_course_the_user_cannot_see_is_kept_when_not_changed(world, other_caseworker, trainer):
    """A result linked to another trainer's course: the trainer of the person's own course corrects
    the score; the link stays."""
    result = world["results"]["own"]
    Assessment.objects.filter(pk=result.pk).update(course=world["other_course"])
    result.refresh_from_db()
    services.assessment_update(
        by=trainer, assessment=result, data={"score": 110, "course": world["other_course"]}
    )
    assert stored(result)["course_id"] == world["other_course"].pk


def test_the_update_is_in_the_history_with_before_and_after(world, caseworker):
    result = world["results"]["own"]
    services.assessment_update(by=caseworker, assessment=result, data={"score": 110})
    record = history(result, ChangeRecord.Action.UPDATE).get()
    assert record.actor == caseworker
    assert record.applicant_id == world["own"].pk
    assert record.changes["score"] == {"old": 100, "new": 110}
    assert record.changes["cefr_level"] == {"old": "A2", "new": "B1"}
    assert set(record.changes) == {"score", "cefr_level"}


def test_a_correction_that_changes_nothing_writes_no_history(world, caseworker):
    result = world["results"]["own"]
    services.assessment_update(by=caseworker, assessment=result, data={"score": 100})
    assert not history(result, ChangeRecord.Action.UPDATE).exists()


def test_delete_keeps_the_certificate_and_the_history(world, caseworker):
    result = services.assessment_record(
        by=caseworker,
        applicant=world["own"],
        framework="jft_basic",
        score=210,
        assessed_on=today() - timedelta(days=3),
        certificate=pdf_upload("jft.pdf"),
    )
    document_pk = result.certificate_id
    assert document_pk is not None
    services.assessment_delete(by=caseworker, assessment=result)
    assert not Assessment.objects.filter(pk=result.pk).exists()
    assert Document.objects.filter(pk=document_pk, applicant=world["own"]).exists()
    record = history(result, ChangeRecord.Action.DELETE).get()
    assert record.actor == caseworker and record.applicant_id == world["own"].pk
    assert record.changes["score"] == {"old": 210, "new": None}
    assert record.changes["certificate_id"] == {"old": document_pk, "new": None}
    # Deleting it again: a message, no 500.
    with pytest.raises(ValidationError):
        services.assessment_delete(by=caseworker, assessment=result)


@pytest.mark.parametrize("who", ["other_caseworker", "other_supervisor", "employer", "other_trainer"])
def test_people_who_may_not_change_the_person_are_refused(world, request, who):
    user = world["other_trainer"] if who == "other_trainer" else request.getfixturevalue(who)
    result = world["results"]["own"]
    before = stored(result)
    with pytest.raises(PermissionDenied):
        services.assessment_update(by=user, assessment=result, data={"score": 110})
    with pytest.raises(PermissionDenied):
        services.assessment_delete(by=user, assessment=result)
    assert stored(result) == before
    assert not history(result, ChangeRecord.Action.DELETE).exists()


@pytest.mark.parametrize("who", ["caseworker", "supervisor", "administrator", "trainer"])
def test_who_may_correct_and_delete(world, request, who):
    user = request.getfixturevalue(who)
    result = world["results"]["own"]
    services.assessment_update(by=user, assessment=result, data={"score": 110})
    assert stored(result)["cefr_level"] == "B1"
    services.assessment_delete(by=user, assessment=result)
    assert not Assessment.objects.filter(pk=result.pk).exists()


# --- Pages -------------------------------------------------------------------------------------------------

# Expected status of a GET per role for (own learner, another team's learner, another organisation's).
PAGE_EXPECTED = {
    "anonymous": (302, 302, 302),
    "administrator": (200, 200, 404),
    "supervisor": (200, 404, 404),
    "caseworker": (200, 404, 404),
    "teammate": (404, 404, 404),  # a shared caseload shows the profile, not the learning records
    "trainer": (200, 404, 404),
    "employer": (403, 403, 403),
}


def edit_url(result):
    return reverse("learning:assessment_edit", kwargs={"pk": result.pk})


def delete_url(result):
    return reverse("learning:assessment_delete", kwargs={"pk": result.pk})


def form_data(result, **changes):
    data = {
        "framework": result.framework,
        "level": result.level,
        "score": result.score if result.score is not None else "",
        "assessed_on": result.assessed_on.isoformat(),
        "course": result.course_id or "",
        "notes": result.notes,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_edit_page_access(role, request, client_for, world):
    client = client_of(role, request, client_for)
    for case, expected in zip(CASES, PAGE_EXPECTED[role], strict=True):
        result = world["results"][case]
        before = stored(result)
        assert client.get(edit_url(result)).status_code == expected, (role, case)
        response = client.post(edit_url(result), form_data(result, score=110))
        if expected == 200:
            assert response.status_code == 302, (role, case, response.content[:500])
            assert stored(result)["cefr_level"] == "B1"
        else:
            assert response.status_code == expected, (role, case)
            assert stored(result) == before, (role, case)


@pytest.mark.parametrize("role", ROLES)
def test_delete_page_access(role, request, client_for, world):
    client = client_of(role, request, client_for)
    for case, expected in zip(CASES, PAGE_EXPECTED[role], strict=True):
        result = world["results"][case]
        assert client.get(delete_url(result)).status_code == expected, (role, case)
        response = client.post(delete_url(result))
        gone = not Assessment.objects.filter(pk=result.pk).exists()
        if expected == 200:
            assert response.status_code == 302 and gone, (role, case)
        else:
            assert response.status_code == expected and not gone, (role, case)


def test_other_supervisor_reaches_the_other_team_only(client_for, other_supervisor, world):
    client = client_for(other_supervisor)
    assert client.get(edit_url(world["results"]["own"])).status_code == 404
    assert client.get(edit_url(world["results"]["other"])).status_code == 200


def test_a_result_seen_but_not_changeable_is_403(client_for, caseworker, world, monkeypatch):
    never = lambda by, applicant: False  # noqa: E731
    monkeypatch.setattr(services, "assessment_editable", never)  # as the views call it
    monkeypatch.setattr(services.assessments, "assessment_editable", never)  # as the services do
    client = client_for(caseworker)
    result = world["results"]["own"]
    assert client.get(edit_url(result)).status_code == 403
    assert client.post(edit_url(result), form_data(result, score=110)).status_code == 403
    assert client.post(delete_url(result)).status_code == 403
    assert stored(result)["score"] == 100


def test_edit_form_shows_the_stored_values_and_no_upload(client_for, caseworker, world):
    result = world["results"]["own"]
    services.assessment_update(
        by=caseworker,
        assessment=result,
        data={"skill_scores": {"language_knowledge": 30, "reading": 30, "listening": 40}},
    )
    html = client_for(caseworker).get(edit_url(result)).content.decode()
    assert 'name="score" value="100"' in html
    assert 'name="level" value="N3"' in html
    assert 'name="section_listening" value="40"' in html
    assert 'name="certificate"' not in html and "multipart" not in html
    assert "Correct a test result" in html


def test_edit_post_with_bad_input_shows_the_message_on_the_field(client_for, caseworker, world):
    result = world["results"]["own"]
    response = client_for(caseworker).post(edit_url(result), form_data(result, level="N6"))
    assert response.status_code == 200
    assert "level" in response.context["form"].errors
    assert stored(result)["level"] == "N3"
    response = client_for(caseworker).post(
        edit_url(result), form_data(result, assessed_on=(today() + timedelta(days=2)).isoformat())
    )
    assert "assessed_on" in response.context["form"].errors
    response = client_for(caseworker).post(
        edit_url(result), form_data(result, framework="jft_basic", level="", score="300")
    )
    assert "score" in response.context["form"].errors
    assert stored(result)["framework"] == "jlpt"


def test_edit_and_delete_follow_a_safe_next_only(client_for, caseworker, world):
    result = world["results"]["own"]
    client = client_for(caseworker)
    back = reverse("applicant_detail", kwargs={"reference_code": world["own"].reference_code})
    response = client.post(edit_url(result), {**form_data(result, score=110), "next": back})
    assert response.status_code == 302 and response["Location"] == back
    response = client.post(edit_url(result), {**form_data(result), "next": "https://evil.example/"})
    learner = reverse("learning:learner_detail", kwargs={"reference_code": world["own"].reference_code})
    assert response["Location"] == learner
    html = client.get(f"{delete_url(result)}?next={back}").content.decode()
    assert f'name="next" value="{back}"' in html
    response = client.post(delete_url(result), {"next": "//evil.example/"})
    assert response["Location"] == learner


def test_a_trainer_keeps_the_link_to_another_trainers_course(client_for, trainer, world):
    result = world["results"]["own"]
    Assessment.objects.filter(pk=result.pk).update(course=world["other_course"])
    result.refresh_from_db()
    client = client_for(trainer)
    html = client.get(edit_url(result)).content.decode()
    assert f'<option value="{world["other_course"].pk}" selected>' in html
    response = client.post(edit_url(result), form_data(result, score=110))
    assert response.status_code == 302
    assert stored(result)["course_id"] == world["other_course"].pk


# --- Links on the learner page and the applicant page -----------------------------------------------------


def test_learner_page_has_links_per_row_for_the_trainer(client_for, trainer, world):
    path = reverse("learning:learner_detail", kwargs={"reference_code": world["own"].reference_code})
    html = client_for(trainer).get(path).content.decode()
    result = world["results"]["own"]
    assert f'href="{edit_url(result)}"' in html
    assert f'href="{delete_url(result)}"' in html


def test_applicant_page_links_come_back_to_the_panel(client_for, caseworker, world):
    path = reverse("applicant_detail", kwargs={"reference_code": world["own"].reference_code})
    html = client_for(caseworker).get(path + "?tab=learning").content.decode()
    result = world["results"]["own"]
    assert f'href="{edit_url(result)}?next=' in html
    assert "%3Ftab%3Dlearning%23panel-learning" in html.split(edit_url(result), 1)[1][:200]


def test_no_links_without_the_flag():
    from django.template.loader import render_to_string

    from learning.ui.learners import LearnerOverview

    class Chart:
        is_empty = True
        steps: list = []

    overview = LearnerOverview(
        applicant=None,  # type: ignore[arg-type]
        level=None,
        enrolments=[],
        assessments=[AssessmentFactory.build(pk=7, assessed_on=today())],
        chart=Chart(),  # type: ignore[arg-type]
    )
    html = render_to_string("learning/learner_progress.html", {"learning": overview, "heading_level": "2"})
    assert 'data-assessment-id="7"' in html and "/edit/" not in html
    html = render_to_string(
        "learning/learner_progress.html",
        {"learning": overview, "heading_level": "2", "can_change_assessments": True},
    )
    assert "/assessments/7/edit/" in html and "/assessments/7/delete/" in html


@pytest.mark.parametrize("role", ["caseworker", "administrator"])
def test_applicant_page_query_count_is_the_same_for_1_and_12_results(
    role, request, client_for, team, caseworker, trainer
):
    client = client_for(request.getfixturevalue(role))
    few = ApplicantFactory(team=team, caseworker=caseworker)
    many = ApplicantFactory(team=team, caseworker=caseworker)
    course = CourseFactory(trainers=[trainer])
    for person, count in ((few, 1), (many, 12)):
        EnrollmentFactory(course=course, applicant=person)
        for index in range(count):
            AssessmentFactory(
                applicant=person,
                framework="jlpt",
                level="N4",
                score=100,
                cefr_level="A2",
                course=course,
                assessed_on=today() - timedelta(days=index + 1),
            )
    paths = [
        reverse("applicant_detail", kwargs={"reference_code": p.reference_code}) + "?tab=learning"
        for p in (few, many)
    ]
    client.get(paths[0])  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(paths[0])
    with CaptureQueriesContext(connection) as large:
        response = client.get(paths[1])
    html = response.content.decode()
    assert html.count("/edit/?next=") >= 12 and html.count("/delete/?next=") == 12
    assert len(small) == len(large), (len(small), len(large))
    print(f"\napplicant page, {role}: {len(small)} queries with 1 result, {len(large)} with 12")


def test_learner_page_query_count_is_the_same_for_1_and_12_results(client_for, trainer, team, caseworker):
    client = client_for(trainer)
    course = CourseFactory(trainers=[trainer])
    people = [ApplicantFactory(team=team, caseworker=caseworker) for _ in range(2)]
    for person, count in zip(people, (1, 12), strict=True):
        EnrollmentFactory(course=course, applicant=person)
        for index in range(count):
            AssessmentFactory(applicant=person, assessed_on=today() - timedelta(days=index + 1))
    paths = [reverse("learning:learner_detail", kwargs={"reference_code": p.reference_code}) for p in people]
    client.get(paths[0])
    with CaptureQueriesContext(connection) as small:
        client.get(paths[0])
    with CaptureQueriesContext(connection) as large:
        response = client.get(paths[1])
    assert response.content.decode().count("/delete/") == 12
    assert len(small) == len(large), (len(small), len(large))
    print(f"\nlearner page, trainer: {len(small)} queries with 1 result, {len(large)} with 12")


# --- API ---------------------------------------------------------------------------------------------------

# Expected status of a PATCH/DELETE per role for (own, other team's, other organisation's) result.
API_EXPECTED = {
    "anonymous": (403, 403, 403),
    "administrator": (200, 200, 404),
    "supervisor": (200, 404, 404),
    "caseworker": (200, 404, 404),
    "teammate": (404, 404, 404),
    "trainer": (200, 404, 404),
    "employer": (403, 403, 403),
}


def api_patch(client, result, data):
    return client.patch(f"{API}{result.pk}/", data, content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
def test_api_patch_per_role(role, request, client_for, world):
    client = client_of(role, request, client_for)
    for case, expected in zip(CASES, API_EXPECTED[role], strict=True):
        result = world["results"][case]
        before = stored(result)
        response = api_patch(client, result, {"score": 110})
        if role == "anonymous":
            assert response.status_code in (401, 403), (role, case)
        else:
            assert response.status_code == expected, (role, case, response.content)
        if expected == 200:
            body = response.json()
            assert (body["score"], body["cefr_level"], body["level"]) == (110, "B1", "N3")
        else:
            assert stored(result) == before


@pytest.mark.parametrize("role", ROLES)
def test_api_delete_per_role(role, request, client_for, world):
    client = client_of(role, request, client_for)
    for case, expected in zip(CASES, API_EXPECTED[role], strict=True):
        result = world["results"][case]
        response = client.delete(f"{API}{result.pk}/")
        gone = not Assessment.objects.filter(pk=result.pk).exists()
        if expected == 200:
            assert response.status_code == 204 and gone, (role, case, response.content)
        else:
            if role != "anonymous":
                assert response.status_code == expected, (role, case)
            assert response.status_code in (401, 403, 404) and not gone, (role, case)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"level": "N6"}, "level"),
        ({"framework": "jft_basic", "level": "", "score": 300}, "score"),
        ({"assessed_on": "2999-01-01"}, "assessed_on"),
        ({"course": 999999}, "course"),
        ({"skill_scores": {"listening": 70}}, "skill_scores"),
    ],
)
def test_api_patch_bad_input_is_400_naming_the_field(client_for, caseworker, world, data, field):
    result = world["results"]["own"]
    before = stored(result)
    response = api_patch(client_for(caseworker), result, data)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert stored(result) == before


def test_api_patch_message_is_the_pages(client_for, caseworker, world):
    result = world["results"]["own"]
    response = api_patch(client_for(caseworker), result, {"level": "N6"})
    with pytest.raises(ValidationError) as caught:
        services.assessment_update(by=caseworker, assessment=result, data={"level": "N6"})
    assert response.json()["level"] == caught.value.message_dict["level"]


def test_api_patch_course_of_another_trainer_is_400_for_a_trainer(client_for, trainer, world):
    result = world["results"]["own"]
    client = client_for(trainer)
    response = api_patch(client, result, {"course": world["other_course"].pk})
    assert response.status_code == 400 and "course" in response.json()
    response = api_patch(client, result, {"course": world["course"].pk})
    assert response.status_code == 200 and response.json()["course"] == world["course"].pk
    response = api_patch(client, result, {"course": None})
    assert response.status_code == 200 and response.json()["course"] is None


def test_api_delete_twice_is_404(client_for, caseworker, world):
    client = client_for(caseworker)
    result = world["results"]["own"]
    assert client.delete(f"{API}{result.pk}/").status_code == 204
    assert client.delete(f"{API}{result.pk}/").status_code == 404
    assert history(result, ChangeRecord.Action.DELETE).count() == 1


def test_api_put_is_not_offered(client_for, caseworker, world):
    result = world["results"]["own"]
    response = client_for(caseworker).put(
        f"{API}{result.pk}/", {"score": 110}, content_type="application/json"
    )
    assert response.status_code == 405
