"""/api/v1/right-to-work-checks/: list (filtered by the applicant's reference code), retrieve and create
through the legal door; each bad input a 400 naming the field with the service's message; 403/404 per
role; no change or delete; the access log; constant queries on the list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import AccessLogEntry, ChangeRecord, RightToWorkCheck
from tests.casework.applicant_factories import build_caseload, bulk_applicants

pytestmark = pytest.mark.django_db

CHECKS = "/api/v1/right-to-work-checks/"


def post(client: Client, data: object):
    return client.post(CHECKS, data, content_type="application/json")


def days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.fixture
def caseload(team, other_team, caseworker):
    return build_caseload(team=team, other_team=other_team, caseworker=caseworker)


@pytest.fixture
def api(caseworker, client_for) -> Client:
    return client_for(caseworker)


def check_data(person, **values):
    return {
        "applicant": person.reference_code,
        "checked_on": days(-1),
        "saw_residence_card": True,
        "saw_designation_paper": True,
        **values,
    }


def make_check(applicant, by, **values):
    values.setdefault("checked_on", timezone.localdate() - timedelta(days=5))
    values.setdefault("saw_residence_card", True)
    values.setdefault("saw_designation_paper", True)
    return RightToWorkCheck.objects.create(applicant=applicant, checked_by=by, **values)


def test_record_a_check_and_read_it_back(caseload, api, caseworker):
    response = post(api, check_data(caseload.own, note="At the office"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["applicant"] == caseload.own.reference_code
    assert body["checked_on"] == days(-1)
    assert body["saw_residence_card"] is True and body["saw_designation_paper"] is True
    assert body["note"] == "At the office"
    assert body["checked_by"] == {"id": caseworker.pk, "name": str(caseworker)}
    assert api.get(f"{CHECKS}{body['id']}/").json() == body
    assert ChangeRecord.objects.filter(model="casework.righttoworkcheck", object_id=str(body["id"])).exists()


def test_who_checked_is_the_signed_in_user_whatever_is_sent(caseload, api, caseworker, supervisor):
    response = post(api, check_data(caseload.own, checked_by=supervisor.pk))
    assert response.status_code == 201
    assert RightToWorkCheck.objects.get().checked_by == caseworker


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"checked_on": days(1)}, "checked_on", "The check cannot be in the future."),
        ({"checked_on": None}, "checked_on", "Enter the day you saw the documents."),
        ({"checked_on": "yesterday"}, "checked_on", None),
        ({"checked_on": "1850-01-01"}, "checked_on", None),
        (
            {"saw_residence_card": False, "saw_designation_paper": False},
            "saw_residence_card",
            "Tick the documents you saw: the residence card, the designation paper, or both.",
        ),
        (
            {"saw_residence_card": None, "saw_designation_paper": None},
            "saw_residence_card",
            None,  # null is not a boolean: the parser names the field
        ),
        ({"saw_designation_paper": "perhaps"}, "saw_designation_paper", None),
        ({"note": ["a", "list"]}, "note", None),
        ({"applicant": "A-1999-99999"}, "applicant", None),
        ({"applicant": None}, "applicant", None),
    ],
    ids=[
        "future",
        "no date",
        "not a date",
        "implausible year",
        "no document",
        "null documents",
        "not a boolean",
        "note not text",
        "unknown applicant",
        "no applicant",
    ],
)
def test_bad_input_is_a_400_naming_the_field(caseload, api, values, field, message):
    data = check_data(caseload.own, **values)
    response = post(api, data)
    assert response.status_code == 400, response.content
    assert field in response.json()
    if message:
        assert response.json() == {field: [message]}
    assert not RightToWorkCheck.objects.exists()


def test_no_document_left_out_entirely_is_the_services_message(caseload, api):
    data = {"applicant": caseload.own.reference_code, "checked_on": days(0)}
    response = post(api, data)
    assert response.status_code == 400
    assert response.json() == {
        "saw_residence_card": [
            "Tick the documents you saw: the residence card, the designation paper, or both."
        ]
    }


def test_a_body_that_is_not_an_object_is_a_400(caseload, api):
    response = api.post(CHECKS, "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert api.post(CHECKS, "{not json", content_type="application/json").status_code == 400


def test_checks_cannot_be_changed_or_deleted(caseload, api, caseworker):
    check = make_check(caseload.own, caseworker)
    url = f"{CHECKS}{check.pk}/"
    assert api.patch(url, {"note": "x"}, content_type="application/json").status_code == 405
    assert api.put(url, {"note": "x"}, content_type="application/json").status_code == 405
    assert api.delete(url).status_code == 405
    check.refresh_from_db()
    assert check.note == ""


def test_filtered_by_the_applicants_reference_code_and_by_date(caseload, api, caseworker, supervisor):
    make_check(caseload.own, caseworker, checked_on=timezone.localdate() - timedelta(days=30))
    make_check(caseload.own, caseworker)
    other = bulk_applicants(1, team=caseload.own.team, caseworker=caseworker)[0]
    make_check(other, caseworker)
    make_check(caseload.shared, caseload.colleague)  # a teammate's: not the caseworker's to read
    assert api.get(CHECKS).json()["count"] == 3
    rows = api.get(CHECKS, {"applicant": caseload.own.reference_code}).json()["results"]
    assert [row["applicant"] for row in rows] == [caseload.own.reference_code] * 2
    assert rows[0]["checked_on"] > rows[1]["checked_on"]  # newest first
    assert api.get(CHECKS, {"applicant": caseload.shared.reference_code}).json()["count"] == 0
    assert api.get(CHECKS, {"checked_after": days(-10)}).json()["count"] == 2
    assert api.get(CHECKS, {"checked_before": days(-10)}).json()["count"] == 1
    assert api.get(CHECKS, {"checked_after": "soon"}).status_code == 400


def test_reading_one_check_writes_the_access_log(caseload, api, caseworker):
    check = make_check(caseload.own, caseworker)
    assert api.get(f"{CHECKS}{check.pk}/").status_code == 200
    entry = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.LEGAL_VIEW).latest("pk")
    assert entry.applicant_id == caseload.own.pk and entry.actor == caseworker
    assert entry.detail == {"via": "api", "record": "casework.righttoworkcheck", "id": check.pk}


# --- Who may do what --------------------------------------------------------------------------------------

ALL, TEAM, OTHER, NONE = {"own", "shared", "foreign"}, {"own", "shared"}, {"foreign"}, set()
# (legal records readable, writable): a caseworker's legal reach is their own caseload only.
ACCESS = {
    "administrator": (ALL, ALL),
    "supervisor": (TEAM, TEAM),
    "other_supervisor": (OTHER, OTHER),
    "caseworker": ({"own"}, {"own"}),
    "colleague": ({"shared"}, {"shared"}),  # the teammate whose case "shared" is
    "trainer": (NONE, NONE),
    "employer": (NONE, NONE),
}
# Whose profile each role can name as `applicant` (a caseworker reads the team's shared caseload).
PROFILE_VISIBLE = {**{actor: readable for actor, (readable, _w) in ACCESS.items()}, "caseworker": TEAM}
PROFILE_VISIBLE["colleague"] = TEAM
READ_ONLY_ROLES = {"trainer", "employer"}


def _actor(name, role_users, caseload):
    if name in ("other_supervisor", "colleague"):
        return getattr(caseload, name)
    return role_users[name]


@pytest.fixture
def checks(caseload, caseworker):
    return {name: make_check(getattr(caseload, name), caseworker) for name in ("own", "shared", "foreign")}


@pytest.mark.parametrize("actor", list(ACCESS))
def test_who_sees_which_checks(caseload, checks, role_users, client_for, actor):
    client = client_for(_actor(actor, role_users, caseload))
    readable, _writable = ACCESS[actor]
    response = client.get(CHECKS)
    assert response.status_code == 200
    assert {row["applicant"] for row in response.json()["results"]} == {
        getattr(caseload, name).reference_code for name in readable
    }
    for name, check in checks.items():
        assert client.get(f"{CHECKS}{check.pk}/").status_code == (200 if name in readable else 404), name


@pytest.mark.parametrize("actor", list(ACCESS))
def test_who_may_record_a_check_for_whom(caseload, role_users, client_for, actor):
    """403 for trainers and employer users before any input is read; for staff a 400 on `applicant` for a
    person they cannot see at all, a 403 for one they may read but not change (a teammate's case)."""
    client = client_for(_actor(actor, role_users, caseload))
    readable, writable = ACCESS[actor]
    for name in ("own", "shared", "foreign"):
        response = post(client, check_data(getattr(caseload, name)))
        if actor in READ_ONLY_ROLES:
            expected = 403
        elif name not in PROFILE_VISIBLE[actor]:
            expected = 400
        elif name not in writable:
            expected = 403
        else:
            expected = 201
        assert response.status_code == expected, (name, response.content)
        if expected == 400:
            assert list(response.json()) == ["applicant"]
    created = set(RightToWorkCheck.objects.values_list("applicant__reference_code", flat=True))
    assert created == {getattr(caseload, name).reference_code for name in writable}


def test_an_employer_user_is_refused_even_with_nonsense(caseload, employer, client_for):
    client = client_for(employer)
    assert post(client, {"checked_on": "soon"}).status_code == 403
    assert client.post(CHECKS, "{not json", content_type="application/json").status_code == 403


def test_anonymous_requests_are_refused(caseload, caseworker):
    check = make_check(caseload.own, caseworker)
    client = Client()
    assert client.get(CHECKS).status_code == 401
    assert client.get(f"{CHECKS}{check.pk}/").status_code == 401
    assert post(client, check_data(caseload.own)).status_code == 401
    assert not RightToWorkCheck.objects.exclude(pk=check.pk).exists()


# --- Query counts: the same with 25 and with 500 rows ------------------------------------------------------


def _populate(applicants, by, count):
    today = timezone.localdate()
    RightToWorkCheck.objects.bulk_create(
        [
            RightToWorkCheck(
                applicant=applicants[index % len(applicants)],
                checked_on=today - timedelta(days=index),
                saw_residence_card=True,
                saw_designation_paper=bool(index % 3),
                checked_by=by,
            )
            for index in range(count)
        ],
        batch_size=500,
    )


def test_the_list_runs_the_same_number_of_queries_with_25_and_500_rows(
    caseworker, supervisor, team, client_for
):
    client = client_for(caseworker)
    applicants = bulk_applicants(5, team=team, caseworker=caseworker)
    _populate(applicants, caseworker, 25)
    client.get(CHECKS)  # warm up
    with CaptureQueriesContext(connection) as few:
        response = client.get(CHECKS)
    assert response.json()["count"] == 25

    _populate(applicants, supervisor, 475)
    with CaptureQueriesContext(connection) as many:
        response = client.get(CHECKS)
    body = response.json()
    assert body["count"] == 500 and len(body["results"]) == 25
    assert {row["checked_by"]["id"] for row in body["results"]} <= {caseworker.pk, supervisor.pk}
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]
    # session, user, two 2FA device checks, roles, organisation, count, page
    assert len(few.captured_queries) <= 8
