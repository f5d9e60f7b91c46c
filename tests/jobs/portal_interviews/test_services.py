"""The services behind the portal's interviews, offers and hire reports: proposing (1–3 future times,
interpreter language when needed, only on a referral shared with the employer), withdrawing, the staff
side confirming (an Interview through interview_save, the stage moves, e-mails queued once in each
user's language) or declining; outcomes; offers checked against the minimum wage; hire reports with the
documents date and no start before the offer. Refused input writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from casework.models import OutgoingEmail
from jobs.models import (
    EmploymentTerms,
    Interview,
    InterviewOutcome,
    InterviewProposal,
    ProposalStatus,
    Referral,
    Stage,
)
from jobs.selectors.packets import share_packets
from jobs.services.offers import hire_report_record, interview_outcome_record, offer_record
from jobs.services.placements import placement_confirm
from jobs.services.proposals import (
    interview_proposal_confirm,
    interview_proposal_decline,
    interview_proposal_withdraw,
    interview_propose,
)
from tests.jobs.portal_interviews.conftest import later, proposal_data

pytestmark = pytest.mark.django_db


def test_propose_then_confirm_records_the_interview_and_emails_the_employer(
    portal_user, caseworker, candidate, make_user, company
):
    from jobs.models import EmployerMembership

    colleague = make_user("employer", username="sakura-ja", organisation=company.organisation, language="ja")
    colleague.email = "ja@example.org"
    colleague.save()
    EmployerMembership.objects.create(user=colleague, employer=company, role="member")
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    assert proposal.status == ProposalStatus.PENDING
    assert [slot.starts_at for slot in proposal.slots.all()] == [later(3), later(4)]
    assert "family_name" not in share_packets([candidate])[candidate.pk]

    second = proposal.slots.order_by("starts_at")[1]
    confirmed = interview_proposal_confirm(by=caseworker, proposal=proposal, slot=second.pk)
    assert confirmed.status == ProposalStatus.CONFIRMED
    interview = Interview.objects.get(referral=candidate)
    assert interview.starts_at == later(4)
    assert interview.interpreter_language == "Sinhala"
    assert confirmed.interview == interview
    candidate.refresh_from_db()
    assert candidate.stage == Stage.INTERVIEW
    # From the interview stage on, the family name is in the packet.
    assert share_packets([candidate])[candidate.pk]["family_name"] == "Perera"

    emails = OutgoingEmail.objects.filter(kind="jobs.interview_confirmed", target=str(proposal.pk))
    assert {email.recipient_id for email in emails} == {portal_user.pk, colleague.pk}
    japanese = emails.get(recipient=colleague)
    assert "場所: Sakura Foods, Koto-ku" in japanese.body  # written in the recipient's language
    assert "Where: Sakura Foods" in emails.get(recipient=portal_user).body
    assert japanese.message_id
    assert "Perera" not in japanese.body  # the e-mail names the reference code only
    # Confirming again is refused; the e-mails are not doubled.
    with pytest.raises(ValidationError) as refused:
        interview_proposal_confirm(by=caseworker, proposal=proposal, slot=second.pk)
    assert "status" in refused.value.message_dict
    assert emails.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slots": []}, "slots"),
        ({"slots": [None, ""]}, "slots"),
        ({"slots": [timezone.now() - timedelta(hours=1)]}, "slots"),
        ({"slots": [later(1), later(2), later(3), later(4)]}, "slots"),
        ({"interpreter_language": ""}, "interpreter_language"),
        ({"place": "", "link": ""}, "place"),
        ({"link": "not a link"}, "link"),
    ],
)
def test_bad_proposals_name_the_field_and_write_nothing(portal_user, candidate, changes, field):
    with pytest.raises(ValidationError) as refused:
        interview_propose(by=portal_user, referral=candidate, data=proposal_data(**changes))
    assert field in refused.value.message_dict
    assert not InterviewProposal.objects.exists()


def test_proposal_refused_before_sharing_after_withdrawal_and_for_another_employer(
    portal_user, other_portal_user, make_candidate, opening, other_opening
):
    not_shared = make_candidate(opening, stage=Stage.CONSENT_RECORDED)
    with pytest.raises(Http404):
        interview_propose(by=portal_user, referral=not_shared, data=proposal_data())
    withdrawn = make_candidate(opening)
    Referral.objects.filter(pk=withdrawn.pk).update(stage=Stage.WITHDRAWN, reason_code="person_declined")
    with pytest.raises(ValidationError) as refused:
        interview_propose(by=portal_user, referral=withdrawn, data=proposal_data())
    assert "referral" in refused.value.message_dict
    others = make_candidate(other_opening)
    with pytest.raises(Http404):
        interview_propose(by=portal_user, referral=others, data=proposal_data())
    assert not InterviewProposal.objects.exists()


def test_one_waiting_proposal_and_withdrawing_it(portal_user, other_portal_user, candidate, caseworker):
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    with pytest.raises(ValidationError):
        interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    with pytest.raises(Http404):
        interview_proposal_withdraw(by=other_portal_user, proposal=proposal)
    withdrawn = interview_proposal_withdraw(by=portal_user, proposal=proposal)
    assert withdrawn.status == ProposalStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        interview_proposal_confirm(by=caseworker, proposal=proposal, slot=proposal.slots.first().pk)
    assert interview_propose(by=portal_user, referral=candidate, data=proposal_data()).pk != proposal.pk


def test_paused_partnership_cannot_propose(portal_user, candidate, paused):
    with pytest.raises(PermissionDenied):
        interview_propose(by=portal_user, referral=candidate, data=proposal_data())


def test_confirm_and_decline_need_the_right_to_write_the_referral(
    portal_user, candidate, caseworker, supervisor, other_caseworker
):
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    slot = proposal.slots.first().pk
    for refused_user in (other_caseworker, portal_user):
        with pytest.raises(PermissionDenied):
            interview_proposal_confirm(by=refused_user, proposal=proposal, slot=slot)
    with pytest.raises(ValidationError) as refused:
        interview_proposal_confirm(by=caseworker, proposal=proposal, slot=999999)
    assert "slot" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        interview_proposal_decline(by=supervisor, proposal=proposal, reason="  ")
    assert "decline_reason" in refused.value.message_dict
    declined = interview_proposal_decline(by=supervisor, proposal=proposal, reason="The person is away.")
    assert declined.status == ProposalStatus.DECLINED
    assert not Interview.objects.exists()


def _interview(portal_user, caseworker, candidate, *, started: bool = True) -> Interview:
    proposal = interview_propose(by=portal_user, referral=candidate, data=proposal_data())
    interview_proposal_confirm(by=caseworker, proposal=proposal, slot=proposal.slots.first().pk)
    interview = Interview.objects.get(referral=candidate)
    if started:
        Interview.objects.filter(pk=interview.pk).update(starts_at=timezone.now() - timedelta(hours=1))
        interview.refresh_from_db()
    return interview


def test_outcome_recorded_by_the_employer(portal_user, other_portal_user, caseworker, candidate):
    interview = _interview(portal_user, caseworker, candidate)
    with pytest.raises(ValidationError) as refused:
        interview_outcome_record(by=portal_user, interview=interview, outcome="cancelled")
    assert "outcome" in refused.value.message_dict
    with pytest.raises(Http404):
        interview_outcome_record(by=other_portal_user, interview=interview, outcome="passed")
    recorded = interview_outcome_record(by=portal_user, interview=interview, outcome="passed")
    assert recorded.outcome == InterviewOutcome.PASSED


def test_outcome_not_before_the_interview(portal_user, caseworker, candidate):
    interview = _interview(portal_user, caseworker, candidate, started=False)
    with pytest.raises(ValidationError):
        interview_outcome_record(by=portal_user, interview=interview, outcome="passed")


def offer(**changes) -> dict:
    data = {"wage": 1300, "wage_unit": "hourly", "hours_per_week": 40, "daily_hours": 8}
    data.update(changes)
    return data


def test_offer_below_the_minimum_wage_is_refused_naming_the_wage(portal_user, candidate, minimum):
    with pytest.raises(ValidationError) as refused:
        offer_record(by=portal_user, referral=candidate, data=offer(wage=1000))
    assert "minimum wage" in refused.value.message_dict["wage"][0]
    candidate.refresh_from_db()
    assert candidate.stage == Stage.SHARED
    assert not EmploymentTerms.objects.exists()


def test_offer_then_hire_report_then_staff_confirm(portal_user, caseworker, candidate, minimum):
    terms = offer_record(by=portal_user, referral=candidate, data=offer())
    candidate.refresh_from_db()
    assert candidate.stage == Stage.OFFER
    assert terms.kind == "offer"
    start = timezone.localdate() + timedelta(days=10)
    report = hire_report_record(
        by=portal_user,
        referral=candidate,
        data=offer(start_date=start, documents_seen_on=timezone.localdate()),
    )
    candidate.refresh_from_db()
    assert candidate.stage == Stage.HIRE_REPORTED
    assert candidate.reported_start_date == start
    assert candidate.documents_seen_on == timezone.localdate()
    assert report.kind == "hire_report"
    confirmed = placement_confirm(by=caseworker, referral=candidate, data={})
    assert confirmed.placement.start_date == start


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"documents_seen_on": None}, "documents_seen_on"),
        ({"documents_seen_on": timezone.localdate() + timedelta(days=1)}, "documents_seen_on"),
        ({"start_date": None}, "start_date"),
        ({"wage": 900}, "wage"),
        ({"hours_per_week": 0}, "hours_per_week"),
    ],
)
def test_bad_hire_reports_name_the_field(portal_user, candidate, minimum, changes, field):
    data = offer(start_date=timezone.localdate() + timedelta(days=10), documents_seen_on=timezone.localdate())
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not None}
    with pytest.raises(ValidationError) as refused:
        hire_report_record(by=portal_user, referral=candidate, data=data)
    assert field in refused.value.message_dict
    candidate.refresh_from_db()
    assert candidate.stage == Stage.SHARED
    assert not EmploymentTerms.objects.exists()


def test_start_before_the_offer_is_refused(portal_user, candidate, minimum):
    offer_record(by=portal_user, referral=candidate, data=offer())
    with pytest.raises(ValidationError) as refused:
        hire_report_record(
            by=portal_user,
            referral=candidate,
            data=offer(
                start_date=timezone.localdate() - timedelta(days=1),
                documents_seen_on=timezone.localdate() - timedelta(days=2),
            ),
        )
    assert "before the offer" in refused.value.message_dict["start_date"][0]
    candidate.refresh_from_db()
    assert candidate.stage == Stage.OFFER


def test_paused_partnership_cannot_offer(portal_user, candidate, minimum, paused):
    with pytest.raises(PermissionDenied):
        offer_record(by=portal_user, referral=candidate, data=offer())
