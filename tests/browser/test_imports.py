"""Issue 18's browser test, in a real Chromium: a caseworker imports the 200-row sample CSV in Shift_JIS
with 令和 dates (docs/import-samples/applicants-200-sjis.csv), fixes the mapping, sees 3 errors in the dry
run, imports the valid rows with the progress bar, and finds the people in search. The import pages fit
375 px and 1366 px without sideways scrolling, in English and Japanese."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest

from casework.models import Applicant, Import
from casework.services.import_runs import run_import

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = [pytest.mark.browser]

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "import-samples" / "applicants-200-sjis.csv"
WIDTHS = ({"width": 375, "height": 812}, {"width": 1366, "height": 768})


def expect(locator_or_page):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator_or_page)


def assert_fits(page, where: str) -> None:
    """No sideways scrolling of the page at 375 px and 1366 px, in English and in Japanese."""
    url = page.url
    for language in ("en", "ja"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": url}])
        for viewport in WIDTHS:
            page.set_viewport_size(viewport)
            page.goto(url)
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= client, f"{where} ({language}, {viewport['width']} px) is {scroll} px wide"
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)


def test_a_caseworker_imports_the_shift_jis_sample_with_its_three_errors(page, sign_in, caseworker):
    sign_in(caseworker.username)
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Imports", exact=True)).to_be_visible()
    assert_fits(page, "the import list")
    page.get_by_role("link", name="Applicants").click()
    expect(page.get_by_role("heading", name="Import: Applicants")).to_be_visible()
    assert_fits(page, "the new import page")
    # The caseworker's own team is the one place to import into: already chosen.
    expect(page.get_by_label("Team")).to_have_value(str(caseworker.team_id))
    page.get_by_label("File").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Upload and map the columns").click()

    # The mapping: proposed from the Japanese headers, except 在留カードNo, and a bare 特定活動 unmapped.
    expect(page.get_by_role("heading", name="2. The columns")).to_be_visible()
    assert_fits(page, "the mapping")
    expect(
        page.get_by_text("Shift_JIS", exact=False).or_(page.get_by_text("cp932", exact=False))
    ).not_to_have_count(0)
    expect(page.get_by_label("Full name", exact=True)).to_have_value("氏名")
    expect(page.get_by_label("Card expiry (在留期限)", exact=True)).to_have_value("在留期限")
    card = page.get_by_label("Residence card number", exact=True)
    expect(card).to_have_value("")
    card.select_option("在留カードNo")
    expect(page.get_by_label("特定活動(難民認定申請中)", exact=True)).to_have_value("da_refugee_applicant")
    expect(page.get_by_label("定住者", exact=True)).to_have_value("long_term_resident")
    bare = page.get_by_label("特定活動", exact=True)
    expect(bare).to_have_value("")
    bare.select_option("da_humanitarian")
    page.get_by_role("button", name="Save the mapping and run the dry run").click()

    # The dry run (the task runs eagerly in tests): 200 rows, 3 with errors naming the column.
    expect(page.get_by_role("heading", name="3. The dry run")).to_be_visible()
    figures = page.locator(".import-figures")
    expect(figures).to_contain_text("200 rows")
    expect(figures).to_contain_text("197 valid")
    expect(figures).to_contain_text("3 with errors")
    expect(figures).to_contain_text("0 possible duplicates")
    page.get_by_role("link", name="Errors", exact=True).click()
    rows = page.locator("table.import-rows tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#row-43")).to_contain_text("生年月日")
    expect(page.locator("#row-43")).to_contain_text("1991/2/30 is not a date in the calendar")
    expect(page.locator("#row-97")).to_contain_text("在留カードNo")
    expect(page.locator("#row-164")).to_contain_text("在留期限")
    expect(page.locator("#row-164")).to_contain_text("平成")
    assert_fits(page, "the dry run")
    assert Applicant.objects.count() == 0  # nothing saved by the dry run

    # Import only the valid rows; the task is held back so that the progress bar shows first.
    page.get_by_label("Only the valid rows").check()
    with mock.patch("casework.queue.enqueue_on_commit"):
        page.get_by_role("button", name="Import", exact=True).click()
        progress = page.get_by_role("progressbar", name="Import progress")
        expect(progress).to_be_visible()
    imp = Import.objects.get()
    assert (imp.status, imp.mode) == (Import.Status.QUEUED, Import.Mode.VALID_ONLY)
    expect(page.locator("#import-progress")).to_contain_text("Waiting for its turn")

    run_import(imp.pk)

    # The next poll finds it over and reloads the page: the report.
    expect(page.get_by_role("heading", name="Report")).to_be_visible(timeout=15_000)
    expect(progress).to_have_count(0)
    imp.refresh_from_db()
    assert imp.status == Import.Status.DONE, imp.error
    assert Applicant.objects.count() == 197
    expect(page.locator(".import-figures")).to_contain_text(f"{imp.created_count} created")
    assert_fits(page, "the report")

    # The people are found in search: the top bar's search, Enter for the full list.
    search = page.get_by_role("searchbox", name="Search people by any name, reference or card number")
    search.fill("Hossain Mitu")
    search.press("Enter")
    expect(page.locator("main").get_by_role("link", name=re.compile("Mitu"))).not_to_have_count(0)
    person = Applicant.objects.get(given_name="Mitu", family_name="Hossain")
    expect(
        page.get_by_role("link", name=person.reference_code).or_(page.get_by_text(person.reference_code))
    ).not_to_have_count(0)
    # Row 17's person, found by the card number of the hand-mapped column, has the status chosen for
    # the bare 特定活動.
    search = page.get_by_role("searchbox", name="Search people by any name, reference or card number")
    search.fill("DJ90271420QE")
    search.press("Enter")
    expect(page.locator("main").get_by_role("link", name=re.compile("Quoc Bao"))).not_to_have_count(0)
    bao = Applicant.objects.get(family_name="Vu", given_name="Quoc Bao")
    assert list(bao.periods.values_list("status_kind", flat=True)) == ["da_humanitarian"]
    # An error row's person was not imported.
    search = page.get_by_role("searchbox", name="Search people by any name, reference or card number")
    search.fill("Shrestha Sarita")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=Shrestha"))
    expect(page.locator("main").get_by_role("link", name=re.compile("Sarita"))).to_have_count(0)
    assert not Applicant.objects.filter(given_name="Sarita", family_name="Shrestha").exists()
