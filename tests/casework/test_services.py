"""Casework services at service level: registration, updates, reassignment, legal records, bad input."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from casework import crypto, names, selectors, services
from casework.models import (
    Alias,
    Applicant,
    Assignment,
    BirthDatePrecision,
    LegalStatusPeriod,
    ProcedureEvent,
    ReferenceCounter,
)
from casework.roles import Role
from casework.services import legal as legal_services

TODAY = date(2026, 6, 15)
DA = "da_refugee_applicant"
REFERENCE = re.compile(r"^A-\d{4}-\d{5}$")


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    """A fixed day (Asia/Tokyo) so the services' "not in the future" checks are deterministic."""
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo")), tick=False)


@pytest.fixture
def colleague(make_user, team):
    return make_user(Role.CASEWORKER, username="colleague", team=team)


def register(by, aliases=None, **data):
    data.setdefault("given_name", "Test")
    return services.applicant_register(by=by, data=data, aliases=aliases)


def period(by, applicant, start, end, card_number=None, **data):
    return services.legal_period_record(
        by=by,
        applicant=applicant,
        data={"status_kind": data.pop("status_kind", DA), "start_date": start, "end_date": end, **data},
        card_number=card_number,
        **{key: data.pop(key) for key in ("confirm_card_conflict", "end_current") if key in data},
    )


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def code_of(excinfo, field: str) -> str | None:
    return excinfo.value.error_dict[field][0].code


# --- Registration ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reference_codes_increase_in_the_intake_year(caseworker):
    first, second, third = (register(caseworker, family_name=f"P{n}") for n in range(3))
    assert [a.reference_code for a in (first, second, third)] == [
        "A-2026-00001",
        "A-2026-00002",
        "A-2026-00003",
    ]
    earlier = register(caseworker, intake_date=date(2025, 12, 30))
    assert earlier.reference_code == "A-2025-00001"
    assert all(REFERENCE.match(a.reference_code) for a in (first, second, third, earlier))


@pytest.mark.django_db
def test_a_reserved_block_of_numbers_is_never_reused(caseworker):
    register(caseworker)
    with transaction.atomic():
        first = services.reference_numbers_reserve(
            organisation_id=caseworker.organisation_id, year=2026, count=10
        )
    assert first == 2
    assert register(caseworker).reference_code == "A-2026-00012"
    assert ReferenceCounter.objects.get(year=2026).last == 12
    assert services.reference_code_format(2026, 42) == "A-2026-00042"


@pytest.mark.django_db
def test_a_caseworker_registers_into_their_own_caseload(caseworker, other_team):
    applicant = services.applicant_register(
        by=caseworker, data={"given_name": "Sokha"}, team=other_team, caseworker=None
    )
    assert (applicant.team, applicant.caseworker) == (caseworker.team, caseworker)
    history = Assignment.objects.get(applicant=applicant)
    assert (history.team, history.caseworker, history.assigned_by) == (
        caseworker.team,
        caseworker,
        caseworker,
    )


@pytest.mark.django_db
def test_registration_computes_the_search_keys_like_the_bulk_loaders(caseworker):
    applicant = register(
        caseworker,
        aliases=["Sooriya Perera"],
        family_name="Perera",
        given_name="Suriya",
        name_katakana="スリヤ・ペレラ",
        name_native="සූරිය පෙරේරා",
    )
    assert (applicant.search_key, applicant.name_key) == names.applicant_keys(
        family_name="Perera",
        given_name="Suriya",
        name_native="සූරිය පෙරේරා",
        name_katakana="スリヤ・ペレラ",
        alias_names=["Sooriya Perera"],
        reference_code=applicant.reference_code,
    )
    assert " スリヤ " in applicant.search_key and " sooriya " in applicant.search_key
    assert list(applicant.aliases.values_list("name", flat=True)) == ["Sooriya Perera"]


