"""The thread on the portal's candidate page and in the staff referral page's history: the "Send message"
form (label "Message"), text escaped, errors on the field, read-only and absent cases, 404 for another
employer's thread, and queries that do not grow with the thread (5 vs 100 messages)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import MESSAGE_MAX_LENGTH, MessageSide, ReferralMessage, Stage
from jobs.services.messages import referral_message_post
from tests.jobs.portal_messages.conftest import ENDED, PAUSED, fill_thread, set_partnership

pytestmark = pytest.mark.django_db


def portal_page(referral) -> str:
    return reverse("partner_candidate", args=[referral.pk])


def portal_send(referral) -> str:
    return reverse("partner_candidate_message", args=[referral.pk])


def staff_page(referral) -> str:
    return reverse("jobs:referral_detail", args=[referral.pk])


def staff_send(referral) -> str:
    return reverse("jobs:referral_message", args=[referral.pk])


# --- The portal -------------------------------------------------------------------------------------------


def test_portal_page_has_the_messages_card_and_form(client_for, portal_user, referral):
    html = client_for(portal_user).get(portal_page(referral)).content.decode()
    assert 'id="messages-heading"' in html and ">Messages<" in html
    assert '<label for="message_body">Message</label>' in html
    assert ">Send message</button>" in html
    assert f'action="{portal_send(referral)}"' in html


def test_portal_send_then_the_message_shows_escaped(client_for, portal_user, referral):
    client = client_for(portal_user)
    response = client.post(portal_send(referral), {"body": "<b>Bold</b> & <script>alert(1)</script>\nline 2"})
    assert response.status_code == 302
    assert response["Location"] == portal_page(referral) + "#messages"
    message = ReferralMessage.objects.get()
    assert message.side == MessageSide.EMPLOYER and message.author == portal_user
    html = client.get(portal_page(referral)).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;<br>line 2" in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", "Write a message before sending it."),
        ("x" * (MESSAGE_MAX_LENGTH + 1), f"at most {MESSAGE_MAX_LENGTH} characters"),
        ("a\x00b", "Null characters are not allowed."),
    ],
)
def test_portal_bad_message_shows_the_error_on_the_field(client_for, portal_user, referral, body, error):
    response = client_for(portal_user).post(portal_send(referral), {"body": body})
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert "field-invalid" in html
    assert not ReferralMessage.objects.exists()


def test_portal_get_of_the_send_url_goes_to_the_page(client_for, portal_user, referral):
    response = client_for(portal_user).get(portal_send(referral))
    assert response.status_code == 302 and response["Location"].endswith("#messages")


def test_another_employers_thread_is_a_404(client_for, other_portal_user, referral):
    client = client_for(other_portal_user)
    assert client.post(portal_send(referral), {"body": "Hello"}).status_code == 404
    assert client.get(portal_page(referral)).status_code == 404
    missing = client.post(reverse("partner_candidate_message", args=[999999]), {"body": "Hello"})
    assert missing.status_code == 404
    assert not ReferralMessage.objects.exists()


def test_withdrawn_referral_has_no_thread_for_the_employer(client_for, portal_user, caseworker, referral):
    referral_message_post(by=caseworker, referral=referral, body="Secret plans")
    referral.stage = Stage.WITHDRAWN
    referral.save(update_fields=["stage"])
    client = client_for(portal_user)
    html = client.get(portal_page(referral)).content.decode()
    assert "Secret plans" not in html and "messages-heading" not in html
    assert client.post(portal_send(referral), {"body": "Hello"}).status_code == 404


def test_paused_partnership_shows_the_thread_read_only(
    client_for, portal_user, caseworker, company, referral
):
    referral_message_post(by=caseworker, referral=referral, body="Before the pause")
    set_partnership(company, PAUSED)
    client = client_for(portal_user)
    html = client.get(portal_page(referral)).content.decode()
    assert "Before the pause" in html
    assert "Send message" not in html and "you can read the messages but not send one" in html
    assert client.post(portal_send(referral), {"body": "Hello"}).status_code == 403
    set_partnership(company, ENDED)
    assert client.get(portal_page(referral)).status_code == 403
    assert ReferralMessage.objects.count() == 1


def test_opening_the_portal_page_marks_the_organisations_messages_read(
    client_for, portal_user, caseworker, referral
):
    message = referral_message_post(by=caseworker, referral=referral, body="Please confirm")
    html = client_for(portal_user).get(portal_page(referral)).content.decode()
    assert ">New</span>" in html  # shown as new on this visit
    message.refresh_from_db()
    assert message.read_at is not None


def queries_at_5_and_100(client, url, referral, *, employer_user, staff_user) -> list[int]:
    """The page's queries with 5 messages in the thread, then with 100."""
    counts = []
    for added in (5, 95):
        fill_thread(referral, count=added, employer_user=employer_user, staff_user=staff_user)
        client.get(url)  # the first request of a session loads what later ones reuse
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.content.decode().count('class="thread-message') == ReferralMessage.objects.count()
        counts.append(len(captured))
    return counts


