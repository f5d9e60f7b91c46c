"""A large export in a real Chromium: the list's Export menu, the export page's progress bar (htmx
polling), then the download link, and the file opened with openpyxl."""

from __future__ import annotations

from unittest import mock

import pytest
from openpyxl import load_workbook

from reports.models import Export
from reports.tasks import run_export
from tests.casework.applicant_factories import bulk_applicants

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = [pytest.mark.browser]


def expect(locator_or_page):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator_or_page)


def test_a_large_export_shows_its_progress_then_the_link(page, sign_in, caseworker, team, settings, tmp_path):
    settings.EXPORT_SYNC_MAX_ROWS = 3  # so a few people make a "large" export
    bulk_applicants(6, team=team, caseworker=caseworker)
    sign_in(caseworker.username)
    page.goto("/applicants/?case_stage=intake")
    # The task is held back (the test runs it below), so the page shows it waiting first.
    with mock.patch("reports.services.exports.enqueue_on_commit"):
        page.locator(".export-menu > button").click()
        page.get_by_role("link", name="Excel").click()
        progress = page.get_by_role("progressbar", name="Export progress")
        expect(progress).to_be_visible()
    export = Export.objects.get()
    assert export.filters == {"case_stage": ["intake"]}
    expect(page.locator("#export-progress")).to_contain_text("Waiting for its turn")

    run_export(export.pk)

    link = page.get_by_role("link", name="Download")
    expect(link).to_be_visible(timeout=10_000)  # the next poll swaps the bar for the link
    expect(progress).to_have_count(0)
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert len(rows) == 7
