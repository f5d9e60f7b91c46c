"""Matching: every reason as data (may work on the start date, inside a renewal's special period, never by
a supervisory-measures permit; level with learning's precedence; skills in any script; place;
availability; already referred; the probation warning with its date; hidden legal records), eligible
first, a query count that does not grow with the caseload; and openings_for, the reverse.

Runs on SQLite by default and on PostgreSQL with DATABASE_URL (the skills match reads the JSON list's
text, which the two databases write differently for Japanese)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Applicant, CaseStage, LegalStatusPeriod, WorkPermission
from casework.roles import Role
from jobs.models import OpeningStatus
from jobs.selectors.matching import REASONS, match_rows, matching, openings_for, probation_end_of
from jobs.services import referrals as referral_services
from tests.casework.applicant_factories import (
    ApplicantFactory,
    LegalStatusPeriodFactory,
    WorkPermissionFactory,
    bulk_applicants,
)
from tests.casework.factories import UserFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, may_work, today
from tests.learning.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(caseworker):
    return EmployerFactory(organisation=caseworker.organisation, created_by=caseworker)


@pytest.fixture
def opening(employer, caseworker):
    """An open day job in Tokyo, 40 hours, starting in two weeks, no level, no skills."""
    return JobOpeningFactory(employer=employer, created_by=caseworker)


def seeker(caseworker, *, work: bool = True, **fields) -> Applicant:
    values = {"case_stage": CaseStage.JOB_READY, **fields}
    applicant = ApplicantFactory(team=caseworker.team, caseworker=caseworker, **values)
    if work:
        may_work(applicant)
    return applicant


def row_of(user, opening, applicant):
    rows = match_rows(list(matching(user=user, opening=opening)), opening=opening)
    (row,) = [row for row in rows if row.applicant.pk == applicant.pk]
    assert row.eligible == (not row.reasons), "the sort key and the reasons shown disagree"
    # An administrator's list sorts on the whole-table form of the conditions (sets, not probes): it
    # must agree with the reasons, which are computed person by person.
    administrator = UserFactory(roles=[Role.ADMINISTRATOR], organisation=user.organisation)
    rows = match_rows(list(matching(user=administrator, opening=opening)), opening=opening)
    (seen,) = [seen for seen in rows if seen.applicant.pk == applicant.pk]
    assert seen.eligible == (not seen.reasons), "the administrator's sort key and reasons disagree"
    return row


# --- May work on the start date ---------------------------------------------------------------------------


def test_someone_who_may_not_work_on_the_start_date_is_not_eligible(caseworker, opening):
    without = seeker(caseworker, work=False)
    LegalStatusPeriodFactory(applicant=without)  # a status without work
    row = row_of(caseworker, opening, without)
    assert not row.eligible and row.reasons == ("may_work_start",)
    assert row.legal_known
    allowed = seeker(caseworker)
    assert row_of(caseworker, opening, allowed).eligible


def test_a_permission_ending_before_the_start_date_does_not_count(caseworker, opening):
    person = seeker(caseworker, work=False)
    LegalStatusPeriodFactory(applicant=person, end_date=opening.start_date + timedelta(days=200))
    WorkPermissionFactory(applicant=person, end_date=opening.start_date - timedelta(days=1))
    assert row_of(caseworker, opening, person).reasons == ("may_work_start",)


def _lapsing(person, opening, *, kind="da_refugee_applicant", filed: bool = True, basis=None):
    """A period (and permission) ending ten days before the start, the renewal filed in time or not."""
    end = opening.start_date - timedelta(days=10)
    LegalStatusPeriodFactory(
        applicant=person,
        status_kind=kind,
        start_date=end - timedelta(days=180),
        end_date=end,
        renewal_filed_on=end - timedelta(days=20) if filed else None,
    )
    if basis:
        WorkPermissionFactory(
            applicant=person, basis=basis, start_date=end - timedelta(days=180), end_date=end
        )


def test_inside_the_special_period_of_a_renewal_filed_in_time_the_person_may_work(caseworker, opening):
    granted = seeker(caseworker, work=False)
    _lapsing(granted, opening, kind="long_term_resident")
    sheet = seeker(caseworker, work=False)
    _lapsing(sheet, opening, basis=WorkPermission.Basis.DESIGNATION_SHEET)
    late = seeker(caseworker, work=False)
    _lapsing(late, opening, kind="long_term_resident", filed=False)
    assert row_of(caseworker, opening, granted).eligible
    assert row_of(caseworker, opening, sheet).eligible
    assert row_of(caseworker, opening, late).reasons == ("may_work_start",)


def test_a_supervisory_measures_permit_never_extends_into_the_special_period(caseworker, opening):
    person = seeker(caseworker, work=False)
    _lapsing(person, opening, basis=WorkPermission.Basis.SUPERVISORY_PERMIT)
    assert row_of(caseworker, opening, person).reasons == ("may_work_start",)


def test_a_person_whose_legal_records_are_hidden_is_never_eligible(caseworker, teammate, opening):
    # The team's caseload is shared (read-only, profile only): their legal records stay hidden from me.
    theirs = seeker(teammate)
    row = row_of(caseworker, opening, theirs)
    assert not row.eligible and not row.legal_known
    assert "may_work_start" in row.reasons
    assert row_of(teammate, opening, theirs).eligible  # their own caseworker sees the same person eligible


# --- Level, skills, place, availability, referred ---------------------------------------------------------


def test_the_level_follows_learning_s_precedence(caseworker, employer):
    opening = JobOpeningFactory(employer=employer, created_by=caseworker, required_level="B1")
    newer = seeker(caseworker)
    AssessmentFactory(applicant=newer, framework="trainer_cefr", level="B1", cefr_level="B1",
                      assessed_on=today() - timedelta(days=60))  # fmt: skip
    AssessmentFactory(applicant=newer, framework="jlpt", level="N4", cefr_level="A2",
                      assessed_on=today() - timedelta(days=5))  # fmt: skip
    same_day = seeker(caseworker)
    AssessmentFactory(applicant=same_day, framework="trainer_cefr", level="A2", cefr_level="A2",
                      assessed_on=today() - timedelta(days=5))  # fmt: skip
    AssessmentFactory(applicant=same_day, framework="jlpt", level="N3", cefr_level="B1",
                      assessed_on=today() - timedelta(days=5))  # fmt: skip
    none = seeker(caseworker)
    newer_row = row_of(caseworker, opening, newer)
    assert newer_row.reasons == ("level_ok",) and newer_row.level == "A2"  # the latest counts
    same_row = row_of(caseworker, opening, same_day)
    assert same_row.eligible and same_row.level == "B1"  # on the same day the official test wins
    assert row_of(caseworker, opening, none).reasons == ("level_ok",)


def test_skills_are_matched_in_any_script(caseworker, employer):
    opening = JobOpeningFactory(
        employer=employer, created_by=caseworker, required_skills=["介護", "フォークリフト"]
    )
    both = seeker(caseworker, skills=["フォークリフト", "介護", "cooking"])
    one = seeker(caseworker, skills=["介護"])
    assert row_of(caseworker, opening, both).eligible
    assert row_of(caseworker, opening, one).reasons == ("skills_ok",)
    latin = JobOpeningFactory(employer=employer, created_by=caseworker, required_skills=["Welding"])
    welder = seeker(caseworker, skills=["welding", "溶接"])
    assert row_of(caseworker, latin, welder).eligible  # case does not matter


def test_place_is_the_prefectures_the_person_can_commute_to(caseworker, opening):
    tokyo = seeker(caseworker, commute_prefectures=",11,13,")
    kanagawa = seeker(caseworker, commute_prefectures=",14,")
    unknown = seeker(caseworker)
    assert row_of(caseworker, opening, tokyo).eligible
    assert row_of(caseworker, opening, kanagawa).reasons == ("place_ok",)
    assert row_of(caseworker, opening, unknown).eligible  # not recorded: not a reason to exclude


def test_availability_start_hours_and_shift(caseworker, employer, opening):
    later = seeker(caseworker, available_from=opening.start_date + timedelta(days=1))
    fewer = seeker(caseworker, hours_per_week_wanted=20)
    nights = seeker(caseworker, available_shifts=",night,")
    ready = seeker(caseworker, available_from=opening.start_date, hours_per_week_wanted=40,
                   available_shifts=",day,evening,")  # fmt: skip
    for person in (later, fewer, nights):
        assert row_of(caseworker, opening, person).reasons == ("availability_ok",), person
    assert row_of(caseworker, opening, ready).eligible
    rotating = JobOpeningFactory(
        employer=employer, created_by=caseworker, shift_pattern="rotating", hours_per_week=Decimal(20)
    )
    assert row_of(caseworker, rotating, nights).eligible  # rotating shifts fit anyone
    assert row_of(caseworker, rotating, fewer).eligible


def test_someone_already_referred_is_listed_but_not_eligible(caseworker, opening):
    person = seeker(caseworker)
    referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    row = row_of(caseworker, opening, person)
    assert not row.eligible and row.reasons == ("referred",)


def test_placed_and_closed_cases_are_not_matched(caseworker, opening):
    placed = seeker(caseworker, case_stage=CaseStage.PLACED)
    ids = {a.pk for a in matching(user=caseworker, opening=opening)}
    assert placed.pk not in ids


# --- The probation warning ----------------------------------------------------------------------------------


def test_a_right_to_work_ending_inside_the_probation_is_a_warning_with_its_date(caseworker, employer):
    opening = JobOpeningFactory(employer=employer, created_by=caseworker, probation_months=3)
    ends = opening.start_date + timedelta(days=30)
    person = seeker(caseworker, work=False)
    LegalStatusPeriodFactory(applicant=person, start_date=today() - timedelta(days=100), end_date=ends)
    WorkPermissionFactory(applicant=person, start_date=today() - timedelta(days=100), end_date=ends)
    safe = seeker(caseworker)
    row = row_of(caseworker, opening, person)
    assert row.eligible  # a warning, not an exclusion
    assert row.works_until == ends < probation_end_of(opening)
    assert row_of(caseworker, opening, safe).works_until is None


# --- Order and cost -----------------------------------------------------------------------------------------


def test_eligible_people_come_first_then_by_name(caseworker, opening):
    b = seeker(caseworker, family_name="Bakr")
    a_no = seeker(caseworker, family_name="Abe", work=False)
    c = seeker(caseworker, family_name="Chen")
    order = [a.pk for a in matching(user=caseworker, opening=opening)]
    assert order == [b.pk, c.pk, a_no.pk]
    assert set(REASONS) == {"may_work_start", "level_ok", "skills_ok", "place_ok", "availability_ok"}


def _people(caseworker, count: int, family_name: str) -> None:
    people = bulk_applicants(
        count,
        team=caseworker.team,
        caseworker=caseworker,
        case_stage=CaseStage.JOB_READY,
        family_name=family_name,
    )
    start = today() - timedelta(days=30)
    # Half may work past the probation, a quarter only until inside it (warnings), a quarter not at all.
    periods, permissions = [], []
    for index, person in enumerate(people):
        if index % 4 == 3:
            continue
        end = start + timedelta(days=400 if index % 2 == 0 else 60)
        periods.append(LegalStatusPeriod(applicant=person, status_kind="da_refugee_applicant",
                                         start_date=start, end_date=end))  # fmt: skip
        permissions.append(
            WorkPermission(applicant=person, basis="designation_sheet", start_date=start, end_date=end)
        )
    LegalStatusPeriod.objects.bulk_create(periods, batch_size=500)
    WorkPermission.objects.bulk_create(permissions, batch_size=500)


def _page_queries(caseworker, opening) -> int:
    with CaptureQueriesContext(connection) as captured:
        page = list(matching(user=caseworker, opening=opening)[:25])
        rows = match_rows(page, opening=opening)
    assert len(rows) == 25
    assert any(row.works_until for row in rows), "the page has probation warnings (their two queries)"
    return len(captured.captured_queries)


def test_a_page_of_matches_costs_the_same_at_50_and_5000_people(caseworker, employer):
    opening = JobOpeningFactory(
        employer=employer, created_by=caseworker, probation_months=3, required_level="A1", required_skills=[]
    )
    AssessmentFactory.create_batch(3, applicant=seeker(caseworker))
    # The page is the same 25 people both times (the later ones sort after them): only the rest grows.
    _people(caseworker, 50, "Aoki")
    _page_queries(caseworker, opening)  # the user's organisation is loaded once, then cached on the user
    small = _page_queries(caseworker, opening)
    _people(caseworker, 4950, "Watanabe")
    large = _page_queries(caseworker, opening)
    assert small == large <= 3


# --- openings_for: the reverse --------------------------------------------------------------------------------


def test_openings_for_lists_the_open_openings_the_person_is_eligible_for(caseworker, employer):
    person = seeker(caseworker, skills=["介護"], commute_prefectures=",13,14,", hours_per_week_wanted=40,
                    available_shifts=",day,")  # fmt: skip
    AssessmentFactory(applicant=person, framework="jlpt", level="N4", cefr_level="A2")
    make = JobOpeningFactory
    fits = make(employer=employer, created_by=caseworker, required_level="A2", required_skills=["介護"])
    rotating = make(employer=employer, created_by=caseworker, prefecture="14", shift_pattern="rotating")
    too_high = make(employer=employer, created_by=caseworker, required_level="B1")
    far = make(employer=employer, created_by=caseworker, prefecture="27")
    nights = make(employer=employer, created_by=caseworker, shift_pattern="night")
    skill = make(employer=employer, created_by=caseworker, required_skills=["溶接"])
    draft = make(employer=employer, created_by=caseworker, status=OpeningStatus.DRAFT)
    too_late = make(employer=employer, created_by=caseworker, start_date=today() + timedelta(days=800))
    referred = make(employer=employer, created_by=caseworker)
    referral_services.referral_propose(by=caseworker, applicant=person, opening=referred)
    found = {o.pk for o in openings_for(user=caseworker, applicant=person)}
    assert found == {fits.pk, rotating.pk}
    for left_out in (too_high, far, nights, skill, draft, too_late, referred):
        assert left_out.pk not in found
    # And the two directions agree.
    for opening in (fits, rotating, too_high, far, nights, skill):
        assert row_of(caseworker, opening, person).eligible == (opening.pk in found), opening.title


def test_openings_for_costs_a_fixed_number_of_queries(caseworker, employer, django_assert_max_num_queries):
    person = seeker(caseworker)
    JobOpeningFactory(employer=employer, created_by=caseworker)
    with CaptureQueriesContext(connection) as small:
        openings_for(user=caseworker, applicant=person)
    JobOpeningFactory.create_batch(30, employer=employer, created_by=caseworker)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(openings_for(user=caseworker, applicant=person)) == 31
