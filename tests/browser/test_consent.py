"""Consent and sensitive information in a real Chromium: record the consent in place, then write
sensitive information in the section that opens with it; every view is in the access log."""

from __future__ import annotations

import pytest

from casework import services
from casework.models import AccessLogEntry, Consent, SensitiveRecord
from tests.browser.test_applicants import blocking_violations, expect

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = pytest.mark.browser


@pytest.fixture
def own_applicant(caseworker):
    return services.applicant_register(
        by=caseworker, data={"family_name": "Perera", "given_name": "Suriya", "nationality": "LK"}
    )


def test_record_a_consent_then_add_sensitive_information(page, sign_in, caseworker, own_applicant):
    sign_in(caseworker.username)
    page.goto(f"/applicants/{own_applicant.reference_code}/")
    page.evaluate("window.tobiraMarker = 'no reload'")

    sensitive = page.locator("#sensitive")
    expect(sensitive).to_contain_text("record that consent first")
    expect(page.locator("#sensitive-health-form")).to_have_count(0)

    consent = page.locator("#consent")
    consent.get_by_text("Record a consent").click()
    form = page.locator("#add-consent-form")
    form.get_by_label("Purpose").select_option("sensitive_information")
    form.get_by_role("button", name="Record consent").click()

    expect(consent.get_by_role("status")).to_have_text("The consent is recorded.")
    row = consent.locator("tbody tr").first
    expect(row).to_contain_text("Sensitive information")
    expect(row).to_contain_text("current")
    # The sensitive section came along (out of band) with a form per category.
    expect(page.locator("#sensitive-health-form")).to_have_count(1)

    page.locator("#sensitive-health").get_by_text("Add: Health").click()
    health = page.locator("#sensitive-health-form")
    health.get_by_label("Health").fill("Mild asthma, controlled with an inhaler.")
    health.get_by_role("button", name="Save").click()

    expect(sensitive.get_by_role("status")).to_have_text("The sensitive information is saved.")
    expect(page.locator("#sensitive-health .sensitive-text")).to_have_text(
        "Mild asthma, controlled with an inhaler."
    )
    assert page.evaluate("window.tobiraMarker") == "no reload"
    assert blocking_violations(page) == []

    assert Consent.objects.get().recorded_by_id == caseworker.pk
    assert SensitiveRecord.objects.get().text == "Mild asthma, controlled with an inhaler."
    views = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SENSITIVE_VIEW, actor=caseworker)
    # One when the consent opened the section, one when the saved text came back.
    assert views.count() == 2
