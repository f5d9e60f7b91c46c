"""Each demo role signs in and finds its home's panels filled with the demo's data (make run seeds the same:
seed_demo, seed_demo_learning, seed_demo_jobs, and the worker's start-up sweep and delivery), in a real
Chromium, at 1366 px and 375 px without the page growing wider than the window."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from casework.deadlines import delivery, sweep
from casework.management.commands.seed_demo import DEMO_PASSWORD
from tests.browser.test_applicants import expect

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = pytest.mark.browser

# role → {panel: text the demo puts in it}
HOMES = {
    "caseworker": {
        "caseload": "Active",
        "deadlines": "deadlines in the next 14 days",
        "overdue_tasks": "Book the JLPT N4 registration",
        "reminders": "PERSON",  # the column header: rows are there (the sweep's reminders)
        "follow_ups": "All follow-ups",
        "people_classes": "Japanese A1 evening course (Edogawa)",
        "activity": "·",
        "my_team": "Tokyo East",
    },
    "supervisor": {
        "caseload": "Job-ready",
        "deadlines": "deadlines in the next 14 days",
        "overdue_tasks": "Translate the school certificate",
        "reminders": "PERSON",
        "team_load": "Daniel Okafor",
        "failed_emails": "mailbox unavailable (demo)",
        "follow_ups": "Record",
        "people_classes": "Japanese A1 evening course (Edogawa)",
        "activity": "·",
    },
    "trainer": {
        "teaching": "Japanese A1 evening course (Edogawa)",
        "absences": "ASLAN Serhat",
        "courses_ending": "Interview Japanese (short course)",
        "my_team": "You are not in a team yet",
    },
    "admin": {
        "system_health": "Message broker",
        "two_factor": "sign in without a second factor",
        "organisation": "People in the case files",
        "failed_emails": "mailbox unavailable (demo)",
    },
}
NOT_SHOWN = {
    "caseworker": ("system_health", "two_factor", "team_load", "failed_emails", "teaching"),
    "supervisor": ("system_health", "two_factor", "teaching", "absences"),
    "trainer": ("caseload", "deadlines", "overdue_tasks", "reminders", "activity", "failed_emails"),
    "admin": ("caseload", "deadlines", "teaching", "team_load"),
}


@pytest.fixture
def demo(live_server):
    for command in ("seed_demo", "seed_demo_learning", "seed_demo_jobs"):
        call_command(command, stdout=StringIO())
    # What the worker does when it starts beside `make run`: the sweep, then in-app delivery.
    sweep.sweep()
    delivery.deliver_reminders()


@pytest.mark.parametrize("role", list(HOMES))
def test_each_demo_role_sees_its_home_panels(page, sign_in, demo, role):
    sign_in(role, DEMO_PASSWORD)
    page.goto("/")
    for key, text in HOMES[role].items():
        panel = page.locator(f"#panel-{key}")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text(text, ignore_case=True)
    for key in NOT_SHOWN[role]:
        assert page.locator(f"#panel-{key}").count() == 0, key
    if role in ("caseworker", "supervisor"):
        expect(page.locator("#panel-deadlines svg.deadline-chart")).to_be_visible()
        # Every listed deadline links to its person's page.
        first = page.locator("#panel-deadlines table a").first
        href = first.get_attribute("href")
        assert href and href.startswith("/applicants/A-")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(page.locator(f"#panel-{next(iter(HOMES[role]))}")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
