"""The Workers section's services: a follow-up confirmed from the portal (still employed, left with a date
and reason, difficulties as coded rows), the employment notification's filing, and their refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count

from casework.models import CaseStage, ChangeRecord
from jobs import rules
from jobs.models import Difficulty, FollowUpDifficulty, PartnershipStatus, Reporter
from jobs.selectors.partner_workers import follow_up_details, worker_views
from jobs.services.partner_workers import placement_notification_file
from jobs.services.placements import follow_up_record
from tests.jobs.factories import today

pytestmark = pytest.mark.django_db


def confirm(by, placement, month=1, **data):
    return follow_up_record(by=by, placement=placement, month=month, data=data)


def test_still_employed_with_difficulties(portal_user, placement):
    follow_up = confirm(
        portal_user,
        placement,
        still_employed=True,
        difficulties=[Difficulty.LANGUAGE, Difficulty.COMMUTE],
        difficulty_note="Needs help with the shift rota.",
    )
    assert (follow_up.outcome, follow_up.reported_by) == ("retained", Reporter.EMPLOYER)
    assert follow_up.recorded_by == portal_user
    assert follow_up.difficulty_note == "Needs help with the shift rota."
    # Countable by the database: one row per code.
    counted = dict(
        FollowUpDifficulty.objects.values_list("code").annotate(n=Count("pk")).values_list("code", "n")
    )
    assert counted == {"language": 1, "commute": 1}
    placement.refresh_from_db()
    assert placement.ended_on is None
    # The case stage is the caseworker's to move: an employer may not edit the case.
    assert placement.applicant.case_stage != CaseStage.FOLLOW_UP
    assert ChangeRecord.objects.filter(actor=portal_user).exists()


def test_confirming_again_replaces_the_difficulties(portal_user, placement):
    confirm(portal_user, placement, still_employed=True, difficulties=["language", "hours"])
    confirm(portal_user, placement, still_employed=True, difficulties=["hours", "health"])
    codes = set(FollowUpDifficulty.objects.values_list("code", flat=True))
    assert codes == {"hours", "health"}


def test_left_sets_the_placement_end_as_the_staff_path_does(portal_user, placement):
    left = today() - timedelta(days=3)
    confirm(portal_user, placement, still_employed=False, left_on=left, leaving_reason="better_job")
    placement.refresh_from_db()
    assert (placement.ended_on, placement.leaving_reason) == (left, "better_job")
    assert placement.follow_ups.get(month=1).outcome == "left"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "still_employed"),
        ({"still_employed": False, "left_on": "x"}, "leaving_reason"),
        ({"still_employed": False, "leaving_reason": "better_job"}, "left_on"),
        ({"still_employed": False, "left_on": None, "leaving_reason": ""}, "leaving_reason"),
        ({"still_employed": True, "difficulties": ["nationality"]}, "difficulties"),
    ],
)
def test_bad_confirmations_name_the_field_and_write_nothing(portal_user, placement, data, field):
    with pytest.raises(ValidationError) as error:
        confirm(portal_user, placement, **data)
    assert field in error.value.message_dict
    follow_up = placement.follow_ups.get(month=1)
    assert follow_up.recorded_at is None and not follow_up.difficulties.exists()


def test_left_before_the_start_or_in_the_future_is_refused(portal_user, placement):
    for day in (placement.start_date - timedelta(days=1), today() + timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            confirm(portal_user, placement, still_employed=False, left_on=day, leaving_reason="moved")
        assert "left_on" in error.value.message_dict
    placement.refresh_from_db()
    assert placement.ended_on is None


def test_follow_up_not_yet_due_is_refused(portal_user, placement):
    # Month 3 is due in about 50 days: more than FOLLOW_UP_CONFIRM_AHEAD_DAYS ahead.
    due = placement.follow_ups.get(month=3).due_on
    assert rules.follow_up_confirmable_from(due) > today()
    with pytest.raises(ValidationError) as error:
        confirm(portal_user, placement, month=3, still_employed=True)
    assert "month" in error.value.message_dict
    assert [row["confirmable"] for row in follow_up_details(placement)] == [True, False, False, False]


def test_another_employers_placement_is_refused(portal_user, other_placement):
    with pytest.raises(PermissionDenied):
        confirm(portal_user, other_placement, still_employed=True)


def test_paused_partnership_cannot_confirm(portal_user, placement, company):
    company.partnership_status = PartnershipStatus.PAUSED
    company.save()
    with pytest.raises(PermissionDenied):
        confirm(portal_user, placement, still_employed=True)


def test_staff_path_still_works(caseworker, placement):
    follow_up = confirm(caseworker, placement, outcome="at_risk", note="Late twice")
    assert (follow_up.outcome, follow_up.reported_by) == ("at_risk", "caseworker")
    placement.applicant.refresh_from_db()
    assert placement.applicant.case_stage == CaseStage.FOLLOW_UP


# --- The employment notification -----------------------------------------------------------------------


def test_filing_the_hire_and_then_the_leaving(portal_user, placement):
    placement_notification_file(
        by=portal_user, placement=placement, data={"hire_notification_filed_on": today()}
    )
    placement.refresh_from_db()
    assert placement.hire_notification_filed_on == today()
    notice = worker_views([placement])[0]["employment"]["notification"]
    assert notice["hire_due_on"] == rules.hire_notification_due(start=placement.start_date, insured=True)
    assert notice["leaving_due_on"] is None
    left = today() - timedelta(days=2)
    confirm(portal_user, placement, still_employed=False, left_on=left, leaving_reason="moved")
    placement.refresh_from_db()
    placement_notification_file(
        by=portal_user, placement=placement, data={"leaving_notification_filed_on": today()}
    )
    placement.refresh_from_db()
    notice = worker_views([placement])[0]["employment"]["notification"]
    assert notice["leaving_filed_on"] == today()
    assert notice["leaving_due_on"] == rules.leaving_notification_due(left_on=left, insured=True)


@pytest.mark.parametrize(
    ("field", "offset"),
    [
        ("hire_notification_filed_on", "future"),
        ("hire_notification_filed_on", "before_start"),
        ("leaving_notification_filed_on", "not_left"),
    ],
)
def test_bad_filing_dates_name_the_field(portal_user, placement, field, offset):
    day = {
        "future": today() + timedelta(days=1),
        "before_start": placement.start_date - timedelta(days=1),
        "not_left": today(),
    }[offset]
    with pytest.raises(ValidationError) as error:
        placement_notification_file(by=portal_user, placement=placement, data={field: day})
    assert field in error.value.message_dict
    placement.refresh_from_db()
    assert placement.hire_notification_filed_on is None and placement.leaving_notification_filed_on is None


def test_leaving_filed_before_the_person_left_is_refused(portal_user, placement):
    left = today() - timedelta(days=2)
    confirm(portal_user, placement, still_employed=False, left_on=left, leaving_reason="moved")
    placement.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        placement_notification_file(
            by=portal_user,
            placement=placement,
            data={"leaving_notification_filed_on": left - timedelta(days=1)},
        )
    assert "leaving_notification_filed_on" in error.value.message_dict


def test_filing_for_another_employer_or_paused_is_refused(portal_user, other_placement, placement, company):
    with pytest.raises(PermissionDenied):
        placement_notification_file(
            by=portal_user, placement=other_placement, data={"hire_notification_filed_on": today()}
        )
    company.partnership_status = PartnershipStatus.PAUSED
    company.save()
    with pytest.raises(PermissionDenied):
        placement_notification_file(
            by=portal_user, placement=placement, data={"hire_notification_filed_on": today()}
        )


def test_revoked_consent_keeps_only_the_placement_keys(portal_user, placement):
    placement.applicant.consents.update(revoked_on=today())
    view = worker_views([placement])[0]
    assert set(view["packet"]) == {"reference_code", "given_name", "start_date", "follow_ups"}
    assert view["employment"] is None
    with pytest.raises(ValidationError) as error:
        placement_notification_file(
            by=portal_user, placement=placement, data={"hire_notification_filed_on": today()}
        )
    assert "placement" in error.value.message_dict
    # The follow-ups stay, and can still be confirmed.
    confirm(portal_user, placement, still_employed=True)
