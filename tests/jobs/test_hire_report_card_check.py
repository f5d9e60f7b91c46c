"""A hire report states the day the employer saw the residence card and designation paper itself
(DOMAIN.md §9), stored on the referral: required, not in the future, not after the start date; the same
rule through the service, the referral page (with and without a bad date) and the API's move."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from casework.models import CaseStage, ChangeRecord
from jobs.models import Referral, Stage
from jobs.services import referrals as referral_services
from jobs.ui.board import board_columns
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, consent_to_share, may_work, today

pytestmark = pytest.mark.django_db

MISSING = "Enter the day the employer saw the residence card and designation paper."
FUTURE = "The day the documents were seen cannot be in the future."


def after_start(start: date) -> str:
    return f"The employer must see the documents before the job starts ({start.isoformat()})."


@pytest.fixture
def opening(caseworker):
    employer = EmployerFactory(
        organisation=caseworker.organisation, created_by=caseworker, name="Sakura Foods"
    )
    return JobOpeningFactory(employer=employer, created_by=caseworker)  # starts in two weeks


@pytest.fixture
def offered(caseworker, team, opening) -> Referral:
    person = ApplicantFactory(team=team, caseworker=caseworker, case_stage=CaseStage.JOB_READY)
    may_work(person)
    consent_to_share(person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    offered = referral_services.referral_move(by=caseworker, referral=referral, data={"stage": Stage.OFFER})
    # The offer was made ten days ago, so a hire reported after the person started (days ago) is not
    # refused for starting before the offer (a rule of its own), only for the documents' day.
    offered.stage_changes.filter(to_stage=Stage.OFFER).update(at=timezone.now() - timedelta(days=10))
    return offered


def report(by, referral, **data):
    referral.refresh_from_db()
    return referral_services.referral_move(
        by=by, referral=referral, data={"stage": Stage.HIRE_REPORTED, "version": referral.version, **data}
    )


# --- The service ------------------------------------------------------------------------------------------


def test_the_day_is_stored_with_the_hire_report_and_in_the_history(caseworker, offered, opening):
    seen = today() - timedelta(days=2)
    referral = report(caseworker, offered, documents_seen_on=seen)
    referral.refresh_from_db()
    assert referral.stage == Stage.HIRE_REPORTED
    assert referral.documents_seen_on == seen and referral.reported_start_date == opening.start_date
    change = ChangeRecord.objects.filter(model="jobs.referral", object_id=str(referral.pk)).latest("pk")
    assert change.changes["documents_seen_on"] == {"old": None, "new": seen.isoformat()}


def test_the_day_may_be_the_start_date_itself(caseworker, offered, opening):
    start = today()
    referral = report(caseworker, offered, start_date=start, documents_seen_on=start)
    assert referral.documents_seen_on == start


@pytest.mark.parametrize(
    ("seen", "message"),
    [
        (None, MISSING),
        ("2026-01-01", MISSING),  # a string is not a date: the form or the API parses it first
        (today() + timedelta(days=1), FUTURE),
    ],
    ids=["missing", "not a date", "future"],
)
def test_a_hire_report_without_a_proper_day_is_refused_and_nothing_moves(caseworker, offered, seen, message):
    with pytest.raises(ValidationError) as raised:
        report(caseworker, offered, documents_seen_on=seen)
    assert raised.value.message_dict == {"documents_seen_on": [message]}
    offered.refresh_from_db()
    assert offered.stage == Stage.OFFER and offered.documents_seen_on is None


def test_the_documents_must_be_seen_before_the_start(caseworker, offered):
    start = today() - timedelta(days=3)  # a hire reported after the person started
    with pytest.raises(ValidationError) as raised:
        report(caseworker, offered, start_date=start, documents_seen_on=today() - timedelta(days=1))
    assert raised.value.message_dict == {"documents_seen_on": [after_start(start)]}
    assert report(caseworker, offered, start_date=start, documents_seen_on=start - timedelta(days=5))


def test_other_moves_ignore_the_field(caseworker, offered):
    moved = referral_services.referral_move(
        by=caseworker,
        referral=offered,
        data={"stage": Stage.WITHDRAWN, "reason_code": "person_declined", "documents_seen_on": today()},
    )
    moved.refresh_from_db()
    assert moved.stage == Stage.WITHDRAWN and moved.documents_seen_on is None


def test_the_board_no_longer_offers_a_hire_report(caseworker, offered):
    """A hire is reported on the referral's page, where the start date and the day are asked for."""
    columns = board_columns({offered.stage: [offered]}, movable={offered.pk}, errors={})
    targets = {value for column in columns for card in column.cards for value, _label in card.targets}
    assert Stage.HIRE_REPORTED not in targets and Stage.WITHDRAWN in targets