@pytest.mark.django_db
def test_a_supervisor_registers_only_into_a_team_they_lead(supervisor, team, other_team):
    applicant = services.applicant_register(
        by=supervisor, data={"given_name": "Ana"}, team=team, caseworker=None
    )
    assert applicant.caseworker is None
    with pytest.raises(ValidationError) as excinfo:
        services.applicant_register(by=supervisor, data={"given_name": "Ana"}, team=other_team)
    assert "team" in errors_of(excinfo)


@pytest.mark.django_db
def test_trainers_and_employers_cannot_register(trainer, employer, team):
    for user in (trainer, employer):
        with pytest.raises(PermissionDenied):
            services.applicant_register(by=user, data={"given_name": "X"}, team=team)


# --- Bad profile input ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date_of_birth": TODAY + timedelta(days=1)}, "date_of_birth"),
        ({"date_of_birth": date(1900, 1, 1)}, "date_of_birth"),  # older than 120
        ({"nationality": "XX"}, "nationality"),
        ({"nationality": "Sri Lanka"}, "nationality"),
        ({"given_name": ""}, "given_name"),
        ({"given_name": "   "}, "given_name"),
        ({"intake_date": TODAY + timedelta(days=1)}, "intake_date"),
        ({"birth_date_precision": "decade", "date_of_birth": date(1990, 1, 1)}, "birth_date_precision"),
        ({"languages": [{"language": "Tamil", "level": "expert"}]}, "languages"),
    ],
)
def test_bad_profile_input_names_the_field(caseworker, data, field):
    with pytest.raises(ValidationError) as excinfo:
        services.applicant_register(by=caseworker, data={"given_name": "Test", **data})
    assert field in errors_of(excinfo)
    assert not Applicant.objects.exists()


@pytest.mark.django_db
def test_only_a_given_name_is_accepted(caseworker):
    applicant = register(caseworker, family_name="", given_name="Aung Kyaw Moe", nationality="mm")
    assert applicant.family_name == ""
    assert applicant.display_name == "Aung Kyaw Moe"
    assert applicant.nationality == "MM"


@pytest.mark.django_db
def test_only_a_birth_year_is_accepted_and_approximate(caseworker):
    applicant = register(
        caseworker, date_of_birth=date(1979, 8, 17), birth_date_precision=BirthDatePrecision.YEAR
    )
    applicant.refresh_from_db()
    assert applicant.date_of_birth == date(1979, 1, 1)
    assert applicant.birth_date_is_approximate
    assert applicant.birth_date_display == "1979 (≈)"
    month = register(
        caseworker, date_of_birth=date(1989, 8, 17), birth_date_precision=BirthDatePrecision.MONTH
    )
    assert month.date_of_birth == date(1989, 8, 1) and month.birth_date_display == "1989-08 (≈)"


# --- Update: no lost updates ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_update_from_a_stale_version_is_refused(caseworker):
    applicant = register(caseworker, family_name="Perera")
    first_tab = Applicant.objects.get(pk=applicant.pk)
    second_tab = Applicant.objects.get(pk=applicant.pk)
    services.applicant_update(
        by=caseworker, applicant=first_tab, data={"city": "Kawaguchi"}, expected_version=first_tab.version
    )
    with pytest.raises(ValidationError) as excinfo:
        services.applicant_update(
            by=caseworker, applicant=second_tab, data={"city": "Warabi"}, expected_version=second_tab.version
        )
    assert excinfo.value.code == "stale"
    applicant.refresh_from_db()
    assert (applicant.city, applicant.version) == ("Kawaguchi", 2)


@pytest.mark.django_db
def test_an_update_refreshes_aliases_and_search_key(caseworker):
    applicant = register(caseworker, family_name="Rizwan", given_name="Mohamed", aliases=["Mohammed Rizwan"])
    services.applicant_update(
        by=caseworker,
        applicant=applicant,
        data={"name_katakana": "モハメド・リズワン"},
        expected_version=1,
        aliases=["Muhammad Rizwan"],
    )
    applicant.refresh_from_db()
    assert list(applicant.aliases.values_list("name", flat=True)) == ["Muhammad Rizwan"]
    assert " muhammad " in applicant.search_key and " mohammed " not in applicant.search_key
    assert " モハメド " in applicant.search_key


