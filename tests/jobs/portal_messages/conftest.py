"""Fixtures of the message thread tests: the portal candidate tests' employers, portal users and candidates
(a shared referral of the caseworker's caseload to Sakura Foods), plus a second portal user of the same
employer, an API client maker and a helper that fills a thread."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from casework.roles import Role
from jobs.models import (
    EmployerMembership,
    MembershipRole,
    MessageSide,
    PartnershipStatus,
    Referral,
    ReferralMessage,
)
from tests.jobs.portal_candidates.conftest import (  # noqa: F401 - fixtures
    BROAD,
    NARROW,
    company,
    make_candidate,
    opening,
    other_company,
    other_opening,
    other_portal_user,
    portal_user,
)


@pytest.fixture
def colleague(make_user, company):  # noqa: F811 - the imported fixtures
    """A second portal user of Sakura Foods (the digest writes to each)."""
    user = make_user(
        Role.EMPLOYER, username="portal-sakura-2", organisation=company.organisation, language="ja"
    )
    EmployerMembership.objects.create(user=user, employer=company, role=MembershipRole.ADMIN)
    return user


@pytest.fixture
def referral(make_candidate, opening) -> Referral:  # noqa: F811
    return make_candidate(opening, scope=NARROW)


@pytest.fixture
def other_referral(make_candidate, other_opening) -> Referral:  # noqa: F811
    return make_candidate(other_opening, scope=NARROW, given_name="Aung")


@pytest.fixture
def api_for(db):
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def set_partnership(employer, status: str) -> None:
    employer.partnership_status = status
    employer.save(update_fields=["partnership_status"])


PAUSED, ENDED = PartnershipStatus.PAUSED, PartnershipStatus.ENDED


def fill_thread(referral: Referral, *, count: int, employer_user, staff_user) -> None:
    """`count` messages, alternating sides."""
    ReferralMessage.objects.bulk_create(
        [
            ReferralMessage(
                referral=referral,
                side=MessageSide.EMPLOYER if n % 2 else MessageSide.ORGANISATION,
                author=employer_user if n % 2 else staff_user,
                body=f"Message number {n}",
            )
            for n in range(count)
        ]
    )