def test_portal_page_queries_do_not_grow_with_the_thread(client_for, portal_user, caseworker, referral):
    five, hundred = queries_at_5_and_100(
        client_for(portal_user),
        portal_page(referral),
        referral,
        employer_user=portal_user,
        staff_user=caseworker,
    )
    assert five == hundred


# --- The staff referral page -------------------------------------------------------------------------------


def test_staff_page_shows_the_thread_in_the_history_with_the_form(
    client_for, caseworker, portal_user, referral
):
    referral_message_post(by=portal_user, referral=referral, body="Can we meet on Tuesday?")
    html = client_for(caseworker).get(staff_page(referral)).content.decode()
    history = html[html.index('id="history"') : html.index('id="interviews"')]
    assert "Messages with the employer" in history
    assert "Can we meet on Tuesday?" in history
    assert '<label for="message_body">Message</label>' in history and "Send message" in history


def test_staff_send_and_errors(client_for, caseworker, referral):
    client = client_for(caseworker)
    response = client.post(staff_send(referral), {"body": "Yes, Tuesday at 10."})
    assert response.status_code == 302 and response["Location"] == staff_page(referral) + "#messages"
    assert ReferralMessage.objects.get().side == MessageSide.ORGANISATION
    bad = client.post(staff_send(referral), {"body": ""})
    assert bad.status_code == 200 and "Write a message before sending it." in bad.content.decode()
    assert ReferralMessage.objects.count() == 1


def test_staff_who_may_only_read_see_it_read_only(client_for, teammate, caseworker, referral):
    referral_message_post(by=caseworker, referral=referral, body="Visible to the team")
    client = client_for(teammate)
    html = client.get(staff_page(referral)).content.decode()
    assert "Visible to the team" in html and "Send message" not in html
    assert client.post(staff_send(referral), {"body": "Hello"}).status_code == 403
    assert ReferralMessage.objects.count() == 1


def test_staff_of_another_team_get_404_and_employer_users_403(
    client_for, other_caseworker, portal_user, referral
):
    assert client_for(other_caseworker).post(staff_send(referral), {"body": "Hi"}).status_code == 404
    assert client_for(portal_user).post(staff_send(referral), {"body": "Hi"}).status_code == 403


def test_unshared_referral_page_says_when_the_thread_opens(client_for, caseworker, make_candidate, opening):
    proposed = make_candidate(opening, stage=Stage.CONSENT_RECORDED)
    client = client_for(caseworker)
    html = client.get(staff_page(proposed)).content.decode()
    assert "The thread opens when the referral is shared with the employer." in html
    response = client.post(staff_send(proposed), {"body": "Too early"})
    assert response.status_code == 200 and not ReferralMessage.objects.exists()


def test_staff_page_queries_do_not_grow_with_the_thread(client_for, portal_user, caseworker, referral):
    five, hundred = queries_at_5_and_100(
        client_for(caseworker),
        staff_page(referral),
        referral,
        employer_user=portal_user,
        staff_user=caseworker,
    )
    assert five == hundred
