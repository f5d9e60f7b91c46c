"""The e-mails of the thread and the portal: the message digest (one e-mail per recipient of what is
unread, in their language, nothing twice however often it runs, a fixed number of queries) and the "new
candidate" e-mail when a referral is shared. Neither holds personal data beyond reference code and given
name, nor the messages' text: only links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from casework.models import OutgoingEmail
from jobs.models import ReferralMessage, Stage
from jobs.services.messages import referral_message_post
from jobs.services.partner_emails import message_digests_queue
from jobs.services.referrals import referral_move
from jobs.tasks import send_message_digests
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import may_work
from tests.jobs.portal_candidates.conftest import NARROW, refer, share
from tests.jobs.portal_messages.conftest import ENDED, set_partnership

pytestmark = pytest.mark.django_db


def digests() -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(kind="jobs.messages").order_by("recipient_id", "pk"))


def test_employer_messages_reach_the_caseworker_in_one_email(portal_user, caseworker, referral):
    for text in ("First question", "Second question", "Third"):
        referral_message_post(by=portal_user, referral=referral, body=text)
    assert message_digests_queue() == 1
    (email,) = digests()
    assert email.recipient == caseworker and email.to_address == caseworker.email
    assert email.purpose == OutgoingEmail.Purpose.NOTIFICATION
    assert "3 new messages" in email.subject
    assert referral.applicant.reference_code in email.body and "Suriya" in email.body
    assert f"/jobs/referrals/{referral.pk}/" in email.body
    for private in ("First question", "Perera", "LK", "Sri Lanka", "090-1234-5678"):
        assert private not in email.body and private not in email.subject
    assert email.message_id.startswith("<jobs.messages.")


def test_organisation_messages_reach_each_active_portal_user_in_their_language(
    caseworker, portal_user, colleague, referral, make_user, company
):
    from casework.roles import Role
    from jobs.models import EmployerMembership

    gone = make_user(
        Role.EMPLOYER, username="portal-gone", organisation=company.organisation, is_active=False
    )
    EmployerMembership.objects.create(user=gone, employer=company, role="member")
    referral_message_post(by=caseworker, referral=referral, body="Interview on Monday?")
    assert message_digests_queue() == 2
    by_user = {email.recipient: email for email in digests()}
    assert set(by_user) == {portal_user, colleague}
    assert f"/partner/candidates/{referral.pk}/" in by_user[portal_user].body
    with translation.override(
        "ja"
    ):  # colleague.language == "ja" (the catalogue is merged by the coordinator)
        expected = ngettext("%(total)s new message on Tobira", "%(total)s new messages on Tobira", 1) % {
            "total": 1
        }
    assert by_user[colleague].subject == expected
    assert "Interview on Monday?" not in by_user[portal_user].body


def test_running_twice_sends_nothing_twice(portal_user, caseworker, referral):
    referral_message_post(by=portal_user, referral=referral, body="Hello")
    assert send_message_digests() == 1  # the task: a thin wrapper
    assert send_message_digests() == 0
    assert message_digests_queue() == 0
    assert len(digests()) == 1
    referral_message_post(by=portal_user, referral=referral, body="Another")
    assert message_digests_queue() == 1
    assert len(digests()) == 2  # a new digest for the new message only
    assert "1 new message" in digests()[-1].subject


def test_read_messages_are_left_out(portal_user, caseworker, client_for, referral):
    referral_message_post(by=portal_user, referral=referral, body="Hello")
    client_for(caseworker).get(f"/jobs/referrals/{referral.pk}/")  # the caseworker reads the thread
    assert message_digests_queue() == 0
    assert ReferralMessage.objects.get().digested_at is None  # read, not told: it stays out for good


def test_nobody_told_when_the_employer_lost_the_candidate(caseworker, referral, portal_user):
    referral_message_post(by=caseworker, referral=referral, body="Hello")
    referral.stage = Stage.WITHDRAWN
    referral.save(update_fields=["stage"])
    assert message_digests_queue() == 0
    assert ReferralMessage.objects.get().digested_at is not None  # claimed: not retried forever


def test_ended_partnership_gets_no_digest(caseworker, referral, portal_user, company):
    referral_message_post(by=caseworker, referral=referral, body="Hello")
    set_partnership(company, ENDED)
    assert message_digests_queue() == 0


def test_digest_queries_do_not_grow_with_messages_or_referrals(
    portal_user, colleague, caseworker, team, opening, referral
):
    def thread(count: int) -> None:
        people = []
        for n in range(count):
            person = ApplicantFactory(team=team, caseworker=caseworker, given_name=f"Person{n}")
            may_work(person)
            share(person, opening.employer, by=caseworker, scope=NARROW)
            people.append(refer(person, opening, by=caseworker))
        for other in [referral, *people]:
            referral_message_post(by=portal_user, referral=other, body="From the employer")
            referral_message_post(by=caseworker, referral=other, body="From the caseworker")

    counts = []
    for count in (2, 20):
        thread(count)
        with CaptureQueriesContext(connection) as captured:
            assert message_digests_queue(now=timezone.now() + timedelta(seconds=1)) == 3
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_new_candidate_email_when_shared(
    caseworker, portal_user, colleague, make_candidate, opening, other_portal_user
):
    referral = make_candidate(opening, stage=Stage.CONSENT_RECORDED)
    assert not OutgoingEmail.objects.filter(kind="jobs.new_candidate").exists()
    referral_move(by=caseworker, referral=referral, data={"stage": Stage.SHARED})
    emails = {email.recipient: email for email in OutgoingEmail.objects.filter(kind="jobs.new_candidate")}
    assert set(emails) == {portal_user, colleague}  # not another employer's users
    email = emails[portal_user]
    assert email.target == str(referral.pk)
    assert referral.applicant.reference_code in email.subject
    assert "Suriya" in email.body and f"/partner/candidates/{referral.pk}/" in email.body
    for private in ("Perera", "LK", "Sri Lanka", "090-1234-5678", "suriya@example.org", "forklift"):
        assert private not in email.body
    with translation.override("ja"):
        expected = gettext("Sign in to see what you may know about them, and to answer:")
    assert expected in emails[colleague].body


def test_new_candidate_email_once_per_referral(caseworker, supervisor, portal_user, make_candidate, opening):
    referral = make_candidate(opening, stage=Stage.CONSENT_RECORDED)
    referral_move(by=caseworker, referral=referral, data={"stage": Stage.SHARED})
    referral.refresh_from_db()
    referral_move(
        by=supervisor,
        referral=referral,
        data={"stage": Stage.CONSENT_RECORDED, "reason_code": "correction"},
    )
    referral.refresh_from_db()
    referral_move(by=caseworker, referral=referral, data={"stage": Stage.SHARED})
    assert OutgoingEmail.objects.filter(kind="jobs.new_candidate", recipient=portal_user).count() == 1