@pytest.mark.django_db
def test_a_caseworker_cannot_update_a_colleagues_case(caseworker, colleague):
    applicant = register(colleague)
    assert Applicant.objects.visible_to(caseworker).filter(pk=applicant.pk).exists()  # shared: read only
    with pytest.raises(PermissionDenied):
        services.applicant_update(by=caseworker, applicant=applicant, data={"city": "X"}, expected_version=1)


# --- Reassignment ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_supervisor_reassigns_one_case_in_their_team(supervisor, caseworker, colleague):
    applicant = register(caseworker)
    moved = services.applicants_reassign(
        by=supervisor, applicants=[applicant], team=caseworker.team, caseworker=colleague, reason="Holiday"
    )
    assert moved == 1
    applicant.refresh_from_db()
    assert applicant.caseworker == colleague and applicant.version == 2
    latest = Assignment.objects.filter(applicant=applicant).order_by("-pk").first()
    assert (latest.caseworker, latest.assigned_by, latest.reason) == (colleague, supervisor, "Holiday")


@pytest.mark.django_db
def test_a_supervisor_reassigns_many_cases_at_once(supervisor, caseworker, colleague):
    cases = [register(caseworker, family_name=f"P{n}") for n in range(4)]
    assert (
        services.applicants_reassign(
            by=supervisor, applicants=cases, team=caseworker.team, caseworker=colleague
        )
        == 4
    )
    assert set(Applicant.objects.values_list("caseworker", flat=True)) == {colleague.pk}
    assert Assignment.objects.filter(caseworker=colleague).count() == 4


@pytest.mark.django_db
def test_the_new_caseworker_must_be_in_the_team(supervisor, caseworker, other_caseworker):
    applicant = register(caseworker)
    with pytest.raises(ValidationError) as excinfo:
        services.applicants_reassign(
            by=supervisor, applicants=[applicant], team=caseworker.team, caseworker=other_caseworker
        )
    assert "caseworker" in errors_of(excinfo)


@pytest.mark.django_db
def test_only_the_teams_supervisor_reassigns(
    supervisor, other_supervisor, caseworker, colleague, other_caseworker, other_team
):
    applicant = register(caseworker)
    with pytest.raises(PermissionDenied):  # not their team's case
        services.applicants_reassign(
            by=other_supervisor, applicants=[applicant], team=other_team, caseworker=other_caseworker
        )
    with pytest.raises(ValidationError) as excinfo:  # into a team they do not lead
        services.applicants_reassign(
            by=supervisor, applicants=[applicant], team=other_team, caseworker=other_caseworker
        )
    assert "team" in errors_of(excinfo)
    with pytest.raises(PermissionDenied):  # caseworkers do not reassign
        services.applicants_reassign(
            by=caseworker, applicants=[applicant], team=caseworker.team, caseworker=colleague
        )
    with pytest.raises(ValidationError):
        services.applicants_reassign(by=supervisor, applicants=[], team=caseworker.team, caseworker=colleague)


@pytest.mark.django_db
def test_an_administrator_moves_a_case_between_teams(administrator, caseworker, other_team, other_caseworker):
    applicant = register(caseworker)
    services.applicants_reassign(
        by=administrator, applicants=[applicant], team=other_team, caseworker=other_caseworker
    )
    applicant.refresh_from_db()
    assert (applicant.team, applicant.caseworker) == (other_team, other_caseworker)


# --- Legal status periods -------------------------------------------------------------------------------


