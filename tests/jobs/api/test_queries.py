"""Queries do not grow with data: every jobs API list at 25 vs 500 rows, matching at 50 vs 5,000 people."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import WorkPermission
from jobs.models import (
    Employer,
    EmployerContact,
    FollowUp,
    Interview,
    JobOpening,
    MinimumWage,
    Placement,
    Referral,
    Stage,
)
from tests.casework.applicant_factories import bulk_applicants, bulk_periods
from tests.jobs.factories import today

pytestmark = pytest.mark.django_db


def grow(count: int, *, caseworker, team, start: int) -> None:
    """`count` employers (with a contact), openings, referrals (with an interview), placements with four
    follow-ups each, and minimum-wage rows, in bulk."""
    organisation_id = caseworker.organisation_id
    employers = Employer.objects.bulk_create(
        Employer(
            organisation_id=organisation_id,
            name=f"Employer {start + i:05d}",
            industry="it",
            prefecture="13",
            created_by=caseworker,
        )
        for i in range(count)
    )
    EmployerContact.objects.bulk_create(
        EmployerContact(employer=e, name="Sato", is_primary=True) for e in employers
    )
    openings = JobOpening.objects.bulk_create(
        JobOpening(
            employer=e,
            title=f"Job {start + i}",
            prefecture="13",
            hours_per_week=Decimal(40),
            daily_hours=Decimal(8),
            wage=1300,
            wage_unit="hourly",
            contract_type="part_time",
            start_date=today() + timedelta(days=14),
            status="open",
            created_by=caseworker,
        )
        for i, e in enumerate(employers)
    )
    people = bulk_applicants(count, team=team, caseworker=caseworker)
    now = timezone.now()
    referrals = Referral.objects.bulk_create(
        Referral(applicant=p, opening=o, stage=Stage.HIRED, stage_changed_at=now, created_by=caseworker)
        for p, o in zip(people, openings, strict=True)
    )
    Interview.objects.bulk_create(
        Interview(referral=r, starts_at=now, place="Office", created_by=caseworker) for r in referrals
    )
    placements = Placement.objects.bulk_create(
        Placement(
            referral=r,
            applicant_id=r.applicant_id,
            opening_id=r.opening_id,
            start_date=today(),
            hours_per_week=Decimal(40),
            daily_hours=Decimal(8),
            wage=1300,
            wage_unit="hourly",
            employment_insurance=True,
            confirmed_by=caseworker,
            confirmed_at=now,
        )
        for r in referrals
    )
    FollowUp.objects.bulk_create(
        FollowUp(placement=p, month=m, due_on=today() + timedelta(days=30 * m))
        for p in placements
        for m in (1, 3, 6, 12)
    )
    MinimumWage.objects.bulk_create(
        MinimumWage(prefecture="01", yen_per_hour=1000, effective_from=today() + timedelta(days=start + i))
        for i in range(count)
    )


def may_work_until_day_60(applicants) -> None:
    """A period and a designation-sheet permission ending 60 days from now: they may work on an opening's
    start, not through its probation, so every row of the page carries the works_until warning."""
    bulk_periods(applicants)
    WorkPermission.objects.bulk_create(
        (
            WorkPermission(
                applicant=a,
                basis=WorkPermission.Basis.DESIGNATION_SHEET,
                start_date=today() - timedelta(days=30),
                end_date=today() + timedelta(days=60),
            )
            for a in applicants
        ),
        batch_size=500,
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200, answer.content
    assert len(answer.json()["results"]) == 25
    return len(captured)


LISTS = ["employers", "openings", "referrals", "interviews", "placements", "follow-ups", "minimum-wages"]


@pytest.mark.parametrize("user", ["caseworker", "supervisor", "administrator"])
def test_every_list_costs_the_same_at_25_and_500_rows(api_for, caseworker, team, user, request):
    client = api_for(request.getfixturevalue(user))
    grow(25, caseworker=caseworker, team=team, start=0)
    for route in LISTS:  # warm up: the user's organisation and roles are read once per user object
        client.get(f"/api/v1/{route}/")
    few = {route: queries(client, f"/api/v1/{route}/") for route in LISTS}
    grow(475, caseworker=caseworker, team=team, start=25)
    many = {route: queries(client, f"/api/v1/{route}/") for route in LISTS}
    assert many == few


def test_the_matching_list_costs_the_same_at_50_and_5000_people(api_for, caseworker, team, firm):
    opening = JobOpening.objects.create(
        employer=firm,
        title="Line worker",
        prefecture="13",
        hours_per_week=Decimal(40),
        daily_hours=Decimal(8),
        wage=1300,
        wage_unit="hourly",
        contract_type="part_time",
        start_date=today() + timedelta(days=14),
        probation_months=6,
        required_level="A2",
        required_skills=["forklift"],
        status="open",
        created_by=caseworker,
    )
    client = api_for(caseworker)
    url = f"/api/v1/openings/{opening.pk}/matching/"
    may_work_until_day_60(bulk_applicants(50, team=team, caseworker=caseworker))
    client.get(url)  # warm up, as above
    few = queries(client, url)
    may_work_until_day_60(bulk_applicants(4950, team=team, caseworker=caseworker))
    many = queries(client, url)
    assert many == few
    rows = client.get(url).json()["results"]
    assert all(row["works_until"] for row in rows)  # the warning path ran for the whole page
    assert client.get(url + "?page=2").status_code == 200
