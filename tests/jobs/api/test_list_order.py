"""The referrals and placements lists come newest first for every role: an administrator's order is read
down an index, a caseworker's is a sort of their own caseload's rows (jobs.selectors.referrals
.newest_moves_first), and both must give the same order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import Placement, Referral
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import JobOpeningFactory

pytestmark = pytest.mark.django_db


def test_referrals_come_newest_move_first_for_caseworkers_and_administrators(
    api_for, caseworker, administrator, team, firm
):
    now = timezone.now()
    made = []
    for n, hours in enumerate((5, 1, 9, 3)):
        person = ApplicantFactory(team=team, caseworker=caseworker)
        opening = JobOpeningFactory(employer=firm, created_by=caseworker)
        made.append(
            Referral.objects.create(
                applicant=person,
                opening=opening,
                created_by=caseworker,
                stage_changed_at=now - timedelta(hours=hours) if n != 3 else now - timedelta(hours=1),
            )
        )
    # Two referrals moved at the same moment: the newer row first.
    expected = [r.pk for r in sorted(made, key=lambda r: (r.stage_changed_at, r.pk), reverse=True)]
    for user in (caseworker, administrator):
        rows = api_for(user).get("/api/v1/referrals/").json()["results"]
        assert [row["id"] for row in rows] == expected, user


def test_placements_come_newest_start_first_for_caseworkers_and_administrators(
    api_for, caseworker, administrator, team, firm
):
    made = []
    for days_ago in (30, 2, 90, 2):
        person = ApplicantFactory(team=team, caseworker=caseworker)
        opening = JobOpeningFactory(employer=firm, created_by=caseworker)
        referral = Referral.objects.create(
            applicant=person, opening=opening, created_by=caseworker, stage_changed_at=timezone.now()
        )
        made.append(
            Placement.objects.create(
                referral=referral,
                applicant=person,
                opening=opening,
                start_date=timezone.localdate() - timedelta(days=days_ago),
                hours_per_week=30,
                daily_hours=6,
                wage=1300,
                wage_unit="hourly",
                employment_insurance=True,
                confirmed_by=caseworker,
                confirmed_at=timezone.now(),
            )
        )
    expected = [p.pk for p in sorted(made, key=lambda p: (p.start_date, p.pk), reverse=True)]
    for user in (caseworker, administrator):
        rows = api_for(user).get("/api/v1/placements/").json()["results"]
        assert [row["id"] for row in rows] == expected, user
