"""Correcting and deleting a language result in a real Chromium, from the applicant page's panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learning import services as learning_services
from tests.browser.test_documents import blocking_violations, expect
from tests.browser.test_learning_panel import demo_learner
from tests.casework.record_factories import clean_documents  # noqa: F401 (fixture)

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_documents")]


def test_caseworker_corrects_a_jlpt_score_then_deletes_the_result(page, sign_in, caseworker, trainer):
    applicant = demo_learner(caseworker, trainer)
    result = learning_services.assessment_record(
        by=caseworker,
        applicant=applicant,
        framework="jlpt",
        level="N3",
        score=100,
        assessed_on=timezone.localdate() - timedelta(days=5),
    )
    sign_in(caseworker.username)
    page.goto(f"/applicants/{applicant.reference_code}/?tab=learning")
    panel = page.locator("#panel-learning")
    expect(panel.locator(".cefr-level")).to_have_text("A2")
    row = panel.locator(f'tr[data-assessment-id="{result.pk}"]')
    row.get_by_role("link", name="Correct").click()
    expect(page.get_by_role("heading", name="Correct a test result")).to_be_visible()
    expect(page.get_by_label("Total score")).to_have_value("100")
    assert blocking_violations(page) == []
    page.get_by_label("Level", exact=True).fill("N6")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".errorlist")).to_be_visible()
    assert blocking_violations(page) == []
    page.get_by_label("Level", exact=True).fill("N3")
    page.get_by_label("Total score").fill("110")
    page.get_by_label("Total score").press("Enter")  # keyboard: submit from the field
    page.wait_for_url(f"**/applicants/{applicant.reference_code}/**")
    panel = page.locator("#panel-learning")
    expect(panel.locator(".cefr-level")).to_have_text("B1")

    panel.locator(f'tr[data-assessment-id="{result.pk}"]').get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete a test result")).to_be_visible()
    assert blocking_violations(page) == []
    page.get_by_role("button", name="Delete").click()
    page.wait_for_url(f"**/applicants/{applicant.reference_code}/**")
    panel = page.locator("#panel-learning")
    assert panel.locator(f'tr[data-assessment-id="{result.pk}"]').count() == 0
    expect(panel.locator(".cefr-level")).to_have_text("A1")
