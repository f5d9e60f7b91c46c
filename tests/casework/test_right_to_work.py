"""Right-to-work checks at service level: who may record one, the bad inputs, the history it leaves,
and what the share packet's selector makes of it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework import selectors, services
from casework.models import ChangeRecord, RightToWorkCheck
from casework.roles import Role

TODAY = date(2026, 6, 15)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    """A fixed day (Asia/Tokyo): "not in the future" is about the day in Japan."""
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo")), tick=False)


@pytest.fixture
def person(caseworker):
    return services.applicant_register(by=caseworker, data={"given_name": "Meron"})


def check_data(**values):
    return {"checked_on": TODAY, "saw_residence_card": True, "saw_designation_paper": True, **values}


def record(by, applicant, **values):
    return services.right_to_work_check_record(by=by, applicant=applicant, data=check_data(**values))


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_the_caseworker_the_teams_supervisor_and_an_administrator_record_a_check(role, request, person):
    user = request.getfixturevalue(role)
    check = record(user, person, note="  Card and 指定書 seen at the office.  ")
    assert check.checked_by == user
    assert check.checked_on == TODAY
    assert check.saw_residence_card and check.saw_designation_paper
    assert check.note == "Card and 指定書 seen at the office."  # trimmed
    history = ChangeRecord.objects.get(model="casework.righttoworkcheck", object_id=str(check.pk))
    assert history.action == ChangeRecord.Action.CREATE
    assert history.actor == user and history.applicant_id == person.pk
    assert history.changes["checked_on"] == {"old": None, "new": TODAY.isoformat()}
    assert history.changes["checked_by_id"]["new"] == user.pk


def test_one_document_is_enough_to_record_but_the_packet_needs_both(caseworker, person):
    record(caseworker, person, saw_designation_paper=False, checked_on=TODAY)
    assert RightToWorkCheck.objects.filter(applicant=person).count() == 1
    assert selectors.right_to_work_checked_on([person.pk]) == {}
    record(caseworker, person, checked_on=TODAY - timedelta(days=3))
    record(caseworker, person, saw_residence_card=False, checked_on=TODAY - timedelta(days=1))
    assert selectors.right_to_work_checked_on([person.pk]) == {person.pk: TODAY - timedelta(days=3)}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"checked_on": None}, "checked_on", "Enter the day you saw the documents."),
        ({"checked_on": TODAY + timedelta(days=1)}, "checked_on", "The check cannot be in the future."),
        (
            {"checked_on": date(1990, 1, 1)},
            "checked_on",
            "The check is more than 30 years ago: check the year.",
        ),
        (
            {"saw_residence_card": False, "saw_designation_paper": False},
            "saw_residence_card",
            "Tick the documents you saw: the residence card, the designation paper, or both.",
        ),
        (
            {"saw_residence_card": None, "saw_designation_paper": None},
            "saw_residence_card",
            "Tick the documents you saw: the residence card, the designation paper, or both.",
        ),
    ],
    ids=["no date", "future", "long ago", "no document", "documents left out"],
)
def test_bad_input_names_the_field_and_records_nothing(caseworker, person, values, field, message):
    with pytest.raises(ValidationError) as excinfo:
        record(caseworker, person, **values)
    assert excinfo.value.message_dict == {field: [message]}
    assert not RightToWorkCheck.objects.exists()
    assert not ChangeRecord.objects.filter(model="casework.righttoworkcheck").exists()


def test_every_bad_field_is_named_at_once(caseworker, person):
    with pytest.raises(ValidationError) as excinfo:
        services.right_to_work_check_record(by=caseworker, applicant=person, data={})
    assert set(excinfo.value.message_dict) == {"checked_on", "saw_residence_card"}


def test_the_check_of_today_in_japan_is_not_in_the_future(caseworker, person, time_machine):
    # 23:30 UTC on the 14th is already the 15th in Tokyo.
    time_machine.move_to(datetime(2026, 6, 14, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False)
    assert record(caseworker, person, checked_on=TODAY).checked_on == TODAY


@pytest.mark.parametrize("who", ["teammate", "other_caseworker", "other_supervisor", "trainer", "employer"])
def test_those_who_may_not_change_the_persons_legal_records_are_refused(who, request, person):
    """A teammate reads a shared case's profile, never writes its legal records; trainers and employer
    users reach no applicant through casework."""
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(who), person)
    assert not RightToWorkCheck.objects.exists()


def test_an_employer_partner_user_with_a_membership_is_refused(make_user, caseworker, person):
    from jobs.models import Employer, EmployerMembership

    employer = Employer.objects.create(
        organisation_id=caseworker.organisation_id,
        name="Sakura Foods",
        prefecture="13",
        created_by=caseworker,
    )
    partner = make_user(Role.EMPLOYER, username="partner-admin")
    EmployerMembership.objects.create(user=partner, employer=employer, role="admin")
    with pytest.raises(PermissionDenied):
        record(partner, person)


def test_a_refused_request_is_checked_before_the_input(teammate, person):
    """No message about the date for someone who may not write at all (it would tell them nothing, but
    the order keeps the answer the same whatever they send)."""
    with pytest.raises(PermissionDenied):
        services.right_to_work_check_record(by=teammate, applicant=person, data={})


def test_checks_follow_the_legal_door(caseworker, teammate, supervisor, administrator, person):
    check = record(caseworker, person)
    assert list(RightToWorkCheck.objects.visible_to(caseworker)) == [check]
    assert list(RightToWorkCheck.objects.visible_to(supervisor)) == [check]
    assert list(RightToWorkCheck.objects.visible_to(administrator)) == [check]
    assert not RightToWorkCheck.objects.visible_to(teammate).exists()
