"""The audit API: /api/v1/history/ and /api/v1/access-log/ (supervisors and administrators only), the
reads the API logs (applicant and legal-record details), filters, restricted values and query counts."""

from __future__ import annotations

from datetime import timedelta
from itertools import cycle

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import audit, services
from casework.models import (
    AccessLogEntry,
    Applicant,
    ChangeRecord,
    Consent,
    ConsentPurpose,
    SensitiveRecord,
    User,
)

pytestmark = pytest.mark.django_db

HISTORY = "/api/v1/history/"
ACCESS_LOG = "/api/v1/access-log/"


@pytest.fixture
def people(caseworker, other_caseworker):
    """One person in the supervisor's team, one in the other team, each with history and a read."""
    own = services.applicant_register(by=caseworker, data={"family_name": "Perera", "given_name": "Suriya"})
    foreign = services.applicant_register(
        by=other_caseworker, data={"family_name": "Haile", "given_name": "Meron"}
    )
    services.applicant_update(
        by=caseworker, applicant=own, data={"city": "Warabi"}, expected_version=own.version
    )
    for applicant, reader in ((own, caseworker), (foreign, other_caseworker)):
        audit.log_access(
            actor=reader,
            kind=AccessLogEntry.Kind.APPLICANT_VIEW,
            applicant_id=applicant.pk,
            object_label=applicant.reference_code,
        )
    return {"own": own, "foreign": foreign}


def results(client: Client, path: str, params: dict | None = None) -> list[dict]:
    response = client.get(path, params or {})
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Who may read -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [HISTORY, ACCESS_LOG])
@pytest.mark.parametrize(("role", "status"), [("caseworker", 403), ("trainer", 403), ("employer", 403)])
def test_others_are_refused(request, client_for, people, path, role, status):
    response = client_for(request.getfixturevalue(role)).get(path)
    assert response.status_code == status
    assert client_for(request.getfixturevalue(role)).get(f"{path}1/").status_code == status


@pytest.mark.parametrize("path", [HISTORY, ACCESS_LOG])
def test_anonymous_visitors_get_401(people, path):
    assert Client().get(path).status_code == 401


def test_supervisors_read_their_teams_people_administrators_the_organisation(
    client_for, supervisor, other_supervisor, administrator, other_caseworker, people
):
    own, foreign = people["own"], people["foreign"]
    supervised = results(client_for(supervisor), HISTORY)
    assert {row["applicant"] for row in supervised} == {own.reference_code}
    assert {row["applicant"] for row in results(client_for(other_supervisor), HISTORY)} == {
        foreign.reference_code
    }
    assert {row["applicant"] for row in results(client_for(administrator), HISTORY)} == {
        own.reference_code,
        foreign.reference_code,
    }
    reads = results(client_for(supervisor), ACCESS_LOG, {"kind": "applicant_view"})
    assert {row["applicant"] for row in reads} == {own.reference_code}
    # Rows of another team are not found one by one either.
    foreign_row = ChangeRecord.objects.filter(applicant_id=foreign.pk).first()
    assert client_for(supervisor).get(f"{HISTORY}{foreign_row.pk}/").status_code == 404
    foreign_read = AccessLogEntry.objects.get(applicant_id=foreign.pk, actor=other_caseworker)
    assert client_for(supervisor).get(f"{ACCESS_LOG}{foreign_read.pk}/").status_code == 404
    assert client_for(other_supervisor).get(f"{ACCESS_LOG}{foreign_read.pk}/").status_code == 200


def test_a_history_row_says_who_when_which_request_and_each_field(client_for, supervisor, caseworker, people):
    own = people["own"]
    row = results(client_for(supervisor), HISTORY, {"applicant": own.reference_code, "action": "update"})[0]
    assert row["actor"] == {"id": caseworker.pk, "name": str(caseworker)}
    assert row["model"] == "casework.applicant" and row["record_kind"] == "Applicant"
    assert row["action"] == "update" and row["values_hidden"] is False
    assert row["changes"] == [{"field": "city", "label": "City", "old": "", "new": "Warabi"}]
    assert row["object_id"] == str(own.pk)
    assert set(row) >= {"id", "at", "request_id", "object_label", "erased"}


def test_administrators_see_sign_in_events_supervisors_do_not(client_for, supervisor, administrator, people):
    Client().post("/accounts/login/", {"username": "case1", "password": "wrong"})
    admin_rows = results(client_for(administrator), ACCESS_LOG, {"kind": "sign_in_failed"})
    assert [row["detail"] for row in admin_rows] == [{"username": "case1", "known_account": True}]
    assert results(client_for(supervisor), ACCESS_LOG, {"kind": "sign_in_failed"}) == []


