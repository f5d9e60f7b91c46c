"""The inbox and the deadlines page in a real Chromium: actions in place with htmx, and accessibility."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import DeadlineState, Notification
from tests.browser.test_applicants import blocking_violations, expect, ymd
from tests.casework.applicant_factories import ApplicantFactory, LegalStatusPeriodFactory
from tests.casework.reminder_factories import failed_email, make_reminder
from tests.conftest import user_menu_item

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = pytest.mark.browser


@pytest.fixture
def reminders(caseworker, team):
    today = timezone.localdate()
    person = ApplicantFactory(team=team, caseworker=caseworker, family_name="Min", given_name="Aung")
    LegalStatusPeriodFactory(
        applicant=person, start_date=today - timedelta(days=170), end_date=today + timedelta(days=12)
    )
    return [
        make_reminder(person, offset="-14", deadline=today + timedelta(days=12), notify=[caseworker]),
        make_reminder(
            person,
            kind="reporting_date",
            offset="-7",
            deadline=today + timedelta(days=5),
            notify=[caseworker],
        ),
    ]


def test_acknowledge_and_snooze_in_place(page, sign_in, caseworker, reminders):
    first, second = reminders
    sign_in(caseworker.username)
    page.goto("/reminders/")
    bell = page.locator("#notification-bell")
    expect(bell).to_have_attribute("aria-label", "Notifications, 2 unread")
    item = page.locator(f"#notification-{Notification.objects.get(reminder=first).pk}")
    item.get_by_role("button", name="Acknowledge").click()
    expect(item.get_by_text("Acknowledged:")).to_be_visible()
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    assert DeadlineState.objects.get(source_id=first.source_id).acknowledged_by_id == caseworker.pk

    other = page.locator(f"#notification-{Notification.objects.get(reminder=second).pk}")
    date_field = other.get_by_label("Snooze until")
    date_field.evaluate("field => field.removeAttribute('max')")  # past what the picker offers
    date_field.fill(ymd(second.deadline_date))
    other.get_by_role("button", name="Snooze").click()
    expect(other.locator(".errorlist")).to_contain_text("at the latest")
    expect(other.get_by_label("Snooze until")).to_have_attribute("aria-invalid", "true")
    assert page.url.endswith("/reminders/")  # in place, no page load


def test_inbox_and_deadlines_pages_have_no_serious_accessibility_violation(
    page, sign_in, caseworker, supervisor, reminders
):
    failed_email(caseworker)
    sign_in(caseworker.username)
    page.goto("/reminders/")
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    assert blocking_violations(page) == []
    page.goto("/deadlines/")
    expect(page.get_by_role("img", name="Deadlines per week")).to_be_visible()
    assert blocking_violations(page) == []
    user_menu_item(page, "Sign out").click()
    sign_in(supervisor.username)
    page.goto("/deadlines/")
    expect(page.get_by_role("heading", name="E-mails that failed")).to_be_visible()
    assert blocking_violations(page) == []
