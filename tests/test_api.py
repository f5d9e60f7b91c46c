"""The API under /api/v1/: authentication, the schema and docs, and what a user's requests can see."""

from __future__ import annotations

import re

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casework.models import Organisation
from casework.roles import Role
from casework.services import accounts as account_services
from tests.casework.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/me/", "/api/v1/teams/"])
def test_anonymous_requests_are_refused(path):
    response = Client().get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "results" not in response.json()


def test_a_wrong_token_is_refused():
    response = Client().get(
        "/api/v1/me/", HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567"
    )
    assert response.status_code == 401


def test_api_root_lists_the_endpoints_for_a_signed_in_user(caseworker, client_for):
    from config.api import router

    response = client_for(caseworker).get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    endpoints = response.json()
    # Every registration that lists (a viewset of actions only, the partner follow-ups' confirm, has no
    # list to link to).
    assert set(endpoints) == {
        prefix for prefix, viewset, _basename in router.registry if hasattr(viewset, "list")
    }
    assert endpoints["teams"] == "http://testserver/api/v1/teams/"


def test_me_describes_the_signed_in_person(caseworker, client_for):
    response = client_for(caseworker).get("/api/v1/me/")
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "case1"
    assert me["roles"] == ["caseworker"]
    assert me["team"] == "Tokyo East"
    assert me["organisation"] == caseworker.organisation.name
    assert me["is_service_account"] is False


def test_schema_is_an_openapi_document_of_our_endpoints(caseworker, client_for):
    response = client_for(caseworker).get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Tobira API"
    assert {"/api/v1/me/", "/api/v1/teams/", "/api/v1/teams/{id}/"} <= set(document["paths"])
    # Both ways in are documented.
    assert {"tokenAuth", "cookieAuth"} <= set(document["components"]["securitySchemes"])

    as_json = client_for(caseworker).get("/api/v1/schema/?format=json")
    assert as_json.status_code == 200
    assert as_json.json()["paths"].keys() == document["paths"].keys()


@pytest.mark.parametrize(
    ("path", "field", "response_component"),
    [
        ("/api/v1/documents/", "file", "Document"),
        ("/api/v1/assessments/", "certificate", "Assessment"),
    ],
)
def test_an_upload_is_a_binary_file_in_a_multipart_request(
    caseworker, client_for, path, field, response_component
):
    document = yaml.safe_load(client_for(caseworker).get("/api/v1/schema/").content)
    schemas = document["components"]["schemas"]
    body = document["paths"][path]["post"]["requestBody"]["content"]
    request_component = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert request_component != response_component, "requests and responses are their own components"
    upload = schemas[request_component]["properties"][field]
    assert upload == {**upload, "type": "string", "format": "binary"}
    assert not upload.get("nullable"), "a part of a multipart body is there or not: never null"
    stored = schemas[response_component]["properties"].get(field, {})
    assert stored.get("format") != "binary", "a response says what was stored, not a file to send"


def test_docs_load_only_our_own_static_files(caseworker, client_for):
    client = client_for(caseworker)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    sources = re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"]+)"', html)
    assert sources, "the page loads no files?"
    for source in sources:
        assert not re.match(r"(?:https?:)?//", source), source
        assert source.startswith(("/static/", "/api/v1/docs/")), source
    assert not re.search(r"https?://", html)

    # Every file it names is really served, by us.
    for source in sources:
        if source.startswith("/static/"):
            continue
        script = client.get(source)
        assert script.status_code == 200
        body = script.content.decode()
        assert "/api/v1/schema/" in body
        assert not re.search(r"https?://(?!testserver)", body)


def test_static_files_of_the_docs_exist():
    from django.contrib.staticfiles import finders

    for name in (
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
    ):
        assert finders.find(name), name


def test_a_service_account_token_authenticates_with_its_role(administrator):
    account, token = account_services.service_account_create(
        by=administrator, username="reporting", role=Role.TRAINER
    )
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    me = response.json()
    assert me["id"] == account.pk
    assert me["username"] == "reporting"
    assert me["roles"] == ["trainer"]
    assert me["is_service_account"] is True
    # Tokens need no CSRF token and no session: nothing is set on the client.
    assert "sessionid" not in response.cookies


def test_a_service_account_cannot_use_a_session_for_the_web_pages(administrator, team):
    account, _token = account_services.service_account_create(
        by=administrator, username="reporting", role=Role.CASEWORKER, team=team
    )
    client = Client()
    client.force_login(account)
    assert client.get("/")["Location"] == "/accounts/login/"
    assert client.get("/accounts/security/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_teams_lists_only_the_users_organisation(caseworker, supervisor, other_team, client_for):
    elsewhere = Organisation.objects.create(name="Other NPO", slug="other")
    TeamFactory(organisation=elsewhere, name="Hidden team")
    foreign_user = UserFactory(organisation=elsewhere, roles=[Role.CASEWORKER])

    response = client_for(caseworker).get("/api/v1/teams/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [team["name"] for team in body["results"]] == ["Osaka", "Tokyo East"]
    tokyo = body["results"][1]
    assert tokyo["supervisors"] == ["super1"]

    foreign = client_for(foreign_user).get("/api/v1/teams/").json()
    assert [team["name"] for team in foreign["results"]] == ["Hidden team"]


def test_a_team_of_another_organisation_is_not_found(caseworker, client_for):
    elsewhere = Organisation.objects.create(name="Other NPO", slug="other")
    hidden = TeamFactory(organisation=elsewhere, name="Hidden team")
    assert client_for(caseworker).get(f"/api/v1/teams/{hidden.pk}/").status_code == 404
    assert client_for(caseworker).get(f"/api/v1/teams/{caseworker.team_id}/").status_code == 200


def test_teams_can_be_filtered_by_name(caseworker, other_team, client_for):
    response = client_for(caseworker).get("/api/v1/teams/", {"name": "Osaka"})
    assert [team["name"] for team in response.json()["results"]] == ["Osaka"]


def test_teams_list_runs_a_fixed_number_of_queries(caseworker, client_for, django_assert_max_num_queries):
    client = client_for(caseworker)
    client.get("/api/v1/teams/")  # warm up content types and the like
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/teams/")

    supervisors = [UserFactory(roles=[Role.SUPERVISOR]) for _ in range(3)]
    for index in range(30):
        team = TeamFactory(name=f"Team {index:02d}")
        team.supervisors.set(supervisors)
    # session, user, the user's roles, the two 2FA device checks, count, page, supervisors of the page
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/teams/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 25
    assert len(few.captured_queries) == 8


def test_the_api_is_read_only_for_teams(administrator, client_for):
    response = client_for(administrator).post(
        "/api/v1/teams/", {"name": "New"}, content_type="application/json"
    )
    assert response.status_code == 405
