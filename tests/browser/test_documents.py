"""Documents in a real Chromium: upload one in place on the applicant page, download it through the link."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework import services
from casework.management.demo_records import tiny_pdf
from casework.models import AccessLogEntry, Document
from tests.casework.record_factories import clean_documents  # noqa: F401 (fixture)

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_documents")]


def expect(locator_or_page):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator_or_page)


def blocking_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['impact']} {v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_upload_a_document_and_download_it(page, sign_in, caseworker):
    applicant = services.applicant_register(
        by=caseworker, data={"family_name": "Perera", "given_name": "Suriya", "nationality": "LK"}
    )
    content = tiny_pdf("Residence card, front")
    sign_in(caseworker.username)
    page.goto(f"/applicants/{applicant.reference_code}/?tab=documents")
    page.evaluate("window.tobiraMarker = 'no reload'")
    section = page.locator("#documents")
    expect(section).to_contain_text("No document uploaded.")

    section.get_by_text("Upload a document").click()
    section.get_by_label("Kind").select_option("residence_card")
    section.get_by_label("File", exact=True).set_input_files(
        files=[{"name": "card-front.pdf", "mimeType": "application/pdf", "buffer": content}]
    )
    section.get_by_label("Description").fill("Front side")
    section.get_by_role("button", name="Upload").click()

    link = section.get_by_role("link", name="card-front.pdf")
    expect(link).to_be_visible()
    expect(section.get_by_role("status")).to_have_text("The document is uploaded.")
    expect(section).to_contain_text("Residence card")
    assert page.evaluate("window.tobiraMarker") == "no reload"  # uploaded in place
    assert blocking_violations(page) == []

    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename == "card-front.pdf"
    assert Path(download.path()).read_bytes() == content
    document = Document.objects.get()
    entry = AccessLogEntry.objects.get(kind="document_download")
    assert entry.actor_id == caseworker.pk and entry.detail["document"] == document.pk


def test_a_disguised_file_is_refused_in_place(page, sign_in, caseworker):
    applicant = services.applicant_register(by=caseworker, data={"given_name": "Meron"})
    sign_in(caseworker.username)
    page.goto(f"/applicants/{applicant.reference_code}/?tab=documents")
    section = page.locator("#documents")
    section.get_by_text("Upload a document").click()
    section.get_by_label("Kind").select_option("other")
    section.get_by_label("File", exact=True).set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"<html>not a pdf</html>"}]
    )
    section.get_by_role("button", name="Upload").click()
    expect(section.locator(".errorlist")).to_contain_text("this file's content is none of them")
    assert not Document.objects.exists()