@pytest.fixture
def person(caseworker):
    return register(caseworker, family_name="Perera", given_name="Suriya", date_of_birth=date(1988, 3, 14))


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused(caseworker, person):
    with pytest.raises(ValidationError) as excinfo:
        period(caseworker, person, date(2026, 6, 1), date(2026, 5, 31))
    assert "end_date" in errors_of(excinfo)


@pytest.mark.django_db
def test_an_overlap_is_refused_naming_the_other_periods_dates(caseworker, person):
    period(caseworker, person, date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(ValidationError) as excinfo:
        period(caseworker, person, date(2026, 6, 30), date(2026, 9, 29))
    assert code_of(excinfo, "start_date") == "overlap"
    message = errors_of(excinfo)["start_date"][0]
    assert "2026-01-01" in message and "2026-06-30" in message
    # Touching is fine: [1 Jan, 30 Jun] then [1 Jul, 30 Sep].
    period(caseworker, person, date(2026, 7, 1), date(2026, 9, 30))
    assert person.periods.count() == 2


@pytest.mark.django_db
def test_an_update_cannot_create_an_overlap_either(caseworker, person):
    first = period(caseworker, person, date(2026, 1, 1), date(2026, 3, 31))
    second = period(caseworker, person, date(2026, 4, 1), date(2026, 6, 30))
    services.legal_period_update(by=caseworker, period=second, data={"end_date": date(2026, 7, 31)})
    with pytest.raises(ValidationError) as excinfo:
        services.legal_period_update(by=caseworker, period=first, data={"end_date": date(2026, 4, 1)})
    assert code_of(excinfo, "start_date") == "overlap"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start",
    [date(1996, 6, 14), date(2028, 6, 16)],
    ids=["more than 30 years ago", "more than 2 years ahead"],
)
def test_implausible_starts_are_refused(caseworker, person, start):
    with pytest.raises(ValidationError) as excinfo:
        period(caseworker, person, start, start + timedelta(days=90))
    assert "start_date" in errors_of(excinfo)


@pytest.mark.django_db
def test_starts_just_inside_the_limits_are_accepted(caseworker, person):
    period(caseworker, person, date(1996, 6, 15), date(1996, 12, 14))
    period(caseworker, person, date(2028, 6, 15), date(2028, 9, 14))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "card", ["AB1234567CD", "A123456789CD", "AB12345678C", "1234567890AB", "AB12345678CDE"]
)
def test_a_card_number_in_the_wrong_format_is_refused(caseworker, person, card):
    with pytest.raises(ValidationError) as excinfo:
        period(caseworker, person, date(2026, 1, 1), date(2026, 6, 30), card_number=card)
    assert code_of(excinfo, "card_number") == "card_format"
    assert not LegalStatusPeriod.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "card",
    ["ａｂ１２３４５６７８ｃｄ", "ab 1234 5678 cd", "AB-1234-5678-CD", "ａｂ　１２３４－５６７８　ｃｄ"],
)
def test_a_card_number_is_normalised_encrypted_and_masked(caseworker, person, card):
    saved = period(caseworker, person, date(2026, 1, 1), date(2026, 6, 30), card_number=card)
    saved.refresh_from_db()
    assert saved.card_number == "AB12345678CD"
    assert saved.card_number_hash == crypto.lookup_hash("AB12345678CD")
    assert saved.card_number_masked == "AB******CD"
    assert "12345678" not in saved.card_number_encrypted


@pytest.mark.django_db
def test_the_same_card_on_two_people_is_a_conflict_until_confirmed(caseworker, person):
    period(caseworker, person, date(2026, 1, 1), date(2026, 6, 30), card_number="AB12345678CD")
    # The same person's next period may carry the same card (no conflict with oneself).
    period(caseworker, person, date(2026, 7, 1), date(2026, 12, 31), card_number="AB12345678CD")
    other = register(caseworker, family_name="Fernando", given_name="Nimal")
    with pytest.raises(ValidationError) as excinfo:
        period(caseworker, other, date(2026, 1, 1), date(2026, 6, 30), card_number="ab12345678cd")
    assert code_of(excinfo, "card_number") == "card_conflict"
    assert person.reference_code in errors_of(excinfo)["card_number"][0]
    accepted = period(
        caseworker,
        other,
        date(2026, 1, 1),
        date(2026, 6, 30),
        card_number="AB12345678CD",
        confirm_card_conflict=True,
    )
    assert accepted.card_number_hash == crypto.lookup_hash("AB12345678CD")


