"""Queries do not grow with data: the opening page (matching list and pipeline board), the employer page,
the lists and the employment panel cost the same at a small and a large size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseStage
from jobs.models import Referral, Stage
from tests.casework.applicant_factories import bulk_applicants
from tests.jobs.factories import JobOpeningFactory

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    client.get(url)  # warm caches (session, translations)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def refer(people, opening, by, stage=Stage.PROPOSED) -> None:
    now = timezone.now()
    Referral.objects.bulk_create(
        [
            Referral(applicant=p, opening=opening, stage=stage, stage_changed_at=now, created_by=by)
            for p in people
        ]
    )


def test_the_pipeline_board_costs_the_same_at_5_and_500_referrals(client_for, caseworker, team, company):
    small = JobOpeningFactory(employer=company, created_by=caseworker)
    large = JobOpeningFactory(employer=company, created_by=caseworker)
    people = bulk_applicants(505, team=team, caseworker=caseworker, case_stage=CaseStage.ACTIVE)
    refer(people[:5], small, caseworker)
    refer(people[5:], large, caseworker, stage=Stage.SHARED)
    client = client_for(caseworker)
    assert queries(client, reverse("jobs:opening_detail", args=[small.pk])) == queries(
        client, reverse("jobs:opening_detail", args=[large.pk])
    )


def test_the_matching_list_costs_the_same_at_50_and_5000_people(
    client_for, caseworker, team, company, opening
):
    client = client_for(caseworker)
    url = reverse("jobs:opening_detail", args=[opening.pk])
    bulk_applicants(50, team=team, caseworker=caseworker, case_stage=CaseStage.JOB_READY)
    few = queries(client, url)
    bulk_applicants(4950, team=team, caseworker=caseworker, case_stage=CaseStage.JOB_READY)
    many = queries(client, url)
    assert few == many
    assert queries(client, url + "?page=3") == many


def test_the_employer_page_and_lists_cost_the_same_with_more_rows(client_for, caseworker, team, company):
    client = client_for(caseworker)
    urls = [
        reverse("jobs:employer_detail", args=[company.pk]),
        reverse("jobs:employer_list"),
        reverse("jobs:opening_list"),
        reverse("jobs:referral_list"),
    ]
    opening = JobOpeningFactory(employer=company, created_by=caseworker)
    refer(bulk_applicants(3, team=team, caseworker=caseworker), opening, caseworker)
    before = [queries(client, url) for url in urls]
    for _ in range(5):
        extra = JobOpeningFactory(employer=company, created_by=caseworker)
        refer(bulk_applicants(10, team=team, caseworker=caseworker), extra, caseworker)
    assert [queries(client, url) for url in urls] == before


def test_the_employment_panel_costs_the_same_with_more_referrals(client_for, caseworker, own_person, company):
    client = client_for(caseworker)
    url = reverse("applicant_detail", args=[own_person.reference_code]) + "?tab=employment"
    refer([own_person], JobOpeningFactory(employer=company, created_by=caseworker), caseworker)
    JobOpeningFactory(employer=company, created_by=caseworker)
    before = queries(client, url)
    for _ in range(6):
        refer([own_person], JobOpeningFactory(employer=company, created_by=caseworker), caseworker)
        JobOpeningFactory(employer=company, created_by=caseworker)
    assert queries(client, url) == before


def place(people, company, by) -> None:
    """Placements (with their four follow-ups each) for these people, written directly."""
    from decimal import Decimal

    from jobs import rules
    from jobs.models import FollowUp, Placement

    opening = JobOpeningFactory(employer=company, created_by=by)
    now, start = timezone.now(), timezone.localdate() - timezone.timedelta(days=40)
    for person in people:
        referral = Referral.objects.create(
            applicant=person, opening=opening, stage=Stage.HIRED, stage_changed_at=now, created_by=by
        )
        placement = Placement.objects.create(
            referral=referral,
            applicant=person,
            opening=opening,
            start_date=start,
            hours_per_week=Decimal(40),
            daily_hours=Decimal(8),
            wage=1300,
            wage_unit="hourly",
            employment_insurance=True,
            confirmed_by=by,
            confirmed_at=now,
        )
        FollowUp.objects.bulk_create(
            [FollowUp(placement=placement, month=m, due_on=d) for m, d in rules.follow_up_dates(start)]
        )


def test_the_placement_and_follow_up_lists_cost_the_same_with_more_rows(
    client_for, caseworker, team, company
):
    client = client_for(caseworker)
    urls = [reverse("jobs:placement_list"), reverse("jobs:follow_up_list")]
    place(bulk_applicants(2, team=team, caseworker=caseworker), company, caseworker)
    before = [queries(client, url) for url in urls]
    place(bulk_applicants(20, team=team, caseworker=caseworker), company, caseworker)
    assert [queries(client, url) for url in urls] == before
    assert "Overdue" in client.get(urls[1]).content.decode()  # the month-1 follow-ups are past due
