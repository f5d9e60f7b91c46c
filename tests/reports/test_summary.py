"""The printable one-page case summary: who may read it, what it shows, the access log, its queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import AccessLogEntry
from jobs.models import Referral, Stage
from jobs.services import referrals as referral_services
from learning.models import EnrollmentStatus
from tests.casework.applicant_factories import (
    ApplicantFactory,
    LegalStatusPeriodFactory,
    ReportingObligationFactory,
)
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, today
from tests.learning.factories import AssessmentFactory, CourseFactory, EnrollmentFactory
from tests.reports.factories import place

pytestmark = pytest.mark.django_db


def summary_url(applicant) -> str:
    return reverse("reports:applicant_summary", kwargs={"reference_code": applicant.reference_code})


@pytest.fixture
def person(caseworker, team):
    applicant = ApplicantFactory(
        team=team, caseworker=caseworker, family_name="Yamada", given_name="Hanako", name_native="山田 花子"
    )
    LegalStatusPeriodFactory(applicant=applicant, status_kind="long_term_resident")
    ReportingObligationFactory(applicant=applicant)
    AssessmentFactory(applicant=applicant, cefr_level="A2", level="A2", recorded_by=caseworker)
    return applicant


def add_referrals(person, caseworker, count: int) -> None:
    for _number in range(count):
        employer = EmployerFactory(organisation=caseworker.organisation, created_by=caseworker)
        opening = JobOpeningFactory(employer=employer, created_by=caseworker)
        referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)


def test_the_summary_shows_status_deadlines_level_and_employment(client_for, caseworker, person):
    course = CourseFactory(organisation=caseworker.organisation, name="Japanese for work A2")
    EnrollmentFactory(course=course, applicant=person, status=EnrollmentStatus.ENROLLED)
    add_referrals(person, caseworker, 1)
    content = client_for(caseworker).get(summary_url(person)).content.decode()
    assert "YAMADA Hanako" in content and "山田 花子" in content and person.reference_code in content
    assert "Current status" in content and "May work until" in content
    assert "Lawfully staying until" in content
    reporting = (today() + timedelta(days=20)).isoformat()  # the factory's next report date: a deadline ahead
    assert f'<time datetime="{reporting}">{reporting}</time> Report to immigration' in content
    assert "<strong>A2</strong>" in content
    assert "Japanese for work A2" in content
    assert "Line worker" in content and Referral.objects.get().get_stage_display() in content
    assert "data-print" in content and "reports/summary.css" in content


def test_the_summary_shows_the_current_job(client_for, caseworker, team):
    applicant = ApplicantFactory(team=team, caseworker=caseworker)
    placement = place(applicant, by=caseworker)
    content = client_for(caseworker).get(summary_url(applicant)).content.decode()
    assert f"Working as {placement.opening.title} at {placement.opening.employer.name}" in content


def test_a_teammates_case_shows_no_legal_records(client_for, teammate, person):
    response = client_for(teammate).get(summary_url(person))
    assert response.status_code == 200
    content = response.content.decode()
    assert "You can read this person's profile, not their legal records." in content
    assert "Lawfully staying until" not in content


def test_the_summary_is_read_through_visible_to(client_for, other_caseworker, trainer, person):
    assert client_for(other_caseworker).get(summary_url(person)).status_code == 404
    assert client_for(trainer).get(summary_url(person)).status_code == 403


def test_the_read_is_in_the_access_log(client_for, supervisor, person):
    client_for(supervisor).get(summary_url(person))
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.APPLICANT_VIEW, applicant=person)
    assert entry.actor == supervisor
    assert entry.detail == {"page": "case summary", "legal": True}


def test_the_applicant_page_links_to_the_summary(client_for, caseworker, person):
    page = client_for(caseworker).get(
        reverse("applicant_detail", kwargs={"reference_code": person.reference_code})
    )
    assert f'href="{summary_url(person)}"' in page.content.decode()


def test_the_summary_runs_the_same_queries_however_much_is_on_the_case(client_for, caseworker, person):
    client = client_for(caseworker)
    client.get(summary_url(person))
    with CaptureQueriesContext(connection) as few:
        client.get(summary_url(person))
    add_referrals(person, caseworker, 8)
    for months in range(1, 4):
        LegalStatusPeriodFactory(
            applicant=person,
            start_date=today() - timedelta(days=400 * months),
            end_date=today() - timedelta(days=400 * months - 200),
        )
        AssessmentFactory(applicant=person, recorded_by=caseworker)
    with CaptureQueriesContext(connection) as many:
        response = client.get(summary_url(person))
    assert "More on the applicant page." in response.content.decode()
    assert len(many) == len(few)


def test_a_referral_that_ended_is_not_in_progress(client_for, caseworker, person):
    add_referrals(person, caseworker, 1)
    referral = Referral.objects.get()
    referral_services.referral_move(
        by=caseworker,
        referral=referral,
        data={"stage": Stage.WITHDRAWN, "reason_code": "other", "reason_text": "x"},
    )
    content = client_for(caseworker).get(summary_url(person)).content.decode()
    assert referral.opening.title not in content
