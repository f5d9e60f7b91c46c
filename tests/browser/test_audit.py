"""The audit in a real Chromium: a caseworker's reads appear in "who saw this file" for the supervisor,
and the history shows who changed what; both pages pass axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services
from tests.browser.test_applicants import blocking_violations, expect

pytestmark = pytest.mark.browser


def test_a_supervisor_sees_who_saw_the_file_and_the_history(
    page, sign_in, caseworker, supervisor, live_server
):
    applicant = services.applicant_register(
        by=caseworker, data={"family_name": "Perera", "given_name": "Suriya", "nationality": "LK"}
    )
    start = timezone.localdate() - timedelta(days=30)
    services.legal_period_record(
        by=caseworker,
        applicant=applicant,
        data={
            "status_kind": "da_refugee_applicant",
            "start_date": start,
            "end_date": start + timedelta(days=180),
        },
        card_number="AB12345678CD",
    )
    services.applicant_update(
        by=caseworker, applicant=applicant, data={"city": "Warabi"}, expected_version=applicant.version
    )

    # The caseworker opens the file and shows the full card number.
    sign_in(caseworker.username)
    page.goto(f"/applicants/{applicant.reference_code}/?tab=legal")
    page.get_by_role("link", name="Show the full card number").first.click()
    expect(page.get_by_text("AB12345678CD")).to_be_visible()
    page.context.clear_cookies()

    # The supervisor finds both reads under "Who saw this file", and the change in the history.
    sign_in(supervisor.username)
    page.goto(f"/applicants/{applicant.reference_code}/?tab=history")
    box = page.get_by_role("region", name="Who saw this file")
    expect(box).to_contain_text(str(caseworker))
    expect(box).to_contain_text("Full residence card number viewed")
    history = page.get_by_role("region", name="Change history")
    expect(history).to_contain_text("City")
    expect(history).to_contain_text("Warabi")
    assert blocking_violations(page) == []

    box.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Who saw the file of")
    by_person = page.get_by_role("region", name="By person")
    expect(by_person).to_contain_text(caseworker.username)
    expect(by_person).to_contain_text("Applicant page viewed")
    page.get_by_label("Period").select_option("7")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{live_server.url}/applicants/{applicant.reference_code}/access-log/?days=7")
    assert blocking_violations(page) == []