# --- The referral page ------------------------------------------------------------------------------------


def page_post(client, referral, **values):
    data = {"version": referral.version, "start_date": referral.opening.start_date.isoformat()}
    data.update(values)
    return client.post(reverse("jobs:hire_report", args=[referral.pk]), data)


def test_the_page_asks_for_the_day_and_reports_the_hire(client_for, caseworker, offered):
    client = client_for(caseworker)
    page = client.get(reverse("jobs:referral_detail", args=[offered.pk])).content.decode()
    assert "The employer saw the residence card and designation paper on" in page
    assert 'name="documents_seen_on"' in page
    response = page_post(client, offered, documents_seen_on=today().isoformat())
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.stage == Stage.HIRE_REPORTED and offered.documents_seen_on == today()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", MISSING),
        ((today() + timedelta(days=2)).isoformat(), FUTURE),
        ("not a date", "Enter a valid date."),
    ],
    ids=["empty", "future", "not a date"],
)
def test_a_bad_day_is_shown_next_to_its_field(client_for, caseworker, offered, value, message):
    response = page_post(client_for(caseworker), offered, documents_seen_on=value)
    assert response.status_code == 200
    assert [str(error) for error in response.context["report_form"].errors["documents_seen_on"]] == [message]
    assert message in response.content.decode()
    offered.refresh_from_db()
    assert offered.stage == Stage.OFFER


def test_a_day_after_the_start_on_the_page(client_for, caseworker, offered):
    start = today() - timedelta(days=1)
    response = page_post(
        client_for(caseworker), offered, start_date=start.isoformat(), documents_seen_on=today().isoformat()
    )
    assert after_start(start) in response.content.decode()


def test_a_teammate_cannot_report_the_hire(client_for, teammate, offered):
    response = page_post(client_for(teammate), offered, documents_seen_on=today().isoformat())
    assert response.status_code == 403
    offered.refresh_from_db()
    assert offered.stage == Stage.OFFER


# --- The API ----------------------------------------------------------------------------------------------


def api_move(user, referral, **values):
    client = APIClient()
    client.force_authenticate(user)
    referral.refresh_from_db()
    body = {"stage": "hire_reported", "version": referral.version, **values}
    return client.post(f"/api/v1/referrals/{referral.pk}/move/", body, format="json")


def test_the_api_reports_a_hire_with_the_day_and_shows_it(caseworker, offered):
    answer = api_move(caseworker, offered, documents_seen_on=today().isoformat())
    assert answer.status_code == 200, answer.content
    assert answer.json()["documents_seen_on"] == today().isoformat()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, MISSING),
        ({"documents_seen_on": None}, MISSING),
        ({"documents_seen_on": (today() + timedelta(days=1)).isoformat()}, FUTURE),
        ({"documents_seen_on": "yesterday"}, None),
        ({"documents_seen_on": "1850-01-01"}, None),
    ],
    ids=["left out", "null", "future", "not a date", "implausible year"],
)
def test_a_bad_day_is_a_400_naming_the_field(caseworker, offered, values, message):
    answer = api_move(caseworker, offered, **values)
    assert answer.status_code == 400, answer.content
    assert "documents_seen_on" in answer.json()
    if message:
        assert answer.json() == {"documents_seen_on": [message]}
    offered.refresh_from_db()
    assert offered.stage == Stage.OFFER
