"""Jobs services: every bad input of issue 15 refused with the field named and nothing half-written, and
the pipeline from proposal to a confirmed placement with its follow-ups."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework.models import Applicant, CaseStage
from jobs.models import FollowUp, JobOpening, OpeningStatus, Placement, Referral, Stage, StageChange
from jobs.services import employers as employer_services
from jobs.services import openings as opening_services
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import (
    EmployerFactory,
    JobOpeningFactory,
    consent_to_share,
    may_work,
    today,
    tokyo_rate,
)

pytestmark = pytest.mark.django_db


def opening_data(**values):
    return {
        "title": "Kitchen assistant",
        "prefecture": "13",
        "hours_per_week": "40",
        "daily_hours": "8",
        "wage": 1300,
        "wage_unit": "hourly",
        "contract_type": "part_time",
        "start_date": today() + timedelta(days=30),
        "status": "open",
        **values,
    }


def errors_of(raised: pytest.ExceptionInfo) -> dict:
    return raised.value.message_dict


@pytest.fixture
def person(caseworker, team):
    applicant = ApplicantFactory(team=team, caseworker=caseworker, case_stage=CaseStage.JOB_READY)
    may_work(applicant)
    return applicant


@pytest.fixture
def employer(caseworker):
    return EmployerFactory(organisation=caseworker.organisation, created_by=caseworker)


@pytest.fixture
def opening(employer, caseworker):
    return JobOpeningFactory(employer=employer, created_by=caseworker)


# --- Employers and openings -----------------------------------------------------------------------------


def test_an_employer_in_an_unknown_prefecture_is_refused(caseworker):
    with pytest.raises(ValidationError) as raised:
        employer_services.employer_create(
            by=caseworker, data={"name": "Osaka Hotel", "industry": "hospitality", "prefecture": "Atlantis"}
        )
    assert set(errors_of(raised)) == {"prefecture"}
    assert (
        employer_services.employer_create(
            by=caseworker, data={"name": "Osaka Hotel", "industry": "hospitality", "prefecture": "大阪"}
        ).prefecture
        == "27"
    )


def test_trainers_and_employer_users_may_not_write_employers(trainer, make_user):
    from casework.roles import Role

    for user in (trainer, make_user(Role.EMPLOYER, username="emp")):
        with pytest.raises(PermissionDenied):
            employer_services.employer_create(
                by=user, data={"name": "X", "industry": "it", "prefecture": "13"}
            )


@pytest.mark.parametrize(
    ("wage", "unit", "daily", "weekly"),
    [(1225, "hourly", "8", "40"), (9800, "daily", "8", "40"), (212_000, "monthly", "8", "40")],
    ids=["hourly", "daily", "monthly"],
)
def test_opening_a_job_below_the_minimum_wage_is_refused_naming_the_minimum_and_its_date(
    caseworker, employer, wage, unit, daily, weekly
):
    tokyo_rate(1226)
    start = today() + timedelta(days=30)
    with pytest.raises(ValidationError) as raised:
        opening_services.opening_create(
            by=caseworker,
            employer=employer,
            data=opening_data(
                wage=wage, wage_unit=unit, daily_hours=daily, hours_per_week=weekly, start_date=start
            ),
        )
    message = errors_of(raised)["wage"][0]
    assert "¥1,226" in message and "2025-10-03" in message
    assert not JobOpening.objects.exists()
    # The same job may be kept as a draft, with the message shown beside it.
    draft = opening_services.opening_create(
        by=caseworker,
        employer=employer,
        data=opening_data(wage=wage, wage_unit=unit, daily_hours=daily, status="draft", start_date=start),
    )
    refusal, _warning = opening_services.wage_problem(
        {
            "prefecture": "13",
            "start_date": draft.start_date,
            "wage": draft.wage,
            "wage_unit": draft.wage_unit,
            "daily_hours": draft.daily_hours,
            "hours_per_week": draft.hours_per_week,
        }
    )
    assert refusal and "¥1,226" in refusal


def test_zero_hours_and_other_shapes_name_their_fields(caseworker, employer):
    with pytest.raises(ValidationError) as raised:
        opening_services.opening_create(
            by=caseworker,
            employer=employer,
            data=opening_data(hours_per_week="0", daily_hours="0", wage=0, prefecture="XX", start_date=None),
        )
    assert {"hours_per_week", "daily_hours", "wage", "prefecture", "start_date"} <= set(errors_of(raised))


def test_two_staff_changing_one_opening_at_once_one_is_told(caseworker, opening):
    read = opening.version
    opening_services.opening_update(by=caseworker, opening=opening, data={"title": "First"}, version=read)
    with pytest.raises(ValidationError) as raised:
        opening_services.opening_update(
            by=caseworker, opening=opening, data={"title": "Second"}, version=read
        )
    assert "version" in errors_of(raised)
    opening.refresh_from_db()
    assert opening.title == "First"


# --- The pipeline ---------------------------------------------------------------------------------------


def move(by, referral, stage, **data):
    referral.refresh_from_db()
    return referral_services.referral_move(
        by=by, referral=referral, data={"stage": stage, "version": referral.version, **data}
    )


def test_referring_the_same_person_to_the_same_opening_twice_is_refused(caseworker, person, opening):
    referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    with pytest.raises(ValidationError) as raised:
        referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    assert "applicant" in errors_of(raised)
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("consent", ["none", "expired", "revoked", "other_employer"])
def test_sharing_needs_a_current_consent_naming_this_employer(caseworker, person, opening, consent):
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    if consent == "expired":
        consent_to_share(
            person,
            opening.employer,
            by=caseworker,
            granted=today() - timedelta(days=90),
            expires=today() - timedelta(days=1),
        )
    elif consent == "revoked":
        consent_to_share(person, opening.employer, by=caseworker, revoked=today())
    elif consent == "other_employer":
        consent_to_share(person, EmployerFactory(organisation=caseworker.organisation), by=caseworker)
    with pytest.raises(ValidationError) as raised:
        move(caseworker, referral, Stage.SHARED)
    assert "record the consent first" in errors_of(raised)["stage"][0]
    referral.refresh_from_db()
    assert referral.stage == Stage.PROPOSED and referral.stage_changes.count() == 1


def test_moving_backwards_is_for_a_supervisor_with_a_reason(caseworker, supervisor, person, opening):
    consent_to_share(person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    move(caseworker, referral, Stage.INTERVIEW)
    with pytest.raises(ValidationError) as raised:
        move(caseworker, referral, Stage.SHARED, reason_code="correction")
    assert "supervisor" in errors_of(raised)["stage"][0]
    with pytest.raises(ValidationError) as raised:
        move(supervisor, referral, Stage.SHARED)
    assert "reason_code" in errors_of(raised)
    moved = move(supervisor, referral, Stage.SHARED, reason_code="correction")
    assert moved.stage == Stage.SHARED
    assert list(moved.stage_changes.values_list("to_stage", flat=True)) == ["proposed", "interview", "shared"]


def test_two_staff_moving_the_same_card_at_once_one_wins_the_other_is_told(
    caseworker, supervisor, person, opening
):
    consent_to_share(person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    seen = referral.version
    referral_services.referral_move(
        by=caseworker, referral=referral, data={"stage": "shared", "version": seen}
    )
    with pytest.raises(ValidationError) as raised:
        referral_services.referral_move(
            by=supervisor,
            referral=referral,
            data={"stage": "rejected", "version": seen, "reason_code": "other"},
        )
    assert "moved this referral meanwhile" in errors_of(raised)["version"][0]
    referral.refresh_from_db()
    assert referral.stage == Stage.SHARED and StageChange.objects.filter(referral=referral).count() == 2


def test_reporting_a_hire_for_someone_who_may_not_work_on_the_start_date_is_refused(
    caseworker, team, opening
):
    person = ApplicantFactory(team=team, caseworker=caseworker)  # no period, no permission
    consent_to_share(person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    move(caseworker, referral, Stage.OFFER)
    with pytest.raises(ValidationError) as raised:
        move(caseworker, referral, Stage.HIRE_REPORTED)
    assert opening.start_date.isoformat() in errors_of(raised)["start_date"][0]


def hire_reported(caseworker, person, opening) -> Referral:
    consent_to_share(person, opening.employer, by=caseworker)
    referral = referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    move(caseworker, referral, Stage.OFFER)
    return move(caseworker, referral, Stage.HIRE_REPORTED, documents_seen_on=min(today(), opening.start_date))


def test_confirming_a_hire_makes_the_placement_its_follow_ups_and_closes_the_rest(
    caseworker, person, opening, employer
):
    other = JobOpeningFactory(employer=employer, created_by=caseworker)
    elsewhere = referral_services.referral_propose(by=caseworker, applicant=person, opening=other)
    referral = hire_reported(caseworker, person, opening)
    confirmed = placement_services.placement_confirm(
        by=caseworker, referral=referral, data={"probation_end": opening.start_date + timedelta(days=90)}
    )
    placement = confirmed.placement
    assert (confirmed.withdrawn, confirmed.opening_filled) == (1, True)
    assert placement.employment_insurance is True  # 40 hours, open-ended
    assert list(placement.follow_ups.values_list("month", flat=True)) == [1, 3, 6, 12]
    elsewhere.refresh_from_db()
    assert (elsewhere.stage, elsewhere.reason_code) == (Stage.WITHDRAWN, "placed_elsewhere")
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.FILLED
    assert Applicant.objects.get(pk=person.pk).case_stage == CaseStage.PLACED


def test_a_placement_with_a_probation_end_before_the_start_is_refused(caseworker, person, opening):
    referral = hire_reported(caseworker, person, opening)
    with pytest.raises(ValidationError) as raised:
        placement_services.placement_confirm(
            by=caseworker, referral=referral, data={"probation_end": opening.start_date - timedelta(days=1)}
        )
    assert "probation_end" in errors_of(raised)
    assert not Placement.objects.exists()
    referral.refresh_from_db()
    assert referral.stage == Stage.HIRE_REPORTED


def test_a_start_date_before_the_offer_is_refused(caseworker, person, opening):
    referral = hire_reported(caseworker, person, opening)
    with pytest.raises(ValidationError) as raised:
        placement_services.placement_confirm(
            by=caseworker, referral=referral, data={"start_date": today() - timedelta(days=1)}
        )
    assert "offer" in errors_of(raised)["start_date"][0]
    assert not Placement.objects.exists()


def test_a_placement_below_the_minimum_wage_is_refused(caseworker, person, opening):
    tokyo_rate(1226)
    referral = hire_reported(caseworker, person, opening)
    with pytest.raises(ValidationError) as raised:
        placement_services.placement_confirm(by=caseworker, referral=referral, data={"wage": 1000})
    assert "¥1,226" in errors_of(raised)["wage"][0]


def test_only_the_persons_caseworker_or_their_supervisor_confirms(caseworker, teammate, person, opening):
    referral = hire_reported(caseworker, person, opening)
    with pytest.raises(PermissionDenied):
        placement_services.placement_confirm(by=teammate, referral=referral, data={})


def test_a_follow_up_recorded_twice_for_the_same_month_is_one_row(caseworker, person, opening):
    referral = hire_reported(caseworker, person, opening)
    placement = placement_services.placement_confirm(by=caseworker, referral=referral, data={}).placement
    placement_services.follow_up_record(
        by=caseworker, placement=placement, month=1, data={"outcome": "retained"}
    )
    placement_services.follow_up_record(
        by=caseworker, placement=placement, month=1, data={"outcome": "at_risk", "note": "Late twice"}
    )
    rows = FollowUp.objects.filter(placement=placement, month=1)
    assert rows.count() == 1 and rows.get().outcome == "at_risk"
    assert Applicant.objects.get(pk=person.pk).case_stage == CaseStage.FOLLOW_UP
    with pytest.raises(ValidationError) as raised:
        placement_services.follow_up_record(
            by=caseworker, placement=placement, month=3, data={"outcome": "left"}
        )
    assert "leaving_reason" in errors_of(raised)
    with pytest.raises(ValidationError) as raised:
        placement_services.follow_up_record(
            by=caseworker, placement=placement, month=2, data={"outcome": "retained"}
        )
    assert "month" in errors_of(raised)


def test_a_new_minimum_wage_flags_placements_now_below_it(caseworker, person, opening):
    referral = hire_reported(caseworker, person, opening)
    placement = placement_services.placement_confirm(by=caseworker, referral=referral, data={}).placement
    assert placement_services.placements_flag_below_minimum() == 0
    tokyo_rate(1400, since=today())
    assert placement_services.placements_flag_below_minimum() == 1
    placement.refresh_from_db()
    assert placement.below_minimum_wage_since == today()