@pytest.mark.django_db
def test_end_current_closes_the_running_period_the_day_before(caseworker, person):
    running = period(
        caseworker, person, date(2026, 3, 1), date(2026, 8, 31), card_expiry_date=date(2026, 8, 31)
    )
    changed = period(
        caseworker,
        person,
        date(2026, 6, 10),
        date(2027, 6, 9),
        status_kind="long_term_resident",
        end_current=True,
    )
    running.refresh_from_db()
    assert running.end_date == date(2026, 6, 9)
    assert running.card_expiry_date == date(2026, 8, 31)  # the printed expiry is kept
    assert selectors.current_period(list(person.periods.all()), TODAY) == changed


@pytest.mark.django_db
def test_without_end_current_a_status_change_is_an_overlap(caseworker, person):
    period(caseworker, person, date(2026, 3, 1), date(2026, 8, 31))
    with pytest.raises(ValidationError):
        period(caseworker, person, date(2026, 6, 10), date(2027, 6, 9), status_kind="long_term_resident")


@pytest.mark.django_db
def test_end_current_with_nothing_running_changes_nothing(caseworker, person):
    earlier = period(caseworker, person, date(2025, 1, 1), date(2025, 12, 31))
    period(caseworker, person, date(2026, 6, 1), date(2026, 11, 30), end_current=True)
    earlier.refresh_from_db()
    assert earlier.end_date == date(2025, 12, 31)


@pytest.mark.django_db
def test_only_an_other_status_may_be_indefinite(caseworker, person):
    with pytest.raises(ValidationError) as excinfo:
        period(caseworker, person, date(2026, 1, 1), None, is_indefinite=True)
    assert "is_indefinite" in errors_of(excinfo)
    indefinite = period(
        caseworker,
        person,
        date(2026, 1, 1),
        None,
        status_kind="other",
        is_indefinite=True,
        status_other_label="Permanent Resident",
        other_grants_work=True,
    )
    assert indefinite.lawful_stay_until is None and indefinite.grants_work


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"renewal_filed_on": TODAY + timedelta(days=1)}, "renewal_filed_on"),
        ({"renewal_decision": "granted"}, "renewal_filed_on"),
        ({"renewal_filed_on": date(2026, 5, 1), "renewal_decision": "granted"}, "renewal_decided_on"),
        (
            {
                "renewal_filed_on": date(2026, 5, 1),
                "renewal_decision": "granted",
                "renewal_decided_on": date(2026, 4, 1),
            },
            "renewal_decided_on",
        ),
        ({"status_kind": "tourist"}, "status_kind"),
        ({"status_kind": "other"}, "status_other_label"),
    ],
)
def test_bad_renewal_and_kind_input_names_the_field(caseworker, person, data, field):
    with pytest.raises(ValidationError) as excinfo:
        period(caseworker, person, date(2026, 1, 1), date(2026, 6, 30), **data)
    assert field in errors_of(excinfo)


@pytest.mark.django_db
def test_a_pending_renewal_extends_lawful_stay(caseworker, person):
    saved = period(
        caseworker, person, date(2026, 3, 1), date(2026, 5, 31), renewal_filed_on=date(2026, 5, 20)
    )
    assert saved.lawful_stay_until == date(2026, 7, 31)
    # Past its end but within the special period, the period is still the current one.
    assert selectors.current_period([saved], TODAY) == saved


