"""Fixtures of the jobs API tests: an employer and an open opening, people of two caseloads, a hire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from casework.models import CaseStage
from jobs.models import Referral, Stage
from jobs.services import referrals as referral_services
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, consent_to_share, may_work


@pytest.fixture
def api_for(db):
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def firm(caseworker):
    """An Employer (the root conftest's ``employer`` is the employer *user*)."""
    return EmployerFactory(organisation=caseworker.organisation, created_by=caseworker, name="Sakura Foods")


@pytest.fixture
def opening(firm, caseworker):
    return JobOpeningFactory(employer=firm, created_by=caseworker)


@pytest.fixture
def person(caseworker, team):
    """In the caseworker's own caseload, may work for a year, looking for work."""
    applicant = ApplicantFactory(team=team, caseworker=caseworker, case_stage=CaseStage.JOB_READY)
    may_work(applicant)
    return applicant


@pytest.fixture
def stranger(other_caseworker, other_team):
    """In another team's caseload."""
    applicant = ApplicantFactory(team=other_team, caseworker=other_caseworker, case_stage=CaseStage.JOB_READY)
    may_work(applicant)
    return applicant


def move(by, referral: Referral, stage: str, **data) -> Referral:
    referral.refresh_from_db()
    return referral_services.referral_move(
        by=by, referral=referral, data={"stage": stage, "version": referral.version, **data}
    )


@pytest.fixture
def hire_reported(caseworker, person, opening) -> Referral:
    consent_to_share(person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    move(caseworker, referral, Stage.OFFER)
    return move(
        caseworker,
        referral,
        Stage.HIRE_REPORTED,
        start_date=opening.start_date,
        documents_seen_on=min(timezone.localdate(), opening.start_date),
    )


@pytest.fixture
def stranger_referral(other_caseworker, stranger, opening) -> Referral:
    return referral_services.referral_propose(by=other_caseworker, applicant=stranger, opening=opening)


def days(n: int):
    return timedelta(days=n)
