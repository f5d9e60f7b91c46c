"""Every bad input of issue 15 through the API: 400 (409 for none: a stale version is named as a field)
naming the field, with the service's message, and nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from jobs.models import FollowUp, JobOpening, MinimumWage, Placement, Referral, Stage
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services
from tests.jobs.api.conftest import days, move
from tests.jobs.factories import consent_to_share, today, tokyo_rate

pytestmark = pytest.mark.django_db


def opening_body(employer_id: int, **values):
    return {
        "employer": employer_id,
        "title": "Kitchen assistant",
        "prefecture": "13",
        "hours_per_week": "40",
        "daily_hours": "8",
        "wage": 1300,
        "wage_unit": "hourly",
        "contract_type": "part_time",
        "start_date": str(today() + days(30)),
        "status": "open",
        **values,
    }


def refused(answer, field: str, status: int = 400) -> str:
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert field in body, body
    return str(body[field][0])


@pytest.mark.parametrize(
    ("wage", "unit", "daily"),
    [(1000, "hourly", "8"), (8000, "daily", "8"), (150000, "monthly", "8")],
)
def test_an_open_opening_below_the_minimum_wage_is_refused(api_for, caseworker, firm, wage, unit, daily):
    tokyo_rate(1226, since=date(2025, 10, 3))
    answer = api_for(caseworker).post(
        "/api/v1/openings/",
        opening_body(firm.pk, wage=wage, wage_unit=unit, daily_hours=daily),
        format="json",
    )
    assert "1,226" in refused(answer, "wage")
    assert not JobOpening.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("hours_per_week", "0"), ("daily_hours", "0"), ("prefecture", "Atlantis"), ("start_date", None)],
)
def test_shapes_are_refused_naming_their_field(api_for, caseworker, firm, field, value):
    answer = api_for(caseworker).post(
        "/api/v1/openings/", opening_body(firm.pk, **{field: value}), format="json"
    )
    refused(answer, field)
    assert not JobOpening.objects.exists()


def test_an_employer_in_an_unknown_prefecture_is_refused(api_for, caseworker):
    answer = api_for(caseworker).post(
        "/api/v1/employers/", {"name": "X", "industry": "it", "prefecture": "99"}, format="json"
    )
    assert "47 prefectures" in refused(answer, "prefecture")


def test_a_stale_opening_version_is_refused(api_for, caseworker, opening):
    client = api_for(caseworker)
    assert (
        client.patch(
            f"/api/v1/openings/{opening.pk}/", {"title": "A", "version": 1}, format="json"
        ).status_code
        == 200
    )
    answer = client.patch(f"/api/v1/openings/{opening.pk}/", {"title": "B", "version": 1}, format="json")
    refused(answer, "version")
    opening.refresh_from_db()
    assert opening.title == "A"


def test_the_same_person_twice(api_for, caseworker, person, opening):
    client = api_for(caseworker)
    body = {"applicant": person.reference_code, "opening": opening.pk}
    assert client.post("/api/v1/referrals/", body, format="json").status_code == 201
    assert "already referred" in refused(client.post("/api/v1/referrals/", body, format="json"), "applicant")
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("consent", ["none", "expired", "revoked", "other employer"])
def test_sharing_without_a_current_consent_for_this_employer(api_for, caseworker, person, opening, consent):
    from tests.jobs.factories import EmployerFactory

    if consent == "expired":
        consent_to_share(
            person, opening.employer, by=caseworker, granted=today() - days(90), expires=today() - days(1)
        )
    elif consent == "revoked":
        consent_to_share(person, opening.employer, by=caseworker, revoked=today())
    elif consent == "other employer":
        other = EmployerFactory(organisation=caseworker.organisation, created_by=caseworker, name="Other Co")
        consent_to_share(person, other, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    answer = api_for(caseworker).post(
        f"/api/v1/referrals/{referral.pk}/move/",
        {"stage": "shared", "version": referral.version},
        format="json",
    )
    assert "consent" in refused(answer, "stage")
    referral.refresh_from_db()
    assert (referral.stage, referral.version) == (Stage.PROPOSED, 1)


def test_reporting_a_hire_for_someone_who_may_not_work(api_for, caseworker, person, opening):
    consent_to_share(person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    referral = move(caseworker, referral, Stage.OFFER)
    answer = api_for(caseworker).post(
        f"/api/v1/referrals/{referral.pk}/move/",
        {"stage": "hire_reported", "version": referral.version, "start_date": str(today() + days(800))},
        format="json",
    )
    assert "may not work" in refused(answer, "start_date")


def test_moving_backwards_as_a_caseworker_and_a_stale_version(
    api_for, caseworker, supervisor, person, opening
):
    consent_to_share(person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    referral = move(caseworker, referral, Stage.SHARED)
    client = api_for(caseworker)
    back = {"stage": "proposed", "version": referral.version, "reason_code": "correction"}
    assert "supervisor" in refused(
        client.post(f"/api/v1/referrals/{referral.pk}/move/", back, format="json"), "stage"
    )
    stale = {"stage": "interview", "version": referral.version - 1}
    refused(client.post(f"/api/v1/referrals/{referral.pk}/move/", stale, format="json"), "version")
    referral.refresh_from_db()
    assert referral.stage == Stage.SHARED
    moved = api_for(supervisor).post(f"/api/v1/referrals/{referral.pk}/move/", back, format="json")
    assert moved.status_code == 200 and moved.json()["stage"] == "proposed"


def test_a_bad_stage_and_a_missing_version_name_their_fields(api_for, caseworker, person, opening):
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    client = api_for(caseworker)
    refused(
        client.post(
            f"/api/v1/referrals/{referral.pk}/move/", {"stage": "nowhere", "version": 1}, format="json"
        ),
        "stage",
    )
    refused(
        client.post(f"/api/v1/referrals/{referral.pk}/move/", {"stage": "shared"}, format="json"), "version"
    )
    refused(
        client.post(
            f"/api/v1/referrals/{referral.pk}/move/", {"stage": "shared", "version": "x"}, format="json"
        ),
        "version",
    )


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"probation_end": "PROBATION"}, "probation_end", "before the start"),
        ({"start_date": "YESTERDAY"}, "start_date", "offer"),
        ({"wage": 1000}, "wage", "1,226"),
        ({"hours_per_week": "0"}, "hours_per_week", "more than 0"),
    ],
)
def test_confirming_a_hire_with_bad_terms(api_for, caseworker, hire_reported, opening, body, field, words):
    tokyo_rate(1226)
    values = {
        key: str(opening.start_date - days(1))
        if value == "PROBATION"
        else str(today() - days(1))
        if value == "YESTERDAY"
        else value
        for key, value in body.items()
    }
    answer = api_for(caseworker).post(
        f"/api/v1/referrals/{hire_reported.pk}/confirm-hire/", values, format="json"
    )
    assert words in refused(answer, field)
    assert not Placement.objects.exists() and not FollowUp.objects.exists()
    hire_reported.refresh_from_db()
    assert hire_reported.stage == Stage.HIRE_REPORTED


def test_hiring_someone_who_may_not_work_on_the_start_date(api_for, caseworker, hire_reported):
    answer = api_for(caseworker).post(
        f"/api/v1/referrals/{hire_reported.pk}/confirm-hire/",
        {"start_date": str(today() + days(800))},
        format="json",
    )
    assert "may not work" in refused(answer, "start_date")
    assert not Placement.objects.exists()


def test_a_follow_up_recorded_twice_is_one_row_and_bad_outcomes_name_their_field(
    api_for, caseworker, hire_reported
):
    placement = placement_services.placement_confirm(by=caseworker, referral=hire_reported, data={}).placement
    first = placement.follow_ups.get(month=1)
    client = api_for(caseworker)
    url = f"/api/v1/follow-ups/{first.pk}/record/"
    assert client.post(url, {"outcome": "retained"}, format="json").status_code == 200
    again = client.post(url, {"outcome": "at_risk", "note": "Late twice"}, format="json")
    assert again.status_code == 200 and again.json()["outcome"] == "at_risk"
    assert FollowUp.objects.filter(placement=placement, month=1).count() == 1
    refused(client.post(url, {"outcome": "left"}, format="json"), "leaving_reason")
    refused(client.post(url, {"outcome": "gone"}, format="json"), "outcome")
    first.refresh_from_db()
    assert first.outcome == "at_risk"


def test_interview_without_place_or_link(api_for, caseworker, person, opening):
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    answer = api_for(caseworker).post(
        "/api/v1/interviews/",
        {"referral": referral.pk, "starts_at": "2030-01-10T10:00:00+09:00"},
        format="json",
    )
    refused(answer, "place")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"prefecture": "Atlantis", "yen_per_hour": 1300, "effective_from": "2026-10-01"}, "prefecture"),
        ({"prefecture": "13", "yen_per_hour": 0, "effective_from": "2026-10-01"}, "yen_per_hour"),
        ({"prefecture": "13", "yen_per_hour": 1300, "effective_from": "2025-10-03"}, "effective_from"),
        ({"prefecture": "13", "yen_per_hour": 1300}, "effective_from"),
    ],
)
def test_minimum_wage_rows_are_checked(api_for, administrator, body, field):
    tokyo_rate(1226, since=date(2025, 10, 3))
    before = MinimumWage.objects.count()
    refused(api_for(administrator).post("/api/v1/minimum-wages/", body, format="json"), field)
    assert MinimumWage.objects.count() == before


def test_matching_filters_are_checked(api_for, caseworker, opening):
    client = api_for(caseworker)
    refused(client.get(f"/api/v1/openings/{opening.pk}/matching/?reason=charm"), "reason")
    refused(client.get(f"/api/v1/openings/{opening.pk}/matching/?eligible=perhaps"), "eligible")


def test_a_contact_with_a_bad_email_and_without_a_name(api_for, caseworker, firm):
    client = api_for(caseworker)
    url = f"/api/v1/employers/{firm.pk}/contacts/"
    refused(client.post(url, {"name": "Sato", "email": "not-an-address"}, format="json"), "email")
    refused(client.post(url, {"name": ""}, format="json"), "name")
    assert not firm.contacts.exists()


def test_a_duplicate_employer_name_is_refused(api_for, caseworker, firm):
    answer = api_for(caseworker).post(
        "/api/v1/employers/", {"name": firm.name.upper(), "industry": "it", "prefecture": "13"}, format="json"
    )
    assert "already recorded" in refused(answer, "name")


def test_wrong_types_are_400s_naming_the_field_never_500s(api_for, caseworker, firm, opening):
    client = api_for(caseworker)
    refused(client.post("/api/v1/openings/", opening_body(firm.pk, wage="lots"), format="json"), "wage")
    refused(
        client.post("/api/v1/openings/", opening_body(firm.pk, start_date="soon"), format="json"),
        "start_date",
    )
    refused(
        client.post("/api/v1/openings/", opening_body(firm.pk, required_skills="x" * 101), format="json"),
        "required_skills",
    )
    refused(
        client.post("/api/v1/referrals/", {"applicant": "NOPE-1", "opening": opening.pk}, format="json"),
        "applicant",
    )
    refused(client.post("/api/v1/referrals/", {"applicant": "", "opening": 10**9}, format="json"), "opening")