@pytest.mark.django_db
def test_legal_records_need_write_access(caseworker, colleague, person):
    with pytest.raises(PermissionDenied):
        period(colleague, person, date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(PermissionDenied):
        services.work_permission_record(
            by=colleague, applicant=person, data={"basis": "designation_sheet", "start_date": TODAY}
        )
    with pytest.raises(PermissionDenied):
        services.procedure_record(by=colleague, applicant=person, data={"ordinal": 1, "applied_on": TODAY})


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_the_database_refuses_overlapping_periods_on_postgresql(person):
    LegalStatusPeriod.objects.create(
        applicant=person, status_kind=DA, start_date=date(2026, 1, 1), end_date=date(2026, 6, 30)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalStatusPeriod.objects.bulk_create(
            [
                LegalStatusPeriod(
                    applicant=person, status_kind=DA, start_date=date(2026, 6, 30), end_date=date(2026, 9, 30)
                )
            ]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalStatusPeriod(
            applicant=person,
            status_kind="other",
            status_other_label="X",
            start_date=date(2025, 1, 1),
            end_date=None,
            is_indefinite=True,
        ).save()
    # Touching periods are not an overlap ('[]' bounds: 30 Jun and 1 Jul are different days).
    LegalStatusPeriod.objects.create(
        applicant=person, status_kind=DA, start_date=date(2026, 7, 1), end_date=date(2026, 9, 30)
    )


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_a_race_past_the_service_check_still_gets_the_overlap_message(caseworker, person):
    """Two saves at once: the second passes the check before the first commits; the constraint
    catches it and the service answers with the same message as the check."""
    period(caseworker, person, date(2026, 1, 1), date(2026, 6, 30))
    real = legal_services.overlapping_period
    calls = []

    def misses_the_first_time(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    with (
        mock.patch.object(legal_services, "overlapping_period", side_effect=misses_the_first_time),
        pytest.raises(ValidationError) as excinfo,
    ):
        period(caseworker, person, date(2026, 3, 1), date(2026, 9, 30))
    assert len(calls) == 2
    assert code_of(excinfo, "start_date") == "overlap"


# --- Work permission, reporting --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"basis": "rumour", "start_date": TODAY}, "basis"),
        ({"basis": "designation_sheet"}, "start_date"),
        (
            {"basis": "designation_sheet", "start_date": TODAY, "end_date": TODAY - timedelta(days=1)},
            "end_date",
        ),
        ({"basis": "outside_status", "start_date": TODAY, "scope": "hours"}, "hours_per_week"),
        (
            {"basis": "outside_status", "start_date": TODAY, "scope": "hours", "hours_per_week": 80},
            "hours_per_week",
        ),
    ],
)
def test_bad_work_permission_input(caseworker, person, data, field):
    with pytest.raises(ValidationError) as excinfo:
        services.work_permission_record(by=caseworker, applicant=person, data=data)
    assert field in errors_of(excinfo)


@pytest.mark.django_db
def test_bad_reporting_input_names_every_field(caseworker, person):
    with pytest.raises(ValidationError) as excinfo:
        services.reporting_obligation_record(
            by=caseworker,
            applicant=person,
            data={"kind": "weekly", "place": " ", "last_reported_on": TODAY + timedelta(days=1)},
        )
    assert set(errors_of(excinfo)) == {"kind", "next_report_date", "place", "last_reported_on"}


# --- Refugee procedures ---------------------------------------------------------------------------------


def event(by, procedure, kind, day, **data):
    return services.procedure_event_record(
        by=by, procedure=procedure, data={"kind": kind, "date": day, **data}
    )


@pytest.mark.django_db
def test_a_procedure_is_recorded_with_its_filed_event(caseworker, person):
    procedure = services.procedure_record(
        by=caseworker, applicant=person, data={"ordinal": 1, "applied_on": date(2026, 1, 10)}
    )
    assert list(procedure.events.values_list("kind", "date")) == [("filed", date(2026, 1, 10))]
    with pytest.raises(ValidationError) as excinfo:
        services.procedure_record(
            by=caseworker, applicant=person, data={"ordinal": 1, "applied_on": date(2026, 2, 1)}
        )
    assert "ordinal" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.procedure_record(
            by=caseworker, applicant=person, data={"ordinal": 2, "applied_on": TODAY + timedelta(days=1)}
        )
    assert "applied_on" in errors_of(excinfo)


@pytest.mark.django_db
def test_a_refusal_notice_before_the_application_is_refused(caseworker, person):
    procedure = services.procedure_record(
        by=caseworker, applicant=person, data={"ordinal": 1, "applied_on": date(2026, 1, 10)}
    )
    with pytest.raises(ValidationError) as excinfo:
        event(caseworker, procedure, "refusal_notice", date(2026, 1, 9))
    assert "date" in errors_of(excinfo)
    assert "2026-01-10" in errors_of(excinfo)["date"][0]


@pytest.mark.django_db
def test_an_appeal_after_the_deadline_is_accepted_and_flagged(caseworker, person):
    procedure = services.procedure_record(
        by=caseworker, applicant=person, data={"ordinal": 1, "applied_on": date(2025, 1, 10)}
    )
    event(caseworker, procedure, "decision", date(2026, 5, 25), outcome="refused")
    event(caseworker, procedure, "refusal_notice", date(2026, 5, 28))
    status = selectors.appeal_status(procedure, TODAY)
    assert (status.deadline, status.days_left, status.is_open) == (date(2026, 6, 4), -11, True)
    event(caseworker, procedure, "appeal_filed", date(2026, 6, 10))
    status = selectors.appeal_status(procedure, TODAY)
    assert status.appeal_filed_on == date(2026, 6, 10)
    assert status.filed_late and not status.is_open


@pytest.mark.django_db
def test_an_appeal_in_time_is_not_flagged(caseworker, person):
    procedure = services.procedure_record(
        by=caseworker, applicant=person, data={"ordinal": 1, "applied_on": date(2025, 1, 10)}
    )
    with pytest.raises(ValidationError) as excinfo:
        event(caseworker, procedure, "appeal_filed", date(2026, 6, 1))
    assert "kind" in errors_of(excinfo)  # no refusal notice yet
    event(caseworker, procedure, "refusal_notice", date(2026, 6, 13))
    assert selectors.appeal_status(procedure, TODAY).days_left == 5
    event(caseworker, procedure, "appeal_filed", date(2026, 6, 15))
    assert not selectors.appeal_status(procedure, TODAY).filed_late


@pytest.mark.django_db
def test_a_third_application_without_grounds_is_flagged(caseworker, person):
    second = services.procedure_record(
        by=caseworker, applicant=person, data={"ordinal": 2, "applied_on": date(2024, 1, 10)}
    )
    third = services.procedure_record(
        by=caseworker, applicant=person, data={"ordinal": 3, "applied_on": date(2026, 5, 1)}
    )
    fourth = services.procedure_record(
        by=caseworker,
        applicant=person,
        data={"ordinal": 4, "applied_on": date(2026, 6, 1), "grounds_submitted": True},
    )
    assert not second.is_missing_grounds
    assert third.is_missing_grounds
    assert not fourth.is_missing_grounds
    services.procedure_update(by=caseworker, procedure=third, data={"grounds_submitted": True})
    third.refresh_from_db()
    assert not third.is_missing_grounds


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "triage"}, "triage_category"),
        ({"kind": "triage", "triage_category": "E"}, "triage_category"),
        ({"kind": "decision"}, "outcome"),
        ({"kind": "appeal_decision", "outcome": "maybe"}, "outcome"),
        ({"kind": "gossip"}, "kind"),
        ({"kind": "decision", "outcome": "refused", "date": TODAY + timedelta(days=1)}, "date"),
    ],
)
def test_bad_event_input_names_the_field(caseworker, person, data, field):
    procedure = services.procedure_record(
        by=caseworker, applicant=person, data={"ordinal": 1, "applied_on": date(2026, 1, 10)}
    )
    with pytest.raises(ValidationError) as excinfo:
        services.procedure_event_record(
            by=caseworker, procedure=procedure, data={"date": date(2026, 3, 1), **data}
        )
    assert field in errors_of(excinfo)


