"""Staff invite an employer user in a real Chromium; the invitee opens the link from the outbox row,
chooses a password, lands in the portal, signs in again later and sees only their employer's portal."""

from __future__ import annotations

import re

import pytest

from casework.models import OutgoingEmail
from tests.browser.test_applicants import blocking_violations, expect
from tests.jobs.factories import EmployerFactory

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = pytest.mark.browser

NEW_PASSWORD = "kirin-portal-2026!"


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_staff_invite_an_employer_user_who_accepts_and_sees_only_their_portal(page, sign_in, supervisor):
    acme = EmployerFactory(organisation=supervisor.organisation, name="Acme Foods", created_by=supervisor)
    EmployerFactory(organisation=supervisor.organisation, name="Other Works", created_by=supervisor)

    sign_in(supervisor.username)
    page.goto(f"/jobs/employers/{acme.pk}/")
    card = page.locator('section[aria-labelledby="employer-portal-users"]')
    expect(card).to_contain_text("Nobody from this employer uses the portal yet.")
    card.get_by_label("E-mail address").fill("hana@example.com")
    card.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    expect(page.locator(".messages, [role=status], .alert").first).to_contain_text("Invitation sent")
    expect(card).to_contain_text("hana@example.com")
    fits(page, 1366)
    assert blocking_violations(page) == []

    email = OutgoingEmail.objects.get(to_address="hana@example.com")
    link = re.search(r"https?://\S+(/partner/invitation/[^/\s]+/)", email.body)
    assert link is not None, email.body
    path = link.group(1)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(path)
    expect(page.get_by_role("heading", name="Join the partner portal")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Acme Foods")
    fits(page, 375)
    assert blocking_violations(page) == []
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password again").fill("short")
    page.get_by_role("button", name="Set the password and sign in").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("too short")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password and sign in").click()
    page.wait_for_load_state()
    assert page.url.endswith("/partner/")
    expect(page.get_by_role("link", name="Account and security").first).to_be_visible()
    expect(page.locator(".portal-employer")).to_contain_text("Acme Foods")
    # The first person invited administers the employer's portal users: the Team section is theirs.
    expect(page.get_by_role("link", name="Team")).to_be_visible()

    # The link works once.
    page.context.clear_cookies()
    page.goto(path)
    expect(page.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()

    # Later: sign in with the e-mail address and the chosen password.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("hana@example.com", NEW_PASSWORD)
    assert page.url.endswith("/partner/")
    expect(page.locator(".portal-employer")).to_contain_text("Acme Foods")
    assert "Other Works" not in page.content()
    response = page.goto("/jobs/employers/")
    assert response is not None and response.status == 403
