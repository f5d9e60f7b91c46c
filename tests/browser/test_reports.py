"""A supervisor filters a report in a real Chromium, sees the chart, its figures and its table, and
downloads the report as Excel: the workbook holds the table on screen."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.test_applicants import blocking_violations, expect, ymd
from tests.casework.applicant_factories import ApplicantFactory
from tests.reports.data import stage_change, today

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = pytest.mark.browser


def test_a_supervisor_filters_a_report_and_sees_the_chart(
    page, sign_in, supervisor, caseworker, team, administrator
):
    for days_ago in (10, 40, 200):
        person = ApplicantFactory(team=team, caseworker=caseworker)
        stage_change(person, "intake", days_ago=days_ago, actor=administrator, created=True)
    sign_in(supervisor.username)
    page.goto("/")
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Intake to placement").click()
    chart = page.get_by_role("img", name="Intake to placement")
    expect(chart).to_be_visible()
    expect(page.locator('[data-figure="intake"] .figure-value')).to_have_text("3")

    page.get_by_label("From").fill(ymd(today() - timedelta(days=60)))
    page.get_by_label("Team").select_option(label=team.name)
    page.get_by_role("button", name="Show").click()
    expect(page.locator('[data-figure="intake"] .figure-value')).to_have_text("2")
    expect(chart).to_be_visible()
    expect(page.locator('rect.report-bar[data-key="intake"]')).to_have_attribute("data-value", "2")
    expect(page.get_by_role("row", name="Intake 2")).to_be_visible()
    assert blocking_violations(page) == []

    # The Excel download of what is on screen: the same rows as the page's table.
    screen = [
        [cell.strip() for cell in row.locator("th, td").all_text_contents()]
        for row in page.locator("table.report-table tbody tr").all()
    ]
    page.get_by_role("button", name="Export").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    sheet = load_workbook(BytesIO(Path(download.value.path()).read_bytes()), read_only=True).worksheets[0]
    rows = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        cell.strip() for cell in page.locator("table.report-table thead th").all_text_contents()
    ]
    assert [[value(cell.replace("—", "")) for cell in row] for row in screen] == [
        [value(cell) for cell in row] for row in rows[1:]
    ]

    # A bad period: the message names the field and the chart is gone.
    page.locator("#id_end").fill(ymd(today() - timedelta(days=90)))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The period's end is before its start.")).to_be_visible()
    expect(page.locator("svg.report-chart")).to_have_count(0)


def value(text: str) -> float | str:
    """A cell as a number when it is one (Excel keeps 100.0 as 100), else its text."""
    try:
        return float(text)
    except ValueError:
        return text