@pytest.mark.django_db
def test_triage_d2_is_recorded_and_an_interview_may_be_ahead(caseworker, person):
    procedure = services.procedure_record(
        by=caseworker, applicant=person, data={"ordinal": 1, "applied_on": date(2026, 1, 10)}
    )
    triage = event(caseworker, procedure, "triage", date(2026, 3, 1), triage_category="D2")
    interview = event(caseworker, procedure, "interview", TODAY + timedelta(days=20))
    assert (triage.triage_category, interview.date) == ("D2", date(2026, 7, 5))


@pytest.mark.django_db
def test_a_decision_other_than_refusal_closes_the_procedure(caseworker, person):
    procedure = services.procedure_record(
        by=caseworker, applicant=person, data={"ordinal": 1, "applied_on": date(2025, 1, 10)}
    )
    event(caseworker, procedure, "decision", date(2026, 5, 1), outcome="refused")
    procedure.refresh_from_db()
    assert procedure.is_open
    event(caseworker, procedure, "refusal_notice", date(2026, 5, 3))
    event(caseworker, procedure, "appeal_filed", date(2026, 5, 6))
    event(caseworker, procedure, "appeal_decision", date(2026, 6, 1), outcome="humanitarian")
    procedure.refresh_from_db()
    assert not procedure.is_open
    assert ProcedureEvent.objects.filter(procedure=procedure).count() == 5


