"""Exports of the applicant list: CSV with BOM and escaping, XLSX, filters, visible_to, the access log,
the background path over EXPORT_SYNC_MAX_ROWS, downloads (own, another user's, expired), twice at once,
the query count, the clean-up."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.models import AccessLogEntry, CaseStage
from reports.models import Export
from reports.services import exports as services
from reports.services import spreadsheets
from tests.casework.applicant_factories import ApplicantFactory, LegalStatusPeriodFactory, bulk_applicants

pytestmark = pytest.mark.django_db

URL = "/reports/exports/applicants/"


def content_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[list[str]]:
    data = content_of(response)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def people(caseworker, other_caseworker, team, other_team):
    mine = ApplicantFactory(
        team=team, caseworker=caseworker, family_name="=cmd|' /C calc'!A0", given_name="Eve"
    )
    LegalStatusPeriodFactory(applicant=mine)
    plain = ApplicantFactory(
        team=team,
        caseworker=caseworker,
        family_name="Tanaka",
        given_name="+Hanako",
        case_stage=CaseStage.JOB_READY,
    )
    theirs = ApplicantFactory(
        team=other_team, caseworker=other_caseworker, family_name="Other", given_name="Person"
    )
    return mine, plain, theirs


def test_csv_has_bom_header_escaped_cells_and_only_the_users_people(client_for, caseworker, people):
    mine, plain, theirs = people
    response = client_for(caseworker).get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:3] == ["Reference", "Name", "Name in katakana"]
    by_reference = {row[0]: row for row in rows[1:]}
    assert set(by_reference) == {mine.reference_code, plain.reference_code}, "visible_to: own caseload only"
    assert by_reference[mine.reference_code][1] == "'=CMD|' /C CALC'!A0 Eve"
    assert by_reference[plain.reference_code][1] == "TANAKA +Hanako"  # not at the start: left alone
    assert by_reference[mine.reference_code][4] != ""  # the current status, as on screen
    assert by_reference[mine.reference_code][5] == str(mine.periods.get().end_date)


def test_xlsx_opens_with_openpyxl_and_matches_the_csv(client_for, caseworker, people):
    client = client_for(caseworker)
    expected = csv_rows(client.get(URL, {"format": "csv"}))
    response = client.get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(content_of(response)), read_only=True)
    sheet = workbook.worksheets[0]
    got = [
        [
            "" if value is None else (value.date().isoformat() if hasattr(value, "date") else str(value))
            for value in row
        ]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert got == expected


def test_filters_are_the_lists(client_for, caseworker, people):
    _mine, plain, _theirs = people
    rows = csv_rows(client_for(caseworker).get(URL, {"format": "csv", "case_stage": CaseStage.JOB_READY}))
    assert [row[0] for row in rows[1:]] == [plain.reference_code]
    rows = csv_rows(client_for(caseworker).get(URL, {"format": "csv", "q": "tanaka", "page": "3"}))
    assert [row[0] for row in rows[1:]] == [plain.reference_code]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"format": "csv", "case_stage": "nonsense"}, "case_stage"),
        ({"format": "csv", "deadline_within": "-4"}, "deadline_within"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_input_is_a_message_naming_the_field(client_for, caseworker, people, params, field):
    response = client_for(caseworker).get(URL, params)
    assert response.status_code == 400
    assert field in response.content.decode()
    assert not AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.EXPORT).exists()


def test_unknown_table_is_404_and_roles_are_the_lists(client_for, caseworker, trainer, employer):
    assert client_for(caseworker).get("/reports/exports/nothing/", {"format": "csv"}).status_code == 404
    assert client_for(trainer).get(URL, {"format": "csv"}).status_code == 403
    assert client_for(employer).get(URL, {"format": "csv"}).status_code == 403


def test_every_export_writes_the_access_log(client_for, caseworker, people):
    client = client_for(caseworker)
    content_of(client.get(URL, {"format": "csv", "case_stage": CaseStage.JOB_READY, "page": "2"}))
    content_of(client.get(URL, {"format": "xlsx"}))
    entries = list(AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.EXPORT).order_by("pk"))
    assert [entry.detail["rows"] for entry in entries] == [1, 2]
    assert entries[0].actor == caseworker
    assert entries[0].detail["table"] == "applicants"
    assert entries[0].detail["filters"] == {"case_stage": [CaseStage.JOB_READY]}
    assert entries[1].detail["format"] == "xlsx"


def test_query_count_does_not_grow_with_rows(client_for, caseworker, team):
    client = client_for(caseworker)
    client.get("/")  # the session and the user loaded once

    def export_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = csv_rows(client.get(URL, {"format": "csv"}))
        return len(rows) - 1, len(captured)

    bulk_applicants(5, team=team, caseworker=caseworker)
    rows_few, queries_few = export_queries()
    applicants = bulk_applicants(40, team=team, caseworker=caseworker)
    for applicant in applicants[:20]:
        LegalStatusPeriodFactory(applicant=applicant)
    rows_many, queries_many = export_queries()
    assert (rows_few, rows_many) == (5, 45)
    # the count, the rows, the chunk's periods and permissions, the access log (+ session and roles)
    assert queries_few == queries_many, (queries_few, queries_many)


# --- The background path ----------------------------------------------------------------------------


@pytest.fixture
def low_threshold(settings):
    settings.EXPORT_SYNC_MAX_ROWS = 3


@pytest.fixture
def many(team, caseworker):
    return bulk_applicants(7, team=team, caseworker=caseworker)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_large_export_runs_as_a_task_and_is_downloaded(
    client_for, caseworker, many, low_threshold, django_capture_on_commit_callbacks, fmt
):
    client = client_for(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(URL, {"format": fmt, "q": "bulk"})
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_detail", args=[export.pk])
    assert export.status == Export.Status.DONE
    assert (export.rows_done, export.rows_total, export.row_count) == (7, 7, 7)
    assert export.filters == {"q": ["bulk"]}
    assert export.expires_at == export.created + timedelta(hours=24)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("reports:export_download", args=[export.pk]) in page.content.decode()
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert download.status_code == 200
    data = content_of(download)
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.count(b"\r\n") == 8
    else:
        assert len(list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows())) == 8
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.EXPORT)
    assert entry.detail["rows"] == 7
    assert entry.detail["export"] == export.pk
    assert entry.actor == caseworker


def test_progress_is_shown_while_running(client_for, caseworker, many, low_threshold):
    client = client_for(caseworker)
    with mock.patch("reports.services.exports.enqueue_on_commit") as enqueue:
        response = client.get(URL, {"format": "csv"})
    export = Export.objects.get()
    enqueue.assert_called_once_with("reports.tasks.run_export", [(export.pk,)])
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, rows_done=3)
    progress = client.get(reverse("reports:export_progress", args=[export.pk]))
    html = progress.content.decode()
    assert 'value="42"' in html  # 3 of 7
    assert "hx-trigger" in html
    assert response.status_code == 302


def test_progress_callback_every_n_rows(monkeypatch):
    monkeypatch.setattr(spreadsheets, "EXPORT_PROGRESS_EVERY", 2)
    seen: list[int] = []
    rows = spreadsheets.write_csv(io.BytesIO(), ["a"], [[i] for i in range(5)], progress=seen.append)
    assert (rows, seen) == (5, [2, 4])
    seen.clear()
    spreadsheets.write_xlsx(io.BytesIO(), ["a"], [[i] for i in range(5)], progress=seen.append)
    assert seen == [2, 4]


def test_requested_twice_at_once_is_one_task(client_for, caseworker, many, low_threshold):
    client = client_for(caseworker)
    with mock.patch("reports.services.exports.enqueue_on_commit") as enqueue:
        first = client.get(URL, {"format": "csv", "case_stage": "intake"})
        second = client.get(URL, {"format": "csv", "case_stage": "intake", "page": "2"}, follow=True)
    assert Export.objects.count() == 1
    assert enqueue.call_count == 1
    assert first["Location"] == second.redirect_chain[0][0]
    assert "already being written" in second.content.decode()
    # Another format is another export.
    with mock.patch("reports.services.exports.enqueue_on_commit"):
        client.get(URL, {"format": "xlsx", "case_stage": "intake"})
    assert Export.objects.count() == 2


@pytest.fixture
def done_export(caseworker, many, low_threshold, django_capture_on_commit_callbacks):
    plan = services.export_plan(by=caseworker, table_key="applicants", fmt="csv", params={})
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.export_queue(by=caseworker, plan=plan)
    queued.export.refresh_from_db()
    assert queued.export.status == Export.Status.DONE
    return queued.export


def test_download_by_another_user_is_404(client_for, done_export, teammate, supervisor, administrator):
    url = reverse("reports:export_download", args=[done_export.pk])
    for user in (teammate, supervisor, administrator):
        assert client_for(user).get(url).status_code == 404
        assert (
            client_for(user).get(reverse("reports:export_detail", args=[done_export.pk])).status_code == 404
        )


def test_download_after_24_hours_is_404(client_for, caseworker, done_export):
    url = reverse("reports:export_download", args=[done_export.pk])
    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=59)):
        assert client_for(caseworker).get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        assert client_for(caseworker).get(url).status_code == 404
        page = client_for(caseworker).get(reverse("reports:export_detail", args=[done_export.pk]))
        assert "expired" in page.content.decode()


def test_cleanup_deletes_expired_files(done_export):
    storage, name = done_export.file.storage, done_export.file.name
    assert storage.exists(name)
    assert services.exports_delete_expired() == 0
    from reports.tasks import delete_expired_exports

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert delete_expired_exports() == 1
    assert not storage.exists(name)
    done_export.refresh_from_db()
    assert done_export.file.name == ""


def test_the_task_is_safe_to_run_twice(done_export):
    from reports.tasks import run_export

    run_export(done_export.pk)
    assert AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.EXPORT).count() == 1


def test_list_page_carries_its_filters_into_the_menu(client_for, caseworker, people):
    html = client_for(caseworker).get("/applicants/", {"case_stage": "intake", "page": "1"}).content.decode()
    assert f"{URL}?format=csv&amp;case_stage=intake&amp;page=1" in html
    assert f"{URL}?format=xlsx&amp;case_stage=intake&amp;page=1" in html


def test_a_list_filter_named_format_follows_the_exports(client_for, trainer):
    from tests.learning.factories import CourseFactory

    CourseFactory(name="Online one", format="online", trainers=[trainer])
    CourseFactory(name="In person", format="in_person", trainers=[trainer])
    html = client_for(trainer).get("/learning/courses/", {"format": "online"}).content.decode()
    assert "/reports/exports/courses/?format=csv&amp;format=online" in html
    response = client_for(trainer).get("/reports/exports/courses/?format=csv&format=online")
    assert response.status_code == 200
    assert b"Online one" in b"".join(response.streaming_content)
