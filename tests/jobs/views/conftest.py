"""Fixtures of the jobs page tests: an employer with an opening, a person of the caseworker's caseload who
may work (eligible), one of another team, a referral of each."""

from __future__ import annotations

import pytest

from casework.models import CaseStage
from jobs.models import Referral, Stage
from jobs.services import referrals as referral_services
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, may_work


@pytest.fixture
def company(caseworker):
    return EmployerFactory(organisation=caseworker.organisation, created_by=caseworker, name="Sakura Foods")


@pytest.fixture
def opening(company, caseworker):
    return JobOpeningFactory(employer=company, created_by=caseworker, title="Bento line worker")


@pytest.fixture
def own_person(team, caseworker):
    person = ApplicantFactory(
        team=team,
        caseworker=caseworker,
        case_stage=CaseStage.JOB_READY,
        family_name="Perera",
        given_name="Suriya",
    )
    may_work(person)
    return person


@pytest.fixture
def other_person(other_team, other_caseworker):
    person = ApplicantFactory(
        team=other_team, caseworker=other_caseworker, case_stage=CaseStage.JOB_READY, family_name="Tun"
    )
    may_work(person)
    return person


@pytest.fixture
def own_referral(own_person, opening, caseworker) -> Referral:
    return referral_services.referral_propose(by=caseworker, applicant=own_person, opening=opening)


@pytest.fixture
def other_referral(other_person, opening, other_caseworker) -> Referral:
    return referral_services.referral_propose(by=other_caseworker, applicant=other_person, opening=opening)


__all__ = ["Stage"]
