"""The Django admin for jobs: administrators (not superusers) through their group's permissions, reads
through visible_to, writes through the services (their messages next to the fields), the minimum-wage
table written by administrators only, no per-row queries on the changelists."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseStage, ChangeRecord, Organisation
from casework.roles import Role
from jobs.models import (
    Employer,
    EmployerContact,
    FollowUp,
    Interview,
    JobOpening,
    MinimumWage,
    Placement,
    Referral,
    Stage,
)
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services
from jobs.services import wages as wage_services
from tests.casework.applicant_factories import ApplicantFactory
from tests.casework.factories import UserFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, consent_to_share, may_work

MODELS = (
    "employer",
    "employercontact",
    "jobopening",
    "referral",
    "interview",
    "placement",
    "followup",
    "minimumwage",
)
ALL = (*MODELS, "stagechange")
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for, administrator):
    assert not administrator.is_superuser
    return client_for(administrator)


def make_rows(caseworker, count: int) -> list[Placement]:
    """`count` employers, each with a contact, an opening, a placed person (with an interview) and a
    second person proposed."""
    placements = []
    for _ in range(count):
        employer = EmployerFactory(organisation=caseworker.organisation, created_by=caseworker)
        EmployerContact.objects.create(employer=employer, name="Yoko Mori", is_primary=True)
        opening = JobOpeningFactory(employer=employer, created_by=caseworker, places=2)
        person = ApplicantFactory(team=caseworker.team, caseworker=caseworker, case_stage=CaseStage.JOB_READY)
        may_work(person)
        consent_to_share(person, employer, by=caseworker)
        referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
        referral = referral_services.referral_move(by=caseworker, referral=referral, data={"stage": "shared"})
        referral_services.interview_save(
            by=caseworker,
            referral=referral,
            data={"starts_at": _noon(opening.start_date), "place": "At the employer"},
        )
        referral = referral_services.referral_move(by=caseworker, referral=referral, data={"stage": "offer"})
        referral = referral_services.referral_move(
            by=caseworker,
            referral=referral,
            data={
                "stage": "hire_reported",
                "documents_seen_on": min(timezone.localdate(), opening.start_date),
            },
        )
        placements.append(
            placement_services.placement_confirm(by=caseworker, referral=referral, data={}).placement
        )
        other = ApplicantFactory(team=caseworker.team, caseworker=caseworker, case_stage=CaseStage.ACTIVE)
        referral_services.referral_propose(by=caseworker, applicant=other, opening=opening)
    return placements


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day - timedelta(days=7), time(12, 0)))


def test_the_administrator_group_has_the_jobs_permissions():
    codenames = set(
        Group.objects.get(name=Role.ADMINISTRATOR)
        .permissions.filter(content_type__app_label="jobs")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        f"{action}_{model}" for model in ALL for action in ("add", "view", "change", "delete")
    }


@pytest.mark.parametrize("model", MODELS)
def test_administrator_opens_every_jobs_changelist(admin_client, caseworker, model):
    make_rows(caseworker, 1)
    changelist = admin_client.get(reverse(f"admin:jobs_{model}_changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count >= 1


@pytest.mark.parametrize(
    "model", ["employer", "employercontact", "jobopening", "referral", "interview", "minimumwage"]
)
def test_administrator_opens_the_add_pages(admin_client, model):
    assert admin_client.get(reverse(f"admin:jobs_{model}_add")).status_code == 200


def test_placements_and_follow_ups_are_not_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:jobs_placement_add")).status_code == 403
    assert admin_client.get(reverse("admin:jobs_followup_add")).status_code == 403


def test_administrator_opens_the_change_pages(admin_client, caseworker):
    placement = make_rows(caseworker, 1)[0]
    rows = {
        "employer": placement.opening.employer,
        "employercontact": EmployerContact.objects.first(),
        "jobopening": placement.opening,
        "referral": placement.referral,
        "interview": Interview.objects.first(),
        "placement": placement,
        "followup": placement.follow_ups.first(),
        "minimumwage": MinimumWage.objects.first(),
    }
    for model, row in rows.items():
        response = admin_client.get(reverse(f"admin:jobs_{model}_change", args=[row.pk]))
        assert response.status_code == 200, model
    page = admin_client.get(
        reverse("admin:jobs_referral_change", args=[placement.referral.pk])
    ).content.decode()
    assert "Hire reported" in page  # the stage history inline


@pytest.mark.parametrize("role_name", ["trainer", "caseworker", "supervisor", "employer"])
def test_other_roles_cannot_open_the_jobs_admin(role_users, client_for, role_name):
    client = client_for(role_users[Role(role_name)])
    for model in MODELS:
        response = client.get(reverse(f"admin:jobs_{model}_changelist"))
        assert response.status_code == 302 and "/login/" in response["Location"], model


def test_a_caseworker_marked_staff_still_gets_no_jobs_admin(make_user, client_for, team):
    client = client_for(make_user(Role.CASEWORKER, username="staff-case", is_staff=True, team=team))
    for model in MODELS:
        assert client.get(reverse(f"admin:jobs_{model}_changelist")).status_code == 403, model


def test_admin_lists_only_the_organisation_s_employers(admin_client, caseworker):
    ours = EmployerFactory(organisation=caseworker.organisation, name="Ours", created_by=caseworker)
    other_org = Organisation.objects.create(name="Other NPO", slug="other")
    theirs = EmployerFactory(
        organisation=other_org, name="Theirs", created_by=UserFactory(organisation=other_org)
    )
    response = admin_client.get(reverse("admin:jobs_employer_changelist"))
    shown = {employer.pk for employer in response.context["cl"].result_list}
    assert ours.pk in shown and theirs.pk not in shown


@pytest.mark.parametrize(
    "model", ["employer", "jobopening", "referral", "interview", "placement", "followup"]
)
def test_changelists_run_a_fixed_number_of_queries(
    admin_client, caseworker, django_assert_max_num_queries, model
):
    make_rows(caseworker, 1)
    url = reverse(f"admin:jobs_{model}_changelist")
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(url).status_code == 200
    make_rows(caseworker, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_an_employer_added_in_the_admin_goes_through_the_service(admin_client, administrator):
    response = admin_client.post(
        reverse("admin:jobs_employer_add"),
        {
            "name": "Osaka Hotel",
            "industry": "hospitality",
            "prefecture": "27",
            "partnership_status": "active",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    employer = Employer.objects.get(name="Osaka Hotel")
    assert employer.created_by == administrator and employer.organisation_id == administrator.organisation_id
    assert ChangeRecord.objects.filter(model="jobs.employer", object_id=str(employer.pk)).exists()


def test_a_duplicate_employer_name_shows_the_service_message_next_to_the_field(admin_client, administrator):
    EmployerFactory(organisation=administrator.organisation, name="Osaka Hotel", created_by=administrator)
    response = admin_client.post(
        reverse("admin:jobs_employer_add"),
        {
            "name": "osaka hotel",
            "industry": "hospitality",
            "prefecture": "27",
            "partnership_status": "active",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "already recorded" in str(response.context["adminform"].form.errors["name"])
    assert Employer.objects.count() == 1


def test_an_opening_below_the_minimum_wage_cannot_be_opened_in_the_admin(admin_client, administrator):
    employer = EmployerFactory(organisation=administrator.organisation, created_by=administrator)
    data = {
        "employer": employer.pk,
        "title": "Cook",
        "prefecture": "13",
        "hours_per_week": "40",
        "daily_hours": "8",
        "shift_pattern": "day",
        "wage": "900",
        "wage_unit": "hourly",
        "contract_type": "part_time",
        "start_date": "2026-12-24",
        "required_skills": "[]",
        "places": "1",
        "status": "open",
    }
    response = admin_client.post(reverse("admin:jobs_jobopening_add"), data)
    assert response.status_code == 200
    assert "minimum wage" in str(response.context["adminform"].form.errors["wage"])
    assert not JobOpening.objects.exists()
    response = admin_client.post(reverse("admin:jobs_jobopening_add"), {**data, "status": "draft"})
    assert response.status_code == 302
    assert JobOpening.objects.get().status == "draft"


def test_a_stage_move_in_the_admin_goes_through_the_service(admin_client, caseworker):
    opening = JobOpeningFactory(
        employer=EmployerFactory(organisation=caseworker.organisation, created_by=caseworker),
        created_by=caseworker,
    )
    person = ApplicantFactory(team=caseworker.team, caseworker=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    url = reverse("admin:jobs_referral_change", args=[referral.pk])
    form = {
        "stage": "shared",
        "reason_code": "",
        "reason_text": "",
        "reported_start_date": "",
        "stage_changes-TOTAL_FORMS": "1",
        "stage_changes-INITIAL_FORMS": "1",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200  # no consent to share with this employer
    assert "consent" in str(response.context["adminform"].form.errors["stage"])
    consent_to_share(person, opening.employer, by=caseworker)
    response = admin_client.post(url, form)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.stage == Stage.SHARED
    assert list(referral.stage_changes.values_list("to_stage", flat=True)) == ["proposed", "shared"]


def test_a_follow_up_recorded_in_the_admin_needs_a_reason_for_leaving(admin_client, caseworker):
    placement = make_rows(caseworker, 1)[0]
    follow_up = placement.follow_ups.get(month=1)
    url = reverse("admin:jobs_followup_change", args=[follow_up.pk])
    response = admin_client.post(url, {"outcome": "left", "leaving_reason": "", "reported_by": "caseworker"})
    assert response.status_code == 200
    assert "leaving_reason" in response.context["adminform"].form.errors
    response = admin_client.post(
        url, {"outcome": "left", "leaving_reason": "health", "reported_by": "employer"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    placement.refresh_from_db()
    assert (
        follow_up.outcome == "left"
        and placement.ended_on is not None
        and placement.leaving_reason == "health"
    )


def test_administrators_add_a_year_of_minimum_wages_in_the_admin(admin_client, administrator):
    url = reverse("admin:jobs_minimumwage_add")
    response = admin_client.post(
        url, {"prefecture": "13", "yen_per_hour": "1300", "effective_from": "2026-10-01"}
    )
    assert response.status_code == 302
    row = MinimumWage.objects.get(prefecture="13", effective_from=date(2026, 10, 1))
    assert row.yen_per_hour == 1300
    assert ChangeRecord.objects.filter(model="jobs.minimumwage", object_id=str(row.pk)).exists()
    # The same day again: the message names the date field, nothing is added.
    response = admin_client.post(
        url, {"prefecture": "13", "yen_per_hour": "1310", "effective_from": "2026-10-01"}
    )
    assert response.status_code == 200
    assert "already recorded" in str(response.context["adminform"].form.errors["effective_from"])
    response = admin_client.post(
        url, {"prefecture": "13", "yen_per_hour": "99999", "effective_from": "2027-10-01"}
    )
    assert "yen_per_hour" in response.context["adminform"].form.errors
    # No delete: a rate that was in force stays.
    assert admin_client.get(reverse("admin:jobs_minimumwage_delete", args=[row.pk])).status_code == 403


def test_minimum_wage_services_are_for_administrators_only(caseworker, supervisor, administrator):
    from django.core.exceptions import PermissionDenied, ValidationError

    data = {"prefecture": "東京都", "yen_per_hour": 1300, "effective_from": date(2026, 10, 1)}
    for user in (caseworker, supervisor):
        with pytest.raises(PermissionDenied):
            wage_services.minimum_wage_add(by=user, data=data)
    row = wage_services.minimum_wage_add(by=administrator, data=data)
    assert row.prefecture == "13"
    with pytest.raises(ValidationError) as raised:
        wage_services.minimum_wage_update(by=administrator, wage=row, data={"prefecture": "Atlantis"})
    assert set(raised.value.message_dict) == {"prefecture"}
    updated = wage_services.minimum_wage_update(by=administrator, wage=row, data={"yen_per_hour": 1305})
    assert updated.yen_per_hour == 1305 and updated.prefecture == "13"


def test_admin_models_are_all_registered():
    from django.contrib import admin

    for model in (
        Employer,
        EmployerContact,
        JobOpening,
        Referral,
        Interview,
        Placement,
        FollowUp,
        MinimumWage,
    ):
        assert admin.site.is_registered(model), model
