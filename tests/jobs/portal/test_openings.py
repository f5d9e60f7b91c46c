"""The portal's openings (issue 16): an employer user proposes and changes openings, which are submitted
for staff to approve; staff approve (open) or return them with a reason; the minimum-wage rule refuses a
submission below the minimum; another employer's opening is a 404; a paused partnership is read-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseStage, ChangeRecord
from jobs.models import JobOpening, OpeningStatus
from jobs.services.referrals import referral_propose
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import JobOpeningFactory, may_work
from tests.jobs.portal.conftest import opening_data

pytestmark = pytest.mark.django_db

MINIMUM_MESSAGE = "below the minimum wage of ¥1,226 an hour"


def errors_of(response) -> dict:
    return {name: [str(e) for e in errs] for name, errs in response.context["form"].errors.items()}


# --- proposing and changing -----------------------------------------------------------------------------


def test_a_new_opening_is_submitted_for_the_partners_own_employer(
    client_for, partner_user, partner_company, other_company, minimum
):
    client = client_for(partner_user)
    response = client.post(
        reverse("partner_opening_add"), opening_data(employer=str(other_company.pk), status="open")
    )
    opening = JobOpening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partner_opening", args=[opening.pk])
    assert opening.employer == partner_company  # never taken from the input
    assert opening.status == OpeningStatus.SUBMITTED  # never taken from the input either
    assert opening.required_skills == ["packing", "hygiene"]
    assert ChangeRecord.objects.filter(object_id=str(opening.pk)).exists()


def test_a_submitted_opening_is_not_matched_until_staff_approve_it(
    client_for, partner_user, caseworker, team, minimum
):
    person = ApplicantFactory(team=team, caseworker=caseworker, case_stage=CaseStage.JOB_READY)
    may_work(person)
    client_for(partner_user).post(reverse("partner_opening_add"), opening_data(required_level=""))
    opening = JobOpening.objects.get()
    assert opening.status == OpeningStatus.SUBMITTED
    with pytest.raises(ValidationError):
        referral_propose(by=caseworker, applicant=person, opening=opening)
    response = client_for(caseworker).post(reverse("jobs:opening_approve", args=[opening.pk]))
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN
    assert referral_propose(by=caseworker, applicant=person, opening=opening).pk


@pytest.mark.parametrize(
    ("wage", "unit", "daily", "weekly"),
    [("1000", "hourly", "8", "40"), ("8000", "daily", "8", "40"), ("150000", "monthly", "8", "40")],
)
def test_a_wage_below_the_minimum_is_refused_with_its_message(
    client_for, partner_user, minimum, wage, unit, daily, weekly
):
    response = client_for(partner_user).post(
        reverse("partner_opening_add"),
        opening_data(wage=wage, wage_unit=unit, daily_hours=daily, hours_per_week=weekly),
    )
    assert response.status_code == 200
    assert MINIMUM_MESSAGE in " ".join(errors_of(response)["wage"])
    assert not JobOpening.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hours_per_week": "0"}, "hours_per_week"),
        ({"daily_hours": "0"}, "daily_hours"),
        ({"prefecture": "99"}, "prefecture"),
        ({"title": ""}, "title"),
        ({"start_date": ""}, "start_date"),
        ({"wage": ""}, "wage"),
    ],
)
def test_bad_input_is_shown_beside_its_field(client_for, partner_user, minimum, changes, field):
    response = client_for(partner_user).post(reverse("partner_opening_add"), opening_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not JobOpening.objects.exists()


def test_a_probation_before_the_start_is_refused(client_for, partner_user, minimum):
    """Probation is counted in months from the start: a negative one (ending before the start) is bad input."""
    response = client_for(partner_user).post(
        reverse("partner_opening_add"), opening_data(probation_months="-1")
    )
    assert response.status_code == 200
    assert "probation_months" in response.context["form"].errors
    assert not JobOpening.objects.exists()


def test_editing_a_returned_opening_submits_it_again(
    client_for, partner_user, submitted, caseworker, minimum
):
    client_for(caseworker).post(
        reverse("jobs:opening_return", args=[submitted.pk]), {"status_note": "Give the address, please."}
    )
    submitted.refresh_from_db()
    assert submitted.status == OpeningStatus.RETURNED
    client = client_for(partner_user)
    page = client.get(reverse("partner_opening", args=[submitted.pk]))
    assert "Give the address, please." in page.content.decode()  # the reason is shown to the employer
    response = client.post(
        reverse("partner_opening_edit", args=[submitted.pk]),
        opening_data(address="1-2-3 Toyosu, Koto-ku", version=str(submitted.version)),
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == OpeningStatus.SUBMITTED
    assert submitted.address == "1-2-3 Toyosu, Koto-ku"
    assert submitted.status_note == ""


def test_editing_an_open_opening_submits_it_again(client_for, partner_user, partner_company, minimum):
    opening = JobOpeningFactory(employer=partner_company, created_by=partner_user, status=OpeningStatus.OPEN)
    client_for(partner_user).post(
        reverse("partner_opening_edit", args=[opening.pk]), opening_data(wage="1400")
    )
    opening.refresh_from_db()
    assert (opening.status, opening.wage) == (OpeningStatus.SUBMITTED, 1400)


def test_a_stale_version_changes_nothing(client_for, partner_user, submitted, minimum):
    response = client_for(partner_user).post(
        reverse("partner_opening_edit", args=[submitted.pk]),
        opening_data(title="Changed", version=str(submitted.version - 1 or 99)),
    )
    assert response.status_code == 200
    assert "version" in response.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.title == "Packer"


def test_a_closed_opening_cannot_be_edited(client_for, partner_user, partner_company, minimum):
    opening = JobOpeningFactory(
        employer=partner_company, created_by=partner_user, status=OpeningStatus.CLOSED
    )
    client = client_for(partner_user)
    response = client.post(reverse("partner_opening_edit", args=[opening.pk]), opening_data(title="New"))
    assert response.status_code == 302
    opening.refresh_from_db()
    assert (opening.status, opening.title) == (OpeningStatus.CLOSED, opening.title)
    assert opening.title != "New"


# --- closing ---------------------------------------------------------------------------------------------


def test_an_open_opening_can_be_closed(client_for, partner_user, partner_company):
    opening = JobOpeningFactory(employer=partner_company, created_by=partner_user)
    client = client_for(partner_user)
    assert client.get(reverse("partner_opening_close", args=[opening.pk])).status_code == 200
    response = client.post(reverse("partner_opening_close", args=[opening.pk]), {"version": opening.version})
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.CLOSED


def test_closing_a_closed_opening_is_refused(client_for, partner_user, partner_company):
    opening = JobOpeningFactory(
        employer=partner_company, created_by=partner_user, status=OpeningStatus.CLOSED
    )
    response = client_for(partner_user).post(reverse("partner_opening_close", args=[opening.pk]))
    assert response.status_code == 200
    assert response.context["form"].errors
    opening.refresh_from_db()
    assert opening.version == 1


# --- another employer, a paused partnership -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("partner_opening", "get"),
        ("partner_opening_edit", "get"),
        ("partner_opening_edit", "post"),
        ("partner_opening_close", "get"),
        ("partner_opening_close", "post"),
    ],
)
def test_another_employers_opening_is_not_found(
    client_for, partner_user, other_opening, minimum, name, method
):
    client = client_for(partner_user)
    url = reverse(name, args=[other_opening.pk])
    response = client.get(url) if method == "get" else client.post(url, opening_data())
    missing = client.get(reverse(name, args=[other_opening.pk + 1000]))
    assert response.status_code == missing.status_code == 404
    other_opening.refresh_from_db()
    assert (other_opening.title, other_opening.status) == ("Welder", OpeningStatus.OPEN)


def test_the_list_shows_only_the_employers_own_openings(client_for, partner_user, submitted, other_opening):
    response = client_for(partner_user).get(reverse("partner_openings"))
    assert [o.pk for o in response.context["page"]] == [submitted.pk]
    assert "Welder" not in response.content.decode()


def test_the_list_filters_by_status(client_for, partner_user, submitted, partner_company):
    JobOpeningFactory(employer=partner_company, created_by=partner_user, status=OpeningStatus.OPEN)
    response = client_for(partner_user).get(reverse("partner_openings") + "?status=submitted")
    assert [o.pk for o in response.context["page"]] == [submitted.pk]
    everything = client_for(partner_user).get(reverse("partner_openings") + "?status=nonsense")
    assert len(everything.context["page"]) == 2


@pytest.mark.parametrize("name", ["partner_opening_add", "partner_opening_edit", "partner_opening_close"])
def test_a_paused_partnership_is_read_only(client_for, partner_user, submitted, paused, minimum, name):
    client = client_for(partner_user)
    url = reverse(name) if name == "partner_opening_add" else reverse(name, args=[submitted.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, opening_data(title="Changed")).status_code == 403
    assert client.get(reverse("partner_openings")).status_code == 200
    page = client.get(reverse("partner_opening", args=[submitted.pk]))
    assert page.status_code == 200
    assert reverse("partner_opening_edit", args=[submitted.pk]) not in page.content.decode()
    submitted.refresh_from_db()
    assert (submitted.title, JobOpening.objects.count()) == ("Packer", 1)


# --- staff: approve or return -------------------------------------------------------------------------


def test_staff_see_approve_and_return_on_a_submitted_opening(client_for, caseworker, submitted):
    page = client_for(caseworker).get(reverse("jobs:opening_detail", args=[submitted.pk]))
    html = page.content.decode()
    assert reverse("jobs:opening_approve", args=[submitted.pk]) in html
    assert reverse("jobs:opening_return", args=[submitted.pk]) in html


def test_the_staff_list_filters_submitted_openings(client_for, caseworker, submitted, partner_company):
    JobOpeningFactory(employer=partner_company, created_by=caseworker, status=OpeningStatus.OPEN)
    response = client_for(caseworker).get(reverse("jobs:opening_list") + "?status=submitted")
    assert [o.pk for o in response.context["page"]] == [submitted.pk]


def test_returning_without_a_reason_is_refused(client_for, caseworker, submitted):
    response = client_for(caseworker).post(
        reverse("jobs:opening_return", args=[submitted.pk]), {"status_note": "  "}
    )
    assert response.status_code == 200
    assert "status_note" in response.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.status == OpeningStatus.SUBMITTED


def test_returning_records_the_reason_and_history(client_for, supervisor, submitted):
    response = client_for(supervisor).post(
        reverse("jobs:opening_return", args=[submitted.pk]), {"status_note": "The wage is unclear."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.status_note) == (OpeningStatus.RETURNED, "The wage is unclear.")
    assert ChangeRecord.objects.filter(object_id=str(submitted.pk), actor=supervisor).exists()


@pytest.mark.parametrize("status", [OpeningStatus.OPEN, OpeningStatus.DRAFT, OpeningStatus.RETURNED])
def test_approving_or_returning_what_is_not_submitted_is_refused(
    client_for, caseworker, partner_company, status
):
    opening = JobOpeningFactory(employer=partner_company, created_by=caseworker, status=status)
    client = client_for(caseworker)
    client.post(reverse("jobs:opening_approve", args=[opening.pk]))
    response = client.post(reverse("jobs:opening_return", args=[opening.pk]), {"status_note": "No."})
    assert response.status_code == 200
    assert "Only an opening the employer submitted" in response.content.decode()
    opening.refresh_from_db()
    assert (opening.status, opening.version) == (status, 1)


def test_approving_below_a_minimum_that_rose_is_refused(client_for, caseworker, submitted, minimum):
    submitted.wage = 1100
    submitted.save()
    response = client_for(caseworker).post(reverse("jobs:opening_approve", args=[submitted.pk]), follow=True)
    assert MINIMUM_MESSAGE in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == OpeningStatus.SUBMITTED


def test_trainers_and_employer_users_cannot_approve(client_for, trainer, partner_user, submitted):
    for user in (trainer, partner_user):
        assert client_for(user).post(reverse("jobs:opening_approve", args=[submitted.pk])).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == OpeningStatus.SUBMITTED


def test_the_start_date_must_be_given(client_for, partner_user, minimum):
    later = (timezone.localdate() + timedelta(days=1)).isoformat()
    ok = client_for(partner_user).post(reverse("partner_opening_add"), opening_data(start_date=later))
    assert ok.status_code == 302
