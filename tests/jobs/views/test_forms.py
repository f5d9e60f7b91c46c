"""Every bad input through the jobs forms: a message next to the field it names, never a 500, nothing
written; the minimum-wage refusal beside the wage (a draft keeps it as a warning)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from jobs.models import Employer, EmployerContact, FollowUp, Interview, JobOpening, Placement, Stage
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services
from tests.jobs.factories import consent_to_share, today, tokyo_rate

pytestmark = pytest.mark.django_db


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == 200, response.status_code
    return list(response.context["form"].errors.get(field, []))


EMPLOYER = {
    "name": "Osaka Hotel",
    "industry": "hospitality",
    "prefecture": "27",
    "partnership_status": "active",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"industry": "piracy"}, "industry"),
        ({"prefecture": "99"}, "prefecture"),
        ({"size_band": "huge"}, "size_band"),
        ({"partnership_status": "married"}, "partnership_status"),
    ],
)
def test_bad_employer_input_is_named_and_nothing_is_saved(client_for, caseworker, change, field):
    response = client_for(caseworker).post(reverse("jobs:employer_add"), {**EMPLOYER, **change})
    assert field_errors(response, field)
    assert not Employer.objects.filter(name="Osaka Hotel").exists()


def test_an_employer_is_added_and_a_duplicate_name_refused(client_for, caseworker):
    client = client_for(caseworker)
    assert client.post(reverse("jobs:employer_add"), EMPLOYER).status_code == 302
    again = client.post(reverse("jobs:employer_add"), {**EMPLOYER, "name": "osaka hotel"})
    assert "already recorded" in " ".join(field_errors(again, "name"))
    assert Employer.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"), [({"name": ""}, "name"), ({"email": "not-an-address"}, "email")]
)
def test_bad_contact_input(client_for, caseworker, company, change, field):
    data = {"name": "Tanaka", "email": "t@example.jp", **change}
    response = client_for(caseworker).post(reverse("jobs:contact_add", args=[company.pk]), data)
    assert field_errors(response, field)
    assert not EmployerContact.objects.exists()


def test_a_contact_is_edited_and_removed(client_for, caseworker, company):
    client = client_for(caseworker)
    client.post(reverse("jobs:contact_add", args=[company.pk]), {"name": "Tanaka"})
    contact = EmployerContact.objects.get()
    client.post(reverse("jobs:contact_edit", args=[contact.pk]), {"name": "Tanaka Yui", "phone": "03-1234"})
    contact.refresh_from_db()
    assert contact.name == "Tanaka Yui" and contact.phone == "03-1234"
    assert client.post(reverse("jobs:contact_delete", args=[contact.pk])).status_code == 302
    assert not EmployerContact.objects.exists()


def opening_data(**values):
    return {
        "title": "Kitchen assistant",
        "prefecture": "13",
        "hours_per_week": "40",
        "daily_hours": "8",
        "shift_pattern": "day",
        "wage": "1300",
        "wage_unit": "hourly",
        "contract_type": "part_time",
        "start_date": (today() + timedelta(days=30)).isoformat(),
        "places": "1",
        "status": "open",
        **values,
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"prefecture": ""}, "prefecture"),
        ({"hours_per_week": "0"}, "hours_per_week"),
        ({"hours_per_week": "many"}, "hours_per_week"),
        ({"daily_hours": "25"}, "daily_hours"),
        ({"wage": ""}, "wage"),
        ({"wage": "lots"}, "wage"),
        ({"wage_unit": "year"}, "wage_unit"),
        ({"contract_type": "forever"}, "contract_type"),
        ({"start_date": ""}, "start_date"),
        ({"start_date": "2026-13-40"}, "start_date"),
        ({"probation_months": "30"}, "probation_months"),
        ({"required_level": "Z9"}, "required_level"),
        ({"places": "0"}, "places"),
        ({"status": "submitted"}, "status"),
        ({"wage": "900"}, "wage"),  # below Tokyo's minimum wage, and asked to open
    ],
)
def test_bad_opening_input_is_named_and_nothing_is_saved(client_for, caseworker, company, change, field):
    tokyo_rate(1226)
    url = reverse("jobs:opening_add") + f"?employer={company.pk}"
    response = client_for(caseworker).post(url, opening_data(**change))
    assert field_errors(response, field), response.context["form"].errors
    assert not JobOpening.objects.exists()


def test_a_draft_keeps_a_low_wage_and_shows_the_refusal_as_a_warning(client_for, caseworker, company):
    tokyo_rate(1226)
    client = client_for(caseworker)
    url = reverse("jobs:opening_add") + f"?employer={company.pk}"
    response = client.post(url, opening_data(wage="900", status="draft"), follow=True)
    opening = JobOpening.objects.get()
    assert opening.status == "draft" and opening.wage == 900
    assert "below the minimum wage" in response.content.decode()
    edit = client.get(reverse("jobs:opening_edit", args=[opening.pk])).content.decode()
    assert 'id="wage-message"' in edit and "below the minimum wage" in edit
    opened = client.post(
        reverse("jobs:opening_edit", args=[opening.pk]),
        opening_data(wage="900", status="open", version=str(opening.version)),
    )
    assert "below the minimum wage" in " ".join(field_errors(opened, "wage"))
    opening.refresh_from_db()
    assert opening.status == "draft"


def test_an_opening_changed_meanwhile_is_refused(client_for, caseworker, opening):
    client = client_for(caseworker)
    url = reverse("jobs:opening_edit", args=[opening.pk])
    data = opening_data(version=str(opening.version))
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "title": "Changed again"})
    assert "Someone else changed this opening" in stale.content.decode()
    opening.refresh_from_db()
    assert opening.title == "Kitchen assistant"


def test_a_closed_opening_cannot_become_filled(client_for, caseworker, opening):
    opening.status = "closed"
    opening.save()
    response = client_for(caseworker).post(
        reverse("jobs:opening_edit", args=[opening.pk]), opening_data(status="filled")
    )
    assert field_errors(response, "status")


@pytest.fixture
def shared(caseworker, own_person, opening):
    consent_to_share(own_person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=own_person, opening=opening)
    return referral_services.referral_move(by=caseworker, referral=referral, data={"stage": Stage.SHARED})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"place": "Office"}, "starts_at"),
        ({"starts_at": "yesterday", "place": "Office"}, "starts_at"),
        ({"starts_at": "2030-01-10T10:00"}, "place"),
        ({"starts_at": "2030-01-10T10:00", "link": "not a link"}, "link"),
        (
            {"starts_at": "2030-01-10T10:00", "place": "Office", "interpreter_needed": "on"},
            "interpreter_language",
        ),
        ({"starts_at": "2030-01-10T10:00", "place": "Office", "outcome": "won"}, "outcome"),
    ],
)
def test_bad_interview_input(client_for, caseworker, shared, data, field):
    response = client_for(caseworker).post(reverse("jobs:interview_add", args=[shared.pk]), data)
    assert field_errors(response, field)
    assert not Interview.objects.exists()


def test_an_interview_is_edited(client_for, caseworker, shared):
    client = client_for(caseworker)
    client.post(
        reverse("jobs:interview_add", args=[shared.pk]), {"starts_at": "2030-01-10T10:00", "place": "Office"}
    )
    interview = Interview.objects.get()
    response = client.post(
        reverse("jobs:interview_edit", args=[interview.pk]),
        {"starts_at": "2030-01-10T11:00", "place": "Office", "outcome": "passed"},
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.outcome == "passed"


def test_a_backwards_move_by_a_caseworker_is_refused_on_the_card(client_for, caseworker, shared):
    response = client_for(caseworker).post(
        reverse("jobs:referral_move", args=[shared.pk]),
        {"stage": Stage.PROPOSED, "version": shared.version, "reason_code": "correction"},
        HTTP_HX_REQUEST="true",
    )
    assert "Only a supervisor can move a referral back" in response.content.decode()
    shared.refresh_from_db()
    assert shared.stage == Stage.SHARED


def test_rejecting_needs_a_reason(client_for, caseworker, shared):
    response = client_for(caseworker).post(
        reverse("jobs:referral_move", args=[shared.pk]),
        {"stage": Stage.REJECTED, "version": shared.version},
        HTTP_HX_REQUEST="true",
    )
    assert "Choose the reason for this move." in response.content.decode()


def test_proposing_twice_is_refused_and_said(client_for, caseworker, shared, own_person, opening):
    response = client_for(caseworker).post(
        reverse("jobs:referral_propose"),
        {"applicant": own_person.reference_code, "opening": opening.pk},
        follow=True,
    )
    assert "already referred" in response.content.decode()


@pytest.fixture
def reported(caseworker, shared):
    return referral_services.referral_move(
        by=caseworker, referral=shared, data={"stage": Stage.HIRE_REPORTED, "documents_seen_on": today()}
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"wage": "500"}, "wage"),
        ({"probation_end": "2000-01-01"}, "probation_end"),
        ({"contract_end": "2000-01-01"}, "contract_end"),
        ({"hours_per_week": "90"}, "hours_per_week"),
        ({"wage_unit": "year"}, "wage_unit"),
        ({"employment_insurance": "maybe"}, "employment_insurance"),
    ],
)
def test_bad_confirm_input(client_for, caseworker, reported, opening, change, field):
    tokyo_rate(1226)
    data = {
        "start_date": opening.start_date.isoformat(),
        "hours_per_week": "40",
        "daily_hours": "8",
        "wage": "1300",
        "wage_unit": "hourly",
        "version": reported.version,
        **change,
    }
    response = client_for(caseworker).post(reverse("jobs:hire_confirm", args=[reported.pk]), data)
    assert response.status_code == 200
    assert response.context["confirm_form"].errors.get(field)
    assert not Placement.objects.exists()


@pytest.fixture
def placement(caseworker, reported):
    return placement_services.placement_confirm(by=caseworker, referral=reported, data={}).placement


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "outcome"),
        ({"outcome": "left"}, "leaving_reason"),
        ({"outcome": "retained", "reported_by": "cat"}, "reported_by"),
    ],
)
def test_bad_follow_up_input(client_for, caseworker, placement, data, field):
    follow_up = placement.follow_ups.get(month=1)
    response = client_for(caseworker).post(reverse("jobs:follow_up_record", args=[follow_up.pk]), data)
    assert field_errors(response, field)
    follow_up.refresh_from_db()
    assert follow_up.outcome == ""


def test_a_follow_up_is_recorded(client_for, caseworker, placement):
    follow_up = placement.follow_ups.get(month=1)
    response = client_for(caseworker).post(
        reverse("jobs:follow_up_record", args=[follow_up.pk]),
        {"outcome": "retained", "reported_by": "employer"},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get(pk=follow_up.pk).outcome == "retained"