# --- Filters ----------------------------------------------------------------------------------------------


def test_history_filters(client_for, administrator, caseworker, other_caseworker, people):
    own, foreign = people["own"], people["foreign"]
    client = client_for(administrator)
    by_applicant = results(client, HISTORY, {"applicant": own.reference_code})
    assert {row["applicant"] for row in by_applicant} == {own.reference_code}
    assert len(by_applicant) == 2
    assert [
        row["action"] for row in results(client, HISTORY, {"model": "casework.applicant", "action": "create"})
    ] == [
        "create",
        "create",
    ]
    assert results(client, HISTORY, {"model": "casework.legalstatusperiod"}) == []
    by_actor = results(client, HISTORY, {"actor": other_caseworker.pk})
    assert {row["applicant"] for row in by_actor} == {foreign.reference_code}
    today = timezone.localdate()
    assert len(results(client, HISTORY, {"since": today.isoformat(), "until": today.isoformat()})) == 3
    assert results(client, HISTORY, {"since": (today + timedelta(days=1)).isoformat()}) == []
    assert results(client, HISTORY, {"until": (today - timedelta(days=1)).isoformat()}) == []
    assert client.get(HISTORY, {"since": "not-a-date"}).status_code == 400
    assert client.get(HISTORY, {"actor": 999999}).status_code == 400


def test_access_log_filters(client_for, administrator, caseworker, people):
    own = people["own"]
    client = client_for(administrator)
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=100), tick=False):
        audit.log_access(actor=caseworker, kind=AccessLogEntry.Kind.EXPORT, applicant_id=own.pk)
    rows = results(client, ACCESS_LOG, {"applicant": own.reference_code})
    assert {row["kind"] for row in rows} == {"applicant_view", "export"}
    assert [row["kind"] for row in results(client, ACCESS_LOG, {"kind": "export"})] == ["export"]
    since = (timezone.localdate() - timedelta(days=90)).isoformat()
    recent = results(client, ACCESS_LOG, {"applicant": own.reference_code, "since": since})
    assert [row["kind"] for row in recent] == ["applicant_view"]
    mine = results(client, ACCESS_LOG, {"actor": caseworker.pk, "applicant": own.reference_code})
    assert {row["actor"]["id"] for row in mine} == {caseworker.pk}
    assert rows[0]["kind_label"] and "ip_address" in rows[0]
    assert client.get(ACCESS_LOG, {"kind": "nonsense"}).status_code == 400


# --- Restricted values --------------------------------------------------------------------------------------


def test_sensitive_values_stay_hidden_from_those_who_may_not_read_them(
    client_for, administrator, supervisor, caseworker, people
):
    own = people["own"]
    Consent.objects.create(
        applicant=own,
        purpose=ConsentPurpose.SENSITIVE_INFORMATION,
        granted_on=timezone.localdate(),
        recorded_by=caseworker,
    )
    record = SensitiveRecord.objects.create(
        applicant=own, category="health", text="Treated for PTSD", recorded_by=caseworker
    )
    audit.record_change(actor=caseworker, instance=record, before=None)
    params = {"model": "casework.sensitiverecord"}
    admin_row = results(client_for(administrator), HISTORY, params)[0]
    assert (
        admin_row["values_hidden"] is True and admin_row["changes"] == [] and admin_row["object_label"] == ""
    )
    assert admin_row["actor"]["id"] == caseworker.pk
    detail = client_for(administrator).get(f"{HISTORY}{admin_row['id']}/").json()
    assert detail["changes"] == [] and "PTSD" not in str(detail)
    supervisor_row = results(client_for(supervisor), HISTORY, params)[0]
    assert supervisor_row["values_hidden"] is False
    assert {"field": "text", "label": "Text", "old": None, "new": "Treated for PTSD"} in supervisor_row[
        "changes"
    ]


# --- Reads the API logs -----------------------------------------------------------------------------------


