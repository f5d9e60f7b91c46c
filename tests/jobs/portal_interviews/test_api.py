"""The partner API's interview proposals, interviews, offers and hire reports, and the staff API's confirm
and decline: the same services and messages as the pages, 400 naming the field on bad input, another
employer's ids a 404, a paused partnership read-only, employer users refused on the staff routes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from casework.models import OutgoingEmail
from jobs.models import EmploymentTerms, Interview, InterviewProposal, ProposalStatus, Stage
from jobs.services.proposals import interview_propose
from tests.jobs.portal_interviews.conftest import later, proposal_data

pytestmark = pytest.mark.django_db

PROPOSALS = "/api/v1/partner/interview-proposals/"
INTERVIEWS = "/api/v1/partner/interviews/"
OFFERS = "/api/v1/partner/offers/"
HIRES = "/api/v1/partner/hire-reports/"
STAFF = "/api/v1/interview-proposals/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(referral, **changes) -> dict:
    data = {
        "referral": referral.pk,
        "slots": [later(3).isoformat(), later(5).isoformat()],
        "place": "",
        "link": "https://meet.example.org/abc",
        "interpreter_needed": False,
    }
    data.update(changes)
    return data


def test_propose_list_withdraw(portal_user, candidate):
    client = api(portal_user)
    response = client.post(PROPOSALS, body(candidate), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "pending" and len(created["slots"]) == 2
    assert set(created) == {
        "id", "referral", "status", "slots", "place", "link", "interpreter_needed",
        "interpreter_language", "note", "decline_reason", "interview", "proposed_at", "decided_at",
    }  # fmt: skip
    assert [row["id"] for row in client.get(PROPOSALS).json()["results"]] == [created["id"]]
    response = client.post(f"{PROPOSALS}{created['id']}/withdraw/", format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slots": []}, "slots"),
        ({"slots": [(timezone.now() - timedelta(hours=2)).isoformat()]}, "slots"),
        ({"interpreter_needed": True, "interpreter_language": ""}, "interpreter_language"),
        ({"slots": ["not a time"]}, "slots"),
    ],
)
def test_bad_proposals_are_400_naming_the_field(portal_user, candidate, changes, field):
    response = api(portal_user).post(PROPOSALS, body(candidate, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not InterviewProposal.objects.exists()


def test_another_employers_ids_are_404(portal_user, other_portal_user, candidate, caseworker):
    client = api(other_portal_user)
    assert client.post(PROPOSALS, body(candidate), format="json").status_code == 404
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    assert client.get(f"{PROPOSALS}{proposal.pk}/").status_code == 404
    assert client.post(f"{PROPOSALS}{proposal.pk}/withdraw/").status_code == 404
    interview = Interview.objects.create(
        referral=candidate, starts_at=timezone.now(), place="x", created_by=caseworker
    )
    assert client.get(f"{INTERVIEWS}{interview.pk}/").status_code == 404
    assert client.post(f"{INTERVIEWS}{interview.pk}/outcome/", {"outcome": "passed"}).status_code == 404
    assert client.post(OFFERS, {"referral": candidate.pk, "wage": 1300}, format="json").status_code == 404
    assert client.post(HIRES, {"referral": candidate.pk}, format="json").status_code == 404
    assert client.get(INTERVIEWS).json()["results"] == []


def test_paused_partnership_reads_but_does_not_write(portal_user, candidate, paused):
    client = api(portal_user)
    assert client.get(PROPOSALS).status_code == 200
    response = client.post(PROPOSALS, body(candidate), format="json")
    assert response.status_code == 403
    assert "paused" in response.json()["detail"]


def test_staff_confirm_and_the_employer_records_the_outcome(portal_user, caseworker, candidate):
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    slot = proposal.slots.order_by("starts_at").first()
    assert api(portal_user).post(f"{STAFF}{proposal.pk}/confirm/", {"slot": slot.pk}).status_code == 403
    response = api(caseworker).post(f"{STAFF}{proposal.pk}/confirm/", {"slot": slot.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "confirmed"
    assert OutgoingEmail.objects.filter(kind="jobs.interview_confirmed").count() == 1
    interview = Interview.objects.get()
    client = api(portal_user)
    assert client.get(f"{INTERVIEWS}{interview.pk}/").json()["outcome"] == "pending"
    Interview.objects.filter(pk=interview.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    response = client.post(f"{INTERVIEWS}{interview.pk}/outcome/", {"outcome": "cancelled"}, format="json")
    assert response.status_code == 400 and "outcome" in response.json()
    response = client.post(f"{INTERVIEWS}{interview.pk}/outcome/", {"outcome": "no_show"}, format="json")
    assert response.status_code == 200
    assert response.json()["outcome"] == "no_show"


def test_staff_decline_needs_a_reason(portal_user, supervisor, candidate):
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    client = api(supervisor)
    response = client.post(f"{STAFF}{proposal.pk}/decline/", {"decline_reason": ""}, format="json")
    assert response.status_code == 400 and "decline_reason" in response.json()
    response = client.post(f"{STAFF}{proposal.pk}/decline/", {"decline_reason": "Away"}, format="json")
    assert response.status_code == 200
    assert InterviewProposal.objects.get().status == ProposalStatus.DECLINED


def test_offer_and_hire_report(portal_user, candidate, minimum):
    client = api(portal_user)
    low = client.post(
        OFFERS,
        {"referral": candidate.pk, "wage": 1000, "wage_unit": "hourly", "hours_per_week": "40"},
        format="json",
    )
    assert low.status_code == 400
    assert "minimum wage" in low.json()["wage"][0]
    response = client.post(
        OFFERS,
        {"referral": candidate.pk, "wage": 1300, "wage_unit": "hourly", "hours_per_week": "40"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == Stage.OFFER
    hire = {
        "referral": candidate.pk,
        "start_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "wage": 1300,
        "wage_unit": "hourly",
        "hours_per_week": "40",
        "daily_hours": "8",
    }
    missing = client.post(HIRES, hire, format="json")
    assert missing.status_code == 400 and "documents_seen_on" in missing.json()
    future = client.post(
        HIRES,
        {**hire, "documents_seen_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
        format="json",
    )
    assert future.status_code == 400 and "documents_seen_on" in future.json()
    early = client.post(
        HIRES,
        {
            **hire,
            "start_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "documents_seen_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        },
        format="json",
    )
    assert early.status_code == 400 and "start_date" in early.json()
    assert EmploymentTerms.objects.count() == 1
    response = client.post(
        HIRES, {**hire, "documents_seen_on": timezone.localdate().isoformat()}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == Stage.HIRE_REPORTED


def test_staff_routes_are_403_for_employer_users(portal_user, candidate):
    assert api(portal_user).get(STAFF).status_code == 403


def test_proposal_on_a_referral_not_shared_is_404(portal_user, make_candidate, opening):
    not_shared = make_candidate(opening, stage=Stage.CONSENT_RECORDED)
    assert api(portal_user).post(PROPOSALS, body(not_shared), format="json").status_code == 404
