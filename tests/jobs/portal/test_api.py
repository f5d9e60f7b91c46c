"""The partner API's openings and the staff API's approve and return: the same services and messages as
the pages; the employer is never read from the input; another employer's opening is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.models import JobOpening, OpeningStatus
from tests.jobs.factories import JobOpeningFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/partner/openings/"


def body(**values):
    return {
        "title": "Kitchen assistant",
        "prefecture": "13",
        "hours_per_week": "40",
        "daily_hours": "8",
        "wage": 1300,
        "wage_unit": "hourly",
        "contract_type": "part_time",
        "start_date": str(timezone.localdate() + timedelta(days=30)),
        "probation_months": 3,
        **values,
    }


def refused(answer, field: str, status: int = 400) -> str:
    assert answer.status_code == status, answer.content
    data = answer.json()
    assert field in data, data
    return str(data[field][0])


def test_create_submits_for_the_partners_employer(
    api_for, partner_user, partner_company, other_company, minimum
):
    answer = api_for(partner_user).post(
        URL, body(employer=other_company.pk, status="open", status_note="x"), format="json"
    )
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["status"] == "submitted"
    assert "employer" not in data
    opening = JobOpening.objects.get()
    assert (opening.employer_id, opening.status_note) == (partner_company.pk, "")


@pytest.mark.parametrize(("wage", "unit"), [(1000, "hourly"), (8000, "daily"), (150000, "monthly")])
def test_a_wage_below_the_minimum_is_refused(api_for, partner_user, minimum, wage, unit):
    answer = api_for(partner_user).post(URL, body(wage=wage, wage_unit=unit), format="json")
    assert "below the minimum wage of ¥1,226 an hour" in refused(answer, "wage")
    assert not JobOpening.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hours_per_week", "0"),
        ("daily_hours", "0"),
        ("prefecture", "Atlantis"),
        ("probation_months", -1),
        ("probation_months", 99),
        ("start_date", None),
        ("wage", "lots"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_for, partner_user, minimum, field, value):
    values = body(**{field: value})
    if value is None:
        values.pop(field)
    answer = api_for(partner_user).post(URL, values, format="json")
    refused(answer, field)
    assert not JobOpening.objects.exists()


def test_list_and_retrieve_only_the_own_employers(api_for, partner_user, submitted, other_opening):
    client = api_for(partner_user)
    listed = client.get(URL).json()
    assert [row["id"] for row in listed["results"]] == [submitted.pk]
    assert client.get(f"{URL}{submitted.pk}/").json()["title"] == "Packer"
    assert client.get(f"{URL}{other_opening.pk}/").status_code == 404


@pytest.mark.parametrize("method", ["get", "patch", "close"])
def test_another_employers_opening_is_a_404_like_a_missing_one(
    api_for, partner_user, other_opening, minimum, method
):
    client = api_for(partner_user)

    def ask(pk):
        if method == "get":
            return client.get(f"{URL}{pk}/")
        if method == "patch":
            return client.patch(f"{URL}{pk}/", {"title": "Mine now"}, format="json")
        return client.post(f"{URL}{pk}/close/", {}, format="json")

    theirs, missing = ask(other_opening.pk), ask(other_opening.pk + 1000)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    other_opening.refresh_from_db()
    assert (other_opening.title, other_opening.status) == ("Welder", OpeningStatus.OPEN)


def test_partial_update_resubmits_a_returned_opening(api_for, partner_user, submitted, caseworker, minimum):
    staff = api_for(caseworker)
    assert (
        staff.post(
            f"/api/v1/openings/{submitted.pk}/return/", {"reason": "Add the address."}, format="json"
        ).status_code
        == 200
    )
    submitted.refresh_from_db()
    seen = api_for(partner_user).get(f"{URL}{submitted.pk}/").json()
    assert (seen["status"], seen["status_note"]) == ("returned", "Add the address.")
    answer = api_for(partner_user).patch(
        f"{URL}{submitted.pk}/", {"address": "Koto-ku", "version": submitted.version}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["status"], answer.json()["status_note"]) == ("submitted", "")


def test_a_stale_version_is_refused(api_for, partner_user, submitted, minimum):
    answer = api_for(partner_user).patch(
        f"{URL}{submitted.pk}/", {"title": "New", "version": 99}, format="json"
    )
    assert answer.status_code in (400, 409)
    submitted.refresh_from_db()
    assert submitted.title == "Packer"


def test_close(api_for, partner_user, partner_company):
    opening = JobOpeningFactory(employer=partner_company, created_by=partner_user)
    client = api_for(partner_user)
    assert client.post(f"{URL}{opening.pk}/close/", {}, format="json").json()["status"] == "closed"
    refused(client.post(f"{URL}{opening.pk}/close/", {}, format="json"), "status")


def test_a_paused_partnership_reads_but_does_not_write(api_for, partner_user, submitted, paused, minimum):
    client = api_for(partner_user)
    assert client.get(URL).status_code == 200
    assert client.post(URL, body(), format="json").status_code == 403
    assert client.patch(f"{URL}{submitted.pk}/", {"title": "X"}, format="json").status_code == 403
    assert client.post(f"{URL}{submitted.pk}/close/", {}, format="json").status_code == 403
    submitted.refresh_from_db()
    assert (submitted.title, submitted.status) == ("Packer", OpeningStatus.SUBMITTED)


def test_staff_and_strangers_are_refused(api_for, caseworker, employer, submitted):
    assert api_for(caseworker).get(URL).status_code == 403
    assert api_for(employer).get(URL).status_code == 403  # an employer user without a membership


def test_the_partner_api_is_json_only(api_for, partner_user, submitted):
    answer = api_for(partner_user).get(URL, HTTP_ACCEPT="text/html")
    assert answer.status_code == 406


# --- staff API: approve and return ----------------------------------------------------------------------


def test_staff_approve_a_submitted_opening(api_for, supervisor, submitted, minimum):
    answer = api_for(supervisor).post(f"/api/v1/openings/{submitted.pk}/approve/", {}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "open"


def test_returning_without_a_reason_is_a_400(api_for, caseworker, submitted):
    refused(
        api_for(caseworker).post(f"/api/v1/openings/{submitted.pk}/return/", {}, format="json"), "status_note"
    )
    submitted.refresh_from_db()
    assert submitted.status == OpeningStatus.SUBMITTED


@pytest.mark.parametrize("action", ["approve", "return"])
def test_approving_or_returning_what_is_not_submitted_is_a_400(api_for, caseworker, other_opening, action):
    answer = api_for(caseworker).post(
        f"/api/v1/openings/{other_opening.pk}/{action}/", {"reason": "No"}, format="json"
    )
    refused(answer, "status")
    other_opening.refresh_from_db()
    assert other_opening.status == OpeningStatus.OPEN


@pytest.mark.parametrize("action", ["approve", "return"])
def test_employer_users_and_trainers_cannot_approve_or_return(
    api_for, partner_user, trainer, submitted, action
):
    for user in (partner_user, trainer):
        answer = api_for(user).post(
            f"/api/v1/openings/{submitted.pk}/{action}/", {"reason": "x"}, format="json"
        )
        assert answer.status_code in (403, 404)
    assert (
        api_for(partner_user).post(f"/api/v1/openings/{submitted.pk}/approve/", {}, format="json").status_code
        == 403
    )
    submitted.refresh_from_db()
    assert submitted.status == OpeningStatus.SUBMITTED
