"""/api/v1/partner/referrals/: rows carry the packet (same builder) with exactly the allowed keys; no door
to hidden fields (?fields=, ?expand=, ?ordering=, ?search=, another format, the browsable API, the
schema); other employers' ids are 404; staff are refused; reads are logged; queries do not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from casework.models import AccessLogEntry
from jobs.models import Stage
from jobs.selectors.packets import BASE_KEYS, allowed_keys
from tests.jobs.portal_candidates.conftest import BROAD, NARROW
from tests.jobs.portal_candidates.test_pages import _grow

pytestmark = pytest.mark.django_db

LIST = "/api/v1/partner/referrals/"
ROW_KEYS = {"id", "opening", "opening_title", "stage", "stage_changed_at", "packet"}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def one(referral) -> str:
    return f"{LIST}{referral.pk}/"


def test_list_and_retrieve_keys_narrow_and_broad(portal_user, make_candidate, opening):
    narrow = make_candidate(opening, scope=NARROW)
    broad = make_candidate(opening, scope=BROAD, stage=Stage.INTERVIEW)
    client = api(portal_user)
    response = client.get(LIST)
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    for row in rows.values():
        assert set(row) == ROW_KEYS
    assert set(rows[narrow.pk]["packet"]) == BASE_KEYS - {"family_name", "right_to_work_checked_on"}
    assert set(rows[broad.pk]["packet"]) == allowed_keys(BROAD) - {"right_to_work_checked_on"}
    for referral, scope in ((narrow, NARROW), (broad, BROAD)):
        single = client.get(one(referral)).json()
        assert set(single) == ROW_KEYS
        assert set(single["packet"]) <= allowed_keys(scope)
        assert single == rows[referral.pk]
    body = client.get(one(narrow)).content.decode()
    for hidden in ("Sri Lanka", '"LK"', "Perera", "da_refugee_applicant", "status_kind", "date_of_birth"):
        assert hidden not in body
    assert "Perera" in client.get(one(broad)).content.decode()


def test_no_consent_no_packet(portal_user, make_candidate, opening):
    referral = make_candidate(opening, scope=None)
    row = api(portal_user).get(one(referral)).json()
    assert row["packet"] is None


@pytest.mark.parametrize(
    "query",
    [
        "fields=nationality,status_kind",
        "expand=applicant",
        "ordering=nationality",
        "ordering=-applicant__nationality",
        "ordering=applicant__periods__status_kind",
        "search=Sri",
        "search=LK",
        "nationality=LK",
        "applicant__nationality=MM",
    ],
)
def test_query_parameters_change_nothing(portal_user, make_candidate, opening, query):
    make_candidate(opening, scope=NARROW, nationality="MM", given_name="A")
    make_candidate(opening, scope=NARROW, nationality="LK", given_name="B")
    make_candidate(opening, scope=BROAD, nationality="AF", given_name="C")
    client = api(portal_user)
    plain = client.get(LIST).json()
    asked = client.get(f"{LIST}?{query}")
    assert asked.status_code == 200
    assert asked.json() == plain


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "text/csv", "application/yaml"])
def test_another_format_is_406(portal_user, make_candidate, opening, accept):
    referral = make_candidate(opening)
    client = api(portal_user)
    assert client.get(LIST, HTTP_ACCEPT=accept).status_code == 406
    assert client.get(one(referral), HTTP_ACCEPT=accept).status_code == 406


def test_no_browsable_api(portal_user, make_candidate, opening):
    referral = make_candidate(opening)
    client = api(portal_user)
    response = client.get(f"{one(referral)}?format=api")
    assert response.status_code == 404
    assert b"<html" not in response.content.lower()
    assert client.get(LIST, HTTP_ACCEPT="application/json")["Content-Type"].startswith("application/json")


def test_other_employers_and_unshared_ids_are_404_like_missing(
    portal_user, other_portal_user, make_candidate, opening, other_opening
):
    theirs = make_candidate(other_opening, scope=BROAD)
    unshared = make_candidate(opening, stage=Stage.CONSENT_RECORDED)
    client = api(portal_user)
    missing = client.get(f"{LIST}999999999/")
    assert missing.status_code == 404
    for referral in (theirs, unshared):
        response = client.get(one(referral))
        assert response.status_code == 404
        assert response.json() == missing.json()
    assert theirs.pk not in [row["id"] for row in client.get(LIST).json()["results"]]
    assert api(other_portal_user).get(one(make_candidate(opening))).status_code == 404


@pytest.mark.parametrize("pk", ["abc", "1.5", "99999999999999999999999", "-1", "%00"])
def test_bad_ids_are_404(portal_user, pk):
    assert api(portal_user).get(f"{LIST}{pk}/").status_code == 404


def test_writes_are_not_allowed(portal_user, make_candidate, opening):
    referral = make_candidate(opening)
    client = api(portal_user)
    assert client.post(LIST, {"stage": "hired"}, format="json").status_code == 405
    assert client.patch(one(referral), {"stage": "hired"}, format="json").status_code == 405
    assert client.delete(one(referral)).status_code == 405


def test_staff_and_unlinked_employer_get_403(
    caseworker, supervisor, administrator, trainer, employer, make_candidate, opening
):
    referral = make_candidate(opening)
    for user in (caseworker, supervisor, administrator, trainer, employer):
        client = api(user)
        assert client.get(LIST).status_code == 403, user.username
        assert client.get(one(referral)).status_code == 403, user.username


def test_anonymous_is_refused(make_candidate, opening):
    assert APIClient().get(LIST).status_code in (401, 403)


def test_reads_are_logged(portal_user, make_candidate, opening):
    shown = make_candidate(opening)
    make_candidate(opening, scope=None)
    client = api(portal_user)
    client.get(one(shown))
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.SHARE_PACKET_VIEW)
    assert (entry.actor, entry.applicant_id, entry.detail["door"]) == (portal_user, shown.applicant_id, "api")
    client.get(LIST)
    assert AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SHARE_PACKET_VIEW).count() == 2


def test_schema_shows_the_packet_under_the_partner_tag_without_status(administrator):
    from django.test import Client

    client = Client()
    client.force_login(administrator)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert paths["/api/v1/partner/referrals/"]["get"]["tags"] == ["partner"]
    assert paths["/api/v1/partner/referrals/{id}/"]["get"]["tags"] == ["partner"]
    components = schema["components"]["schemas"]
    packet = components["SharePacket"]["properties"]
    assert set(packet) == allowed_keys(BROAD) | {"start_date", "follow_ups"}
    partner = {
        name: body
        for name, body in components.items()
        if name.startswith(("SharePacket", "Packet", "PartnerReferral", "PaginatedPartnerReferral"))
    }
    text = repr(partner)
    for hidden in ("status_kind", "StatusKind", "procedure", "date_of_birth", "address", "NationalityEnum"):
        assert hidden not in text


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_queries_equal_at_5_and_500(portal_user, opening, caseworker, team):
    client = api(portal_user)
    _grow(5, opening=opening, caseworker=caseworker, team=team)
    client.get(LIST)  # warm: what a first request caches
    small = _count(client, LIST)
    _grow(495, opening=opening, caseworker=caseworker, team=team)
    assert _count(client, LIST) == small
