"""The applicant pages in a real Chromium: duplicate warning, periods added in place, the timeline."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from casework import services
from casework.roles import Role

# No django_db mark: the page fixture brings live_server (transactional) and serialized rollback.
pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}


def expect(locator_or_page):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator_or_page)


def blocking_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:5]]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def ymd(day: date) -> str:
    return day.strftime("%Y-%m-%d")


@pytest.fixture
def colleague_elsewhere(make_user, other_team):
    return make_user(Role.CASEWORKER, username="case-osaka", team=other_team)


@pytest.fixture
def own_applicant(caseworker):
    return services.applicant_register(
        by=caseworker, data={"family_name": "Perera", "given_name": "Suriya", "nationality": "LK"}
    )


def test_register_with_a_duplicate_warning(page, sign_in, caseworker, colleague_elsewhere, live_server):
    existing = services.applicant_register(
        by=colleague_elsewhere,
        data={
            "family_name": "Nguyen",
            "given_name": "Van A",
            "date_of_birth": date(1990, 5, 1),
            "nationality": "VN",
        },
    )
    sign_in(caseworker.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_role("button", name="Register a person").click()

    page.get_by_label("Family name", exact=True).fill("Nguyen")
    page.get_by_label("Given name", exact=True).fill("Van A")
    page.get_by_label("Katakana reading").fill("グエン・ヴァン・ア")
    page.get_by_label("Date of birth", exact=True).fill("1990-05-01")
    page.get_by_label("Nationality").select_option("VN")
    page.get_by_label("Languages").fill("Vietnamese: native\nEnglish: basic")
    page.get_by_role("button", name="Check for duplicates and register").click()

    matches = page.get_by_role("region", name="Possible matches")
    expect(matches).to_be_visible()
    expect(matches).to_contain_text(existing.reference_code)
    expect(matches).to_contain_text("NGUYEN Van A")
    expect(matches).to_contain_text("1990")
    expect(matches).to_contain_text(str(colleague_elsewhere))
    # Outside the caseload: no way to open it, only to ask.
    expect(matches.get_by_role("button", name=f"Open {existing.reference_code}")).to_have_count(0)
    expect(matches.get_by_role("button", name="Ask their caseworker")).to_be_visible()
    expect(page.get_by_label("Given name", exact=True)).to_have_value("Van A")
    assert blocking_violations(page) == []

    matches.get_by_role("button", name="This is a new person — register").click()

    expect(page).to_have_url(re.compile(r"/applicants/A-\d{4}-\d{5}/$"))
    assert existing.reference_code not in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("NGUYEN Van A")
    expect(page.get_by_role("status").first).to_contain_text("is registered as")


def test_add_two_periods_in_place_and_see_the_overlap_error(page, sign_in, caseworker, own_applicant):
    today = timezone.localdate()
    first_start, first_end = today - timedelta(days=60), today + timedelta(days=120)
    sign_in(caseworker.username)
    page.goto(f"/applicants/{own_applicant.reference_code}/?tab=legal")
    page.evaluate("window.tobiraMarker = 'no reload'")
    section = page.locator("#periods")

    def add_period(kind: str, start: date, end: date) -> None:
        section.get_by_text("Add a status period").click()
        form = page.locator("#add-period-form")
        form.get_by_label("Status", exact=True).select_option(kind)
        form.get_by_label("Start", exact=True).fill(ymd(start))
        form.get_by_label("End (last day)").fill(ymd(end))
        form.get_by_role("button", name="Add period").click()

    add_period("da_refugee_applicant", first_start, first_end)
    expect(section.get_by_role("status")).to_have_text("The status period is added.")
    expect(page.locator("svg.timeline .period-bar")).to_have_count(1)
    expect(page.locator("#legal-summary")).to_contain_text("Designated Activities (refugee applicant)")

    add_period("long_term_resident", today, today + timedelta(days=365))
    error = page.locator("#add-period-form .errorlist")
    expect(error).to_contain_text(f"overlaps the period from {ymd(first_start)} to {ymd(first_end)}")
    expect(page.locator("#add-period-form").get_by_label("Start", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator("svg.timeline .period-bar")).to_have_count(1)
    # Both answers came in place: the page never reloaded.
    assert page.evaluate("window.tobiraMarker") == "no reload"
    assert page.url.endswith(f"/applicants/{own_applicant.reference_code}/?tab=legal")

    # The replacement, with the running period ended the day before.
    page.locator("#add-period-form").get_by_label("This replaces the current status").check()
    page.locator("#add-period-form").get_by_role("button", name="Add period").click()
    expect(section.get_by_role("status")).to_have_text("The status period is added.")
    expect(page.locator("svg.timeline .period-bar")).to_have_count(2)
    expect(page.locator("#legal-summary")).to_contain_text("Long-Term Resident")
    expect(page.locator("#legal-summary .work-badge")).to_have_text("may work")
    assert page.evaluate("window.tobiraMarker") == "no reload"
    assert blocking_violations(page) == []


def test_timeline_has_one_bar_per_period(page, sign_in, caseworker, own_applicant):
    today = timezone.localdate()
    spans = [
        (today - timedelta(days=700), today - timedelta(days=400)),
        (today - timedelta(days=380), today - timedelta(days=200)),  # a 19-day gap before it
        (today - timedelta(days=199), today + timedelta(days=150)),
    ]
    periods = [
        services.legal_period_record(
            by=caseworker,
            applicant=own_applicant,
            data={"status_kind": "da_refugee_applicant", "start_date": start, "end_date": end},
        )
        for start, end in spans
    ]
    sign_in(caseworker.username)
    page.goto(f"/applicants/{own_applicant.reference_code}/?tab=legal")

    svg = page.locator("svg.timeline")
    expect(svg).to_have_attribute("role", "img")
    expect(svg.locator(".period-bar")).to_have_count(len(periods))
    for period in periods:
        expect(svg.locator(f'.period-bar[data-period-id="{period.pk}"]')).to_have_count(1)
    expect(svg.locator(".gap")).to_have_count(1)
    expect(svg.locator("line.today")).to_have_count(1)
    expect(page.locator("table.periods-table tbody tr")).to_have_count(len(periods))
    # Each bar is drawn, with a width, in date order.
    boxes = [svg.locator(f'.period-bar[data-period-id="{p.pk}"]').bounding_box() for p in periods]
    assert all(box and box["width"] > 0 for box in boxes)
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]


def test_applicant_list_has_no_serious_accessibility_violation(
    page, sign_in, supervisor, caseworker, own_applicant
):
    sign_in(supervisor.username)
    page.goto("/applicants/")
    expect(page.get_by_role("link", name=own_applicant.reference_code)).to_be_visible()
    assert blocking_violations(page) == []


def _with_records(caseworker, applicant) -> None:
    """Enough on every tab to make it wide and long: periods, consents, notes, tasks, history."""
    today = timezone.localdate()
    services.legal_period_record(
        by=caseworker,
        applicant=applicant,
        data={
            "status_kind": "da_refugee_applicant",
            "start_date": today - timedelta(days=200),
            "end_date": today + timedelta(days=40),
        },
        card_number="AB12345678CD",
    )
    from casework.models import ConsentPurpose

    for purpose in (ConsentPurpose.RESEARCH, ConsentPurpose.SENSITIVE_INFORMATION):
        services.consent_record(
            by=caseworker,
            applicant=applicant,
            data={"purpose": purpose, "granted_on": today, "scope": [], "note": "Signed at the office"},
        )
    for index in range(3):
        services.note_add(by=caseworker, applicant=applicant, text=f"Note {index}", confidential=False)


def test_the_header_card_and_the_tabs_are_on_the_first_screen_and_tabs_swap_in_place(
    page, sign_in, caseworker, own_applicant
):
    _with_records(caseworker, own_applicant)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(caseworker.username)
    page.goto(f"/applicants/{own_applicant.reference_code}/")
    header = page.locator("#applicant-header")
    tabs = page.locator(".applicant-tab-nav")
    expect(header).to_contain_text(own_applicant.reference_code)
    for box in (header.bounding_box(), tabs.bounding_box()):
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 768, box
    page.evaluate("window.tobiraMarker = 'no reload'")

    page.locator(".applicant-tab-nav").get_by_role("link", name="Legal status").click()
    expect(page.locator("#periods")).to_be_visible()
    expect(page.locator("#applicant-tab-panel")).to_have_attribute("data-tab", "legal")
    expect(page.locator('.applicant-tab-nav [aria-current="page"]')).to_have_text("Legal status")
    assert page.url.endswith(f"/applicants/{own_applicant.reference_code}/?tab=legal")
    assert page.evaluate("window.tobiraMarker") == "no reload"  # swapped, not reloaded
    expect(page.locator("#profile")).to_have_count(0)

    page.locator(".applicant-tab-nav").get_by_role("link", name="Notes & tasks").click()
    expect(page.locator("#notes")).to_contain_text("Note 2")
    assert page.url.endswith("?tab=notes")
    assert blocking_violations(page) == []
    # The browser's back button brings the previous tab back.
    page.go_back()
    expect(page.locator("#periods")).to_be_visible()


@pytest.mark.parametrize("tab", ["overview", "legal", "notes", "history"])
def test_no_tab_is_wider_than_a_phone(page, sign_in, caseworker, own_applicant, tab):
    _with_records(caseworker, own_applicant)
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(caseworker.username)
    page.goto(f"/applicants/{own_applicant.reference_code}/?tab={tab}")
    expect(page.locator("#applicant-tab-panel")).to_have_attribute("data-tab", tab)
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    if tab == "overview":
        # The consent revoke form stays inside its scrolling table, at 375 px as at 1366 px.
        expect(page.locator(".revoke-form").first).to_be_attached()
        page.set_viewport_size({"width": 1366, "height": 768})
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], width
    if tab == "legal":
        assert blocking_violations(page) == []
