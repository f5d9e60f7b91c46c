"""Who may read and write what through the jobs API: each role × own and others' objects.

DESIGN.md's matrix: caseworkers and supervisors read every employer and opening of their organisation;
referrals, interviews, placements and follow-ups only of the people whose case they may read (own
caseload; the team's when shared, read-only; led teams); administrators everything; trainers nothing
(empty lists, 403 on writes); employer users 403 on every route of this staff API.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from jobs.models import Interview, Stage
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services
from tests.jobs.api.conftest import days

pytestmark = pytest.mark.django_db

LISTS = ["employers", "openings", "referrals", "interviews", "placements", "follow-ups", "minimum-wages"]


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def world(caseworker, person, opening, hire_reported, stranger_referral, other_caseworker, stranger):
    """A placement of the caseworker's person, and a referral + interview of another team's person."""
    placement = placement_services.placement_confirm(by=caseworker, referral=hire_reported, data={}).placement
    interview = referral_services.interview_save(
        by=other_caseworker,
        referral=stranger_referral,
        data={"starts_at": timezone.now() + days(3), "place": "Head office"},
    )
    return {
        "placement": placement,
        "own_referral": hire_reported,
        "other_referral": stranger_referral,
        "interview": interview,
    }


@pytest.mark.parametrize("route", LISTS)
def test_employer_users_get_403_on_every_route(api_for, employer, route, world):
    client = api_for(employer)
    assert client.get(f"/api/v1/{route}/").status_code == 403
    assert client.post(f"/api/v1/{route}/", {}, format="json").status_code == 403


def test_employer_users_get_403_on_details_and_actions(api_for, employer, world, opening):
    client = api_for(employer)
    referral = world["own_referral"]
    assert client.get(f"/api/v1/openings/{opening.pk}/").status_code == 403
    assert client.get(f"/api/v1/openings/{opening.pk}/matching/").status_code == 403
    assert client.post(f"/api/v1/referrals/{referral.pk}/move/", {}, format="json").status_code == 403
    assert client.patch(f"/api/v1/employers/{opening.employer_id}/", {}, format="json").status_code == 403


@pytest.mark.parametrize("route", [r for r in LISTS if r != "minimum-wages"])
def test_trainers_see_empty_lists_and_may_not_write(api_for, trainer, route, world):
    client = api_for(trainer)
    assert ids(client.get(f"/api/v1/{route}/")) == set()
    assert client.post(f"/api/v1/{route}/", {}, format="json").status_code == 403


def test_trainers_read_the_minimum_wage_table_but_may_not_add(api_for, trainer):
    client = api_for(trainer)
    assert client.get("/api/v1/minimum-wages/").json()["count"] > 0  # seeded by the data migration
    row = {"prefecture": "13", "yen_per_hour": 1300, "effective_from": "2026-10-01"}
    assert client.post("/api/v1/minimum-wages/", row, format="json").status_code == 403


def test_every_staff_role_reads_every_employer_and_opening(
    api_for, caseworker, other_caseworker, supervisor, administrator, opening
):
    for user in (caseworker, other_caseworker, supervisor, administrator):
        client = api_for(user)
        assert ids(client.get("/api/v1/employers/")) == {opening.employer_id}
        assert ids(client.get("/api/v1/openings/")) == {opening.pk}
        assert client.get(f"/api/v1/openings/{opening.pk}/").status_code == 200


def test_referrals_and_placements_follow_the_caseload(
    api_for, caseworker, other_caseworker, supervisor, other_supervisor, administrator, world
):
    own, other = world["own_referral"].pk, world["other_referral"].pk
    placement = world["placement"]
    expected = {
        caseworker: ({own}, {placement.pk}),
        supervisor: ({own}, {placement.pk}),
        other_caseworker: ({other}, set()),
        other_supervisor: ({other}, set()),
        administrator: ({own, other}, {placement.pk}),
    }
    for user, (referrals, placements) in expected.items():
        client = api_for(user)
        assert ids(client.get("/api/v1/referrals/")) == referrals, user
        assert ids(client.get("/api/v1/placements/")) == placements, user
        follow_ups = set(placement.follow_ups.values_list("pk", flat=True)) if placements else set()
        assert ids(client.get("/api/v1/follow-ups/")) == follow_ups, user
        interviews = {world["interview"].pk} if other in referrals else set()
        assert ids(client.get("/api/v1/interviews/")) == interviews, user
    client = api_for(caseworker)
    assert client.get(f"/api/v1/referrals/{other}/").status_code == 404
    assert client.get(f"/api/v1/interviews/{world['interview'].pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/referrals/{other}/move/", {"stage": "withdrawn", "version": 1}, format="json"
        ).status_code
        == 404
    )
    other_client = api_for(other_caseworker)
    assert other_client.get(f"/api/v1/placements/{placement.pk}/").status_code == 404
    follow_up = placement.follow_ups.first()
    assert (
        other_client.post(
            f"/api/v1/follow-ups/{follow_up.pk}/record/", {"outcome": "retained"}, format="json"
        ).status_code
        == 404
    )


def test_a_shared_team_caseload_is_read_only(api_for, caseworker, teammate, person, opening, hire_reported):
    caseworker.organisation.team_caseload_shared = True
    caseworker.organisation.save()
    client = api_for(teammate)
    assert ids(client.get("/api/v1/referrals/")) == {hire_reported.pk}
    answer = client.post(
        f"/api/v1/referrals/{hire_reported.pk}/move/",
        {"stage": "withdrawn", "version": hire_reported.version, "reason_code": "person_declined"},
        format="json",
    )
    assert answer.status_code == 403
    assert (
        client.post(f"/api/v1/referrals/{hire_reported.pk}/confirm-hire/", {}, format="json").status_code
        == 403
    )
    hire_reported.refresh_from_db()
    assert hire_reported.stage == Stage.HIRE_REPORTED


def test_proposing_someone_outside_the_caseload_names_the_applicant(api_for, caseworker, stranger, opening):
    answer = api_for(caseworker).post(
        "/api/v1/referrals/", {"applicant": stranger.reference_code, "opening": opening.pk}, format="json"
    )
    assert answer.status_code == 400 and "applicant" in answer.json()


def test_only_administrators_add_minimum_wages(api_for, caseworker, supervisor, administrator):
    row = {"prefecture": "Tokyo", "yen_per_hour": 1300, "effective_from": "2026-10-01"}
    for user in (caseworker, supervisor):
        assert api_for(user).post("/api/v1/minimum-wages/", row, format="json").status_code == 403
    answer = api_for(administrator).post("/api/v1/minimum-wages/", row, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["prefecture"] == "13"


def test_the_pipeline_through_the_api(api_for, caseworker, person, opening, firm):
    from tests.jobs.factories import consent_to_share

    client = api_for(caseworker)
    proposed = client.post(
        "/api/v1/referrals/", {"applicant": person.reference_code, "opening": opening.pk}, format="json"
    )
    assert proposed.status_code == 201, proposed.content
    referral = proposed.json()
    assert referral["applicant"] == person.reference_code and referral["stage"] == "proposed"
    consent_to_share(person, firm, by=caseworker)
    shared = client.post(
        f"/api/v1/referrals/{referral['id']}/move/",
        {"stage": "shared", "version": referral["version"]},
        format="json",
    )
    assert shared.status_code == 200, shared.content
    interview = client.post(
        "/api/v1/interviews/",
        {"referral": referral["id"], "starts_at": "2030-01-10T10:00:00+09:00", "place": "Head office"},
        format="json",
    )
    assert interview.status_code == 201, interview.content
    changed = client.patch(
        f"/api/v1/interviews/{interview.json()['id']}/", {"outcome": "passed"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["outcome"] == "passed"
    assert Interview.objects.get().place == "Head office"
    detail = client.get(f"/api/v1/referrals/{referral['id']}/").json()
    assert detail["stage"] == "interview"
    assert [step["to_stage"] for step in detail["history"]] == ["proposed", "shared", "interview"]
    version = detail["version"]
    hire = {"start_date": str(opening.start_date), "documents_seen_on": str(timezone.localdate())}
    for stage, extra in (("offer", {}), ("hire_reported", hire)):
        moved = client.post(
            f"/api/v1/referrals/{referral['id']}/move/",
            {"stage": stage, "version": version, **extra},
            format="json",
        )
        assert moved.status_code == 200, moved.content
        version = moved.json()["version"]
    confirmed = client.post(f"/api/v1/referrals/{referral['id']}/confirm-hire/", {}, format="json")
    assert confirmed.status_code == 201, confirmed.content
    body = confirmed.json()
    assert body["withdrawn"] == 0 and body["opening_filled"] is True
    assert [f["month"] for f in body["placement"]["follow_ups"]] == [1, 3, 6, 12]
    follow_up = body["placement"]["follow_ups"][0]["id"]
    recorded = client.post(f"/api/v1/follow-ups/{follow_up}/record/", {"outcome": "retained"}, format="json")
    assert recorded.status_code == 200 and recorded.json()["outcome"] == "retained"


def test_employers_openings_and_contacts_through_the_api(api_for, caseworker):
    client = api_for(caseworker)
    created = client.post(
        "/api/v1/employers/",
        {"name": "Fuji Hotel", "industry": "hospitality", "prefecture": "Shizuoka"},
        format="json",
    )
    assert created.status_code == 201, created.content
    employer_id = created.json()["id"]
    assert created.json()["prefecture"] == "22"
    contact = client.post(
        f"/api/v1/employers/{employer_id}/contacts/", {"name": "Sato", "is_primary": True}, format="json"
    )
    assert contact.status_code == 201, contact.content
    assert client.get(f"/api/v1/employers/{employer_id}/").json()["contacts"][0]["name"] == "Sato"
    patched = client.patch(
        f"/api/v1/employers/{employer_id}/", {"partnership_status": "active"}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["partnership_status"] == "active"
    opening = client.post(
        "/api/v1/openings/",
        {
            "employer": employer_id,
            "title": "Front desk",
            "prefecture": "22",
            "hours_per_week": "30",
            "daily_hours": "6",
            "wage": 1300,
            "wage_unit": "hourly",
            "contract_type": "part_time",
            "start_date": "2030-04-01",
            "status": "open",
        },
        format="json",
    )
    assert opening.status_code == 201, opening.content
    body = opening.json()
    closed = client.patch(
        f"/api/v1/openings/{body['id']}/", {"status": "closed", "version": body["version"]}, format="json"
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_trainers_get_403_on_every_action(api_for, trainer, world, opening):
    client = api_for(trainer)
    referral = world["own_referral"]
    follow_up = world["placement"].follow_ups.first()
    for url in (
        f"/api/v1/referrals/{referral.pk}/move/",
        f"/api/v1/referrals/{referral.pk}/confirm-hire/",
        f"/api/v1/follow-ups/{follow_up.pk}/record/",
        f"/api/v1/employers/{opening.employer_id}/contacts/",
    ):
        assert client.post(url, {}, format="json").status_code == 403, url
    assert client.patch(f"/api/v1/openings/{opening.pk}/", {"title": "X"}, format="json").status_code == 403


def test_a_teammate_may_not_change_an_interview_of_a_shared_case(
    api_for, caseworker, teammate, person, opening
):
    caseworker.organisation.team_caseload_shared = True
    caseworker.organisation.save()
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    interview = referral_services.interview_save(
        by=caseworker, referral=referral, data={"starts_at": timezone.now() + days(2), "place": "Office"}
    )
    client = api_for(teammate)
    assert client.get(f"/api/v1/interviews/{interview.pk}/").status_code == 200
    answer = client.patch(f"/api/v1/interviews/{interview.pk}/", {"outcome": "passed"}, format="json")
    assert answer.status_code == 403
    interview.refresh_from_db()
    assert interview.outcome == "pending"
