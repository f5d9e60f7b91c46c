"""No Content-Security-Policy violation: not after htmx swaps in place, not on the API's docs page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services

pytestmark = pytest.mark.browser

# Every violation the page reports, whether or not the console shows it.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


@pytest.fixture
def watched(page):
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.console_errors = console
    return page


def test_in_place_updates_cause_no_csp_violation(watched, sign_in, caseworker):
    page = watched
    person = services.applicant_register(
        by=caseworker, data={"family_name": "Perera", "given_name": "Suriya"}
    )
    today = timezone.localdate()
    services.legal_period_record(
        by=caseworker,
        applicant=person,
        data={"status_kind": "da_refugee_applicant", "start_date": today - timedelta(days=30),
              "end_date": today + timedelta(days=150)},
    )  # fmt: skip
    sign_in(caseworker.username)
    page.goto(f"/applicants/{person.reference_code}/?tab=notes")
    page.locator("#notes summary").click()
    note = page.locator("#notes textarea").first
    note.fill("Called about the renewal.")
    page.locator("#notes").get_by_role("button", name="Add note").click()
    page.get_by_text("Called about the renewal.").first.wait_for()
    page.wait_for_timeout(300)
    assert violations(page) == [], violations(page)
    assert not [text for text in page.console_errors if "Content Security Policy" in text], (
        page.console_errors
    )


def test_the_api_docs_cause_no_csp_violation(watched, sign_in, caseworker):
    page = watched
    sign_in(caseworker.username)
    page.goto("/api/v1/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    page.wait_for_timeout(500)
    assert violations(page) == [], violations(page)
    assert not [text for text in page.console_errors if "Content Security Policy" in text], (
        page.console_errors
    )