def test_reading_an_applicant_through_the_api_is_logged(client_for, caseworker, people):
    own = people["own"]
    before = AccessLogEntry.objects.filter(kind="applicant_view").count()
    response = client_for(caseworker).get(f"/api/v1/applicants/{own.reference_code}/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.filter(kind="applicant_view").latest("pk")
    assert AccessLogEntry.objects.filter(kind="applicant_view").count() == before + 1
    assert (entry.actor, entry.applicant_id, entry.detail) == (caseworker, own.pk, {"via": "api"})
    assert entry.request_id == response["X-Request-ID"]
    # A list is a search, not a read of each file: not logged per person.
    client_for(caseworker).get("/api/v1/applicants/")
    assert AccessLogEntry.objects.filter(kind="applicant_view").count() == before + 1


def test_reading_a_legal_record_through_the_api_is_logged(client_for, caseworker, people):
    own = people["own"]
    start = timezone.localdate() - timedelta(days=10)
    period = services.legal_period_record(
        by=caseworker,
        applicant=own,
        data={
            "status_kind": "da_refugee_applicant",
            "start_date": start,
            "end_date": start + timedelta(days=180),
        },
        card_number="AB12345678CD",
    )
    procedure = services.procedure_record(
        by=caseworker, applicant=own, data={"ordinal": 1, "applied_on": start}
    )
    client = client_for(caseworker)
    for path, model, pk in (
        (f"/api/v1/legal-status-periods/{period.pk}/", "casework.legalstatusperiod", period.pk),
        (f"/api/v1/procedures/{procedure.pk}/", "casework.refugeeprocedure", procedure.pk),
    ):
        body = client.get(path).json()
        assert "AB12345678CD" not in str(body)  # the API never returns the full card number
        entry = AccessLogEntry.objects.filter(kind="legal_view").latest("pk")
        assert (entry.actor, entry.applicant_id) == (caseworker, own.pk)
        assert entry.detail == {"via": "api", "record": model, "id": pk}


def test_reading_history_through_the_api_is_a_read_of_each_file(client_for, supervisor, people):
    own = people["own"]
    results(client_for(supervisor), HISTORY)
    entry = AccessLogEntry.objects.filter(actor=supervisor, kind="applicant_view").get()
    assert entry.applicant_id == own.pk
    assert entry.detail == {"page": "history", "via": "api"}


# --- Query counts -----------------------------------------------------------------------------------------


def _bulk(applicant: Applicant, actors: list[User], count: int) -> None:
    now = timezone.now()
    models = cycle(
        [
            ("casework.applicant", {"caseworker_id": {"old": actors[0].pk, "new": actors[-1].pk}}),
            ("casework.legalstatusperiod", {"end_date": {"old": "2026-01-01", "new": "2026-02-01"}}),
            ("casework.sensitiverecord", {"text": {"old": "", "new": "secret"}}),
            (
                "casework.casenote",
                {"text": {"old": "", "new": "note"}, "confidential": {"old": None, "new": True}},
            ),
        ]
    )
    history, reads = [], []
    for index, actor in zip(range(count), cycle(actors), strict=False):
        model, changes = next(models)
        history.append(
            ChangeRecord(
                organisation_id=applicant.organisation_id,
                at=now - timedelta(seconds=index),
                actor=actor,
                applicant=applicant,
                model=model,
                object_id=str(100000 + index),
                action="update",
                changes=changes,
            )
        )
        reads.append(
            AccessLogEntry(
                organisation_id=applicant.organisation_id,
                at=now - timedelta(seconds=index),
                actor=actor,
                actor_label=actor.username,
                kind=AccessLogEntry.Kind.APPLICANT_VIEW,
                applicant=applicant,
            )
        )
    ChangeRecord.objects.bulk_create(history)
    AccessLogEntry.objects.bulk_create(reads)


def _queries(client: Client, path: str, rows: int = 25) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    assert len(response.json()["results"]) >= rows
    return len(captured)


@pytest.mark.parametrize("path", [HISTORY, ACCESS_LOG])
@pytest.mark.parametrize("role", ["supervisor", "administrator"])
def test_lists_run_the_same_number_of_queries_with_25_and_500_rows(
    request, client_for, caseworker, supervisor, people, path, role
):
    client = client_for(request.getfixturevalue(role))
    own = people["own"]
    _bulk(own, [caseworker, supervisor], 25)
    filtered = f"{path}?applicant={own.reference_code}&actor={caseworker.pk}"
    client.get(path)
    few, few_filtered = _queries(client, path), _queries(client, filtered, rows=10)
    _bulk(own, [caseworker, supervisor], 475)
    many, many_filtered = _queries(client, path), _queries(client, filtered)
    assert (many, many_filtered) == (few, few_filtered)
    assert few <= 12, few
