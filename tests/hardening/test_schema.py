"""Issue 19, found by schemathesis: the API description and the API's answers disagreed.

- Blank values were returned for enums that did not list them (renewal decision, triage category,
  target level), and an empty e-mail address against ``format: email``: a read-only field of a model
  field stored blank now admits ``""``, as the same field already did in requests (casework/api/openapi.py).
- ``Me.team`` (and a household member's linked applicant) was null but typed non-nullable.
- An empty ``current_on`` was accepted as "no date"; a filter typed as a date, number or choice refuses
  an empty value with a 400 naming it (casework/api/filtering.py).
- 401, 403 and 404 were undocumented: every operation describes them with the body DRF sends.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@cache
def api_schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = api_schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def admits(node: dict[str, Any], value: Any) -> bool:
    """Whether an OpenAPI 3.0 schema admits a value (enums, nullable, formats and lengths of strings)."""
    node = resolve(node)
    if value is None and node.get("nullable"):
        return True
    if "oneOf" in node or "anyOf" in node:
        return any(admits(option, value) for option in node.get("oneOf", node.get("anyOf")))
    if "allOf" in node:
        return all(admits(part, value) for part in node["allOf"])
    if value is None:
        return False
    if "enum" in node:
        return value in node["enum"]
    if isinstance(value, str):
        if value == "" and node.get("format") in {"email", "uri", "date", "date-time"}:
            return False
        return len(value) >= node.get("minLength", 0)
    return True


def field(component: str, name: str) -> dict[str, Any]:
    return api_schema()["components"]["schemas"][component]["properties"][name]


@pytest.mark.parametrize(
    ("component", "name"),
    [
        ("LegalStatusPeriod", "renewal_decision"),
        ("ProcedureEvent", "triage_category"),
        ("Course", "target_level"),
        ("EmployerContact", "email"),
    ],
)
def test_a_blank_value_returned_is_in_the_description(component, name):
    described = field(component, name)
    assert described.get("readOnly")
    assert admits(described, "")
    # The blank is admitted beside the values, not instead of them.
    assert not admits(described, "not-a-choice@") or "enum" not in str(described)


def test_a_blank_renewal_decision_is_returned_as_described(caseworker, team):
    from tests.casework.applicant_factories import ApplicantFactory

    applicant = ApplicantFactory(team=team, caseworker=caseworker)
    client = APIClient()
    client.force_authenticate(caseworker)
    created = client.post(
        "/api/v1/legal-status-periods/",
        {
            "applicant": applicant.reference_code,
            "status_kind": "da_refugee_applicant",
            "start_date": "2026-01-01",
            "end_date": "2026-06-30",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    returned = client.get(f"/api/v1/legal-status-periods/{created.json()['id']}/").json()
    assert returned["renewal_decision"] == ""
    assert admits(field("LegalStatusPeriod", "renewal_decision"), returned["renewal_decision"])


def test_me_without_a_team_is_null_and_described_so(administrator):
    client = APIClient()
    client.force_authenticate(administrator)
    me = client.get("/api/v1/me/").json()
    assert me["team"] is None
    assert admits(field("Me", "team"), None)
    assert admits(field("HouseholdMember", "linked_applicant"), None)


def test_an_empty_date_filter_is_refused_naming_it(caseworker):
    client = APIClient()
    client.force_authenticate(caseworker)
    response = client.get("/api/v1/consents/?current_on=")
    assert response.status_code == 400
    assert list(response.json()) == ["current_on"]
    # An empty choice is refused alike; an empty free-text filter filters nothing.
    assert client.get("/api/v1/consents/?purpose=").status_code == 400
    assert client.get("/api/v1/consents/?applicant=").status_code == 200
    assert client.get("/api/v1/consents/?current_on=2026-01-01").status_code == 200


def test_every_operation_describes_its_errors():
    for path, operations in api_schema()["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("401", "403", "404"):
                assert code in responses, (method, path, code)
                body = responses[code]["content"]["application/json"]["schema"]
                assert admits(body, {"detail": "Not found."})
            if method in {"post", "patch"}:
                assert "400" in responses, (method, path)


def test_the_error_bodies_are_the_ones_described(caseworker):
    anonymous = APIClient()
    unauthorised = anonymous.get("/api/v1/consents/")
    assert unauthorised.status_code == 401
    assert set(unauthorised.json()) == set(resolve(field_schema("Error"))["properties"])
    client = APIClient()
    client.force_authenticate(caseworker)
    missing = client.get("/api/v1/legal-status-periods/999999/")
    assert missing.status_code == 404
    assert set(missing.json()) == {"detail"}
    forbidden = client.post("/api/v1/minimum-wages/", {}, format="json")
    assert forbidden.status_code == 403
    assert set(forbidden.json()) == {"detail"}


def field_schema(component: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{component}"}


def test_the_status_labels_of_an_import_are_a_list_not_a_page():
    operation = api_schema()["paths"]["/api/v1/imports/{id}/status-labels/"]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
