"""Issue 19, found by the security test: the API description was public, and /healthz told anyone the
database vendor, broker and beat timing. The schema and its viewer are for signed-in users; in production
/healthz says ok / not ok to anonymous callers and the details to signed-in staff only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from casework.models import Heartbeat

pytestmark = pytest.mark.django_db


def test_the_api_schema_and_its_viewer_are_for_signed_in_users(client_for, caseworker, employer):
    anonymous = Client()
    assert anonymous.get("/api/v1/schema/").status_code == 401
    docs = anonymous.get("/api/v1/docs/")
    assert docs.status_code == 302 and "/accounts/login/" in docs["Location"]
    assert client_for(caseworker).get("/api/v1/schema/").status_code == 200
    assert client_for(caseworker).get("/api/v1/docs/").status_code == 200
    assert client_for(employer).get("/api/v1/schema/").status_code == 200  # the partner API is theirs too


def test_in_production_healthz_tells_anonymous_callers_only_ok(settings, client_for, caseworker, employer):
    settings.HEALTH_DETAILS_PUBLIC = False
    Heartbeat.objects.create(name="beat", at=timezone.now())
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    staff = client_for(caseworker).get("/healthz").json()
    assert staff["checks"]["database"]["ok"] is True and "vendor" in staff["checks"]["database"]
    assert client_for(employer).get("/healthz").json() == {"status": "ok"}


def test_in_production_a_down_service_is_a_503_without_naming_it(settings):
    settings.HEALTH_DETAILS_PUBLIC = False
    # No beat heartbeat: beat is down.
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down"}
