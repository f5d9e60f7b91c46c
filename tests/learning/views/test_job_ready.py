"""The applicant page suggests job-ready (an assessed level and a right to work, a case not yet job-ready
or beyond); staff who may change the person confirm it, the change history records case_stage →
job_ready; a read-only user gets 403, anyone else 404; the applicant API's PATCH does the same."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import Applicant, CaseStage, ChangeRecord
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import may_work
from tests.learning.factories import AssessmentFactory

pytestmark = pytest.mark.django_db
SUGGESTION = "Confirm job-ready"


@pytest.fixture
def ready(caseworker, team):
    """An active case with a right to work today and an assessed level (A2)."""
    person = ApplicantFactory(team=team, caseworker=caseworker, case_stage=CaseStage.ACTIVE)
    may_work(person)
    AssessmentFactory(applicant=person, recorded_by=caseworker)
    return person


def page(client, person) -> str:
    response = client.get(reverse("applicant_detail", kwargs={"reference_code": person.reference_code}))
    assert response.status_code == 200
    return response.content.decode()


def confirm_url(person) -> str:
    return reverse("learning:job_ready_confirm", kwargs={"reference_code": person.reference_code})


def stage_changes(person) -> list[dict]:
    return [
        record.changes["case_stage"]
        for record in ChangeRecord.objects.filter(applicant_id=person.pk, model="casework.applicant")
        if "case_stage" in record.changes
    ]


def test_the_suggestion_shows_to_the_caseworker_with_the_level(ready, caseworker, client_for):
    html = page(client_for(caseworker), ready)
    assert SUGGESTION in html
    assert 'id="panel-job_ready"' in html or "job-ready-suggestion" in html
    assert "(A2," in html


def test_no_suggestion_without_a_level(caseworker, team, client_for):
    person = ApplicantFactory(team=team, caseworker=caseworker, case_stage=CaseStage.ACTIVE)
    may_work(person)
    assert SUGGESTION not in page(client_for(caseworker), person)


def test_no_suggestion_without_a_right_to_work(caseworker, team, client_for):
    person = ApplicantFactory(team=team, caseworker=caseworker, case_stage=CaseStage.ACTIVE)
    AssessmentFactory(applicant=person, recorded_by=caseworker)
    assert SUGGESTION not in page(client_for(caseworker), person)


@pytest.mark.parametrize(
    "stage", [CaseStage.JOB_READY, CaseStage.PLACED, CaseStage.FOLLOW_UP, CaseStage.CLOSED]
)
def test_no_suggestion_once_job_ready_or_beyond(ready, caseworker, client_for, stage):
    Applicant.objects.filter(pk=ready.pk).update(case_stage=stage)
    assert SUGGESTION not in page(client_for(caseworker), ready)


def test_no_suggestion_for_a_teammate_who_may_only_read(ready, teammate, client_for):
    # The team's shared caseload: the teammate sees the profile, may not change it.
    assert SUGGESTION not in page(client_for(teammate), ready)


def test_the_supervisor_sees_it_too(ready, supervisor, client_for):
    assert SUGGESTION in page(client_for(supervisor), ready)


def test_confirming_sets_the_stage_and_the_history_records_it(ready, caseworker, client_for):
    response = client_for(caseworker).post(confirm_url(ready), follow=True)
    assert response.status_code == 200
    ready.refresh_from_db()
    assert ready.case_stage == CaseStage.JOB_READY
    assert stage_changes(ready) == [{"old": "active", "new": "job_ready"}]
    html = response.content.decode()
    assert "is now job-ready" in html
    assert SUGGESTION not in html


def test_confirming_when_nothing_is_to_confirm_changes_nothing(caseworker, team, client_for):
    person = ApplicantFactory(team=team, caseworker=caseworker, case_stage=CaseStage.ACTIVE)
    response = client_for(caseworker).post(confirm_url(person), follow=True)
    assert "cannot be confirmed as job-ready" in response.content.decode()
    person.refresh_from_db()
    assert person.case_stage == CaseStage.ACTIVE
    assert stage_changes(person) == []


def test_a_read_only_teammate_gets_403(ready, teammate, client_for):
    assert client_for(teammate).post(confirm_url(ready)).status_code == 403
    ready.refresh_from_db()
    assert ready.case_stage == CaseStage.ACTIVE


def test_a_trainer_gets_403_and_another_team_404(ready, trainer, other_caseworker, client_for):
    assert client_for(trainer).post(confirm_url(ready)).status_code == 403
    assert client_for(other_caseworker).post(confirm_url(ready)).status_code == 404
    ready.refresh_from_db()
    assert ready.case_stage == CaseStage.ACTIVE


def test_a_get_is_refused(ready, caseworker, client_for):
    assert client_for(caseworker).get(confirm_url(ready)).status_code == 405


def test_the_applicant_api_confirms_it_with_a_patch(ready, caseworker, client_for):
    client = client_for(caseworker)
    url = f"/api/v1/applicants/{ready.reference_code}/"
    version = client.get(url).json()["version"]
    response = client.patch(
        url, {"version": version, "case_stage": "job_ready"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["case_stage"] == "job_ready"
    assert stage_changes(ready) == [{"old": "active", "new": "job_ready"}]
    # A stage that is not one: the field is named.
    bad = client.patch(url, {"version": version + 1, "case_stage": "hired"}, content_type="application/json")
    assert bad.status_code == 400
    assert "case_stage" in bad.json()


def test_the_panel_costs_one_query_on_the_applicant_page(ready, caseworker, client_for):
    client = client_for(caseworker)
    page(client, ready)
    with CaptureQueriesContext(connection) as with_panel:
        page(client, ready)
    Applicant.objects.filter(pk=ready.pk).update(case_stage=CaseStage.JOB_READY)
    with CaptureQueriesContext(connection) as without_panel:
        page(client, ready)
    assert len(with_panel) - len(without_panel) == 1  # the level; the right to work is prefetched


# Who may POST the confirmation (the access matrix's GET rows are in tests/test_access_matrix.py).
POST_OUTCOMES = {
    "caseworker": 302,  # own caseload
    "supervisor": 302,  # the team they lead
    "administrator": 302,
    "teammate": 403,  # reads the shared team caseload, may not change it
    "other_caseworker": 404,  # another team's: not visible
    "other_supervisor": 404,
    "trainer": 403,  # the role check
    "employer": 403,
}


@pytest.mark.parametrize(("requester", "status"), POST_OUTCOMES.items())
def test_who_may_confirm(ready, client_for, request, requester, status):
    user = request.getfixturevalue(requester)
    response = client_for(user).post(confirm_url(ready))
    assert response.status_code == status
    ready.refresh_from_db()
    assert (ready.case_stage == CaseStage.JOB_READY) == (status == 302)


def test_signed_out_is_sent_to_sign_in(ready, client):
    response = client.post(confirm_url(ready))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
