"""Fixtures of the portal's Workers tests: the candidates tests' employers, portal users and people
(tests/jobs/portal_candidates/conftest.py), and placed workers of each employer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.utils import timezone

from jobs import rules
from jobs.models import FollowUp, Placement, Stage
from tests.jobs.factories import today
from tests.jobs.portal_candidates import conftest as candidates
from tests.jobs.portal_candidates.conftest import BROAD

# The candidates tests' fixtures, shared (not copied).
company = candidates.company
other_company = candidates.other_company
opening = candidates.opening
other_opening = candidates.other_opening
portal_user = candidates.portal_user
other_portal_user = candidates.other_portal_user
make_candidate = candidates.make_candidate


@pytest.fixture
def place(make_candidate, caseworker) -> Callable[..., Placement]:
    """A placed worker of `opening` who started `days_ago` days ago (follow-ups at 1, 3, 6, 12 months),
    with a consent to share naming `scope` (None: no consent)."""

    def make(opening, *, days_ago: int = 40, scope=BROAD, insured: bool = True, **fields) -> Placement:
        referral = make_candidate(opening, scope=scope, stage=Stage.HIRED, **fields)
        start: date = today() - timedelta(days=days_ago)
        placement = Placement.objects.create(
            referral=referral,
            applicant=referral.applicant,
            opening=opening,
            start_date=start,
            hours_per_week=40,
            daily_hours=8,
            wage=1300,
            wage_unit="hourly",
            employment_insurance=insured,
            confirmed_by=caseworker,
            confirmed_at=timezone.now(),
        )
        FollowUp.objects.bulk_create(
            [FollowUp(placement=placement, month=m, due_on=due) for m, due in rules.follow_up_dates(start)]
        )
        return placement

    return make


@pytest.fixture
def placement(place, opening) -> Placement:
    return place(opening)


@pytest.fixture
def other_placement(place, other_opening) -> Placement:
    return place(other_opening)
