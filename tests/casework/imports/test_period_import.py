"""The legal status periods importer (issue 18), called directly with rows as a spreadsheet gives them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import crypto
from casework.cells import Cell
from casework.models import LegalStatusPeriod
from casework.services import period_import as imp
from casework.services.importers import CREATE, UPDATE, ParsedRow
from tests.casework.applicant_factories import ApplicantFactory, LegalStatusPeriodFactory

STATUSES = {"statuses": {"定住者": "long_term_resident", "特定活動(難民申請)": "da_refugee_applicant"}}
NOT_FOUND = "No person you may change matches this row: check the reference, card number or name."


def parsed(context, number: int = 2, **values) -> ParsedRow:
    row = ParsedRow(number=number, values={key: Cell(value) for key, value in values.items()})
    imp.periods_parse(context=context, row=row)
    return row


@pytest.fixture
def mine(caseworker, team):
    return ApplicantFactory(
        team=team,
        caseworker=caseworker,
        family_name="Perera",
        given_name="Kamal",
        date_of_birth=date(1990, 5, 1),
    )


@pytest.fixture
def context(caseworker, mine):
    return imp.periods_prepare(by=caseworker, mapping=STATUSES)


PERIOD = {"status": "定住者", "period_start": "令和7年4月1日", "period_end": "令和10年3月31日"}


def test_a_person_is_found_by_reference_card_or_name_and_birth_date(context, caseworker, mine):
    LegalStatusPeriodFactory(
        applicant=mine,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
        card_number_hash=crypto.lookup_hash("AB12345678CD"),
    )
    context = imp.periods_prepare(by=caseworker, mapping=STATUSES)
    by_reference = parsed(context, 2, reference=mine.reference_code.lower(), **PERIOD)
    assert by_reference.errors == [] and by_reference.data["applicant"] == mine.pk
    context = imp.periods_prepare(by=caseworker, mapping=STATUSES)
    by_card = parsed(context, 2, card_number="ＡＢ１２３４５６７８ＣＤ", **PERIOD)
    assert by_card.data["applicant"] == mine.pk
    context = imp.periods_prepare(by=caseworker, mapping=STATUSES)
    by_name = parsed(context, 2, name="KAMAL PERERA", date_of_birth="平成2年5月1日", **PERIOD)
    assert by_name.data["applicant"] == mine.pk
    assert by_name.key == (mine.pk, "long_term_resident", date(2025, 4, 1))
    saved = imp.periods_save(by=caseworker, context=context, row=by_name, decision=CREATE)
    (period,) = saved.created
    assert (period.applicant, period.start_date, period.end_date) == (
        mine,
        date(2025, 4, 1),
        date(2028, 3, 31),
    )


def test_a_person_the_user_may_not_write_reads_as_not_found(context, other_team, teammate, team):
    outside = ApplicantFactory(team=other_team)
    teammates = ApplicantFactory(team=team, caseworker=teammate)  # shared caseload is read-only
    for reference in (outside.reference_code, teammates.reference_code, "A-2020-99999"):
        row = parsed(context, reference=reference, **PERIOD)
        assert row.errors == [("reference", NOT_FOUND)]
    row = parsed(
        context, name=outside.given_name + " " + outside.family_name, date_of_birth="1990/5/1", **PERIOD
    )
    assert row.errors == [("name", NOT_FOUND)]


def test_who_may_import(caseworker, supervisor, administrator, trainer, employer):
    assert all(imp.may_import_periods(user) for user in (caseworker, supervisor, administrator))
    assert not imp.may_import_periods(trainer) and not imp.may_import_periods(employer)
    with pytest.raises(PermissionDenied):
        imp.periods_prepare(by=employer, mapping={})


def test_overlapping_periods_within_the_file(context, mine):
    first = parsed(context, 2, reference=mine.reference_code, **PERIOD)
    assert first.errors == []
    later = parsed(
        context,
        3,
        reference=mine.reference_code,
        status="定住者",
        period_start="2028/3/1",
        period_end="2029/3/1",
    )
    assert later.errors == [("period_start", "This period overlaps the period of row 2 for the same person.")]
    after = parsed(
        context,
        4,
        reference=mine.reference_code,
        status="定住者",
        period_start="2028/4/1",
        period_end="2029/3/1",
    )
    assert after.errors == []


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"period_start": "令和0年4月1日"}, "period_start"),
        ({"period_end": "平成32年1月1日"}, "period_end"),
        ({"period_end": "2026/2/30"}, "period_end"),
        ({"period_end": "2025/3/31"}, "period_end"),
        ({"card_number": "A1234567890B"}, "card_number"),
        ({"status": "特定活動"}, "status"),
        ({"renewal_filed_on": "R8.13.1"}, "renewal_filed_on"),
    ],
)
def test_bad_cells_are_errors_of_their_column(context, mine, values, key):
    row = parsed(context, reference=mine.reference_code, **{**PERIOD, **values})
    assert [error_key for error_key, _message in row.errors] == [key]
    assert row.key is None


def test_card_expiry_is_the_end_when_no_end_column_is_mapped(context, mine):
    row = parsed(
        context,
        reference=mine.reference_code,
        status="特定活動（難民申請）",
        period_start="2026/1/5",
        card_expiry="2026/7/4",
    )
    assert row.errors == []
    assert row.data["period"]["end_date"] == row.data["period"]["card_expiry_date"] == date(2026, 7, 4)


def test_a_period_already_recorded_is_a_duplicate_found_in_bulk(caseworker, team):
    people = [ApplicantFactory(team=team, caseworker=caseworker) for _ in range(50)]
    for person in people:
        LegalStatusPeriodFactory(
            applicant=person, status_kind="long_term_resident", start_date=date(2025, 4, 1)
        )
    counts = []
    for size in (5, 50):
        context = imp.periods_prepare(by=caseworker, mapping=STATUSES)
        rows = [
            parsed(context, n + 2, reference=person.reference_code, **PERIOD)
            for n, person in enumerate(people[:size])
        ]
        with CaptureQueriesContext(connection) as queries:
            imp.periods_find_duplicates(context=context, rows=rows)
        counts.append(len(queries))
        assert all(len(row.candidates) == 1 for row in rows)
    assert counts == [1, 1]
    row = rows[0]
    saved = imp.periods_save(
        by=caseworker, context=context, row=row, decision=UPDATE, candidate=row.candidates[0]
    )
    ((period, before),) = saved.updated
    assert period.end_date == date(2028, 3, 31) and before == {"end_date": date(2025, 9, 30)}
    assert LegalStatusPeriod.objects.filter(applicant=people[0]).count() == 1
