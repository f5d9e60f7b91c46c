"""The exports API: small (201 and a download URL), large (202, its status and progress, the file),
twice at once (409), bad input (400 naming the field), another user's or an expired export (404)."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from casework.models import AccessLogEntry
from reports.models import Export
from tests.casework.applicant_factories import ApplicantFactory, bulk_applicants

pytestmark = pytest.mark.django_db

URL = "/api/v1/exports/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_small_export_is_written_at_once(client_for, caseworker, team, other_team):
    mine = ApplicantFactory(team=team, caseworker=caseworker, family_name="@Sum")
    ApplicantFactory(team=other_team)
    client = client_for(caseworker)
    response = client.post(
        URL, {"table": "applicants", "format": "xlsx", "filters": {}}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "done" and data["row_count"] == 1
    assert data["download_url"] == f"{URL}{data['id']}/download/"
    file = client.get(data["download_url"])
    assert file.status_code == 200
    sheet = load_workbook(io.BytesIO(body(file)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == (mine.reference_code, f"'@SUM {mine.given_name}")
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.EXPORT)
    assert entry.detail["rows"] == 1 and entry.detail["through"] == "api"


def test_a_large_export_is_queued_and_followed(
    client_for, caseworker, team, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    bulk_applicants(5, team=team, caseworker=caseworker)
    client = client_for(caseworker)
    with mock.patch("reports.services.exports.enqueue_on_commit") as enqueue:
        response = client.post(
            URL,
            {"table": "applicants", "format": "csv", "filters": {"q": "bulk"}},
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    data = response.json()
    assert (data["status"], data["rows_total"], data["download_url"]) == ("queued", 5, None)
    enqueue.assert_called_once()
    # Twice at once: told, no second task.
    with mock.patch("reports.services.exports.enqueue_on_commit") as enqueue:
        again = client.post(
            URL,
            {"table": "applicants", "format": "csv", "filters": {"q": ["bulk"]}},
            content_type="application/json",
        )
    assert again.status_code == 409
    assert again.json()["export"]["id"] == data["id"]
    enqueue.assert_not_called()
    from reports.tasks import run_export

    run_export(data["id"])
    status = client.get(f"{URL}{data['id']}/").json()
    assert (status["status"], status["rows_done"], status["percent"], status["row_count"]) == (
        "done",
        5,
        100,
        5,
    )
    assert client.get(status["download_url"]).status_code == 200
    assert [row["id"] for row in client.get(URL).json()["results"]] == [data["id"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"table": "nothing", "format": "csv"}, "table"),
        ({"table": "applicants", "format": "pdf"}, "format"),
        ({"table": "applicants", "format": "csv", "filters": {"case_stage": "nonsense"}}, "case_stage"),
        ({"format": "csv"}, "table"),
    ],
)
def test_bad_input_names_the_field(client_for, caseworker, payload, field):
    response = client_for(caseworker).post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_table_beyond_the_role_is_403(client_for, trainer, employer):
    payload = {"table": "applicants", "format": "csv"}
    assert client_for(trainer).post(URL, payload, content_type="application/json").status_code == 403
    assert client_for(employer).post(URL, payload, content_type="application/json").status_code == 403


def test_another_users_or_an_expired_export_is_404(client_for, caseworker, teammate, administrator, team):
    ApplicantFactory(team=team, caseworker=caseworker)
    client = client_for(caseworker)
    data = client.post(URL, {"table": "applicants", "format": "csv"}, content_type="application/json").json()
    for other in (teammate, administrator):
        assert client_for(other).get(f"{URL}{data['id']}/").status_code == 404
        assert client_for(other).get(data["download_url"]).status_code == 404
    # 24 hours later (the session would have ended by then: the export is made older instead)
    Export.objects.filter(pk=data["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(data["download_url"]).status_code == 404
    assert client.get(f"{URL}{data['id']}/").json()["download_url"] is None
    assert Export.objects.count() == 1
