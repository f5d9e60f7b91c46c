"""Every report exports as CSV and XLSX: the table on screen for the filters on screen, the report's
readers only, a bad filter a 400 naming it, and the export in the access log."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import AccessLogEntry
from reports.selectors.catalogue import REPORTS
from tests.casework.applicant_factories import ApplicantFactory
from tests.reports.data import stage_change, today

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def export(client, key: str, fmt: str, **filters):
    return client.get(reverse("reports:export_start", args=[f"report-{key}"]), {"format": fmt, **filters})


def csv_rows(response) -> list[list[str]]:
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_funnel_exports_the_table_on_screen(client_for, supervisor, caseworker, administrator, team):
    for days_ago in (3, 40):
        person = ApplicantFactory(team=team, caseworker=caseworker)
        stage_change(person, "intake", days_ago=days_ago, actor=administrator, created=True)
    client = client_for(supervisor)
    period = {"start": (today() - timedelta(days=10)).isoformat(), "team": team.pk}
    page = client.get(reverse("reports:report_detail", args=["funnel"]), period).content.decode()
    assert '<th scope="row">Intake</th><td>1</td>' in page  # the filter on screen: one person
    assert f"{reverse('reports:export_start', args=['report-funnel'])}?format=xlsx" in page

    rows = csv_rows(export(client, "funnel", "csv", **period))
    assert rows[0] == ["Step", "People", "Share of intake (%)"]
    assert rows[1][:2] == ["Intake", "1"]
    sheet = load_workbook(io.BytesIO(export(client, "funnel", "xlsx", **period).getvalue()), read_only=True)
    values = [list(row) for row in sheet.worksheets[0].iter_rows(values_only=True)]
    assert values[0] == rows[0] and values[1][:2] == ["Intake", 1]
    entry = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.EXPORT, actor=supervisor).latest("pk")
    assert entry.detail["table"] == "report-funnel" and entry.detail["filters"]["team"] == [str(team.pk)]


def test_a_bad_filter_is_a_400_naming_it(client_for, supervisor):
    response = export(client_for(supervisor), "funnel", "csv", start="2026-05-01", end="2026-04-01")
    assert response.status_code == 400
    assert "end" in response.content.decode()


@pytest.mark.parametrize("key", sorted(REPORTS))
def test_trainers_export_only_the_reports_they_read(client_for, trainer, key):
    response = export(client_for(trainer), key, "csv")
    assert response.status_code == (200 if REPORTS[key].for_trainers else 403)


def test_employer_users_export_no_report(client_for, employer):
    assert export(client_for(employer), "funnel", "csv").status_code == 403
