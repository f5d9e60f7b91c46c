"""Fixtures of the portal's interview, offer and hire report tests: the portal candidate tests' employers,
portal users, openings and candidates, plus times to propose and a paused partnership."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from jobs.models import PartnershipStatus
from tests.jobs.factories import tokyo_rate
from tests.jobs.portal_candidates.conftest import *  # noqa: F403 (its fixtures: employers, users, candidates)


def later(days: int = 3, hour: int = 10) -> datetime:
    """A time `days` from now at `hour` o'clock, Asia/Tokyo."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture
def minimum(db):
    return tokyo_rate(1226)


@pytest.fixture
def candidate(make_candidate, opening):
    return make_candidate(opening)


@pytest.fixture
def paused(company):
    company.partnership_status = PartnershipStatus.PAUSED
    company.save(update_fields=["partnership_status"])
    return company


def proposal_data(**changes) -> dict:
    data = {
        "slots": [later(3), later(4)],
        "place": "Sakura Foods, Koto-ku",
        "link": "",
        "interpreter_needed": True,
        "interpreter_language": "Sinhala",
        "note": "Please bring a pen.",
    }
    data.update(changes)
    return data
