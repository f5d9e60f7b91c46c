"""Casework selectors: who sees what, may-work, deadlines, duplicates, the legal summary."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from casework import crypto, names, selectors, services
from casework.models import (
    Applicant,
    LegalStatusPeriod,
    Organisation,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    WorkPermission,
)
from casework.roles import Role
from tests.casework.factories import TeamFactory, UserFactory

TODAY = date(2026, 6, 15)
DA = "da_refugee_applicant"


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo")), tick=False)


def register(by, **data):
    data.setdefault("given_name", "Test")
    return services.applicant_register(by=by, data=data)


def add_period(by, applicant, start, end, kind=DA, **data):
    return services.legal_period_record(
        by=by,
        applicant=applicant,
        data={"status_kind": kind, "start_date": start, "end_date": end, **data},
        card_number=data.pop("card_number", None),
    )


# --- visible_to / editable_by: the access matrix ---------------------------------------------------------


@pytest.fixture
def world(team, other_team, administrator, supervisor, caseworker, trainer, employer, make_user):
    colleague = make_user(Role.CASEWORKER, username="colleague", team=team)
    other_supervisor = make_user(Role.SUPERVISOR, username="super-osaka")
    other_team.supervisors.add(other_supervisor)
    other_caseworker = make_user(Role.CASEWORKER, username="case-osaka", team=other_team)
    own = register(caseworker, family_name="Own")
    shared = register(colleague, family_name="Shared")
    foreign = register(other_caseworker, family_name="Foreign")
    unassigned = services.applicant_register(
        by=supervisor, data={"given_name": "Unassigned"}, team=team, caseworker=None
    )
    for applicant in (own, shared, foreign):
        add_period(administrator, applicant, date(2026, 1, 1), date(2026, 12, 31))
    return {
        "colleague": colleague,
        "other_supervisor": other_supervisor,
        "other_caseworker": other_caseworker,
        "own": own,
        "shared": shared,
        "foreign": foreign,
        "unassigned": unassigned,
    }


def names_of(queryset) -> set[str]:
    return {applicant.family_name or applicant.given_name for applicant in queryset}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "visible", "editable"),
    [
        (
            "administrator",
            {"Own", "Shared", "Foreign", "Unassigned"},
            {"Own", "Shared", "Foreign", "Unassigned"},
        ),
        ("supervisor", {"Own", "Shared", "Unassigned"}, {"Own", "Shared", "Unassigned"}),
        ("other_supervisor", {"Foreign"}, {"Foreign"}),
        # Own caseload to write; the team's (shared by default) to read only.
        ("caseworker", {"Own", "Shared", "Unassigned"}, {"Own"}),
        ("other_caseworker", {"Foreign"}, {"Foreign"}),
        ("trainer", set(), set()),
        ("employer", set(), set()),
    ],
)
def test_the_access_matrix(world, role_users, who, visible, editable):
    users = {**{str(role): user for role, user in role_users.items()}, **world}
    user = users[who]
    assert names_of(Applicant.objects.visible_to(user)) == visible
    assert names_of(Applicant.objects.editable_by(user)) == editable
    # Legal records follow the person's legal reach: a shared team caseload shows the profile only.
    assert names_of(Applicant.objects.legal_visible_to(user)) == editable
    periods = LegalStatusPeriod.objects.visible_to(user).select_related("applicant")
    assert {p.applicant.family_name for p in periods} == editable - {"Unassigned"}
    writable = LegalStatusPeriod.objects.editable_by(user).select_related("applicant")
    assert {p.applicant.family_name for p in writable} == editable - {"Unassigned"}


@pytest.mark.django_db
def test_without_a_shared_team_caseload_a_caseworker_sees_only_their_own(world, caseworker):
    Organisation.objects.filter(pk=caseworker.organisation_id).update(team_caseload_shared=False)
    caseworker.organisation.refresh_from_db()
    assert names_of(Applicant.objects.visible_to(caseworker)) == {"Own"}


@pytest.mark.django_db
def test_nobody_sees_across_organisations_or_when_inactive(world, administrator, caseworker):
    elsewhere = Organisation.objects.create(name="Other NPO", slug="other")
    outsider = UserFactory(roles=[Role.ADMINISTRATOR], organisation=elsewhere, username="outsider")
    assert not Applicant.objects.visible_to(outsider).exists()
    caseworker.is_active = False
    assert not Applicant.objects.visible_to(caseworker).exists()


@pytest.mark.django_db
def test_a_supervisor_of_two_teams_sees_each_person_once(world, supervisor, other_team):
    other_team.supervisors.add(supervisor)
    visible = list(Applicant.objects.visible_to(supervisor))
    assert len(visible) == len({a.pk for a in visible}) == 4


@pytest.mark.django_db
def test_procedure_events_follow_the_person(world, administrator, caseworker):
    procedure = services.procedure_record(
        by=world["other_caseworker"],
        applicant=world["foreign"],
        data={"ordinal": 1, "applied_on": date(2026, 1, 5)},
    )
    assert ProcedureEvent.objects.visible_to(administrator).filter(procedure=procedure).exists()
    assert not ProcedureEvent.objects.visible_to(caseworker).filter(procedure=procedure).exists()
    assert not RefugeeProcedure.objects.visible_to(caseworker).exists()


# --- May work on a day ----------------------------------------------------------------------------------


@pytest.fixture
def person(caseworker):
    return register(caseworker, family_name="Perera", given_name="Suriya", date_of_birth=date(1988, 3, 14))


def may_work(applicant, day=TODAY) -> bool:
    python = selectors.applicant_may_work_on(applicant, day)
    database = selectors.with_legal_summary(Applicant.objects.filter(pk=applicant.pk), day).get().may_work_now
    assert python == database, "the selector and the database condition disagree"
    people = Applicant.objects.filter(pk=applicant.pk)
    as_a_set = people.filter(selectors.may_work_condition(day, whole_table=True)).exists()
    assert python == as_a_set, "the whole-table form of the condition disagrees"
    return python


@pytest.mark.django_db
def test_a_period_that_grants_work_by_itself(caseworker, person):
    add_period(caseworker, person, date(2026, 1, 1), date(2026, 12, 31), kind="long_term_resident")
    assert may_work(person)
    assert not may_work(person, date(2027, 1, 1))


@pytest.mark.django_db
def test_an_explicit_permission_lets_a_refugee_applicant_work(caseworker, person):
    add_period(caseworker, person, date(2026, 1, 1), date(2026, 6, 30))
    assert not may_work(person)
    services.work_permission_record(
        by=caseworker,
        applicant=person,
        data={"basis": "designation_sheet", "start_date": date(2026, 6, 1), "end_date": date(2026, 6, 30)},
    )
    assert may_work(person)
    assert not may_work(person, date(2026, 5, 31))


@pytest.mark.django_db
def test_neither_a_granting_period_nor_a_permission(caseworker, person):
    add_period(caseworker, person, date(2026, 1, 1), date(2026, 12, 31), kind="provisional_release")
    assert not may_work(person)
    other = register(caseworker, family_name="Kaur")
    services.legal_period_record(
        by=caseworker,
        applicant=other,
        data={
            "status_kind": "other",
            "status_other_label": "Specified Skilled Worker (i)",
            "other_grants_work": True,
            "start_date": date(2026, 1, 1),
            "end_date": date(2026, 12, 31),
        },
    )
    assert may_work(other)


def permit(by, applicant, basis, start, end):
    return services.work_permission_record(
        by=by, applicant=applicant, data={"basis": basis, "start_date": start, "end_date": end}
    )


@pytest.mark.django_db
def test_a_kind_that_grants_work_keeps_granting_it_in_the_special_period(caseworker, person):
    # Long-term resident until 31 May, renewal filed on 20 May, no decision yet: lawful until 31 July.
    add_period(
        caseworker, person, date(2025, 6, 1), date(2026, 5, 31), kind="long_term_resident",
        renewal_filed_on=date(2026, 5, 20),
    )  # fmt: skip
    assert may_work(person, date(2026, 6, 15))
    assert may_work(person, date(2026, 7, 31))
    assert not may_work(person, date(2026, 8, 1)), "end + 2 months is the hard limit"


@pytest.mark.django_db
def test_the_special_period_ends_with_the_decision(caseworker, person):
    add_period(
        caseworker, person, date(2025, 6, 1), date(2026, 5, 31), kind="long_term_resident",
        renewal_filed_on=date(2026, 5, 20), renewal_decision="refused", renewal_decided_on=date(2026, 6, 10),
    )  # fmt: skip
    assert may_work(person, date(2026, 6, 10))
    assert not may_work(person, date(2026, 6, 11))


@pytest.mark.django_db
def test_a_renewal_filed_after_the_end_extends_nothing(caseworker, person):
    add_period(
        caseworker, person, date(2025, 6, 1), date(2026, 5, 31), kind="long_term_resident",
        renewal_filed_on=date(2026, 6, 2),
    )  # fmt: skip
    assert not may_work(person, date(2026, 6, 15))


@pytest.mark.django_db
@pytest.mark.parametrize("basis", ["designation_sheet", "outside_status"])
def test_a_permission_tied_to_the_period_continues_in_its_special_period(caseworker, person, basis):
    add_period(caseworker, person, date(2025, 12, 1), date(2026, 5, 31), renewal_filed_on=date(2026, 5, 25))
    permit(caseworker, person, basis, date(2026, 1, 1), date(2026, 5, 31))
    assert may_work(person, date(2026, 5, 31))
    assert may_work(person, date(2026, 6, 15)), "the designation-sheet work continues with the status"
    assert not may_work(person, date(2026, 8, 1))


@pytest.mark.django_db
def test_a_permission_that_ended_before_the_period_does_not_come_back(caseworker, person):
    add_period(caseworker, person, date(2025, 12, 1), date(2026, 5, 31), renewal_filed_on=date(2026, 5, 25))
    permit(caseworker, person, "designation_sheet", date(2026, 1, 1), date(2026, 4, 30))
    assert not may_work(person, date(2026, 5, 15))
    assert not may_work(person, date(2026, 6, 15))


@pytest.mark.django_db
def test_a_supervisory_measures_permit_never_extends(caseworker, person):
    add_period(caseworker, person, date(2025, 12, 1), date(2026, 5, 31), renewal_filed_on=date(2026, 5, 25))
    permit(caseworker, person, "supervisory_permit", date(2026, 1, 1), date(2026, 5, 31))
    assert may_work(person, date(2026, 5, 31))
    assert not may_work(person, date(2026, 6, 1))


@pytest.mark.django_db
def test_no_special_period_for_provisional_release(caseworker, person):
    add_period(
        caseworker, person, date(2026, 3, 1), date(2026, 5, 31), kind="provisional_release",
        renewal_filed_on=date(2026, 5, 20),
    )  # fmt: skip
    permit(caseworker, person, "outside_status", date(2026, 3, 1), date(2026, 5, 31))
    assert not may_work(person, date(2026, 6, 1))


# --- The legal summary ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_summary_agrees_with_the_page(caseworker, person):
    add_period(caseworker, person, date(2025, 12, 1), date(2026, 2, 28))
    current = add_period(
        caseworker, person, date(2026, 3, 1), date(2026, 5, 31), renewal_filed_on=date(2026, 5, 25)
    )
    row = selectors.applicants_for_list(user=caseworker, day=TODAY).get(pk=person.pk)
    summary = selectors.legal_summaries([row], user=caseworker, day=TODAY)[person.pk]
    assert selectors.current_period(list(person.periods.all()), TODAY) == current
    assert (summary.kind, summary.lawful_until, summary.days_left) == (DA, date(2026, 7, 31), 46)
    assert summary.renewal_pending and not summary.may_work


@pytest.mark.django_db
def test_an_old_renewal_does_not_keep_a_period_current(caseworker, person):
    add_period(
        caseworker,
        person,
        date(2025, 1, 1),
        date(2025, 6, 30),
        renewal_filed_on=date(2025, 6, 1),
        renewal_decision="refused",
        renewal_decided_on=date(2025, 7, 15),
    )
    row = selectors.applicants_for_list(user=caseworker, day=TODAY).get(pk=person.pk)
    assert selectors.legal_summaries([row], user=caseworker, day=TODAY)[person.pk].kind is None
    assert row.current_kind is None, "the list's filter and sort annotations agree"
    assert selectors.current_period(list(person.periods.all()), TODAY) is None


@pytest.mark.django_db
def test_lawful_stay_runs_to_the_end_of_a_chain_of_periods(caseworker, person):
    add_period(caseworker, person, date(2026, 5, 1), date(2026, 6, 30), kind="provisional_release")
    add_period(caseworker, person, date(2026, 7, 1), date(2026, 8, 31), kind="provisional_release")
    add_period(caseworker, person, date(2026, 9, 1), date(2026, 10, 31), kind="provisional_release")
    summary = selectors.legal_summary(list(person.periods.all()), [], TODAY)
    assert (summary.lawful_until, summary.days_left) == (date(2026, 10, 31), 138)


@pytest.mark.django_db
def test_a_gap_ends_the_chain(caseworker, person):
    add_period(caseworker, person, date(2026, 5, 1), date(2026, 6, 30), kind="provisional_release")
    add_period(caseworker, person, date(2026, 7, 2), date(2026, 8, 31), kind="provisional_release")
    assert selectors.legal_summary(list(person.periods.all()), [], TODAY).lawful_until == date(2026, 6, 30)


# --- Deadlines within N days ----------------------------------------------------------------------------


def within(days, day=TODAY) -> set[str]:
    return {a.family_name for a in Applicant.objects.filter(selectors.deadline_within_condition(days, day))}


@pytest.mark.django_db
def test_deadline_within_finds_each_kind_of_deadline(caseworker):
    ending = register(caseworker, family_name="Ending")
    add_period(caseworker, ending, date(2026, 4, 1), TODAY + timedelta(days=10))
    later = register(caseworker, family_name="Later")
    add_period(caseworker, later, date(2026, 4, 1), TODAY + timedelta(days=40))
    renewing = register(caseworker, family_name="Renewing")  # end in 10 days, but renewal filed
    add_period(caseworker, renewing, date(2026, 4, 1), TODAY + timedelta(days=10), renewal_filed_on=TODAY)
    special = register(caseworker, family_name="Special")  # ended 50 days ago, renewal pending
    add_period(
        caseworker,
        special,
        date(2026, 1, 1),
        TODAY - timedelta(days=50),
        renewal_filed_on=TODAY - timedelta(days=60),
    )
    appealing = register(caseworker, family_name="Appealing")
    procedure = services.procedure_record(
        by=caseworker, applicant=appealing, data={"ordinal": 1, "applied_on": date(2025, 1, 1)}
    )
    services.procedure_event_record(
        by=caseworker, procedure=procedure, data={"kind": "refusal_notice", "date": TODAY - timedelta(days=2)}
    )
    reporting = register(caseworker, family_name="Reporting")
    services.reporting_obligation_record(
        by=caseworker,
        applicant=reporting,
        data={
            "kind": "supervisory_measures",
            "next_report_date": TODAY + timedelta(days=3),
            "place": "Yokohama",
        },
    )
    permitted = register(caseworker, family_name="Permitted")
    services.work_permission_record(
        by=caseworker,
        applicant=permitted,
        data={
            "basis": "outside_status",
            "start_date": date(2026, 1, 1),
            "end_date": TODAY + timedelta(days=20),
        },
    )
    assert within(14) == {"Ending", "Special", "Appealing", "Reporting"}
    assert within(30) == {"Ending", "Special", "Appealing", "Reporting", "Permitted"}
    assert "Later" in within(40) and "Renewing" not in within(40)
    # The special period ends at end + 2 months: 10 days + 2 months from now.
    assert "Renewing" in within((date(2026, 8, 25) - TODAY).days)
    assert "Renewing" not in within((date(2026, 8, 24) - TODAY).days)
    # An appeal filed deals with the appeal deadline.
    services.procedure_event_record(
        by=caseworker, procedure=procedure, data={"kind": "appeal_filed", "date": TODAY}
    )
    assert "Appealing" not in within(14)
    # Deadlines already passed are not "within N days".
    assert within(0, TODAY + timedelta(days=60)) == set()


@pytest.mark.django_db
def test_inactive_reporting_is_no_deadline(caseworker):
    reporting = register(caseworker, family_name="Reporting")
    obligation = services.reporting_obligation_record(
        by=caseworker,
        applicant=reporting,
        data={"kind": "provisional_release", "next_report_date": TODAY + timedelta(days=3), "place": "Tokyo"},
    )
    ReportingObligation.objects.filter(pk=obligation.pk).update(is_active=False)
    assert within(14) == set()


# --- Duplicate candidates: the one organisation-wide lookup ----------------------------------------------


@pytest.fixture
def known(make_user, caseworker, other_team):
    other_caseworker = make_user(Role.CASEWORKER, username="case-osaka", team=other_team)
    nguyen = register(
        other_caseworker,
        family_name="Nguyen",
        given_name="Van Hung",
        name_katakana="グエン・ヴァン・フン",
        date_of_birth=date(1996, 4, 30),
        nationality="VN",
    )
    add_period(other_caseworker, nguyen, date(2026, 1, 1), date(2026, 6, 30), card_number="VN12345678AB")
    return nguyen


def candidates(user, **data):
    defaults = {
        "family_name": "",
        "given_name": "",
        "name_katakana": "",
        "birth_year": None,
        "nationality": "",
        "card_hash": "",
    }
    return selectors.duplicate_candidates(organisation_id=user.organisation_id, **{**defaults, **data})


@pytest.mark.django_db
def test_the_same_card_finds_the_person_in_another_team(caseworker, known):
    found = candidates(
        caseworker, card_hash=crypto.lookup_hash(names.normalise_card_number("vn 1234 5678 ab"))
    )
    assert [(c.reference_code, c.reason) for c in found] == [(known.reference_code, "card")]
    # Only what the caseworker may learn: code, name, birth year, caseworker.
    assert (found[0].birth_year, found[0].caseworker) == (1996, str(known.caseworker))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"family_name": "Nguyen", "given_name": "Van Hung"},
        {"family_name": "NGUYỄN", "given_name": "Văn Hùng"},
        {"family_name": "Van Hung", "given_name": "Nguyen"},  # order free
        {"family_name": "Nguyen", "given_name": "Van Hun"},  # a letter off
        {"name_katakana": "ぐえん ゔぁん ふん"},
    ],
)
def test_a_close_name_with_the_same_birth_year_is_a_candidate(caseworker, known, data):
    found = candidates(caseworker, birth_year=1996, nationality="VN", **data)
    assert [(c.pk, c.reason) for c in found] == [(known.pk, "name")]


@pytest.mark.django_db
def test_no_candidate_for_another_birth_year_nationality_or_name(caseworker, known):
    assert candidates(caseworker, family_name="Nguyen", given_name="Van Hung", birth_year=1995) == []
    assert (
        candidates(caseworker, family_name="Nguyen", given_name="Van Hung", birth_year=1996, nationality="KH")
        == []
    )
    assert candidates(caseworker, family_name="Tran", given_name="Thi Mai", birth_year=1996) == []
    # An unknown nationality on either side does not rule a match out.
    assert len(candidates(caseworker, family_name="Nguyen", given_name="Van Hung", birth_year=1996)) == 1


@pytest.mark.django_db
def test_no_candidate_from_another_organisation(caseworker, known):
    elsewhere = Organisation.objects.create(name="Other NPO", slug="other")
    team = TeamFactory(organisation=elsewhere, name="Far")
    outsider = UserFactory(roles=[Role.CASEWORKER], organisation=elsewhere, team=team, username="far")
    assert candidates(outsider, family_name="Nguyen", given_name="Van Hung", birth_year=1996) == []


@pytest.mark.django_db
def test_a_duplicate_check_is_recorded_with_its_decision(caseworker, known):
    check = services.duplicate_check_run(
        by=caseworker,
        family_name="Nguyen",
        given_name="Van Hung",
        date_of_birth=date(1996, 1, 1),
        nationality="VN",
    )
    assert [c.pk for c in check.found] == [known.pk]
    applicant = services.applicant_register(
        by=caseworker, data={"family_name": "Nguyen", "given_name": "Van Hung"}, duplicate_check=check
    )
    check.refresh_from_db()
    assert (check.decision, check.registered) == ("new_person", applicant)
    assert list(check.matches.all()) == [known]


# --- Appeal status --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_appeal_status_uses_the_latest_refusal_notice(caseworker, person):
    procedure = services.procedure_record(
        by=caseworker, applicant=person, data={"ordinal": 1, "applied_on": date(2024, 1, 1)}
    )
    assert selectors.appeal_status(procedure, TODAY) is None
    for day in (date(2025, 1, 10), date(2026, 6, 13)):
        services.procedure_event_record(
            by=caseworker, procedure=procedure, data={"kind": "refusal_notice", "date": day}
        )
    status = selectors.appeal_status(
        RefugeeProcedure.objects.prefetch_related("events").get(pk=procedure.pk), TODAY
    )
    assert (status.refusal_notice_on, status.deadline, status.days_left) == (
        date(2026, 6, 13),
        date(2026, 6, 20),
        5,
    )


@pytest.mark.django_db
def test_work_permission_rows_are_explicit(caseworker, person):
    add_period(caseworker, person, date(2026, 1, 1), date(2026, 12, 31), kind="da_humanitarian")
    assert not WorkPermission.objects.filter(applicant=person).exists()
    assert not may_work(person)  # humanitarian: read the designation sheet, record a permission


def test_may_work_until_is_the_end_of_the_unbroken_run_of_working_days():
    from casework.models import LegalStatusPeriod, WorkPermission

    def period(kind, start, end, **extra):
        return LegalStatusPeriod(status_kind=kind, start_date=start, end_date=end, **extra)

    def permission(start, end):
        return WorkPermission(
            basis="permission_outside_status", scope="hours", start_date=start, end_date=end
        )

    day = TODAY
    # A status without work of its own: the permission's end is the last working day.
    refugee = period(DA, day - timedelta(days=30), day + timedelta(days=100))
    allowed = permission(day - timedelta(days=10), day + timedelta(days=20))
    assert selectors.may_work_until([refugee], [allowed], day) == day + timedelta(days=20)
    # Two permissions back to back are one run; a gap ends it.
    following = permission(day + timedelta(days=21), day + timedelta(days=50))
    assert selectors.may_work_until([refugee], [allowed, following], day) == day + timedelta(days=50)
    later = permission(day + timedelta(days=60), day + timedelta(days=90))
    assert selectors.may_work_until([refugee], [allowed, later], day) == day + timedelta(days=20)
    # A status that grants work, continued by the next period: the end of the chain.
    resident = period("long_term_resident", day - timedelta(days=5), day + timedelta(days=30))
    next_one = period("long_term_resident", day + timedelta(days=31), day + timedelta(days=400))
    assert selectors.may_work_until([resident, next_one], [], day) == day + timedelta(days=400)
    # No end in sight, and no work at all.
    assert selectors.may_work_until([period("long_term_resident", day, None)], [], day) is None
    assert selectors.may_work_until([refugee], [], day) is None
    # legal_summary carries it: the header and the list read the same computation.
    summary = selectors.legal_summary([refugee], [allowed], day)
    assert summary.may_work and summary.may_work_until == day + timedelta(days=20)
