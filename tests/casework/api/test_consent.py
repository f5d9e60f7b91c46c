"""The consent and sensitive-information API: the services' messages as 400s, who reads and writes,
`sensitive_view` per person for every response carrying texts, revocation hides at once, and list
query counts that do not grow with the data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import services
from casework.models import AccessLogEntry, Consent, ConsentPurpose, SensitiveRecord
from tests.casework.applicant_factories import build_caseload, bulk_applicants

pytestmark = pytest.mark.django_db

CONSENTS = "/api/v1/consents/"
SENSITIVE_API = "/api/v1/sensitive-information/"
SENSITIVE = ConsentPurpose.SENSITIVE_INFORMATION
TEXT = "Mild asthma, controlled with an inhaler."


def post(client: Client, url: str, data: object):
    return client.post(url, data, content_type="application/json")


def today() -> date:
    return timezone.localdate()


def days(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


@pytest.fixture
def caseload(team, other_team, caseworker):
    return build_caseload(team=team, other_team=other_team, caseworker=caseworker)


@pytest.fixture
def api(caseworker, client_for) -> Client:
    return client_for(caseworker)


def give_consent(by, applicant, purpose=SENSITIVE, **data):
    return services.consent_record(
        by=by,
        applicant=applicant,
        data={"purpose": purpose, "granted_on": today() - timedelta(days=30), **data},
    )


@pytest.fixture
def with_sensitive(caseworker, caseload):
    consent = give_consent(caseworker, caseload.own)
    services.sensitive_record_save(by=caseworker, applicant=caseload.own, category="health", text=TEXT)
    return consent


def sensitive_views() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SENSITIVE_VIEW).order_by("pk"))


# --- Consents -------------------------------------------------------------------------------------------


def test_record_a_consent(caseload, api, caseworker):
    response = post(
        api,
        CONSENTS,
        {
            "applicant": caseload.own.reference_code,
            "purpose": "share_with_employer",
            "employer_name": "Sakura Foods",
            "scope": ["skills", "japanese_level"],
            "granted_on": days(-2),
            "expires_on": days(200),
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["applicant"] == caseload.own.reference_code
    assert body["scope"] == ["skills", "japanese_level"]
    assert body["state"] == "current" and body["revoked_on"] is None
    assert body["recorded_by"]["id"] == caseworker.pk
    assert body["purpose_label"] == "Share with a named employer"
    assert Consent.objects.get().employer_name == "Sakura Foods"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"granted_on": days(-2), "expires_on": days(-3)},
            "expires_on",
            f"The consent cannot expire before the day it was given ({days(-2)}).",
        ),
        (
            {"purpose": "share_with_employer", "scope": ["skills"]},
            "employer_name",
            "Name the employer the person agreed to share their information with.",
        ),
        ({"scope": ["skills", "religion"]}, "scope", "“religion” is not a field group a consent can cover."),
        ({"purpose": "marketing"}, "purpose", "Choose the purpose of the consent from the list."),
        ({"purpose": None}, "purpose", None),
        ({"granted_on": days(3)}, "granted_on", "The consent cannot be recorded ahead"),
        ({"granted_on": None}, "granted_on", "Enter the day the person gave their consent."),
    ],
)
def test_bad_consents_get_the_services_messages(caseload, api, values, field, message):
    data = {"applicant": caseload.own.reference_code, "purpose": "case_management", "granted_on": days(-1)}
    data.update(values)
    if data.get("purpose") is None:
        data.pop("purpose")
        message = "Choose the purpose of the consent from the list."
    response = post(api, CONSENTS, data)
    assert response.status_code == 400
    assert response.json()[field][0].startswith(message), response.json()
    assert not Consent.objects.exists()


def test_consent_lists_follow_visible_to(caseload, request, client_for, caseworker):
    give_consent(caseworker, caseload.own)
    give_consent(caseload.colleague, caseload.shared)
    give_consent(caseload.other_caseworker, caseload.foreign)

    def seen(user) -> set[str]:
        response = client_for(user).get(CONSENTS)
        assert response.status_code == 200
        return {row["applicant"] for row in response.json()["results"]}

    own, shared, foreign = (
        caseload.own.reference_code,
        caseload.shared.reference_code,
        caseload.foreign.reference_code,
    )
    assert seen(caseworker) == {own}  # the team's shared case: profile only, not its consents
    assert seen(request.getfixturevalue("supervisor")) == {own, shared}
    assert seen(request.getfixturevalue("administrator")) == {own, shared, foreign}
    assert seen(request.getfixturevalue("trainer")) == set()
    assert seen(request.getfixturevalue("employer")) == set()
    assert Client().get(CONSENTS).status_code in (401, 403)


def test_consent_writes_per_role(caseload, client_for, request, caseworker):
    def create(user, applicant):
        return post(
            client_for(user),
            CONSENTS,
            {"applicant": applicant.reference_code, "purpose": "case_management", "granted_on": days(-1)},
        )

    assert create(caseworker, caseload.shared).status_code == 403  # visible, read-only
    assert create(caseworker, caseload.foreign).status_code == 400  # not visible: a bad reference
    assert create(request.getfixturevalue("trainer"), caseload.own).status_code == 403
    assert create(request.getfixturevalue("employer"), caseload.own).status_code == 403
    assert create(request.getfixturevalue("supervisor"), caseload.shared).status_code == 201
    assert create(request.getfixturevalue("administrator"), caseload.foreign).status_code == 201


def test_revoke_a_consent(caseload, api, caseworker):
    consent = give_consent(caseworker, caseload.own, ConsentPurpose.RESEARCH)
    path = f"{CONSENTS}{consent.pk}/revoke/"
    assert api.get(path).status_code == 405
    response = post(api, path, {"revoked_on": days(-1)})
    assert response.status_code == 200, response.json()
    assert response.json()["revoked_on"] == days(-1) and response.json()["state"] == "revoked"
    again = post(api, path, {})
    assert again.status_code == 400
    assert again.json()["revoked_on"] == [f"This consent was already revoked on {days(-1)}."]


def test_revoke_needs_write_access(caseload, client_for, caseworker, request):
    shared = give_consent(caseload.colleague, caseload.shared)
    foreign = give_consent(caseload.other_caseworker, caseload.foreign)
    assert post(client_for(caseworker), f"{CONSENTS}{shared.pk}/revoke/", {}).status_code == 404
    assert post(client_for(caseworker), f"{CONSENTS}{foreign.pk}/revoke/", {}).status_code == 404
    assert (
        post(client_for(request.getfixturevalue("trainer")), f"{CONSENTS}{shared.pk}/revoke/", {}).status_code
        == 403
    )
    assert (
        post(
            client_for(request.getfixturevalue("supervisor")), f"{CONSENTS}{shared.pk}/revoke/", {}
        ).status_code
        == 200
    )


def test_consent_filters(caseload, api, caseworker):
    give_consent(caseworker, caseload.own, ConsentPurpose.RESEARCH, expires_on=today() - timedelta(days=1))
    give_consent(caseworker, caseload.own, ConsentPurpose.CASE_MANAGEMENT)
    response = api.get(CONSENTS, {"current_on": days(0)})
    assert [row["purpose"] for row in response.json()["results"]] == ["case_management"]
    response = api.get(CONSENTS, {"purpose": "research", "applicant": caseload.own.reference_code})
    assert [row["state"] for row in response.json()["results"]] == ["expired"]


# --- Sensitive information ------------------------------------------------------------------------------


def test_write_then_replace_a_category(caseload, api, caseworker):
    give_consent(caseworker, caseload.own)
    data = {"applicant": caseload.own.reference_code, "category": "health", "text": TEXT}
    created = post(api, SENSITIVE_API, data)
    assert created.status_code == 201, created.json()
    assert created.json()["text"] == TEXT and created.json()["category_label"] == "Health"
    replaced = post(api, SENSITIVE_API, {**data, "text": "Better now."})
    assert replaced.status_code == 200 and replaced.json()["id"] == created.json()["id"]
    assert SensitiveRecord.objects.get().text == "Better now."
    assert sensitive_views() == []  # writing is in the history, not a read


@pytest.mark.parametrize("state", ["none", "expired", "revoked", "not yet valid"])
def test_sensitive_information_needs_a_current_consent(caseload, api, caseworker, state):
    if state == "expired":
        give_consent(caseworker, caseload.own, expires_on=today() - timedelta(days=1))
    elif state == "revoked":
        services.consent_revoke(by=caseworker, consent=give_consent(caseworker, caseload.own))
    elif state == "not yet valid":
        Consent.objects.create(
            applicant=caseload.own,
            purpose=SENSITIVE,
            granted_on=today() + timedelta(days=2),
            recorded_by=caseworker,
        )
    response = post(
        api, SENSITIVE_API, {"applicant": caseload.own.reference_code, "category": "health", "text": TEXT}
    )
    assert response.status_code == 400
    message = response.json()["non_field_errors"][0]
    assert "consent for sensitive information" in message
    assert not SensitiveRecord.objects.exists()


def test_sensitive_bad_input(caseload, api, caseworker):
    give_consent(caseworker, caseload.own)
    base = {"applicant": caseload.own.reference_code, "category": "health", "text": TEXT}
    assert "category" in post(api, SENSITIVE_API, {**base, "category": "religion"}).json()
    assert post(api, SENSITIVE_API, {**base, "text": " "}).json() == {
        "text": ["Write the information for this category."]
    }
    assert post(api, SENSITIVE_API, {**base, "category": 3}).status_code == 400


def test_list_and_retrieve_log_a_view_each(caseload, api, caseworker, with_sensitive):
    response = api.get(SENSITIVE_API)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["text"] for row in rows] == [TEXT]
    views = sensitive_views()
    assert len(views) == 1 and views[0].actor == caseworker and views[0].applicant_id == caseload.own.pk
    assert views[0].detail == {"via": "api"}
    one = api.get(f"{SENSITIVE_API}{rows[0]['id']}/")
    assert one.status_code == 200 and one.json()["text"] == TEXT
    assert len(sensitive_views()) == 2
    assert sensitive_views()[1].detail == {"via": "api", "categories": ["health"]}


def test_an_empty_list_logs_nothing(api):
    assert api.get(SENSITIVE_API).json()["results"] == []
    assert sensitive_views() == []


@pytest.mark.parametrize("who", ["administrator", "teammate", "other supervisor", "trainer", "employer"])
def test_nobody_else_reads_or_writes_sensitive_information(
    who, request, client_for, caseload, with_sensitive
):
    user = {
        "administrator": request.getfixturevalue("administrator"),
        "teammate": caseload.colleague,
        "other supervisor": caseload.other_supervisor,
        "trainer": request.getfixturevalue("trainer"),
        "employer": request.getfixturevalue("employer"),
    }[who]
    client = client_for(user)
    record = SensitiveRecord.objects.get()
    assert client.get(SENSITIVE_API).json()["results"] == []
    assert client.get(f"{SENSITIVE_API}{record.pk}/").status_code == 404
    write = post(
        client, SENSITIVE_API, {"applicant": caseload.own.reference_code, "category": "health", "text": "x"}
    )
    expected = {
        "administrator": 403,
        "teammate": 403,
        "other supervisor": 400,
        "trainer": 403,
        "employer": 403,
    }
    assert write.status_code == expected[who], write.json()
    erase = post(client, f"{SENSITIVE_API}erase/", {"applicant": caseload.own.reference_code})
    assert erase.status_code == expected[who]
    assert SensitiveRecord.objects.get().text == TEXT
    assert sensitive_views() == []


def test_the_team_supervisor_reads_it(client_for, supervisor, caseload, with_sensitive):
    rows = (
        client_for(supervisor)
        .get(SENSITIVE_API, {"applicant": caseload.own.reference_code})
        .json()["results"]
    )
    assert [row["text"] for row in rows] == [TEXT]
    assert [entry.actor for entry in sensitive_views()] == [supervisor]


def test_revocation_hides_at_once_and_erasure_follows(caseload, api, caseworker, with_sensitive):
    record = SensitiveRecord.objects.get()
    refused = post(api, f"{SENSITIVE_API}erase/", {"applicant": caseload.own.reference_code})
    assert refused.status_code == 400 and "still current" in refused.json()["non_field_errors"][0]
    response = post(api, f"{CONSENTS}{with_sensitive.pk}/revoke/", {})
    assert response.status_code == 200
    assert api.get(SENSITIVE_API).json()["results"] == []
    assert api.get(f"{SENSITIVE_API}{record.pk}/").status_code == 404
    assert sensitive_views() == []
    erased = post(api, f"{SENSITIVE_API}erase/", {"applicant": caseload.own.reference_code})
    assert erased.status_code == 200 and erased.json() == {"erased": 1}
    assert not SensitiveRecord.objects.exists()
    assert api.get(f"{SENSITIVE_API}erase/").status_code == 405


def test_sensitive_filters(caseload, api, caseworker, with_sensitive):
    services.sensitive_record_save(by=caseworker, applicant=caseload.own, category="detention", text="None.")
    response = api.get(SENSITIVE_API, {"category": "detention"})
    assert [row["category"] for row in response.json()["results"]] == ["detention"]
    # A filtered list logs only the people it returned.
    assert len(sensitive_views()) == 1


# --- Query counts --------------------------------------------------------------------------------------------


def populate(applicants, caseworker, *, consents: bool, sensitive: bool) -> None:
    start = today() - timedelta(days=30)
    Consent.objects.bulk_create(
        [
            Consent(applicant=a, purpose=SENSITIVE, granted_on=start, recorded_by=caseworker)
            for a in applicants
        ]
    )
    if sensitive:
        SensitiveRecord.objects.bulk_create(
            [
                SensitiveRecord(applicant=a, category="health", text=TEXT, recorded_by=caseworker)
                for a in applicants
            ]
        )


@pytest.mark.parametrize("endpoint", [CONSENTS, SENSITIVE_API])
def test_list_query_counts_do_not_grow(endpoint, team, caseworker, client_for):
    client = client_for(caseworker)
    first = bulk_applicants(25, team=team, caseworker=caseworker)
    populate(first, caseworker, consents=True, sensitive=True)
    client.get(endpoint)
    with CaptureQueriesContext(connection) as few:
        response = client.get(endpoint)
    assert response.json()["count"] == 25
    more = bulk_applicants(475, team=team, caseworker=caseworker)
    populate(more, caseworker, consents=True, sensitive=True)
    with CaptureQueriesContext(connection) as many:
        response = client.get(endpoint)
    body = response.json()
    assert body["count"] == 500 and len(body["results"]) == 25
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]
    print(
        f"\n{endpoint}: {len(few.captured_queries)} queries with 25 rows, {len(many.captured_queries)} with 500"
    )
    if endpoint == SENSITIVE_API:
        # 25 people on the page, 25 entries, written in one query.
        assert AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SENSITIVE_VIEW).count() == 25 * 3
