"""Fixtures of the portal's candidate tests: two partner employers of the organisation, a portal user of
each (with a membership), an opening of each, and helpers that put a person at a stage of a referral with
a consent to share that names chosen field groups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import CaseStage, Consent, ConsentPurpose, FieldGroup
from casework.roles import Role
from jobs.models import EmployerMembership, MembershipRole, Referral, Stage, StageChange
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, may_work, today

NARROW = ["skills"]  # no nationality, no contact
BROAD = [
    FieldGroup.CONTACT,
    FieldGroup.NATIONALITY,
    FieldGroup.WORK_HISTORY,
    FieldGroup.EDUCATION,
    FieldGroup.DOCUMENTS,
    FieldGroup.SKILLS,
]


@pytest.fixture
def company(caseworker):
    return EmployerFactory(organisation=caseworker.organisation, created_by=caseworker, name="Sakura Foods")


@pytest.fixture
def other_company(caseworker):
    return EmployerFactory(organisation=caseworker.organisation, created_by=caseworker, name="Fuji Logistics")


@pytest.fixture
def opening(company, caseworker):
    return JobOpeningFactory(employer=company, created_by=caseworker, title="Bento line worker")


@pytest.fixture
def other_opening(other_company, caseworker):
    return JobOpeningFactory(employer=other_company, created_by=caseworker, title="Forklift driver")


def _portal_user(make_user, employer, username: str):
    user = make_user(Role.EMPLOYER, username=username, organisation=employer.organisation)
    EmployerMembership.objects.create(user=user, employer=employer, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def portal_user(make_user, company):
    return _portal_user(make_user, company, "portal-sakura")


@pytest.fixture
def other_portal_user(make_user, other_company):
    return _portal_user(make_user, other_company, "portal-fuji")


def share(applicant, employer, *, by, scope, granted=None) -> Consent:
    return Consent.objects.create(
        applicant=applicant,
        purpose=ConsentPurpose.SHARE_WITH_EMPLOYER,
        employer_name=employer.name,
        employer_ref=f"jobs.employer:{employer.pk}",
        scope=list(scope),
        granted_on=granted or today() - timedelta(days=1),
        recorded_by=by,
    )


def refer(applicant, opening, *, by, stage=Stage.SHARED, reason_code: str = "") -> Referral:
    """A referral at `stage`, with the stage history of having been shared (when it got that far)."""
    now = timezone.now()
    referral = Referral.objects.create(
        applicant=applicant,
        opening=opening,
        stage=stage,
        reason_code=reason_code,
        stage_changed_at=now,
        created_by=by,
    )
    if stage not in (Stage.PROPOSED, Stage.CONSENT_RECORDED):
        StageChange.objects.create(
            referral=referral, from_stage=Stage.CONSENT_RECORDED, to_stage=Stage.SHARED, by=by, at=now
        )
    return referral


@pytest.fixture
def make_candidate(team, caseworker) -> Callable[..., Referral]:
    """A person of the caseworker's caseload who may work, referred to `opening` at `stage`, with a
    consent to share naming `scope` (None: no consent)."""

    def make(opening, *, scope=NARROW, stage=Stage.SHARED, **fields) -> Referral:
        person = ApplicantFactory(
            team=team,
            caseworker=caseworker,
            case_stage=CaseStage.JOB_READY,
            family_name=fields.pop("family_name", "Perera"),
            given_name=fields.pop("given_name", "Suriya"),
            nationality=fields.pop("nationality", "LK"),
            skills=fields.pop("skills", ["forklift", "food hygiene"]),
            languages=fields.pop("languages", [{"language": "Sinhala", "level": "native"}]),
            phone="090-1234-5678",
            email="suriya@example.org",
            work_history="Cook in Colombo, 2015-2020",
            education="High school",
            **fields,
        )
        may_work(person)
        if scope is not None:
            share(person, opening.employer, by=caseworker, scope=scope)
        return refer(person, opening, by=caseworker, stage=stage)

    return make
