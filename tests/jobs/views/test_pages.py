"""Every jobs staff page × every role: caseworkers see their own caseload's referrals (404 for another
team's), supervisors their teams', administrators all; trainers and employer users 403 everywhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.roles import Role
from jobs.models import Stage
from jobs.services import referrals as referral_services
from tests.jobs.factories import consent_to_share

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def pages(company, opening, referral, contact_pk=None):
    return [
        reverse("jobs:employer_list"),
        reverse("jobs:employer_add"),
        reverse("jobs:employer_detail", args=[company.pk]),
        reverse("jobs:employer_edit", args=[company.pk]),
        reverse("jobs:contact_add", args=[company.pk]),
        reverse("jobs:opening_list"),
        reverse("jobs:opening_add") + f"?employer={company.pk}",
        reverse("jobs:opening_detail", args=[opening.pk]),
        reverse("jobs:opening_edit", args=[opening.pk]),
        reverse("jobs:referral_list"),
        reverse("jobs:referral_detail", args=[referral.pk]),
        reverse("jobs:interview_add", args=[referral.pk]),
        reverse("jobs:placement_list"),
        reverse("jobs:follow_up_list"),
    ]


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_staff_open_every_page_of_their_own(role, request, client_for, company, opening, own_referral):
    client = client_for(request.getfixturevalue(role))
    for url in pages(company, opening, own_referral):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["trainer", "employer"])
def test_trainers_and_employer_users_are_refused_every_page(
    role, request, client_for, company, opening, own_referral
):
    client = client_for(request.getfixturevalue(role))
    for url in pages(company, opening, own_referral):
        assert client.get(url).status_code == 403, url
    for name, args in (
        ("jobs:referral_move", [own_referral.pk]),
        ("jobs:referral_propose", []),
        ("jobs:hire_confirm", [own_referral.pk]),
        ("jobs:contact_delete", [1]),
    ):
        assert client.post(reverse(name, args=args), {}).status_code == 403, name


def test_a_caseworker_does_not_see_another_teams_referral(client_for, caseworker, other_referral):
    client = client_for(caseworker)
    assert client.get(reverse("jobs:referral_detail", args=[other_referral.pk])).status_code == 404
    assert client.get(reverse("jobs:interview_add", args=[other_referral.pk])).status_code == 404
    listing = client.get(reverse("jobs:referral_list")).content.decode()
    assert other_referral.applicant.reference_code not in listing
    board = client.get(reverse("jobs:opening_detail", args=[other_referral.opening_id])).content.decode()
    assert f'id="card-{other_referral.pk}"' not in board


def test_the_other_teams_supervisor_sees_their_referral_not_ours(
    client_for, other_supervisor, own_referral, other_referral
):
    client = client_for(other_supervisor)
    assert client.get(reverse("jobs:referral_detail", args=[other_referral.pk])).status_code == 200
    assert client.get(reverse("jobs:referral_detail", args=[own_referral.pk])).status_code == 404


def test_nav_shows_jobs_pages_to_staff_only(client_for, caseworker, trainer):
    staff = client_for(caseworker).get(reverse("jobs:employer_list")).content.decode()
    for name in ("jobs:employer_list", "jobs:opening_list", "jobs:referral_list", "jobs:placement_list"):
        assert f'href="{reverse(name)}"' in staff
    home = client_for(trainer).get("/").content.decode()
    assert reverse("jobs:employer_list") not in home


def test_the_employer_page_shows_contacts_openings_and_retention(client_for, caseworker, company, opening):
    client = client_for(caseworker)
    client.post(
        reverse("jobs:contact_add", args=[company.pk]),
        {"name": "Tanaka Yui", "role": "HR", "email": "yui@example.jp", "is_primary": "on"},
    )
    page = client.get(reverse("jobs:employer_detail", args=[company.pk])).content.decode()
    assert "Tanaka Yui" in page and "Main contact" in page
    assert opening.title in page
    assert "Retention" in page and "12 months" in page


def test_matching_lists_eligible_first_with_reasons_and_a_propose_button(
    client_for, caseworker, opening, own_person, team
):
    from casework.models import CaseStage
    from tests.casework.applicant_factories import ApplicantFactory

    blocked = ApplicantFactory(
        team=team, caseworker=caseworker, case_stage=CaseStage.JOB_READY, family_name="Aaa"
    )
    client = client_for(caseworker)
    response = client.get(reverse("jobs:opening_detail", args=[opening.pk]))
    page = response.content.decode()
    assert page.index(own_person.reference_code) < page.index(blocked.reference_code)
    assert "May not work on the start date" in page
    assert page.count('action="/jobs/referrals/propose/"') == 1
    only = client.get(reverse("jobs:opening_detail", args=[opening.pk]) + "?show=eligible").content.decode()
    assert blocked.reference_code not in only.split('id="matching"')[1].split('id="board-title"')[0]
    by_reason = client.get(
        reverse("jobs:opening_detail", args=[opening.pk]) + "?reason=may_work_start"
    ).content.decode()
    matching_part = by_reason.split('id="matching"')[1].split('id="board-title"')[0]
    assert blocked.reference_code in matching_part and own_person.reference_code not in matching_part


def test_propose_then_the_board_refuses_shared_without_consent_then_moves(
    client_for, caseworker, opening, own_person
):
    client = client_for(caseworker)
    detail = reverse("jobs:opening_detail", args=[opening.pk])
    response = client.post(
        reverse("jobs:referral_propose"),
        {"applicant": own_person.reference_code, "opening": opening.pk, "next": detail},
    )
    assert response.status_code == 302
    referral = own_person.referrals.get()
    move = reverse("jobs:referral_move", args=[referral.pk])
    refused = client.post(move, {"stage": Stage.SHARED, "version": referral.version}, **HTMX)
    text = refused.content.decode()
    assert refused.status_code == 200 and "no current consent" in text
    assert reverse("applicant_consent_add", args=[own_person.reference_code]) in text
    referral.refresh_from_db()
    assert referral.stage == Stage.PROPOSED
    consent_to_share(own_person, opening.employer, by=caseworker)
    moved = client.post(move, {"stage": Stage.SHARED, "version": referral.version})  # no JavaScript
    assert moved.status_code == 302
    referral.refresh_from_db()
    assert referral.stage == Stage.SHARED


def test_a_stale_move_is_refused_and_said(client_for, caseworker, own_referral, own_person, opening):
    consent_to_share(own_person, opening.employer, by=caseworker)
    client = client_for(caseworker)
    move = reverse("jobs:referral_move", args=[own_referral.pk])
    stale = own_referral.version
    assert client.post(move, {"stage": Stage.SHARED, "version": stale}).status_code == 302
    second = client.post(move, {"stage": Stage.INTERVIEW, "version": stale}, **HTMX).content.decode()
    assert "Someone else moved this referral meanwhile" in second
    own_referral.refresh_from_db()
    assert own_referral.stage == Stage.SHARED


def test_a_teammate_reads_a_shared_caseload_but_cannot_move_it(client_for, teammate, own_referral):
    client = client_for(teammate)
    page = client.get(reverse("jobs:referral_detail", args=[own_referral.pk]))
    if page.status_code == 404:  # the team does not share its caseload in this setup
        return
    response = client.post(
        reverse("jobs:referral_move", args=[own_referral.pk]),
        {"stage": Stage.CONSENT_RECORDED, "version": own_referral.version},
        **HTMX,
    )
    assert "not move it" in response.content.decode()


def test_interview_and_hire_through_the_referral_page(client_for, caseworker, own_person, opening):
    consent_to_share(own_person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=own_person, opening=opening)
    referral = referral_services.referral_move(by=caseworker, referral=referral, data={"stage": Stage.SHARED})
    client = client_for(caseworker)
    added = client.post(
        reverse("jobs:interview_add", args=[referral.pk]),
        {"starts_at": "2030-01-10T10:00", "place": "Head office", "outcome": "passed"},
    )
    assert added.status_code == 302
    referral.refresh_from_db()
    assert referral.stage == Stage.INTERVIEW
    reported = client.post(
        reverse("jobs:hire_report", args=[referral.pk]),
        {
            "version": referral.version,
            "start_date": opening.start_date.isoformat(),
            "documents_seen_on": timezone.localdate().isoformat(),
        },
    )
    assert reported.status_code == 302
    referral.refresh_from_db()
    assert referral.stage == Stage.HIRE_REPORTED
    page = client.get(reverse("jobs:referral_detail", args=[referral.pk])).content.decode()
    assert "Confirm the hire" in page
    confirmed = client.post(
        reverse("jobs:hire_confirm", args=[referral.pk]),
        {
            "start_date": opening.start_date.isoformat(),
            "hours_per_week": "40",
            "daily_hours": "8",
            "wage": "1300",
            "wage_unit": "hourly",
            "version": referral.version,
        },
        follow=True,
    )
    assert "Hire confirmed" in confirmed.content.decode()
    referral.refresh_from_db()
    assert referral.stage == Stage.HIRED
    follow_ups = client.get(reverse("jobs:placement_list")).content.decode()
    assert own_person.reference_code in follow_ups


def test_confirm_is_not_offered_to_a_supervisor_of_another_team_nor_a_teammate(
    client_for, caseworker, own_person, opening, make_user, team
):
    consent_to_share(own_person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=own_person, opening=opening)
    referral = referral_services.referral_move(
        by=caseworker,
        referral=referral,
        data={"stage": Stage.HIRE_REPORTED, "documents_seen_on": timezone.localdate()},
    )
    colleague = make_user(Role.CASEWORKER, username="cw-colleague", team=team)
    client = client_for(colleague)
    response = client.get(reverse("jobs:referral_detail", args=[referral.pk]))
    if response.status_code == 200:
        assert "Confirm the hire</button>" not in response.content.decode()
    assert client.post(reverse("jobs:hire_confirm", args=[referral.pk]), {}).status_code in (403, 404)


def test_the_employment_panel_lists_referrals_and_eligible_openings(
    client_for, caseworker, own_person, opening, company
):
    from tests.jobs.factories import JobOpeningFactory

    other = JobOpeningFactory(employer=company, created_by=caseworker, title="Hotel cleaner")
    referral_services.referral_propose(by=caseworker, applicant=own_person, opening=opening)
    url = reverse("applicant_detail", args=[own_person.reference_code]) + "?tab=employment"
    page = client_for(caseworker).get(url).content.decode()
    assert opening.title in page  # referred
    assert "Hotel cleaner" in page and f'name="opening" value="{other.pk}"' in page
    assert f'name="opening" value="{opening.pk}"' not in page  # referred already: not offered again


def test_the_employment_panel_is_hidden_from_trainers(client_for, trainer, own_person):
    url = reverse("applicant_detail", args=[own_person.reference_code]) + "?tab=employment"
    response = client_for(trainer).get(url)
    assert "Openings this person is eligible for" not in response.content.decode()


def test_the_matching_list_warns_of_a_right_to_work_ending_inside_the_probation(
    client_for, caseworker, team, opening
):
    from casework.models import CaseStage
    from tests.casework.applicant_factories import ApplicantFactory
    from tests.jobs.factories import may_work

    opening.probation_months = 6
    opening.save()
    short = ApplicantFactory(
        team=team, caseworker=caseworker, case_stage=CaseStage.JOB_READY, family_name="Short"
    )
    may_work(short, days=120)  # covers the start date, ends before the probation does
    page = client_for(caseworker).get(reverse("jobs:opening_detail", args=[opening.pk])).content.decode()
    row = page[page.index(f'data-reference="{short.reference_code}"') :].split("</tr>")[0]
    assert "Eligible" in row and "inside the probation" in row
    until = (timezone.localdate() - timedelta(days=30) + timedelta(days=120)).isoformat()
    assert until in row


@pytest.mark.parametrize("name", ["jobs:employer_list", "jobs:opening_list", "jobs:referral_list"])
def test_pages_render_in_japanese(client_for, caseworker, name, own_referral):
    client = client_for(caseworker)
    client.cookies["django_language"] = "ja"
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200 and '<html lang="ja"' in response.content.decode()
