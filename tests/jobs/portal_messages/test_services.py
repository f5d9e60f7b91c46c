"""Posting to a referral's thread: who may (each side, read-only staff, another employer, paused and ended
partnerships, closed and unshared referrals), what a message may be (blank, too long, NUL: refused naming
`body`; HTML kept as text), the change history, and marking the other side's messages read."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework.models import ChangeRecord
from jobs.models import MESSAGE_MAX_LENGTH, MessageSide, ReferralMessage, Stage
from jobs.services.messages import referral_message_post, referral_messages_mark_read
from tests.jobs.portal_messages.conftest import ENDED, PAUSED, set_partnership

pytestmark = pytest.mark.django_db


def test_employer_user_posts_for_the_employer_side(portal_user, referral):
    message = referral_message_post(
        by=portal_user, referral=referral, body="  Can they start on Monday?\r\n "
    )
    assert message.side == MessageSide.EMPLOYER
    assert message.author == portal_user
    assert message.body == "Can they start on Monday?"
    assert message.read_at is None and message.digested_at is None


def test_caseworker_posts_for_the_organisation_and_it_is_in_the_history(caseworker, referral):
    message = referral_message_post(by=caseworker, referral=referral, body="Yes, from the 3rd.")
    assert message.side == MessageSide.ORGANISATION
    record = ChangeRecord.objects.get(model="jobs.referralmessage", object_id=str(message.pk))
    assert record.applicant_id == referral.applicant_id
    assert record.actor == caseworker


def test_supervisor_and_administrator_may_post(supervisor, administrator, referral):
    referral_message_post(by=supervisor, referral=referral, body="From the supervisor")
    referral_message_post(by=administrator, referral=referral, body="From the administrator")
    assert ReferralMessage.objects.filter(referral=referral, side=MessageSide.ORGANISATION).count() == 2


@pytest.mark.parametrize("who", ["teammate", "other_caseworker", "trainer", "employer"])
def test_staff_who_may_only_read_and_others_may_not_post(request, who, referral):
    user = request.getfixturevalue(who)  # "employer": an employer user without a membership
    with pytest.raises(PermissionDenied):
        referral_message_post(by=user, referral=referral, body="Hello")
    assert not ReferralMessage.objects.exists()


def test_another_employers_user_may_not_post(other_portal_user, referral):
    with pytest.raises(PermissionDenied):
        referral_message_post(by=other_portal_user, referral=referral, body="Hello")


def test_paused_partnership_is_read_only_and_ended_has_none(portal_user, referral, company):
    set_partnership(company, PAUSED)
    with pytest.raises(PermissionDenied, match="paused"):
        referral_message_post(by=portal_user, referral=referral, body="Hello")
    set_partnership(company, ENDED)
    with pytest.raises(PermissionDenied):
        referral_message_post(by=portal_user, referral=referral, body="Hello")
    assert not ReferralMessage.objects.exists()


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.REJECTED])
def test_closed_referral_has_no_thread_for_the_employer(portal_user, caseworker, referral, stage):
    referral.stage = stage
    referral.save(update_fields=["stage"])
    with pytest.raises(PermissionDenied):
        referral_message_post(by=portal_user, referral=referral, body="Hello")
    with pytest.raises(ValidationError) as error:
        referral_message_post(by=caseworker, referral=referral, body="Hello")
    assert "body" in error.value.message_dict


def test_consent_no_longer_current_closes_the_thread_for_the_employer(portal_user, referral):
    referral.applicant.consents.update(revoked_on=referral.stage_changed_at.date())
    with pytest.raises(PermissionDenied):
        referral_message_post(by=portal_user, referral=referral, body="Hello")


def test_unshared_referral_takes_no_message(caseworker, portal_user, make_candidate, opening):
    proposed = make_candidate(opening, stage=Stage.CONSENT_RECORDED)
    with pytest.raises(ValidationError) as error:
        referral_message_post(by=caseworker, referral=proposed, body="Hello")
    assert "shared" in error.value.message_dict["body"][0]
    with pytest.raises(PermissionDenied):
        referral_message_post(by=portal_user, referral=proposed, body="Hello")


@pytest.mark.parametrize("body", ["", "   ", "\n\r\n\t", None])
def test_blank_message_names_the_field(portal_user, referral, body):
    with pytest.raises(ValidationError) as error:
        referral_message_post(by=portal_user, referral=referral, body=body)
    assert error.value.message_dict == {"body": ["Write a message before sending it."]}
    assert not ReferralMessage.objects.exists()


def test_too_long_message_says_the_limit_and_the_length(caseworker, referral):
    with pytest.raises(ValidationError) as error:
        referral_message_post(by=caseworker, referral=referral, body="あ" * (MESSAGE_MAX_LENGTH + 1))
    text = error.value.message_dict["body"][0]
    assert str(MESSAGE_MAX_LENGTH) in text and str(MESSAGE_MAX_LENGTH + 1) in text
    assert referral_message_post(by=caseworker, referral=referral, body="a" * MESSAGE_MAX_LENGTH)


def test_nul_character_is_refused(portal_user, referral):
    with pytest.raises(ValidationError) as error:
        referral_message_post(by=portal_user, referral=referral, body="Hello\x00world")
    assert "null character" in error.value.message_dict["body"][0]


def test_html_is_stored_as_text(portal_user, referral):
    message = referral_message_post(
        by=portal_user, referral=referral, body="<script>alert(1)</script> & <b>hi</b>"
    )
    assert message.body == "<script>alert(1)</script> & <b>hi</b>"  # escaped on output (test_pages)


def test_mark_read_counts_only_the_other_sides_messages_and_a_reader_who_may_answer(
    portal_user, caseworker, teammate, referral
):
    from_staff = referral_message_post(by=caseworker, referral=referral, body="To the employer")
    from_employer = referral_message_post(by=portal_user, referral=referral, body="To the caseworker")
    assert referral_messages_mark_read(by=teammate, referral=referral) == 0  # read-only reader
    assert referral_messages_mark_read(by=caseworker, referral=referral) == 1
    from_staff.refresh_from_db()
    from_employer.refresh_from_db()
    assert from_staff.read_at is None and from_employer.read_at is not None
    assert referral_messages_mark_read(by=portal_user, referral=referral) == 1
    from_staff.refresh_from_db()
    assert from_staff.read_at is not None
