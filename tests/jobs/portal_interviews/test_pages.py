"""The portal's candidate page and its forms (propose an interview, withdraw, record an outcome, an offer,
a hire report) and the staff referral page's confirm and decline: usable by label, messages beside the
fields on bad input (400, nothing written), another employer's ids a 404, a paused partnership refused
with its message, and the candidate page's queries not growing with its interviews."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import (
    EmploymentTerms,
    Interview,
    InterviewOutcome,
    InterviewProposal,
    ProposalSlot,
    ProposalStatus,
    Stage,
)
from jobs.services.proposals import interview_propose
from tests.jobs.portal_interviews.conftest import later, proposal_data

pytestmark = pytest.mark.django_db


def page(referral) -> str:
    return reverse("partner_candidate", args=[referral.pk])


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def propose_post(**changes) -> dict:
    data = {
        "slot_1": local(later(3)),
        "slot_2": local(later(4)),
        "slot_3": "",
        "place": "Koto-ku office",
        "link": "",
        "interpreter_needed": "on",
        "interpreter_language": "Sinhala",
        "note": "",
    }
    data.update(changes)
    return data


def test_candidate_page_has_the_labelled_forms_and_named_buttons(client_for, portal_user, candidate):
    html = client_for(portal_user).get(page(candidate)).content.decode()
    for label_for in ("id_slot_1", "id_interpreter_language", "id_offer-wage", "id_hire-documents_seen_on"):
        assert f'for="{label_for}"' in html
    for button in ("Propose interview", "Record offer", "Report hire"):
        assert f">{button}</button>" in html
    assert "designation paper yourself" in html


def test_propose_from_the_page_then_withdraw(client_for, portal_user, candidate):
    client = client_for(portal_user)
    response = client.post(reverse("partner_interview_propose", args=[candidate.pk]), propose_post())
    assert response.status_code == 302
    proposal = InterviewProposal.objects.get()
    assert proposal.slots.count() == 2 and proposal.interpreter_language == "Sinhala"
    html = client.get(page(candidate)).content.decode()
    assert "Waiting for confirmation" in html
    assert ">Propose interview</button>" not in html  # one waiting proposal at a time
    response = client.post(reverse("partner_proposal_withdraw", args=[proposal.pk]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slot_1": "", "slot_2": ""}, "Propose at least one time"),
        ({"slot_1": local(timezone.now() - timedelta(days=1))}, "must be in the future"),
        ({"interpreter_language": ""}, "Say which language the interpreter speaks."),
    ],
)
def test_bad_proposals_show_the_message_and_write_nothing(
    client_for, portal_user, candidate, changes, message
):
    response = client_for(portal_user).post(
        reverse("partner_interview_propose", args=[candidate.pk]), propose_post(**changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InterviewProposal.objects.exists()


def test_another_employers_ids_are_404(client_for, other_portal_user, portal_user, candidate, caseworker):
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    client = client_for(other_portal_user)
    for url in (
        reverse("partner_interview_propose", args=[candidate.pk]),
        reverse("partner_offer", args=[candidate.pk]),
        reverse("partner_hire_report", args=[candidate.pk]),
        reverse("partner_proposal_withdraw", args=[proposal.pk]),
    ):
        assert client.post(url, propose_post()).status_code == 404
    interview = Interview.objects.create(
        referral=candidate, starts_at=timezone.now(), place="x", created_by=caseworker
    )
    assert client.post(reverse("partner_interview_outcome", args=[interview.pk]), {}).status_code == 404


def test_paused_partnership_is_read_only(client_for, portal_user, candidate, paused):
    client = client_for(portal_user)
    html = client.get(page(candidate)).content.decode()
    assert ">Propose interview</button>" not in html and ">Record offer</button>" not in html
    response = client.post(reverse("partner_interview_propose", args=[candidate.pk]), propose_post())
    assert response.status_code == 403
    assert "paused" in response.content.decode()
    assert not InterviewProposal.objects.exists()


def test_staff_confirm_a_slot_then_employer_records_the_outcome(
    client_for, portal_user, caseworker, candidate
):
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    staff = client_for(caseworker)
    html = staff.get(reverse("jobs:referral_detail", args=[candidate.pk])).content.decode()
    assert html.count(">Confirm</button>") == 2
    slot = proposal.slots.order_by("starts_at").first()
    response = staff.post(reverse("jobs:proposal_confirm", args=[proposal.pk]), {"slot": slot.pk})
    assert response.status_code == 302
    interview = Interview.objects.get()
    candidate.refresh_from_db()
    assert candidate.stage == Stage.INTERVIEW
    Interview.objects.filter(pk=interview.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    client = client_for(portal_user)
    html = client.get(page(candidate)).content.decode()
    assert ">Record outcome</button>" in html
    assert f'for="id_outcome-{interview.pk}-outcome"' in html
    response = client.post(
        reverse("partner_interview_outcome", args=[interview.pk]),
        {f"outcome-{interview.pk}-outcome": "passed"},
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.outcome == InterviewOutcome.PASSED


def test_staff_decline_needs_a_reason(client_for, portal_user, caseworker, candidate):
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    staff = client_for(caseworker)
    url = reverse("jobs:proposal_decline", args=[proposal.pk])
    response = staff.post(url, {"decline_reason": ""})
    assert response.status_code == 400
    assert "Say why the proposal is declined." in response.content.decode()
    assert staff.post(url, {"decline_reason": "Away that week"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert "Away that week" in client_for(portal_user).get(page(candidate)).content.decode()


def test_employer_user_is_refused_the_staff_confirm(client_for, portal_user, candidate):
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    slot = proposal.slots.first()
    response = client_for(portal_user).post(
        reverse("jobs:proposal_confirm", args=[proposal.pk]), {"slot": slot.pk}
    )
    assert response.status_code == 403
    assert not Interview.objects.exists()


def offer_post(**changes) -> dict:
    data = {
        "offer-wage": "1300",
        "offer-wage_unit": "hourly",
        "offer-hours_per_week": "40",
        "offer-daily_hours": "8",
        "offer-start_date": "",
    }
    data.update(changes)
    return data


def hire_post(**changes) -> dict:
    data = {
        "hire-start_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "hire-hours_per_week": "40",
        "hire-daily_hours": "8",
        "hire-wage": "1300",
        "hire-wage_unit": "hourly",
        "hire-documents_seen_on": timezone.localdate().isoformat(),
    }
    data.update(changes)
    return data


def test_offer_below_minimum_wage_names_the_wage(client_for, portal_user, candidate, minimum):
    response = client_for(portal_user).post(
        reverse("partner_offer", args=[candidate.pk]), offer_post(**{"offer-wage": "1000"})
    )
    assert response.status_code == 400
    assert "below the minimum wage" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Stage.SHARED


def test_offer_then_hire_report_and_the_staff_form_starts_from_it(
    client_for, portal_user, caseworker, candidate, minimum
):
    client = client_for(portal_user)
    assert client.post(reverse("partner_offer", args=[candidate.pk]), offer_post()).status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.OFFER
    response = client.post(
        reverse("partner_hire_report", args=[candidate.pk]), hire_post(**{"hire-wage": "1400"})
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.HIRE_REPORTED
    staff = client_for(caseworker).get(reverse("jobs:referral_detail", args=[candidate.pk]))
    assert 'name="wage" value="1400"' in staff.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hire-documents_seen_on": ""}, "Enter the day the employer saw"),
        (
            {"hire-documents_seen_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "cannot be in the future",
        ),
        ({"hire-start_date": ""}, "Enter the day the job starts."),
    ],
)
def test_bad_hire_reports(client_for, portal_user, candidate, minimum, changes, message):
    response = client_for(portal_user).post(
        reverse("partner_hire_report", args=[candidate.pk]), hire_post(**changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EmploymentTerms.objects.exists()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _interviews(referral, by, count: int) -> None:
    start = timezone.now() - timedelta(days=1)
    for number in range(count):
        Interview.objects.create(
            referral=referral, starts_at=start + timedelta(minutes=number), place="Room", created_by=by
        )
        proposal = InterviewProposal.objects.create(
            referral=referral, status=ProposalStatus.WITHDRAWN, place="Room", proposed_by=by
        )
        ProposalSlot.objects.create(proposal=proposal, starts_at=later(3 + number))


def test_candidate_page_queries_do_not_grow_with_interviews(client_for, portal_user, candidate, caseworker):
    client = client_for(portal_user)
    url = page(candidate)
    _interviews(candidate, caseworker, 5)
    client.get(url)  # warm the session
    small = _count(client, url)
    _interviews(candidate, caseworker, 60)
    assert _count(client, url) == small
