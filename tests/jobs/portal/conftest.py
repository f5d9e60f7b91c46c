"""Fixtures of the portal's opening tests: a partner employer of the caseworker's organisation with an
employer user who is a member of it, and another employer with its own member."""

from __future__ import annotations

import pytest

from casework.roles import Role
from jobs.models import EmployerMembership, MembershipRole, OpeningStatus, PartnershipStatus
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, tokyo_rate


@pytest.fixture
def minimum(db):
    return tokyo_rate(1226)


@pytest.fixture
def partner_company(caseworker):
    return EmployerFactory(organisation=caseworker.organisation, created_by=caseworker, name="Sakura Foods")


@pytest.fixture
def other_company(caseworker):
    return EmployerFactory(organisation=caseworker.organisation, created_by=caseworker, name="Fuji Parts")


def member_of(make_user, company, username: str, role=MembershipRole.ADMIN):
    user = make_user(Role.EMPLOYER, username=username, organisation=company.organisation)
    EmployerMembership.objects.create(user=user, employer=company, role=role)
    return user


@pytest.fixture
def partner_user(make_user, partner_company):
    return member_of(make_user, partner_company, "sakura-hr")


@pytest.fixture
def other_partner_user(make_user, other_company):
    return member_of(make_user, other_company, "fuji-hr")


@pytest.fixture
def paused(partner_company):
    partner_company.partnership_status = PartnershipStatus.PAUSED
    partner_company.save(update_fields=["partnership_status"])
    return partner_company


@pytest.fixture
def submitted(partner_company, partner_user):
    return JobOpeningFactory(
        employer=partner_company, created_by=partner_user, status=OpeningStatus.SUBMITTED, title="Packer"
    )


@pytest.fixture
def other_opening(other_company, other_partner_user):
    return JobOpeningFactory(employer=other_company, created_by=other_partner_user, title="Welder")


def opening_data(**changes) -> dict:
    """A valid opening as the portal's form posts it (Tokyo, ¥1,300 an hour, 40 hours a week)."""
    from datetime import timedelta

    from django.utils import timezone

    data = {
        "title": "Bento line worker",
        "description": "Packing lunch boxes.",
        "prefecture": "13",
        "address": "Koto-ku",
        "hours_per_week": "40",
        "daily_hours": "8",
        "shift_pattern": "day",
        "wage": "1300",
        "wage_unit": "hourly",
        "contract_type": "fixed_term",
        "start_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "probation_months": "3",
        "required_level": "A2",
        "required_skills": "packing, hygiene",
        "places": "2",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def api_for(db):
    from rest_framework.test import APIClient

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