# --- Household ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_household_member_may_be_another_applicant(caseworker, person):
    spouse = register(caseworker, family_name="Perera", given_name="Dilani")
    member = services.household_member_add(
        by=caseworker,
        applicant=person,
        data={"name": "Dilani Perera", "relation": "spouse", "birth_year": 1990, "linked_applicant": spouse},
    )
    assert member.linked_applicant == spouse
    assert list(spouse.household_links.all()) == [member]
    with pytest.raises(ValidationError) as excinfo:
        services.household_member_add(
            by=caseworker, applicant=person, data={"name": "", "relation": "", "birth_year": 2030}
        )
    assert set(errors_of(excinfo)) == {"name", "relation", "birth_year"}


@pytest.mark.django_db
def test_aliases_are_stored_with_the_person(caseworker):
    applicant = register(caseworker, aliases=[" Naw Htu Paw ", "", "Naw Htoo Paw"], given_name="Naw Htoo Paw")
    assert sorted(Alias.objects.filter(applicant=applicant).values_list("name", flat=True)) == [
        "Naw Htoo Paw",
        "Naw Htu Paw",
    ]


@pytest.mark.django_db
def test_implausibly_long_periods_and_far_report_dates_are_refused(caseworker):
    from datetime import date

    from django.core.exceptions import ValidationError

    from casework import services

    person = services.applicant_register(by=caseworker, data={"given_name": "Aung"})
    with pytest.raises(ValidationError) as error:
        services.legal_period_record(
            by=caseworker,
            applicant=person,
            data={
                "status_kind": "long_term_resident",
                "start_date": date(2026, 1, 1),
                "end_date": date(9999, 12, 31),
            },
        )
    assert "end_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.work_permission_record(
            by=caseworker,
            applicant=person,
            data={
                "basis": "designation_sheet",
                "start_date": date(2026, 1, 1),
                "end_date": date(9999, 12, 31),
            },
        )
    assert "end_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.reporting_obligation_record(
            by=caseworker,
            applicant=person,
            data={"kind": "provisional_release", "next_report_date": date(9999, 1, 1), "place": "Shinagawa"},
        )
    assert "next_report_date" in error.value.message_dict
