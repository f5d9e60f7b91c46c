"""Issue 16's whole journey in a real Chromium, both sides taking turns: a caseworker shares a candidate;
the employer sees the packet (for the narrow-consent candidate the nationality, status kind and family
name are nowhere in the page's HTML), proposes an interview; the caseworker confirms a time; the employer
records the outcome, an offer and a hire; the caseworker confirms the hire; a follow-up is confirmed from
the portal; revoking a consent removes the packet at once. axe clean on each portal page at 375 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import Consent, FieldGroup
from casework.services import consent_revoke
from jobs.models import EmployerMembership, FollowUp, Interview, MembershipRole, Placement, Referral, Stage
from tests.browser.test_applicants import blocking_violations, expect
from tests.casework.applicant_factories import ApplicantFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory, may_work
from tests.jobs.portal_candidates.conftest import refer, share

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = pytest.mark.browser

NARROW = [FieldGroup.SKILLS]
BROAD = [FieldGroup.SKILLS, FieldGroup.NATIONALITY, FieldGroup.CONTACT]
STATUS_KIND_EN = "Designated Activities"


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def portal_check(page) -> None:
    """The portal page fits 375 px without sideways scrolling and has no blocking axe violation."""
    page.set_viewport_size({"width": 375, "height": 800})
    fits(page, 375)
    assert blocking_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})


def switch(page, sign_in, username: str) -> None:
    page.context.clear_cookies()
    sign_in(username)


@pytest.fixture
def journey(caseworker, team, make_user):
    from casework.roles import Role

    company = EmployerFactory(
        organisation=caseworker.organisation, created_by=caseworker, name="Sakura Foods"
    )
    opening = JobOpeningFactory(employer=company, created_by=caseworker, title="Bento line worker")
    employer_user = make_user(Role.EMPLOYER, username="sakura-hr", organisation=caseworker.organisation)
    EmployerMembership.objects.create(user=employer_user, employer=company, role=MembershipRole.ADMIN)

    def person(given: str, family: str, nationality: str, scope, stage: str) -> Referral:
        applicant = ApplicantFactory(
            team=team, caseworker=caseworker, given_name=given, family_name=family, nationality=nationality
        )
        may_work(applicant)
        share(applicant, company, by=caseworker, scope=scope)
        return refer(applicant, opening, by=caseworker, stage=stage)

    narrow = person("Suriya", "Perera", "LK", NARROW, Stage.CONSENT_RECORDED)
    broad = person("Amal", "Haddad", "SY", BROAD, Stage.SHARED)
    return {"opening": opening, "employer": employer_user, "narrow": narrow, "broad": broad}


def test_share_interview_offer_hire_follow_up_and_revoke(page, sign_in, caseworker, journey):
    opening, narrow, broad = journey["opening"], journey["narrow"], journey["broad"]
    employer = journey["employer"]
    ref = narrow.applicant.reference_code

    # 1. The caseworker shares the narrow-consent candidate from the pipeline board.
    sign_in(caseworker.username)
    page.goto(f"/jobs/openings/{opening.pk}/#board")
    card = page.locator(f"#card-{narrow.pk}")
    card.get_by_label(f"Move {ref} to").select_option(Stage.SHARED)
    card.get_by_role("button", name="Move").click()
    expect(page.locator('section[aria-labelledby="col-shared"]')).to_contain_text(ref)

    # 2. The employer sees the packet: for the narrow consent no nationality, status kind or family name.
    switch(page, sign_in, employer.username)
    page.goto("/partner/candidates/")
    expect(page.locator("main")).to_contain_text(ref)
    portal_check(page)
    page.goto(f"/partner/candidates/{narrow.pk}/")
    expect(page.locator("main")).to_contain_text("Suriya")
    html = page.content()
    for hidden in ("Perera", "Sri Lanka", STATUS_KIND_EN, "da_refugee_applicant", "特定活動"):
        assert hidden not in html, hidden
    expect(page.locator("main")).to_contain_text("designation paper")  # the employer must still check
    portal_check(page)
    # The broad-consent candidate's packet names the nationality; still never the status kind.
    page.goto(f"/partner/candidates/{broad.pk}/")
    expect(page.locator('[data-packet-key="nationality"]')).to_contain_text("Syria")
    assert STATUS_KIND_EN not in page.content()

    # 3. The employer proposes an interview.
    page.goto(f"/partner/candidates/{narrow.pk}/")
    when = (timezone.localtime() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    page.get_by_label("First proposed time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where").fill("Head office, Adachi")
    page.get_by_role("button", name="Propose interview").click()
    expect(page.locator("body")).to_contain_text("Interview proposed")
    portal_check(page)

    # 4. The caseworker confirms the time.
    switch(page, sign_in, caseworker.username)
    page.goto(f"/jobs/referrals/{narrow.pk}/")
    page.get_by_role("button", name=f"Confirm {when:%Y-%m-%d %H:%M}").click()
    expect(page.locator("body")).to_contain_text("Interview confirmed")
    narrow.refresh_from_db()
    assert narrow.stage == Stage.INTERVIEW

    # 5. The interview took place (two days pass): the employer records the outcome, then an offer.
    Interview.objects.filter(referral=narrow).update(starts_at=timezone.now() - timedelta(hours=1))
    switch(page, sign_in, employer.username)
    page.goto(f"/partner/candidates/{narrow.pk}/")
    expect(page.locator("main")).to_contain_text("Perera")  # the family name from the interview stage on
    page.get_by_label("Outcome", exact=True).select_option("passed")
    page.get_by_role("button", name="Record outcome").click()
    expect(page.locator("body")).to_contain_text("Outcome recorded")
    page.get_by_label("Offered hours a week").fill("40")
    page.get_by_label("Offered hours a day").fill("8")
    page.get_by_label("Offered base wage (yen)").fill("1500")
    page.get_by_label("Offered wage per").select_option("hourly")
    page.get_by_role("button", name="Record offer").click()
    expect(page.locator("body")).to_contain_text("Offer recorded")

    # 6. The hire report needs the day the employer saw the card and the designation paper itself.
    today = timezone.localdate().isoformat()
    page.get_by_label("Start date", exact=True).fill(today)
    page.get_by_label("Hours a week", exact=True).fill("40")
    page.get_by_label("Hours a day", exact=True).fill("8")
    page.get_by_label("Base wage (yen)", exact=True).fill("1500")
    page.get_by_label("Wage per", exact=True).select_option("hourly")
    page.get_by_role("button", name="Report hire").click()
    expect(page.locator("main")).to_contain_text("residence card and designation paper")
    narrow.refresh_from_db()
    assert narrow.stage == Stage.OFFER  # refused: the day is missing
    page.get_by_label("We saw the residence card and designation paper on").fill(today)
    page.get_by_role("button", name="Report hire").click()
    expect(page.locator("body")).to_contain_text("Hire reported")
    narrow.refresh_from_db()
    assert narrow.stage == Stage.HIRE_REPORTED
    assert narrow.documents_seen_on is not None

    # 7. The caseworker confirms the hire: the placement exists only now.
    assert not Placement.objects.filter(referral=narrow).exists()
    switch(page, sign_in, caseworker.username)
    page.goto(f"/jobs/referrals/{narrow.pk}/")
    page.get_by_role("button", name="Confirm the hire").click()
    expect(page.locator("body")).to_contain_text("Hire confirmed")
    placement = Placement.objects.get(referral=narrow)

    # 8. A month later the first follow-up is due: the employer confirms it from the portal.
    first = FollowUp.objects.filter(placement=placement).order_by("month").first()
    assert first is not None
    FollowUp.objects.filter(pk=first.pk).update(due_on=timezone.localdate())
    switch(page, sign_in, employer.username)
    page.goto("/partner/workers/")
    expect(page.locator("main")).to_contain_text(ref)
    portal_check(page)
    page.goto(f"/partner/workers/{placement.pk}/")
    portal_check(page)
    page.get_by_role("button", name="Confirm follow-up").first.click()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Confirm follow-up").click()
    page.wait_for_load_state()
    first.refresh_from_db()
    assert first.outcome == "retained" and first.reported_by == "employer"

    # 9. Revoking the broad candidate's consent removes the packet at once, even with the page open.
    page.goto(f"/partner/candidates/{broad.pk}/")
    expect(page.locator('[data-packet-key="nationality"]')).to_be_visible()
    consent = Consent.objects.get(applicant=broad.applicant)
    consent_revoke(by=caseworker, consent=consent)
    page.reload()
    assert "Syria" not in page.content()
    assert page.locator('[data-packet-key="nationality"]').count() == 0
    broad.refresh_from_db()
    assert broad.stage == Stage.WITHDRAWN and broad.reason_code == "consent_revoked"
