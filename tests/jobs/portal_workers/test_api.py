"""The partner API's placements, follow-up confirmations, notification filing and notifications: the same
services and messages as the pages, another employer's ids a 404, staff refused, paused read-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jobs.models import PartnershipStatus, PortalNotification
from jobs.services.partner_workers import portal_notifications_create
from tests.jobs.factories import today

pytestmark = pytest.mark.django_db

PLACEMENTS = "/api/v1/partner/placements/"
NOTIFICATIONS = "/api/v1/partner/notifications/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def confirm_url(placement, month=1) -> str:
    return f"/api/v1/partner/follow-ups/{placement.follow_ups.get(month=month).pk}/confirm/"


def test_list_and_retrieve_with_may_work_until_and_follow_ups(portal_user, placement, other_placement):
    client = api(portal_user)
    rows = client.get(PLACEMENTS).json()["results"]
    assert [row["id"] for row in rows] == [placement.pk]
    one = client.get(f"{PLACEMENTS}{placement.pk}/").json()
    assert set(one) == {"id", "opening_title", "packet", "employment"}
    assert set(one["packet"]) == {
        "reference_code",
        "given_name",
        "start_date",
        "follow_ups",
        "may_work_until",
    }
    assert [f["month"] for f in one["packet"]["follow_ups"]] == [1, 3, 6, 12]
    assert one["employment"]["wage"] == 1300
    assert one["employment"]["notification"]["hire_filed_on"] is None
    assert client.get(f"{PLACEMENTS}{other_placement.pk}/").status_code == 404
    assert client.get(f"{PLACEMENTS}{10**20}/").status_code == 404


def test_revoked_consent_keeps_only_the_placement_keys(portal_user, placement):
    placement.applicant.consents.update(revoked_on=today())
    one = api(portal_user).get(f"{PLACEMENTS}{placement.pk}/").json()
    assert set(one["packet"]) == {"reference_code", "given_name", "start_date", "follow_ups"}
    assert one["employment"] is None


def test_confirm_follow_up(portal_user, placement):
    response = api(portal_user).post(
        confirm_url(placement),
        {"still_employed": True, "difficulties": ["communication"], "difficulty_note": "Slow start"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "retained"
    assert response.json()["difficulties"] == ["communication"]


def test_confirm_bad_inputs_are_400_naming_the_field(portal_user, placement):
    client = api(portal_user)
    cases = [
        ({"still_employed": False, "left_on": today().isoformat()}, "leaving_reason"),
        (
            {
                "still_employed": False,
                "left_on": (placement.start_date - timedelta(days=1)).isoformat(),
                "leaving_reason": "moved",
            },
            "left_on",
        ),
        ({"still_employed": True, "difficulties": ["nationality"]}, "difficulties"),
        ({}, "still_employed"),
    ]
    for data, field in cases:
        response = client.post(confirm_url(placement), data, format="json")
        assert response.status_code == 400, (data, response.content)
        assert field in response.json()
    response = client.post(confirm_url(placement, month=12), {"still_employed": True}, format="json")
    assert response.status_code == 400 and "month" in response.json()
    placement.refresh_from_db()
    assert placement.ended_on is None
    assert not placement.follow_ups.exclude(recorded_at=None).exists()


def test_another_employers_follow_up_is_404(portal_user, other_placement):
    response = api(portal_user).post(confirm_url(other_placement), {"still_employed": True}, format="json")
    assert response.status_code == 404
    assert (
        api(portal_user).post("/api/v1/partner/follow-ups/999999999/confirm/", {}, format="json").status_code
        == 404
    )


def test_notification_filing(portal_user, placement, other_placement):
    client = api(portal_user)
    url = f"{PLACEMENTS}{placement.pk}/notification/"
    future = client.post(
        url, {"hire_notification_filed_on": (today() + timedelta(days=1)).isoformat()}, format="json"
    )
    assert future.status_code == 400 and "hire_notification_filed_on" in future.json()
    early = (placement.start_date - timedelta(days=1)).isoformat()
    assert client.post(url, {"hire_notification_filed_on": early}, format="json").status_code == 400
    not_left = client.post(url, {"leaving_notification_filed_on": today().isoformat()}, format="json")
    assert not_left.status_code == 400 and "leaving_notification_filed_on" in not_left.json()
    ok = client.post(url, {"hire_notification_filed_on": today().isoformat()}, format="json")
    assert ok.status_code == 200
    assert ok.json()["employment"]["notification"]["hire_filed_on"] == today().isoformat()
    other = f"{PLACEMENTS}{other_placement.pk}/notification/"
    assert (
        client.post(other, {"hire_notification_filed_on": today().isoformat()}, format="json").status_code
        == 404
    )


def test_paused_partnership_reads_but_does_not_write(portal_user, placement, company):
    company.partnership_status = PartnershipStatus.PAUSED
    company.save()
    client = api(portal_user)
    assert client.get(PLACEMENTS).status_code == 200
    assert client.post(confirm_url(placement), {"still_employed": True}, format="json").status_code == 403
    url = f"{PLACEMENTS}{placement.pk}/notification/"
    assert (
        client.post(url, {"hire_notification_filed_on": today().isoformat()}, format="json").status_code
        == 403
    )


def test_staff_are_refused(caseworker, placement):
    client = api(caseworker)
    assert client.get(PLACEMENTS).status_code == 403
    assert client.post(confirm_url(placement), {"still_employed": True}, format="json").status_code == 403


def test_notifications_list_and_mark_read(portal_user, placement, other_placement):
    portal_notifications_create()
    mine = PortalNotification.objects.get(employer=placement.opening.employer)
    theirs = PortalNotification.objects.get(employer=other_placement.opening.employer)
    client = api(portal_user)
    rows = client.get(NOTIFICATIONS).json()["results"]
    assert [(row["id"], row["kind"], row["placement"]) for row in rows] == [
        (mine.pk, "follow_up_due", placement.pk)
    ]
    assert client.post(f"{NOTIFICATIONS}{theirs.pk}/read/").status_code == 404
    read = client.post(f"{NOTIFICATIONS}{mine.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert client.post(f"{NOTIFICATIONS}read-all/").json() == {"marked": 0}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_queries_do_not_grow(portal_user, place, opening):
    client = api(portal_user)
    for _ in range(5):
        place(opening)
    portal_notifications_create()
    client.get(PLACEMENTS)  # the first request of a session does a little more
    few = (_count(client, PLACEMENTS), _count(client, NOTIFICATIONS))
    for _ in range(20):
        place(opening)
    portal_notifications_create()
    assert (_count(client, PLACEMENTS), _count(client, NOTIFICATIONS)) == few


def test_schema_under_the_partner_tag(administrator):
    from django.test import Client

    client = Client()
    client.force_login(administrator)
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path, method in (
        ("/api/v1/partner/placements/", "get"),
        ("/api/v1/partner/placements/{id}/", "get"),
        ("/api/v1/partner/placements/{id}/notification/", "post"),
        ("/api/v1/partner/follow-ups/{id}/confirm/", "post"),
        ("/api/v1/partner/notifications/", "get"),
        ("/api/v1/partner/notifications/{id}/read/", "post"),
        ("/api/v1/partner/notifications/read-all/", "post"),
    ):
        assert paths[path][method]["tags"] == ["partner"], path
    text = repr({p: v for p, v in paths.items() if p.startswith("/api/v1/partner/")})
    assert "status_kind" not in text and "nationality" not in text
