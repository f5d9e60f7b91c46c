"""Issue 17's partner impact page in a real Chromium: the employer user finds it in the portal's sections,
sees its placements, retention beside the programme's (chart and table) and the hidden time to fill; it
fits 375 px in English and Japanese with no blocking axe violation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.roles import Role
from jobs.models import EmployerMembership, MembershipRole
from tests.browser.test_applicants import blocking_violations, expect
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, make_placements, today

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = pytest.mark.browser


@pytest.fixture
def impact_world(caseworker, team, make_user):
    company = EmployerFactory(
        organisation=caseworker.organisation, created_by=caseworker, name="Sakura Foods"
    )
    other = EmployerFactory(organisation=caseworker.organisation, created_by=caseworker, name="Fuji Parts")
    user = make_user(Role.EMPLOYER, username="sakura-hr", organisation=caseworker.organisation)
    EmployerMembership.objects.create(user=user, employer=company, role=MembershipRole.ADMIN)
    start = today() - timedelta(days=400)
    # Sakura: 5 retained at 3 months, 1 left in its first month: 5 of 6 (83%).
    opening = JobOpeningFactory(employer=company, created_by=caseworker)
    make_placements(opening, [start] * 5, by=caseworker, team=team, recorded={3: "retained"})
    make_placements(opening, [start], by=caseworker, team=team, ended_on=start + timedelta(days=20))
    # Fuji 3 and Kaede 2 who left early: only in the programme's figure (5 of 11: 45%); two other
    # employers with 5 placements behind their part, so it is shown.
    third = EmployerFactory(organisation=caseworker.organisation, created_by=caseworker, name="Kaede Metals")
    for employer, people in ((other, 3), (third, 2)):
        theirs = JobOpeningFactory(employer=employer, created_by=caseworker)
        make_placements(
            theirs, [start] * people, by=caseworker, team=team, ended_on=start + timedelta(days=10)
        )
    return user


def check_fits(page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert blocking_violations(page) == []


def test_the_employer_sees_its_impact(page, sign_in, impact_world, browser, live_server):
    sign_in("sakura-hr")
    page.goto("/partner/")
    page.get_by_role("navigation", name="Partner portal").get_by_role("link", name="Impact").click()
    expect(page).to_have_url(f"{live_server.url}/partner/impact/")
    expect(page.get_by_role("heading", name="Impact", level=1)).to_be_visible()
    expect(page.get_by_text("6 people have started work with you")).to_be_visible()
    expect(page.get_by_role("img", name="Placements by month of start")).to_be_visible()
    expect(page.get_by_role("img", name="Retention: still working at the mark")).to_be_visible()
    three = page.locator('[data-table="retention"] tr[data-months="3"]')
    expect(three.locator('[data-who="employer"] [data-rate]')).to_have_text("83%")
    expect(three.locator('[data-who="programme"] [data-rate]')).to_have_text("45%")
    expect(page.locator('[data-hidden-figure="time-to-fill"]')).to_have_text(
        "Not shown: fewer than 5 placements."
    )
    assert "Fuji" not in page.content() and "Kaede" not in page.content()
    check_fits(page)

    japanese = browser.new_context(
        base_url=live_server.url, locale="ja-JP", viewport={"width": 375, "height": 800}
    )
    try:
        ja = japanese.new_page()
        ja.goto("/accounts/login/")
        ja.locator("#id_username").fill("sakura-hr")
        ja.locator("#id_password").fill("correct-horse-battery")
        ja.locator("form button.btn-primary[type=submit]").click()
        ja.wait_for_load_state()
        ja.goto("/partner/impact/")
        assert ja.locator("html").get_attribute("lang") == "ja"
        check_fits(ja)
    finally:
        japanese.close()
