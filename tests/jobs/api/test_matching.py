"""The matching list through the API: every active person the user may see, eligible first, with reasons."""

from __future__ import annotations

import pytest

from casework.models import CaseStage
from jobs.services import referrals as referral_services
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.api.conftest import days
from tests.jobs.factories import JobOpeningFactory, may_work, today

pytestmark = pytest.mark.django_db


def person(caseworker, team, family_name: str, *, works: int | None = 365, **fields):
    fields.setdefault("case_stage", CaseStage.JOB_READY)
    applicant = ApplicantFactory(team=team, caseworker=caseworker, family_name=family_name, **fields)
    if works is not None:
        may_work(applicant, days=works)
    return applicant


@pytest.fixture
def people(caseworker, team, opening):
    made = {
        "eligible": person(caseworker, team, "Aung"),
        "far": person(caseworker, team, "Bo", commute_prefectures=",27,"),
        "no_permission": person(caseworker, team, "Chit", works=None),
        "referred": person(caseworker, team, "Daw"),
        "short_stay": person(caseworker, team, "Ei", works=100),
        "placed": person(caseworker, team, "Fu", case_stage=CaseStage.PLACED),
    }
    referral_services.referral_propose(by=caseworker, applicant=made["referred"], opening=opening)
    return made


def rows_of(answer) -> dict[str, dict]:
    assert answer.status_code == 200, answer.content
    return {row["reference_code"]: row for row in answer.json()["results"]}


def test_every_seeking_person_with_the_reasons_eligible_first(api_for, caseworker, opening, people):
    opening.probation_months = 6
    opening.save()
    answer = api_for(caseworker).get(f"/api/v1/openings/{opening.pk}/matching/")
    rows = rows_of(answer)
    code = {key: applicant.reference_code for key, applicant in people.items()}
    assert code["placed"] not in rows
    assert rows[code["eligible"]]["eligible"] is True and rows[code["eligible"]]["reasons"] == []
    assert rows[code["far"]]["reasons"] == ["place_ok"]
    assert rows[code["no_permission"]]["reasons"] == ["may_work_start"]
    assert rows[code["referred"]]["reasons"] == ["referred"]
    short = rows[code["short_stay"]]
    assert short["eligible"] is True and short["works_until"] == str(today() - days(30) + days(100))
    assert rows[code["eligible"]]["works_until"] is None
    assert all(row["legal_known"] for row in rows.values())
    eligible_first = [row["eligible"] for row in answer.json()["results"]]
    assert eligible_first == sorted(eligible_first, reverse=True)


def test_the_filters(api_for, caseworker, opening, people):
    client = api_for(caseworker)
    eligible = rows_of(client.get(f"/api/v1/openings/{opening.pk}/matching/?eligible=true"))
    assert set(eligible) == {people["eligible"].reference_code, people["short_stay"].reference_code}
    far = rows_of(client.get(f"/api/v1/openings/{opening.pk}/matching/?reason=place_ok"))
    assert set(far) == {people["far"].reference_code}
    referred = rows_of(client.get(f"/api/v1/openings/{opening.pk}/matching/?reason=referred"))
    assert set(referred) == {people["referred"].reference_code}


def test_a_required_level_nobody_has(api_for, caseworker, firm, people):
    opening = JobOpeningFactory(employer=firm, created_by=caseworker, required_level="B1")
    rows = rows_of(api_for(caseworker).get(f"/api/v1/openings/{opening.pk}/matching/"))
    assert "level_ok" in rows[people["eligible"].reference_code]["reasons"]
    assert not any(row["eligible"] for row in rows.values())


def test_only_the_people_one_may_see(api_for, other_caseworker, opening, people):
    assert rows_of(api_for(other_caseworker).get(f"/api/v1/openings/{opening.pk}/matching/")) == {}
