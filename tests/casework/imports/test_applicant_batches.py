"""The applicants importer's fast paths (issue 18): the dry run through the services' own checks (nothing
saved) and the import through the bulk services — the same rules as one by one, and each row's own errors
when the bulk path refuses a chunk."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from casework.models import Applicant, Assignment, ChangeRecord, Import, LegalStatusPeriod
from casework.services import imports as services
from casework.services.applicants import applicants_register_many
from casework.services.period_batches import legal_periods_record_new
from tests.casework.applicant_factories import ApplicantFactory

pytestmark = pytest.mark.django_db

HEADER = "Family name,Given name,Date of birth,Intake date,Status,Period start,Period end,Card number\n"


def on_commit():
    return TestCase.captureOnCommitCallbacks(execute=True)


def dry_run(by, team, text: str) -> Import:
    imp = services.import_upload(
        by=by, kind="applicants", upload=SimpleUploadedFile("people.csv", text.encode()), target=str(team.pk)
    )
    services.import_map(
        by=by, imp=imp, columns=imp.mapping["columns"], statuses={"LTR": "long_term_resident"}
    )
    with on_commit():
        services.import_check_start(by=by, imp=imp)
    imp.refresh_from_db()
    return imp


def test_the_dry_run_says_what_the_services_refuse_and_saves_nothing(supervisor, team):
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    imp = dry_run(
        supervisor,
        team,
        HEADER
        + "ONE,Ana,1990-01-01,2026-01-05,LTR,2026-01-01,2027-01-01,AB12345678CD\n"
        + f"TWO,Ben,1990-01-01,{future},LTR,2026-01-01,2027-01-01,\n"
        + "THREE,Cy,1990-01-01,2026-01-05,LTR,2026-01-01,2045-01-01,\n",
    )
    rows = {row.number: row for row in imp.rows.all()}
    assert rows[2].verdict == "valid"
    assert rows[3].errors == [["Intake date", "The intake date cannot be in the future."]]
    assert rows[4].errors[0][0] == "Period end" and "more than" in rows[4].errors[0][1]
    assert not Applicant.objects.exists() and not ChangeRecord.objects.exists()


def test_a_chunk_is_created_in_bulk_with_codes_assignments_and_history(supervisor, team):
    imp = dry_run(
        supervisor,
        team,
        HEADER
        + "".join(
            f"P{n},Name,1990-01-{n + 1:02d},2026-01-05,LTR,2026-01-01,2027-01-01,AB{n:08d}CD\n"
            for n in range(5)
        ),
    )
    with on_commit():
        services.import_start(by=supervisor, imp=imp, mode=Import.Mode.ALL_OR_NOTHING)
    imp.refresh_from_db()
    assert imp.status == Import.Status.DONE and imp.created_count == 5
    people = Applicant.objects.order_by("reference_code")
    assert [person.reference_code for person in people] == [f"A-2026-{n:05d}" for n in range(1, 6)]
    assert Assignment.objects.filter(applicant__in=people, team=team).count() == 5
    periods = LegalStatusPeriod.objects.filter(applicant__in=people)
    assert periods.count() == 5 and all(period.from_import and period.card_number_hint for period in periods)
    assert ChangeRecord.objects.filter(source=imp.source, action="create").count() == 10
    row = imp.rows.get(number=2)
    assert [label for label, _pk in row.records] == ["casework.applicant", "casework.legalstatusperiod"]


@pytest.mark.parametrize(("mode", "created", "status"), [("valid", 1, "done"), ("all", 0, "failed")])
def test_when_the_bulk_path_refuses_each_row_gets_its_own_error(supervisor, team, mode, created, status):
    # Two people with one card number: the second is the first's duplicate in the file; created anyway,
    # the bulk path refuses the chunk and the rows are saved one by one.
    imp = dry_run(
        supervisor,
        team,
        HEADER
        + "ONE,Ana,1990-01-01,2026-01-05,LTR,2026-01-01,2027-01-01,AB12345678CD\n"
        + "TWO,Ben,1991-01-01,2026-01-05,LTR,2026-01-01,2027-01-01,AB12345678CD\n",
    )
    assert imp.rows.get(number=3).same_as_row == 2
    services.import_decide(by=supervisor, imp=imp, decisions={3: "create"})
    with on_commit():
        services.import_start(by=supervisor, imp=imp, mode=mode)
    imp.refresh_from_db()
    assert (imp.status, imp.created_count, Applicant.objects.count()) == (status, created, created)
    if mode == "valid":
        failed = imp.rows.get(number=3)
        assert failed.outcome == "failed" and failed.errors[0][0] == "Card number"


def test_the_bulk_services_keep_the_rules(supervisor, team):
    with pytest.raises(ValidationError) as error:
        applicants_register_many(
            by=supervisor, entries=[({"given_name": "A"}, team, None), ({"given_name": ""}, team, None)]
        )
    assert "given_name" in error.value.message_dict
    assert not Applicant.objects.exists()
    other = ApplicantFactory(team=team)
    LegalStatusPeriod.objects.create(
        applicant=other,
        status_kind="long_term_resident",
        start_date=date(2026, 1, 1),
        end_date=date(2027, 1, 1),
        card_number_hash=__import__("casework.crypto", fromlist=["x"]).lookup_hash("AB12345678CD"),
    )
    (person,) = applicants_register_many(by=supervisor, entries=[({"given_name": "B"}, team, None)])
    data = {"status_kind": "long_term_resident", "start_date": date(2026, 1, 1), "end_date": date(2027, 1, 1)}
    with pytest.raises(ValidationError) as error:
        legal_periods_record_new(by=supervisor, entries=[(person, data, "ab 1234 5678 cd")])
    assert other.reference_code in error.value.message_dict["card_number"][0]
    with pytest.raises(ValidationError) as error:
        legal_periods_record_new(by=supervisor, entries=[(person, data, "AB1234567CD")])
    assert "2 letters, 8 digits" in error.value.message_dict["card_number"][0]
