"""The thread through the APIs: /api/v1/partner/referrals/{id}/messages/ (portal users) and
/api/v1/referrals/{id}/messages/ (staff; 403 for employer users): list and post, bad input as a 400
naming `body` with nothing written, another employer's thread a 404, and queries that do not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs.models import MESSAGE_MAX_LENGTH, MessageSide, ReferralMessage, Stage
from jobs.services.messages import referral_message_post
from tests.jobs.portal_messages.conftest import PAUSED, fill_thread, set_partnership

pytestmark = pytest.mark.django_db

KEYS = {"id", "side", "author", "body", "created_at", "read_at"}


def partner_url(referral) -> str:
    return f"/api/v1/partner/referrals/{referral.pk}/messages/"


def staff_url(referral) -> str:
    return f"/api/v1/referrals/{referral.pk}/messages/"


def test_partner_lists_and_posts(api_for, portal_user, caseworker, referral):
    referral_message_post(by=caseworker, referral=referral, body="Hello from the caseworker")
    client = api_for(portal_user)
    listed = client.get(partner_url(referral))
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    (row,) = listed.json()["results"]
    assert set(row) == KEYS and row["side"] == "organisation" and row["body"] == "Hello from the caseworker"
    assert ReferralMessage.objects.get().read_at is not None  # the employer has read it
    posted = client.post(partner_url(referral), {"body": "<i>Thanks</i>"}, format="json")
    assert posted.status_code == 201
    assert posted.json()["side"] == "employer" and posted.json()["body"] == "<i>Thanks</i>"
    assert posted["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ({"body": ""}, "Write a message"),
        ({"body": "   "}, "Write a message"),
        ({}, "required"),
        ({"body": "x" * (MESSAGE_MAX_LENGTH + 1)}, str(MESSAGE_MAX_LENGTH)),
        ({"body": "a\x00b"}, "Null characters"),
        ({"body": ["a", "b"]}, "valid string"),
    ],
)
def test_partner_bad_input_is_a_400_naming_body(api_for, portal_user, referral, body, word):
    response = api_for(portal_user).post(partner_url(referral), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["body"]
    assert word in response.json()["body"][0]
    assert not ReferralMessage.objects.exists()


def test_partner_another_employers_or_missing_or_closed_thread_is_a_404(
    api_for, other_portal_user, portal_user, referral
):
    other = api_for(other_portal_user)
    assert other.get(partner_url(referral)).status_code == 404
    assert other.post(partner_url(referral), {"body": "Hi"}, format="json").status_code == 404
    assert other.get("/api/v1/partner/referrals/999999/messages/").status_code == 404
    assert other.get(f"/api/v1/partner/referrals/{2**70}/messages/").status_code == 404
    referral.stage = Stage.WITHDRAWN
    referral.save(update_fields=["stage"])
    assert api_for(portal_user).get(partner_url(referral)).status_code == 404
    assert not ReferralMessage.objects.exists()


def test_partner_paused_reads_but_does_not_post(api_for, portal_user, company, referral):
    set_partnership(company, PAUSED)
    client = api_for(portal_user)
    assert client.get(partner_url(referral)).status_code == 200
    assert client.post(partner_url(referral), {"body": "Hi"}, format="json").status_code == 403


def test_partner_route_refuses_staff(api_for, caseworker, referral):
    assert api_for(caseworker).get(partner_url(referral)).status_code == 403


def test_staff_lists_and_posts(api_for, caseworker, portal_user, referral):
    referral_message_post(by=portal_user, referral=referral, body="From Sakura")
    client = api_for(caseworker)
    listed = client.get(staff_url(referral))
    assert listed.status_code == 200 and listed.json()["results"][0]["side"] == MessageSide.EMPLOYER
    posted = client.post(staff_url(referral), {"body": "From the caseworker"}, format="json")
    assert posted.status_code == 201 and posted.json()["side"] == "organisation"
    bad = client.post(staff_url(referral), {"body": ""}, format="json")
    assert bad.status_code == 400 and list(bad.json()) == ["body"]


def test_staff_route_is_403_for_employer_users(api_for, portal_user, referral):
    client = api_for(portal_user)
    assert client.get(staff_url(referral)).status_code == 403
    assert client.post(staff_url(referral), {"body": "Hi"}, format="json").status_code == 403


def test_staff_read_only_and_other_team(api_for, teammate, other_caseworker, trainer, referral):
    assert api_for(teammate).get(staff_url(referral)).status_code == 200
    assert api_for(teammate).post(staff_url(referral), {"body": "Hi"}, format="json").status_code == 403
    assert api_for(other_caseworker).get(staff_url(referral)).status_code == 404
    assert api_for(trainer).post(staff_url(referral), {"body": "Hi"}, format="json").status_code == 403
    assert not ReferralMessage.objects.exists()


@pytest.mark.parametrize("side", ["partner", "staff"])
def test_api_queries_do_not_grow_with_the_thread(api_for, portal_user, caseworker, referral, side):
    client = api_for(portal_user if side == "partner" else caseworker)
    url = partner_url(referral) if side == "partner" else staff_url(referral)
    counts = []
    for added in (5, 95):
        fill_thread(referral, count=added, employer_user=portal_user, staff_user=caseworker)
        client.get(url)  # the first request of a client loads what later ones reuse
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
