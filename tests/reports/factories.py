"""Reports test data: people with a research consent sharing quasi-identifiers, and a placed person."""

from __future__ import annotations

from datetime import date, timedelta

from casework import crypto
from casework.audit import record_change, snapshot
from casework.models import Applicant, CaseStage, Consent, ConsentPurpose, WorkPermission
from jobs.models import Placement, Stage
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services
from tests.casework.applicant_factories import (
    ApplicantFactory,
    LegalStatusPeriodFactory,
    WorkPermissionFactory,
)
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, consent_to_share, today

INTAKE = date(2025, 4, 10)
STATUS_START = date(2025, 4, 1)


def card_number(person: Applicant) -> str:
    return f"AB{person.pk:08d}CD"


def research_consent(applicant: Applicant, *, by, granted=None, expires=None, revoked=None) -> Consent:
    return Consent.objects.create(
        applicant=applicant,
        purpose=ConsentPurpose.RESEARCH,
        granted_on=granted or today() - timedelta(days=60),
        expires_on=expires,
        revoked_on=revoked,
        recorded_by=by,
    )


def cohort(
    team,
    count: int,
    *,
    by,
    consent: bool = True,
    nationality: str = "SY",
    prefecture: str = "Tokyo",
    intake: date = INTAKE,
    born: date = date(1991, 3, 1),
    gender: str = "female",
) -> list[Applicant]:
    """`count` people of `team` sharing every quasi-identifier (a refugee-applicant period at intake)."""
    people = []
    for _number in range(count):
        person = ApplicantFactory(
            team=team,
            caseworker=by if by.team_id == team.pk else None,
            nationality=nationality,
            prefecture=prefecture,
            intake_date=intake,
            date_of_birth=born,
            gender=gender,
            phone="090-1234-5678",
            email="someone@example.org",
            work_history="Ten years as a welder in Aleppo",
        )
        LegalStatusPeriodFactory(
            applicant=person,
            status_kind="da_refugee_applicant",
            start_date=STATUS_START,
            end_date=STATUS_START + timedelta(days=182),
            card_number_encrypted=crypto.encrypt(card_number(person)),
            card_number_hint=card_number(person)[:2] + card_number(person)[-2:],
        )
        if consent:
            research_consent(person, by=by)
        people.append(person)
    return people


def mark_job_ready(person: Applicant, *, by) -> None:
    """The case stage moved to job-ready, in the change history (as the applicant service records it)."""
    before = snapshot(person)
    person.case_stage = CaseStage.JOB_READY
    person.save(update_fields=["case_stage"])
    record_change(actor=by, instance=person, before=before)


def place(person: Applicant, *, by, start: date | None = None) -> Placement:
    """A placement of `person` confirmed through the services today, starting today (or moved to `start`)."""
    employer = EmployerFactory(organisation=by.organisation, created_by=by)
    opening = JobOpeningFactory(employer=employer, created_by=by, start_date=today())
    # Allowed to work from the start (a designation sheet on a period covering it) through next year.
    first = min(start or today(), today() - timedelta(days=30))
    LegalStatusPeriodFactory(applicant=person, start_date=first, end_date=today() + timedelta(days=365))
    WorkPermissionFactory(
        applicant=person,
        basis=WorkPermission.Basis.DESIGNATION_SHEET,
        start_date=first,
        end_date=today() + timedelta(days=365),
    )
    consent_to_share(person, employer, by=by)
    referral = referral_services.referral_propose(by=by, applicant=person, opening=opening)
    seen = min(today(), opening.start_date)
    for stage in (Stage.SHARED, Stage.OFFER, Stage.HIRE_REPORTED):
        referral = referral_services.referral_move(
            by=by, referral=referral, data={"stage": stage, "documents_seen_on": seen}
        )
    placement = placement_services.placement_confirm(by=by, referral=referral, data={}).placement
    if start is not None:  # an older placement: the pipeline refuses a start before the offer, so move it
        Placement.objects.filter(pk=placement.pk).update(start_date=start)
        placement.refresh_from_db()
    return placement
