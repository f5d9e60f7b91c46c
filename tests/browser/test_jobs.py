"""A caseworker works an opening in a real Chromium: sees an ineligible person with the reason, proposes an
eligible one, is refused "shared" without consent (the card says so and links to recording it), records
the consent, shares, records an interview and a hire; axe clean at 1366 and 375 px."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casework.models import CaseStage
from jobs.models import Referral, Stage
from tests.browser.test_applicants import blocking_violations, expect
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, may_work

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = pytest.mark.browser


@pytest.fixture
def job(caseworker, team):
    company = EmployerFactory(
        organisation=caseworker.organisation, created_by=caseworker, name="Sakura Foods"
    )
    opening = JobOpeningFactory(employer=company, created_by=caseworker, title="Bento line worker")
    eligible = ApplicantFactory(
        team=team,
        caseworker=caseworker,
        case_stage=CaseStage.JOB_READY,
        family_name="Perera",
        given_name="Suriya",
    )
    may_work(eligible)
    blocked = ApplicantFactory(
        team=team, caseworker=caseworker, case_stage=CaseStage.JOB_READY, family_name="Tun", given_name="Aye"
    )
    return {"opening": opening, "eligible": eligible, "blocked": blocked}


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_caseworker_proposes_shares_interviews_and_reports_a_hire(page, sign_in, caseworker, job):
    opening, eligible, blocked = job["opening"], job["eligible"], job["blocked"]
    sign_in(caseworker.username)
    page.goto(f"/jobs/openings/{opening.pk}/")
    expect(page.get_by_role("heading", name="Bento line worker", level=1)).to_be_visible()
    blocked_row = page.locator(f'tr.match-row[data-reference="{blocked.reference_code}"]')
    expect(blocked_row).to_contain_text("May not work on the start date")
    expect(blocked_row.get_by_role("button")).to_have_count(0)
    fits(page, 1366)
    assert blocking_violations(page) == []

    page.locator(f'tr.match-row[data-reference="{eligible.reference_code}"]').get_by_role(
        "button", name="Propose"
    ).click()
    card = page.locator("#board .board-card", has_text=eligible.reference_code)
    expect(card).to_be_visible()
    referral = Referral.objects.get(applicant=eligible, opening=opening)

    # Shared without a consent: refused on the card in place (htmx), with the way to record it.
    card.get_by_label(f"Move {eligible.reference_code} to").select_option(Stage.SHARED)
    card.get_by_role("button", name="Move").click()
    card = page.locator(f"#card-{referral.pk}")
    expect(card).to_contain_text("no current consent")
    referral.refresh_from_db()
    assert referral.stage == Stage.PROPOSED

    card.get_by_role("link", name="Record the consent on the person's page").click()
    page.get_by_label("Purpose").select_option("share_with_employer")
    page.get_by_label("Employer (for sharing with an employer)").select_option(label="Sakura Foods")
    page.locator('input[name="consent-scope"]').first.check()
    page.get_by_role("button", name="Add").click()
    page.wait_for_load_state()

    page.goto(f"/jobs/openings/{opening.pk}/#board")
    card = page.locator(f"#card-{referral.pk}")
    card.get_by_label(f"Move {eligible.reference_code} to").select_option(Stage.SHARED)
    card.get_by_role("button", name="Move").click()
    expect(page.locator('section[aria-labelledby="col-shared"]')).to_contain_text(eligible.reference_code)
    referral.refresh_from_db()
    assert referral.stage == Stage.SHARED

    page.goto(f"/jobs/referrals/{referral.pk}/")
    page.get_by_role("button", name="Record an interview").click()
    page.get_by_label("When").fill("2030-01-10T10:00")
    page.get_by_label("Where").fill("Head office, Adachi")
    page.get_by_role("button", name="Save").click()
    expect(page.locator('section[aria-labelledby="interviews"]')).to_contain_text("Head office")
    page.get_by_label("The employer saw the residence card and designation paper on").fill(
        timezone.localdate().isoformat()
    )
    page.get_by_role("button", name="Report the hire").click()
    expect(page.get_by_role("heading", name="Confirm the hire")).to_be_visible()
    page.get_by_role("button", name="Confirm the hire").click()
    expect(page.locator("body")).to_contain_text("Hire confirmed")
    referral.refresh_from_db()
    assert referral.stage == Stage.HIRED
    fits(page, 1366)
    assert blocking_violations(page) == []

    # The placement's follow-ups are the caseworker's deadlines now (the first, a month after the start,
    # falls inside the page's 90 days).
    page.goto("/deadlines/")
    expect(page.locator("main")).to_contain_text("Follow-up with a placed person")
    expect(page.locator("main")).to_contain_text("Suriya")

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/jobs/openings/{opening.pk}/")
    fits(page, 375)
    assert blocking_violations(page) == []
