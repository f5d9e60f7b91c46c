"""The "Right to work checked" section in a real Chromium: a check recorded in place (no reload), a bad
date refused next to its field, at 375 px and 1366 px, in English and Japanese, axe clean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services
from tests.browser.test_applicants import blocking_violations, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def own_applicant(caseworker):
    return services.applicant_register(
        by=caseworker, data={"family_name": "Haile", "given_name": "Meron", "nationality": "ER"}
    )


def fits(page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width


@pytest.mark.parametrize("width", [375, 1366])
def test_a_caseworker_records_a_check_in_place(page, sign_in, caseworker, own_applicant, width):
    today = timezone.localdate()
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(caseworker.username)
    page.goto(f"/applicants/{own_applicant.reference_code}/?tab=legal")
    page.evaluate("window.tobiraMarker = 'no reload'")
    section = page.locator("#right-to-work")
    expect(section).to_contain_text("No right-to-work check recorded.")
    fits(page)

    section.get_by_text("Record a right-to-work check").click()
    section.get_by_label("Checked on").fill((today + timedelta(days=1)).isoformat())
    section.get_by_label("I saw the residence card (both sides)").check()
    section.get_by_role("button", name="Record the check").click()
    expect(section.locator(".errorlist")).to_contain_text("The check cannot be in the future.")
    expect(section.get_by_label("Checked on")).to_have_attribute("aria-invalid", "true")
    assert blocking_violations(page) == []

    section.get_by_label("Checked on").fill(today.isoformat())
    section.get_by_label("I saw the designation paper (指定書)").check()
    section.get_by_label("Note").fill("Both seen at the Adachi office")
    section.get_by_role("button", name="Record the check").click()
    expect(section.get_by_role("status")).to_have_text("The right-to-work check is recorded.")
    expect(section.locator("tbody tr")).to_have_count(1)
    expect(section.locator("tbody")).to_contain_text("Residence card and designation paper")
    expect(section.locator("tbody")).to_contain_text("Both seen at the Adachi office")
    assert page.evaluate("window.tobiraMarker") == "no reload"
    fits(page)
    assert blocking_violations(page) == []


def test_the_section_in_japanese_on_a_phone(page, sign_in, caseworker, own_applicant):
    services.right_to_work_check_record(
        by=caseworker,
        applicant=own_applicant,
        data={"checked_on": timezone.localdate(), "saw_designation_paper": True, "note": "指定書のみ確認"},
    )
    caseworker.language = "ja"
    caseworker.save(update_fields=["language"])
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(caseworker.username)
    page.goto(f"/applicants/{own_applicant.reference_code}/?tab=legal")
    section = page.locator("#right-to-work")
    expect(section.get_by_role("heading", name="就労資格の確認")).to_be_visible()
    expect(section.locator("tbody")).to_contain_text("指定書のみ")
    section.get_by_text("就労資格の確認を記録する").click()
    fits(page)
    assert blocking_violations(page) == []
