"""The learning panel in a real Chromium: a caseworker sees a learner's progress chart and records a result."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services
from tests.browser.test_documents import blocking_violations, expect
from tests.casework.record_factories import clean_documents  # noqa: F401 (fixture)
from tests.learning.factories import (
    AssessmentFactory,
    AttendanceFactory,
    CourseFactory,
    EnrollmentFactory,
    SessionFactory,
    at,
)

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_documents")]


def demo_learner(caseworker, trainer):
    """Like seed_demo's learners: a term of sessions with attendance, a placement test and a judgement."""
    today = timezone.localdate()
    applicant = services.applicant_register(
        by=caseworker, data={"family_name": "Tesfaye", "given_name": "Hanna", "nationality": "ER"}
    )
    course = CourseFactory(trainers=[trainer], name="Japanese for work A2", capacity=12)
    CourseFactory(trainers=[trainer], name="Business manners for the workplace", kind="business_manners")
    enrollment = EnrollmentFactory(course=course, applicant=applicant, enrolled_by=caseworker)
    for week in range(8):
        session = SessionFactory(course=course, starts_at=at(today - timedelta(days=7 * (8 - week))))
        AttendanceFactory(session=session, enrollment=enrollment, status="absent" if week == 3 else "present")
    AssessmentFactory(
        applicant=applicant,
        framework="placement",
        level="A1",
        cefr_level="A1",
        assessed_on=today - timedelta(days=60),
    )
    AssessmentFactory(
        applicant=applicant,
        framework="trainer_cefr",
        level="A1",
        cefr_level="A1",
        assessed_on=today - timedelta(days=20),
    )
    return applicant


def test_caseworker_sees_the_chart_and_records_a_jft_basic_result(page, sign_in, caseworker, trainer):
    applicant = demo_learner(caseworker, trainer)
    sign_in(caseworker.username)
    page.goto(f"/applicants/{applicant.reference_code}/?tab=learning")
    panel = page.locator("#panel-learning")
    expect(panel.get_by_role("heading", name="Learning")).to_be_visible()
    chart = panel.locator("svg.progress-chart")
    expect(chart).to_be_visible()
    assert chart.locator(".level-point").count() == 2
    expect(chart.locator(".hours-line")).to_have_attribute("data-hours", "10.5")  # 7 × 90 minutes
    expect(panel.locator(".cefr-level")).to_have_text("A1")
    expect(panel.locator(".learning-enrolments")).to_contain_text("Japanese for work A2")
    expect(panel.get_by_label("Enrol in a course")).to_contain_text("Business manners for the workplace")
    assert blocking_violations(page) == []

    panel.get_by_role("button", name="Record a test result").click()
    expect(page.get_by_role("heading", name="Record a test result")).to_be_visible()
    page.get_by_label("Test or framework").select_option("jft_basic")
    page.get_by_label("Total score").fill("9")
    page.get_by_label("Date of the test").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Save the result").click()
    expect(page.locator(".errorlist")).to_contain_text("10 to 250")
    assert blocking_violations(page) == []

    page.get_by_label("Total score").fill("212")
    page.get_by_role("button", name="Save the result").click()
    page.wait_for_url(f"**/applicants/{applicant.reference_code}/**")
    panel = page.locator("#panel-learning")
    expect(panel.locator(".cefr-level")).to_have_text("A2")
    expect(panel.locator(".learning-assessments")).to_contain_text("JFT-Basic")
    assert panel.locator("svg.progress-chart .level-point").count() == 3
    assert blocking_violations(page) == []
