"""The applicants importer (issue 18), called directly with rows as a spreadsheet gives them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import crypto
from casework.cells import Cell
from casework.models import AccessLogEntry, Applicant, LegalStatusPeriod
from casework.roles import Role
from casework.services import applicant_import as imp
from casework.services.importers import CREATE, UPDATE, ParsedRow, importer_for
from tests.casework.applicant_factories import ApplicantFactory, LegalStatusPeriodFactory

STATUSES = {
    "statuses": {"特定活動（難民認定申請中）": "da_refugee_applicant", "定住者": "long_term_resident"}
}


def make_row(number: int = 2, **values) -> ParsedRow:
    return ParsedRow(number=number, values={key: Cell(value) for key, value in values.items()})


def parsed(context, number: int = 2, **values) -> ParsedRow:
    row = make_row(number, **values)
    imp.applicants_parse(context=context, row=row)
    return row


def error_keys(row: ParsedRow) -> list[str]:
    return [key for key, _message in row.errors]


@pytest.fixture
def context(supervisor, team):
    return imp.applicants_prepare(by=supervisor, target=str(team.pk), mapping=STATUSES)


FULL = {
    "full_name": "グエン　ヴァン",
    "date_of_birth": "平成２年５月１日",
    "nationality": "ベトナム",
    "gender": "男性",
    "status": "特定活動（難民認定申請中）",
    "period_start": "令和7年10月1日",
    "card_expiry": "R8.4.1",
    "card_number": "ａｂ１２３４５６７８ｃｄ",
}


def test_registered_importers():
    assert importer_for("applicants") is imp.APPLICANTS
    assert importer_for("periods") is not None
    assert imp.APPLICANTS.label == "Applicants"


def test_a_japanese_row_is_parsed_and_saved_with_its_period(context, supervisor, team):
    row = parsed(context, **FULL)
    assert row.errors == []
    profile = row.data["profile"]
    assert (profile["family_name"], profile["given_name"]) == ("グエン", "ヴァン")
    assert profile["date_of_birth"] == date(1990, 5, 1)
    assert profile["nationality"] == "VN"
    assert profile["gender"] == "male"
    period = row.data["period"]
    # 在留期限 fills the end when no end column is mapped.
    assert period == {
        "status_kind": "da_refugee_applicant",
        "start_date": date(2025, 10, 1),
        "end_date": date(2026, 4, 1),
        "card_expiry_date": date(2026, 4, 1),
    }
    assert row.key == ("card", "AB12345678CD")
    saved = imp.applicants_save(by=supervisor, context=context, row=row, decision=CREATE)
    applicant, recorded = saved.created
    assert isinstance(applicant, Applicant) and applicant.team == team and applicant.caseworker is None
    assert isinstance(recorded, LegalStatusPeriod)
    assert recorded.card_number_hash == crypto.lookup_hash("AB12345678CD")


def test_names_are_split_sensibly():
    assert imp.split_full_name("NGUYEN, Van A") == ("NGUYEN", "Van A")
    assert imp.split_full_name("Perera Kamal Silva") == ("Perera", "Kamal Silva")
    assert imp.split_full_name("グエン・ヴァン") == ("グエン", "ヴァン")
    assert imp.split_full_name("Aung") == ("", "Aung")


def test_family_and_given_columns_win_over_the_full_name(context):
    row = parsed(context, family_name="Perera", given_name="Kamal", full_name="X Y")
    assert (row.data["profile"]["family_name"], row.data["profile"]["given_name"]) == ("Perera", "Kamal")
    assert row.data["period"] is None


def test_country_names_in_both_languages_and_codes():
    assert imp.country_of("スリランカ") == "LK"
    assert imp.country_of("Sri Lanka") == "LK"
    assert imp.country_of("lk") == "LK"
    assert imp.country_of("MMR") == "MM"
    assert imp.country_of("Atlantis") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("女", "female"), ("F", "female"), ("M", "male"), ("その他", "other"), ("agender", "agender")],
)
def test_gender(text, code):
    assert imp.gender_of(text) == code


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("date_of_birth", "2026/2/30"),
        ("period_start", "令和0年4月1日"),
        ("period_start", "平成32年1月1日"),
        ("card_expiry", "not a date"),
    ],
)
def test_dates_refused_by_cells_are_errors_of_their_column(context, key, text):
    row = parsed(context, **{**FULL, key: text})
    assert key in error_keys(row)
    assert row.key is None


def test_a_card_number_in_the_wrong_format(context):
    row = parsed(context, **{**FULL, "card_number": "AB1234567CD"})
    assert error_keys(row) == ["card_number"]


def test_an_end_before_the_start(context):
    row = parsed(context, **{**FULL, "period_end": "2025/9/30"})
    assert error_keys(row) == ["period_end"]
    row = parsed(context, **{**FULL, "card_expiry": "2025/9/30"})
    assert error_keys(row) == ["card_expiry"]


def test_an_incomplete_period_is_an_error(context):
    row = parsed(context, full_name="Aung", status="定住者")
    assert set(error_keys(row)) == {"period_start", "card_expiry"}
    row = parsed(context, full_name="Aung", status="定住者", period_start="2025/1/1", period_end="")
    assert error_keys(row) == ["period_end"]
    row = parsed(context, full_name="Aung", status="", period_start="", card_expiry="")
    assert row.errors == [] and row.data["period"] is None and row.notes


def test_a_bare_designated_activities_is_never_guessed_and_unmapped_is_an_error(context):
    assert imp.propose_status("特定活動") is None
    assert imp.propose_status("Designated Activities") is None
    assert imp.propose_status("定住者") == "long_term_resident"
    assert imp.propose_status("特定活動(難民申請)") == "da_refugee_applicant"
    assert imp.propose_status("特定活動（難民認定申請中）") == "da_refugee_applicant"
    assert imp.propose_status("Long-Term Resident") == "long_term_resident"
    assert imp.propose_status("仮放免") == "provisional_release"
    assert imp.propose_status("Something") is None
    row = parsed(context, **{**FULL, "status": "特定活動"})
    assert row.errors == [("status", "Map the status “特定活動” to a Tobira status first.")]


def test_a_repeated_row_has_the_same_key(context):
    first = parsed(context, 2, **FULL)
    again = parsed(context, 3, **{**FULL, "card_number": "AB-12345678-CD"})
    assert first.key == again.key
    plain = {"family_name": "Perera", "given_name": "Kamal", "date_of_birth": "1990/5/1"}
    swapped = {"family_name": "KAMAL", "given_name": "perera", "date_of_birth": "1990-05-01"}
    assert parsed(context, 4, **plain).key == parsed(context, 5, **swapped).key


def test_caseworkers_are_matched_in_the_team(context, make_user, team, supervisor):
    worker = make_user(Role.CASEWORKER, username="tanaka", first_name="Hanako", last_name="Tanaka", team=team)
    context = imp.applicants_prepare(by=supervisor, target=str(team.pk), mapping=STATUSES)
    assert parsed(context, full_name="Aung", caseworker="TANAKA").data["caseworker"] == worker.pk
    assert parsed(context, full_name="Aung", caseworker="Tanaka Hanako").data["caseworker"] == worker.pk
    row = parsed(context, full_name="Aung", caseworker="Suzuki")
    assert error_keys(row) == ["caseworker"] and "Suzuki" in row.errors[0][1]


def test_a_caseworker_imports_into_their_own_caseload(caseworker, teammate, team):
    context = imp.applicants_prepare(by=caseworker, target=None, mapping=STATUSES)
    assert context.team == team
    row = parsed(context, full_name="Aung", caseworker="case1")
    assert row.errors == []
    assert error_keys(parsed(context, full_name="Aung", caseworker="case-teammate")) == ["caseworker"]
    saved = imp.applicants_save(by=caseworker, context=context, row=row, decision=CREATE)
    assert saved.created[0].caseworker == caseworker


def test_who_may_import_where(supervisor, caseworker, administrator, trainer, employer, team, other_team):
    assert imp.may_import_applicants(supervisor) and imp.may_import_applicants(administrator)
    assert imp.may_import_applicants(caseworker)
    assert not imp.may_import_applicants(trainer) and not imp.may_import_applicants(employer)
    assert imp.applicant_targets(supervisor) == [(str(team.pk), team.name)]
    assert {value for value, _label in imp.applicant_targets(administrator)} >= {
        str(team.pk),
        str(other_team.pk),
    }
    assert imp.applicant_targets(caseworker) == [(str(team.pk), team.name)]
    with pytest.raises(ValidationError):
        imp.applicants_prepare(by=supervisor, target=str(other_team.pk), mapping={})
    with pytest.raises(ValidationError):
        imp.applicants_prepare(by=caseworker, target=str(other_team.pk), mapping={})
    with pytest.raises(PermissionDenied):
        imp.applicants_prepare(by=trainer, target=str(team.pk), mapping={})


def _rows(context, count: int) -> list[ParsedRow]:
    rows = []
    for number in range(count):
        rows.append(
            parsed(
                context,
                number + 2,
                family_name="Perera",
                given_name=f"Kamal{number}",
                date_of_birth="1990/5/1",
                nationality="LK",
                card_number=f"ZZ{number:08d}ZZ",
            )
        )
    return rows


def test_duplicates_are_found_in_bulk_with_a_fixed_number_of_queries(
    context, other_team, supervisor, make_user
):
    other_worker = make_user(
        Role.CASEWORKER, username="osaka1", first_name="Ken", last_name="Sato", team=other_team
    )
    by_name = ApplicantFactory(
        team=other_team,
        caseworker=other_worker,
        family_name="Perera",
        given_name="Kamal1",
        date_of_birth=date(1990, 2, 3),
    )
    by_card = ApplicantFactory(team=other_team, family_name="Other", given_name="Person")
    LegalStatusPeriodFactory(
        applicant=by_card, card_number_hash=crypto.lookup_hash("ZZ00000003ZZ"), card_number_hint="ZZZZ"
    )
    ApplicantFactory(
        team=other_team, family_name="Perera", given_name="Kamal2", date_of_birth=date(1991, 5, 1)
    )
    ApplicantFactory(team=other_team, family_name="Perera", given_name="Kamal4", nationality="MM")

    counts = []
    for size in (5, 50):
        rows = _rows(context, size)
        with CaptureQueriesContext(connection) as queries:
            imp.applicants_find_duplicates(context=context, rows=rows)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3
    assert [candidate.pk for candidate in rows[1].candidates] == [by_name.pk]
    assert rows[1].candidates[0].label == f"{by_name.reference_code} · PERERA Kamal1 · 1990 · Ken Sato"
    assert [candidate.pk for candidate in rows[3].candidates] == [by_card.pk]
    assert rows[2].candidates == [] and rows[4].candidates == []  # other birth year; other nationality
    logged = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.DUPLICATE_CHECK, actor=supervisor)
    assert sorted(logged.values_list("applicant_id", flat=True)) == sorted([by_name.pk, by_card.pk] * 2)


def test_update_changes_the_profile_and_records_a_new_period(context, supervisor, team):
    existing = ApplicantFactory(
        team=team, family_name="Perera", given_name="Kamal", phone="", city="Kawasaki"
    )
    row = parsed(
        context,
        family_name="Perera",
        given_name="Kamal",
        date_of_birth="1990年5月1日",
        phone="090-1234-5678",
        city="",
        status="定住者",
        period_start="2025/4/1",
        period_end="2028/3/31",
    )
    imp.applicants_find_duplicates(context=context, rows=[row])
    (candidate,) = row.candidates
    saved = imp.applicants_save(by=supervisor, context=context, row=row, decision=UPDATE, candidate=candidate)
    existing.refresh_from_db()
    assert existing.phone == "090-1234-5678" and existing.city == "Kawasaki"
    assert saved.updated == [(saved.updated[0][0], {"phone": ""})]
    assert [period.status_kind for period in saved.created] == ["long_term_resident"]
    again = imp.applicants_save(by=supervisor, context=context, row=row, decision=UPDATE, candidate=candidate)
    assert again.created == [] and again.updated == []  # the same period is not recorded twice


def test_update_of_a_person_outside_the_caseload_is_refused(context, supervisor, other_team):
    outside = ApplicantFactory(team=other_team, family_name="Perera", given_name="Kamal")
    row = parsed(context, family_name="Perera", given_name="Kamal")
    with pytest.raises(ValidationError):
        imp.applicants_save(
            by=supervisor, context=context, row=row, decision=UPDATE, candidate=imp.Candidate(outside.pk, "x")
        )


def test_a_card_number_recorded_for_another_person_is_an_error(context, supervisor, other_team):
    LegalStatusPeriodFactory(
        applicant=ApplicantFactory(team=other_team), card_number_hash=crypto.lookup_hash("AB12345678CD")
    )
    row = parsed(context, **FULL)
    with pytest.raises(ValidationError) as raised:
        imp.applicants_save(by=supervisor, context=context, row=row, decision=CREATE)
    assert "card_number" in raised.value.message_dict
    assert imp.APPLICANTS.field_map["start_date"] == "period_start"
