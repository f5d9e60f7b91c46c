"""The printable case summary in a real Chromium: opened from the applicant page, printed to PDF on one A4
page with no app shell, a CJK font embedded for the person's name in their own script."""

from __future__ import annotations

import re
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services
from jobs.services import referrals as referral_services
from tests.browser.test_documents import expect
from tests.casework.applicant_factories import ReportingObligationFactory
from tests.jobs.factories import EmployerFactory, JobOpeningFactory
from tests.learning.factories import AssessmentFactory

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = [pytest.mark.browser]

FONT_NAME = re.compile(rb"/FontName\s*/([^\s/<>\[\]()]+)")
PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with its compressed streams inflated (object streams may hold the dictionaries)."""
    parts = [pdf]
    for match in STREAM.finditer(pdf):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def a_person_with_a_japanese_name(caseworker):
    today = timezone.localdate()
    person = services.applicant_register(
        by=caseworker,
        data={
            "family_name": "Yamada",
            "given_name": "Hanako",
            "name_native": "山田 花子",
            "name_katakana": "ヤマダ ハナコ",
            "nationality": "MM",
        },
    )
    services.legal_period_record(
        by=caseworker,
        applicant=person,
        data={
            "status_kind": "da_refugee_applicant",
            "start_date": today - timedelta(days=30),
            "end_date": today + timedelta(days=150),
        },
    )
    services.work_permission_record(
        by=caseworker,
        applicant=person,
        data={"basis": "designation_sheet", "start_date": today - timedelta(days=30)},
    )
    ReportingObligationFactory(applicant=person)
    AssessmentFactory(applicant=person, framework="jlpt", level="N4", cefr_level="A2", recorded_by=caseworker)
    for number in range(3):
        employer = EmployerFactory(
            organisation=caseworker.organisation, created_by=caseworker, name=f"Sakura Foods {number}"
        )
        opening = JobOpeningFactory(employer=employer, created_by=caseworker, title=f"Line worker {number}")
        referral_services.referral_propose(by=caseworker, applicant=person, opening=opening)
    return person


def test_the_summary_prints_on_one_a4_page_with_a_cjk_font(page, sign_in, caseworker):
    person = a_person_with_a_japanese_name(caseworker)
    sign_in(caseworker.username)
    page.goto(f"/applicants/{person.reference_code}/")
    page.locator("#applicant-header").get_by_role("link", name="Case summary").click()
    expect(page.get_by_role("heading", name="YAMADA Hanako")).to_be_visible()
    expect(page.get_by_text("山田 花子")).to_be_visible()
    expect(page.get_by_text("Report to immigration")).to_be_visible()
    expect(page.get_by_text("Line worker 2")).to_be_visible()

    # The Print button opens the browser's print dialog (stubbed: headless Chromium has none).
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") is True

    # On paper: no sidebar, top bar, breadcrumb or buttons; the summary itself stays.
    page.emulate_media(media="print")
    for chrome in (".navbar-vertical", ".topbar", ".footer", ".breadcrumb", ".summary-actions"):
        assert page.locator(chrome).first.is_hidden(), chrome
    expect(page.locator(".case-summary")).to_be_visible()

    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=False)
    objects = pdf_objects(pdf)
    assert len(PAGE.findall(objects)) == 1, "the summary must fit one A4 page"
    fonts = {name.decode() for name in FONT_NAME.findall(objects)}
    assert any("CJK" in font for font in fonts), f"no CJK font embedded: {sorted(fonts)}"
