"""The session-expiry warning in a real Chromium (issue 19): it appears before the end, "Stay signed in"
keeps the session, and at the end the page goes to the sign-in page saying why."""

from __future__ import annotations

import re

import pytest

from casework.models import UserSession

pytestmark = pytest.mark.browser


def expect(locator_or_page):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator_or_page)


def test_the_warning_appears_and_stay_signed_in_keeps_the_session(page, sign_in, caseworker, settings):
    settings.SESSION_IDLE_TIMEOUT = 125  # the two-minute warning after 5 seconds
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(caseworker.username)
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_hidden()

    expect(dialog).to_be_visible(timeout=15_000)
    expect(dialog).to_contain_text("You will be signed out in 2 minutes.")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    before = UserSession.objects.get(user=caseworker).last_activity

    stay.click()

    expect(dialog).to_be_hidden()
    assert UserSession.objects.get(user=caseworker).last_activity > before
    expect(page).to_have_url(re.compile(r"/$"))  # still on the home page, still signed in
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_at_the_end_the_page_goes_to_the_sign_in_page_saying_why(page, sign_in, caseworker, settings):
    settings.SESSION_IDLE_TIMEOUT = 6
    settings.SESSION_EXPIRY_WARNING = 3
    sign_in(caseworker.username)

    expect(page).to_have_url(re.compile(r"/accounts/login/\?signed_out=idle"), timeout=20_000)
    expect(page.get_by_role("status")).to_contain_text("You were signed out after 1 minute without activity.")
    assert not UserSession.objects.filter(user=caseworker).exists()
