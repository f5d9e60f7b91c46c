"""A status or work permission ending while the person works: casework's own period-end and permission-end
reminders name the placement's employer and job (issue 15: no new deadline source for it)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.deadlines import registry
from casework.models import CaseStage, LegalStatusPeriod, WorkPermission
from jobs.models import Stage
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services
from tests.casework.applicant_factories import ApplicantFactory, LegalStatusPeriodFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, consent_to_share, may_work, today

pytestmark = pytest.mark.django_db


def test_period_and_permission_reminders_name_the_running_placement(caseworker, team):
    person = ApplicantFactory(team=team, caseworker=caseworker, case_stage=CaseStage.JOB_READY)
    may_work(person)
    employer = EmployerFactory(
        organisation=caseworker.organisation, created_by=caseworker, name="Hotel Sakura"
    )
    opening = JobOpeningFactory(employer=employer, created_by=caseworker, title="Room attendant")
    consent_to_share(person, employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    for stage in (Stage.OFFER, Stage.HIRE_REPORTED):
        referral.refresh_from_db()
        referral_services.referral_move(
            by=caseworker,
            referral=referral,
            data={"stage": stage, "version": referral.version, "documents_seen_on": today()},
        )
    placement_services.placement_confirm(by=caseworker, referral=referral, data={})
    period = LegalStatusPeriod.objects.get(applicant=person)
    permission = WorkPermission.objects.get(applicant=person)
    unplaced = LegalStatusPeriodFactory(applicant=ApplicantFactory(team=team, caseworker=caseworker))

    details = registry.source_details(
        [("period_end", period.pk), ("work_permission_end", permission.pk), ("period_end", unplaced.pk)]
    )
    start = (today() + timedelta(days=14)).isoformat()
    assert details[("period_end", period.pk)] == f"Working at Hotel Sakura (Room attendant) since {start}"
    assert details[("work_permission_end", permission.pk)].startswith("Working at Hotel Sakura")
    assert ("period_end", unplaced.pk) not in details
