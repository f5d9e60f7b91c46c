"""Issue 19, found by the security test: what signed-in responses send, and bad bytes in input.

- Signed-in pages were cacheable: a shared volunteer computer kept a case file after sign-out. Every
  signed-in HTML response and every API response now says ``Cache-Control: no-store, private``.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.casework.applicant_factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_a_signed_in_case_file_is_not_kept_by_the_browser(client_for, caseworker, team):
    applicant = ApplicantFactory(team=team, caseworker=caseworker)
    client = client_for(caseworker)
    for url in (
        reverse("home"),
        reverse("applicant_list"),
        reverse("applicant_detail", args=[applicant.reference_code]),
        reverse("import_list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), (url, response.get("Cache-Control"))


def test_every_api_answer_is_not_stored(caseworker, team):
    ApplicantFactory(team=team, caseworker=caseworker)
    client = APIClient()
    client.force_authenticate(caseworker)
    for url in ("/api/v1/applicants/", "/api/v1/legal-status-periods/", "/api/v1/me/"):
        response = client.get(url)
        assert no_store(response), (url, response.get("Cache-Control"))
    assert no_store(APIClient().get("/api/v1/applicants/"))  # the 401 too


# A NUL byte in an applicant reference gave a 500 on these endpoints (PostgreSQL refuses the string);
# now every text input of every endpoint is a 400 naming the field, checked in one place.
NUL_LISTS = (
    "consents",
    "legal-status-periods",
    "work-permissions",
    "reporting-obligations",
    "procedures",
    "sensitive-information",
)


@pytest.mark.parametrize("endpoint", NUL_LISTS)
def test_a_nul_byte_in_a_query_is_a_400_naming_the_field(caseworker, endpoint):
    client = APIClient()
    client.force_authenticate(caseworker)
    response = client.get(f"/api/v1/{endpoint}/", {"applicant": "A-2026-00001\x00"})
    assert response.status_code == 400
    assert "applicant" in response.json()


def test_a_nul_byte_in_a_json_body_or_form_is_a_400_naming_the_field(caseworker, client_for):
    client = APIClient()
    client.force_authenticate(caseworker)
    response = client.post(
        "/api/v1/applicants/", {"given_name": "Ana\x00", "nested": {"note": "x"}}, format="json"
    )
    assert response.status_code == 400 and "given_name" in response.json()
    response = client.post("/api/v1/sensitive-information/erase/", {"applicant": "A\x00"}, format="json")
    assert response.status_code == 400 and "applicant" in response.json()
    # A page's form says it next to the field (Django's validator), nothing saved.
    page = client_for(caseworker).post(
        reverse("applicant_register"), {"given_name": "Ana\x00", "action": "register"}
    )
    assert page.status_code in (200, 400)
    assert "Null characters are not allowed." in page.content.decode()
    from casework.models import Applicant

    assert not Applicant.objects.exists()


def test_collectstatic_without_the_front_end_assets_fails_saying_make_assets(settings, tmp_path):
    # It used to succeed and leave every page a 500 in production.
    from django.core.checks import Tags
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.STATIC_ROOT = str(tmp_path)
    settings.FRONTEND_ASSETS = ("vendor/tabler/not-built.css",)
    with pytest.raises(SystemCheckError) as error:
        call_command("collectstatic", "--no-input", "--dry-run", verbosity=0, skip_checks=False)
    assert "make assets" in str(error.value)
    settings.FRONTEND_ASSETS = ("vendor/tabler/tabler.min.css",)
    from casework.checks import frontend_assets_built

    assert frontend_assets_built(tags=[Tags.staticfiles]) == []
