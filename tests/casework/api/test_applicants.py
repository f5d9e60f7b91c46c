"""The applicants API: register (with the duplicate check), read, update without lost updates, reassign,
who may do what, bad input as 400 with the services' messages, constant query counts, the schema."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS

from casework import rules, services
from casework.models import Applicant, Assignment, DuplicateCheck, LegalStatusPeriod
from casework.roles import Role
from tests.casework.applicant_factories import (
    ApplicantFactory,
    LegalStatusPeriodFactory,
    WorkPermissionFactory,
    build_caseload,
    bulk_applicants,
    bulk_periods,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/applicants/"


def detail(applicant: Applicant) -> str:
    return f"/api/v1/applicants/{applicant.reference_code}/"


def post(client: Client, url: str, data: object):
    return client.post(url, data, content_type="application/json")


def patch(client: Client, url: str, data: object):
    return client.patch(url, data, content_type="application/json")


@pytest.fixture
def caseload(team, other_team, caseworker):
    return build_caseload(team=team, other_team=other_team, caseworker=caseworker)


# --- Register ---------------------------------------------------------------------------------------------


def test_a_caseworker_registers_a_person_into_their_own_caseload(caseworker, client_for):
    response = post(
        client_for(caseworker),
        LIST,
        {
            "family_name": "Nguyen",
            "given_name": "Van A",
            "name_katakana": "グエン・ヴァン・ア",
            "date_of_birth": "1990-05-01",
            "nationality": "vn",
            "languages": [{"language": "Vietnamese", "level": "native"}],
            "skills": ["welding", "cooking"],
            "aliases": ["Nguyen V. A."],
            "email": "nguyen@example.org",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference_code"].startswith(f"A-{timezone.localdate().year}-")
    assert body["display_name"] == "NGUYEN Van A"
    assert body["nationality"] == "VN"
    assert body["team"] == {"id": caseworker.team_id, "name": "Tokyo East"}
    assert body["caseworker"] == {"id": caseworker.pk, "name": str(caseworker)}
    assert [alias["name"] for alias in body["aliases"]] == ["Nguyen V. A."]
    assert body["skills"] == ["cooking", "welding"]
    assert body["version"] == 1
    assert body["birth_date_is_approximate"] is False
    assert body["current_status_kind"] is None and body["may_work_today"] is False
    applicant = Applicant.objects.get(reference_code=body["reference_code"])
    assert Assignment.objects.filter(applicant=applicant, caseworker=caseworker).exists()
    # The new person is found through the list right away.
    found = client_for(caseworker).get(LIST, {"q": "ｸﾞｴﾝ"}).json()
    assert [row["reference_code"] for row in found["results"]] == [body["reference_code"]]


def test_a_supervisor_registers_into_a_team_they_lead_and_chooses_the_caseworker(
    supervisor, caseworker, team, other_team, client_for
):
    client = client_for(supervisor)
    response = post(client, LIST, {"given_name": "Amal", "team": team.pk, "caseworker": caseworker.pk})
    assert response.status_code == 201, response.json()
    assert response.json()["caseworker"]["id"] == caseworker.pk

    elsewhere = post(client, LIST, {"given_name": "Amal", "team": other_team.pk})
    assert elsewhere.status_code == 400
    assert elsewhere.json() == {"team": ["You can register people only into a team you lead."]}

    no_team = post(client, LIST, {"given_name": "Amal"})
    assert no_team.json() == {"team": ["Choose the team that will handle this case."]}


def test_only_a_given_name_is_enough(caseworker, client_for):
    response = post(client_for(caseworker), LIST, {"given_name": "Rohingya"})
    assert response.status_code == 201
    assert response.json()["family_name"] == ""
    assert response.json()["display_name"] == "Rohingya"


@pytest.mark.parametrize("data", [{}, {"given_name": "  "}, {"family_name": "Perera"}])
def test_a_given_name_is_required(caseworker, client_for, data):
    response = post(client_for(caseworker), LIST, data)
    assert response.status_code == 400
    assert response.json() == {
        "given_name": [
            "Enter the given name (for a person with one name, enter it here and leave the family name empty)."
        ]
    }


def test_only_a_birth_year_is_accepted_and_shown_as_approximate(caseworker, client_for):
    response = post(
        client_for(caseworker),
        LIST,
        {"given_name": "Suriya", "date_of_birth": "1988-07-15", "birth_date_precision": "year"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["date_of_birth"] == "1988-01-01"
    assert body["birth_date_precision"] == "year"
    assert body["birth_date_is_approximate"] is True
    assert body["birth_year"] == 1988
    assert body["birth_date_display"] == "1988 (≈)"


def test_a_date_of_birth_in_the_future_is_refused(caseworker, client_for):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = post(client_for(caseworker), LIST, {"given_name": "A", "date_of_birth": tomorrow.isoformat()})
    assert response.status_code == 400
    assert response.json() == {"date_of_birth": ["The date of birth cannot be in the future."]}


def test_a_date_of_birth_implying_an_age_over_120_is_refused(caseworker, client_for):
    born = date(timezone.localdate().year - 121, 1, 1)
    response = post(client_for(caseworker), LIST, {"given_name": "A", "date_of_birth": born.isoformat()})
    assert response.status_code == 400
    assert response.json() == {
        "date_of_birth": [f"This date of birth would make the person older than {rules.MAX_AGE_YEARS} years."]
    }


def test_an_unknown_nationality_is_refused(caseworker, client_for):
    response = post(client_for(caseworker), LIST, {"given_name": "A", "nationality": "ZZ"})
    assert response.status_code == 400
    assert response.json() == {
        "nationality": ["“ZZ” is not a country code (ISO 3166, two letters such as LK or MM)."]
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date_of_birth": "1990-02-30"}, "date_of_birth"),
        ({"date_of_birth": "yesterday"}, "date_of_birth"),
        ({"date_of_birth": "1800-01-01"}, "date_of_birth"),
        ({"intake_date": 20260101}, "intake_date"),
        ({"birth_date_precision": "decade"}, "birth_date_precision"),
        ({"birth_date_precision": ["year"]}, "birth_date_precision"),
        ({"case_stage": "finished"}, "case_stage"),
        ({"case_stage": 3}, "case_stage"),
        ({"languages": "Tamil"}, "languages"),
        ({"languages": [{"language": "Tamil", "level": "expert"}]}, "languages"),
        ({"skills": [1, 2]}, "skills"),
        ({"skills": "welding"}, "skills"),
        ({"aliases": "Sooriya"}, "aliases"),
        ({"email": "not an address"}, "email"),
        ({"family_name": "x" * 151}, "family_name"),
        ({"given_name": ["A"]}, "given_name"),
        ({"team": "Tokyo"}, "team"),
        ({"caseworker": 999999}, "caseworker"),
        ({"duplicate_check": 999999}, "duplicate_check"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(supervisor, team, client_for, data, field):
    response = post(client_for(supervisor), LIST, {"given_name": "A", "team": team.pk, **data})
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_body_that_is_not_an_object_is_a_400(caseworker, client_for):
    client = client_for(caseworker)
    assert post(client, LIST, ["given_name", "A"]).status_code == 400
    malformed = client.post(LIST, "{not json", content_type="application/json")
    assert malformed.status_code == 400


# --- The duplicate check ----------------------------------------------------------------------------------


@pytest.fixture
def existing_nguyen(other_team, make_user):
    other_caseworker = make_user(Role.CASEWORKER, username="case9", team=other_team, first_name="Kenji")
    applicant = ApplicantFactory(
        team=other_team,
        caseworker=other_caseworker,
        family_name="Nguyen",
        given_name="Van A",
        date_of_birth=date(1990, 5, 1),
        nationality="VN",
        phone="090-1234-5678",
    )
    LegalStatusPeriodFactory(applicant=applicant)
    return applicant


def test_the_duplicate_check_shows_only_what_may_be_shown_then_registration_records_the_decision(
    existing_nguyen, caseworker, client_for
):
    client = client_for(caseworker)
    # The match is in another team: the caseworker cannot open it...
    assert client.get(detail(existing_nguyen)).status_code == 404

    check = post(
        client,
        "/api/v1/applicants/duplicate-check/",
        {"family_name": "NGUYEN", "given_name": "van a", "date_of_birth": "1990-08-08", "nationality": "VN"},
    )
    assert check.status_code == 200, check.json()
    body = check.json()
    # ...but learns that it exists, with nothing more than these four facts.
    assert body["matches"] == [
        {
            "reference_code": existing_nguyen.reference_code,
            "name": "NGUYEN Van A",
            "birth_year": 1990,
            "caseworker": str(existing_nguyen.caseworker),
        }
    ]
    recorded = DuplicateCheck.objects.get(pk=body["id"])
    assert recorded.decision == DuplicateCheck.Decision.PENDING
    assert list(recorded.matches.all()) == [existing_nguyen]

    created = post(
        client,
        LIST,
        {
            "family_name": "Nguyen",
            "given_name": "Van A",
            "date_of_birth": "1990-08-08",
            "duplicate_check": body["id"],
        },
    )
    assert created.status_code == 201, created.json()
    recorded.refresh_from_db()
    assert recorded.decision == DuplicateCheck.Decision.NEW_PERSON
    assert recorded.registered.reference_code == created.json()["reference_code"]

    # A check is used once.
    again = post(client, LIST, {"given_name": "Van A", "duplicate_check": body["id"]})
    assert again.status_code == 400
    assert "duplicate_check" in again.json()


def test_the_duplicate_check_finds_the_same_card_number(
    existing_nguyen, caseworker, administrator, client_for
):
    services.legal_period_update(
        by=administrator, period=existing_nguyen.periods.get(), data={}, card_number="AB12345678CD"
    )
    response = post(
        client_for(caseworker),
        "/api/v1/applicants/duplicate-check/",
        {"given_name": "X", "card_number": "ab-1234 5678-cd"},
    )
    assert [match["reference_code"] for match in response.json()["matches"]] == [
        existing_nguyen.reference_code
    ]


def test_a_check_without_matches_is_recorded_as_such(caseworker, client_for):
    client = client_for(caseworker)
    check = post(
        client, "/api/v1/applicants/duplicate-check/", {"given_name": "Nobody", "date_of_birth": "1970-01-01"}
    )
    assert check.json()["matches"] == []
    post(client, LIST, {"given_name": "Nobody", "duplicate_check": check.json()["id"]})
    assert DuplicateCheck.objects.get(pk=check.json()["id"]).decision == DuplicateCheck.Decision.NO_MATCH


def test_someone_elses_duplicate_check_cannot_be_used(caseworker, supervisor, team, client_for):
    theirs = post(client_for(supervisor), "/api/v1/applicants/duplicate-check/", {"given_name": "A"}).json()[
        "id"
    ]
    response = post(client_for(caseworker), LIST, {"given_name": "A", "duplicate_check": theirs})
    assert response.status_code == 400
    assert "duplicate_check" in response.json()


@pytest.mark.parametrize("role", [Role.TRAINER, Role.EMPLOYER])
def test_trainers_and_employers_cannot_run_the_duplicate_check(existing_nguyen, role_users, client_for, role):
    response = post(
        client_for(role_users[role]), "/api/v1/applicants/duplicate-check/", {"family_name": "Nguyen"}
    )
    assert response.status_code == 403
    assert not DuplicateCheck.objects.exists()


def test_the_duplicate_check_service_refuses_trainers_too(trainer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.duplicate_check_run(by=trainer, family_name="Nguyen")


def test_the_duplicate_check_bad_input_is_a_400(caseworker, client_for):
    response = post(
        client_for(caseworker), "/api/v1/applicants/duplicate-check/", {"date_of_birth": "1990-13-01"}
    )
    assert response.status_code == 400
    assert "date_of_birth" in response.json()


# --- Update -----------------------------------------------------------------------------------------------


def test_an_update_needs_the_version_read_and_a_stale_one_is_a_409(caseload, caseworker, client_for):
    client = client_for(caseworker)
    url = detail(caseload.own)
    first_tab = client.get(url).json()
    second_tab = client.get(url).json()

    saved = patch(client, url, {"version": first_tab["version"], "city": "Shinjuku", "aliases": ["Own P."]})
    assert saved.status_code == 200, saved.json()
    assert saved.json()["city"] == "Shinjuku"
    assert saved.json()["version"] == first_tab["version"] + 1
    assert [alias["name"] for alias in saved.json()["aliases"]] == ["Own P."]

    stale = patch(client, url, {"version": second_tab["version"], "city": "Shibuya"})
    assert stale.status_code == 409
    assert stale.json() == {
        "detail": "Someone else saved this person's record after you opened it. Your changes were not saved: "
        "reload the page to see the current record, then make your changes again."
    }
    caseload.own.refresh_from_db()
    assert caseload.own.city == "Shinjuku"
    # Aliases left out stay as they were, and are still searchable.
    assert [a.name for a in caseload.own.aliases.all()] == ["Own P."]


def test_an_update_without_a_version_is_a_400(caseload, caseworker, client_for):
    response = patch(client_for(caseworker), detail(caseload.own), {"city": "Shibuya"})
    assert response.status_code == 400
    assert set(response.json()) == {"version"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"given_name": ""}, "given_name", None),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", None),
        ({"nationality": "XX"}, "nationality", None),
        ({"case_stage": "done"}, "case_stage", "Choose a case stage from the list."),
        ({"intake_date": "2100-01-01"}, "intake_date", "The intake date cannot be in the future."),
        ({"version": "one"}, "version", None),
    ],
)
def test_bad_updates_are_400s_with_the_services_messages(
    caseload, caseworker, client_for, data, field, message
):
    response = patch(client_for(caseworker), detail(caseload.own), {"version": caseload.own.version, **data})
    assert response.status_code == 400, response.content
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    caseload.own.refresh_from_db()
    assert caseload.own.version == 1


def test_put_and_delete_are_not_offered(caseload, administrator, client_for):
    client = client_for(administrator)
    assert client.put(detail(caseload.own), {}, content_type="application/json").status_code == 405
    assert client.delete(detail(caseload.own)).status_code == 405


# --- Reassign ---------------------------------------------------------------------------------------------


def test_a_supervisor_reassigns_cases_of_their_team(caseload, supervisor, caseworker, client_for):
    response = post(
        client_for(supervisor),
        "/api/v1/applicants/reassign/",
        {
            "applicants": [caseload.shared.reference_code, caseload.shared.reference_code],
            "team": caseworker.team_id,
            "caseworker": caseworker.pk,
            "reason": "Colleague on leave",
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"reassigned": 1}
    caseload.shared.refresh_from_db()
    assert caseload.shared.caseworker == caseworker
    assert caseload.shared.assignments.first().reason == "Colleague on leave"


def test_a_supervisor_cannot_reassign_into_or_out_of_teams_they_do_not_lead(
    caseload, supervisor, team, other_team, client_for
):
    client = client_for(supervisor)
    into = post(
        client,
        "/api/v1/applicants/reassign/",
        {"applicants": [caseload.own.reference_code], "team": other_team.pk},
    )
    assert into.status_code == 400
    assert into.json() == {"team": ["You can move cases only into a team you lead."]}
    # Another team's case is not even visible to them.
    out_of = post(
        client,
        "/api/v1/applicants/reassign/",
        {"applicants": [caseload.foreign.reference_code], "team": team.pk},
    )
    assert out_of.status_code == 400
    assert "applicants" in out_of.json()
    nothing = post(client, "/api/v1/applicants/reassign/", {"applicants": [], "team": team.pk})
    assert nothing.json() == {"applicants": ["Choose at least one case."]}


def test_an_administrator_reassigns_across_teams(caseload, administrator, other_team, client_for):
    response = post(
        client_for(administrator),
        "/api/v1/applicants/reassign/",
        {"applicants": [caseload.own.reference_code, caseload.shared.reference_code], "team": other_team.pk},
    )
    assert response.json() == {"reassigned": 2}
    assert set(Applicant.objects.filter(team=other_team).values_list("pk", flat=True)) == {
        caseload.own.pk,
        caseload.shared.pk,
        caseload.foreign.pk,
    }


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.TRAINER, Role.EMPLOYER])
def test_only_supervisors_and_administrators_reassign(caseload, role_users, team, client_for, role):
    response = post(
        client_for(role_users[role]),
        "/api/v1/applicants/reassign/",
        {"applicants": [caseload.own.reference_code], "team": team.pk},
    )
    assert response.status_code == 403


# --- Derived values ---------------------------------------------------------------------------------------


def _row(client, applicant):
    rows = client.get(LIST, {"q": applicant.reference_code}).json()["results"]
    assert len(rows) == 1
    return rows[0]


DERIVED = (
    "current_status_kind",
    "current_status_label",
    "lawful_stay_until",
    "days_left",
    "renewal_window_opens",
    "renewal_pending",
    "may_work_today",
)


def test_list_and_detail_show_the_same_derived_legal_summary(caseload, caseworker, client_for):
    today = timezone.localdate()
    client = client_for(caseworker)
    LegalStatusPeriodFactory(
        applicant=caseload.own,
        status_kind="long_term_resident",
        start_date=today - timedelta(days=100),
        end_date=rules.add_months(today - timedelta(days=100), 12) - timedelta(days=1),
    )
    row = _row(client, caseload.own)
    page = client.get(detail(caseload.own)).json()
    assert {key: row[key] for key in DERIVED} == {key: page[key] for key in DERIVED}
    end = rules.add_months(today - timedelta(days=100), 12) - timedelta(days=1)
    assert row["current_status_kind"] == "long_term_resident"
    assert row["current_status_label"] == "Long-Term Resident"
    assert row["lawful_stay_until"] == end.isoformat()
    assert row["days_left"] == (end - today).days
    assert row["renewal_window_opens"] == rules.add_months(end, -3).isoformat()
    assert row["may_work_today"] is True


@pytest.mark.parametrize(
    ("case", "expected_kind"),
    [
        # Renewal filed in time, decision pending, end passed a month ago: lawful in the special period.
        ("pending", "da_refugee_applicant"),
        # Renewal filed long ago and never decided: the special period (2 months) is over.
        ("pending long ago", None),
        # Renewal refused before the end, which passed: no current status.
        ("refused", None),
    ],
)
def test_a_period_past_its_end_is_current_only_during_the_special_period(
    caseload, caseworker, client_for, case, expected_kind
):
    today = timezone.localdate()
    if case == "pending":
        end = today - timedelta(days=30)
        values = {"renewal_filed_on": end - timedelta(days=20)}
    elif case == "pending long ago":
        end = today - timedelta(days=400)
        values = {"renewal_filed_on": end - timedelta(days=20)}
    else:
        end = today - timedelta(days=30)
        values = {
            "renewal_filed_on": end - timedelta(days=40),
            "renewal_decision": "refused",
            "renewal_decided_on": end - timedelta(days=10),
        }
    LegalStatusPeriodFactory(
        applicant=caseload.own, start_date=end - timedelta(days=180), end_date=end, **values
    )
    client = client_for(caseworker)
    row = _row(client, caseload.own)
    page = client.get(detail(caseload.own)).json()
    assert row["current_status_kind"] == page["current_status_kind"] == expected_kind
    assert {key: row[key] for key in DERIVED} == {key: page[key] for key in DERIVED}
    if expected_kind:
        assert row["lawful_stay_until"] == rules.add_months(end, 2).isoformat()
        assert row["renewal_pending"] is True
    # The filter agrees with the rows.
    filtered = client.get(LIST, {"status_kind": "da_refugee_applicant"}).json()["results"]
    assert (caseload.own.reference_code in [r["reference_code"] for r in filtered]) is bool(expected_kind)


def test_an_explicit_work_permission_makes_may_work_today_true(caseload, caseworker, client_for):
    client = client_for(caseworker)
    LegalStatusPeriodFactory(applicant=caseload.own)  # refugee applicant: no work by itself
    assert _row(client, caseload.own)["may_work_today"] is False
    WorkPermissionFactory(applicant=caseload.own)
    assert _row(client, caseload.own)["may_work_today"] is True
    assert client.get(detail(caseload.own)).json()["may_work_today"] is True
    assert [r["reference_code"] for r in client.get(LIST, {"may_work_now": "true"}).json()["results"]] == [
        caseload.own.reference_code
    ]


def test_the_list_filters_sorts_and_refuses_bad_filter_values(caseload, caseworker, client_for):
    client = client_for(caseworker)
    names = [r["family_name"] for r in client.get(LIST, {"sort": "-name"}).json()["results"]]
    assert names == ["Shared", "Own"]
    assert client.get(LIST, {"caseworker": caseworker.pk}).json()["count"] == 1
    for bad in ({"status_kind": "tourist"}, {"deadline_within": "soon"}, {"sort": "age"}, {"team": "x"}):
        response = client.get(LIST, bad)
        assert response.status_code == 400, bad
        assert set(bad) <= set(response.json())


# --- Who may do what --------------------------------------------------------------------------------------

ALL, TEAM, OTHER, NONE = {"own", "shared", "foreign"}, {"own", "shared"}, {"foreign"}, set()
# role → (visible applicants, writable applicants)
ACCESS = {
    "administrator": (ALL, ALL),
    "supervisor": (TEAM, TEAM),
    "other_supervisor": (OTHER, OTHER),
    "caseworker": (TEAM, {"own"}),
    "other_caseworker": (OTHER, OTHER),
    "trainer": (NONE, NONE),
    "employer": (NONE, NONE),
}


def _actor(name, role_users, caseload):
    if name == "other_supervisor":
        return caseload.other_supervisor
    if name == "other_caseworker":
        return caseload.other_caseworker
    return role_users[name]


@pytest.mark.parametrize("actor", list(ACCESS))
def test_who_sees_which_applicants(caseload, role_users, client_for, actor):
    client = client_for(_actor(actor, role_users, caseload))
    visible, _writable = ACCESS[actor]
    response = client.get(LIST)
    assert response.status_code == 200
    assert {r["family_name"].lower() for r in response.json()["results"]} == visible
    for name in ("own", "shared", "foreign"):
        applicant = getattr(caseload, name)
        assert client.get(detail(applicant)).status_code == (200 if name in visible else 404), name


@pytest.mark.parametrize("actor", list(ACCESS))
def test_who_may_change_which_applicants(caseload, role_users, client_for, actor):
    client = client_for(_actor(actor, role_users, caseload))
    visible, writable = ACCESS[actor]
    for name in ("own", "shared", "foreign"):
        applicant = getattr(caseload, name)
        response = patch(client, detail(applicant), {"version": 1, "city": "Kawasaki"})
        if not writable and not visible:
            expected = 403 if actor in ("trainer", "employer") else 404
        else:
            expected = 200 if name in writable else 404 if name not in visible else 403
        assert response.status_code == expected, (name, response.content)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.EMPLOYER])
def test_trainers_and_employers_cannot_register(role_users, client_for, role):
    assert post(client_for(role_users[role]), LIST, {"given_name": "A"}).status_code == 403
    assert not Applicant.objects.exists()


def test_anonymous_requests_are_refused(caseload):
    client = Client()
    assert client.get(LIST).status_code == 401
    assert client.get(detail(caseload.own)).status_code == 401
    assert post(client, LIST, {"given_name": "A"}).status_code == 401
    assert patch(client, detail(caseload.own), {"version": 1}).status_code == 401
    assert post(client, "/api/v1/applicants/duplicate-check/", {}).status_code == 401
    assert post(client, "/api/v1/applicants/reassign/", {}).status_code == 401


def test_a_team_shared_case_is_read_only_and_not_shared_when_the_organisation_says_so(
    caseload, caseworker, client_for
):
    client = client_for(caseworker)
    assert client.get(detail(caseload.shared)).status_code == 200
    organisation = caseworker.organisation
    organisation.team_caseload_shared = False
    organisation.save()
    client = client_for(type(caseworker).objects.get(pk=caseworker.pk))
    assert client.get(detail(caseload.shared)).status_code == 404
    assert client.get(LIST).json()["count"] == 1


# --- Query counts -----------------------------------------------------------------------------------------


def _count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries.captured_queries), response.json()


def test_the_list_runs_the_same_number_of_queries_with_25_and_500_rows(caseworker, team, client_for):
    client = client_for(caseworker)
    first = bulk_applicants(25, team=team, caseworker=caseworker, with_aliases=True, with_household=True)
    bulk_periods(first, per_applicant=2)
    client.get(LIST)  # warm up what is cached per process
    few, body = _count_queries(client, LIST)
    assert body["count"] == 25 and len(body["results"]) == 25
    assert body["results"][0]["aliases"] and body["results"][0]["household"]
    assert body["results"][0]["current_status_kind"] == "da_refugee_applicant"

    more = bulk_applicants(475, team=team, caseworker=caseworker, with_aliases=True, with_household=True)
    bulk_periods(more, per_applicant=2)
    many, body = _count_queries(client, LIST)
    assert body["count"] == 500 and len(body["results"]) == 25
    assert many == few
    # session, user, two 2FA device checks, roles, organisation (team sharing), count, page, aliases,
    # household, the page's periods and permissions for its legal summaries (the header's computation), and
    # the one insert that logs the page's people as listed.
    assert few <= 13
    # With filters and sorting on, still the same.
    filtered, body = _count_queries(client, LIST, {"deadline_within": 90, "sort": "deadline", "q": "person"})
    assert body["count"] == 500
    assert filtered == few


def test_the_detail_runs_a_fixed_number_of_queries(caseworker, team, client_for):
    client = client_for(caseworker)
    one = bulk_applicants(1, team=team, caseworker=caseworker, with_aliases=True, with_household=True)[0]
    bulk_periods([one], per_applicant=1)
    client.get(detail(one))
    few, _ = _count_queries(client, detail(one))
    other = bulk_applicants(1, team=team, caseworker=caseworker, with_aliases=True, with_household=True)[0]
    bulk_periods([other], per_applicant=20)
    for _index in range(5):
        WorkPermissionFactory(applicant=other)
    many, body = _count_queries(client, detail(other))
    assert body["current_status_kind"] == "da_refugee_applicant"
    assert many == few
    assert LegalStatusPeriod.objects.filter(applicant=other).count() == 20


# --- The schema -------------------------------------------------------------------------------------------


def test_the_schema_validates_without_warnings_and_documents_every_endpoint(tmp_path, caseworker, client_for):
    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    document = yaml.safe_load(target.read_text())
    paths = document["paths"]
    expected = {
        "/api/v1/applicants/": {"get", "post"},
        "/api/v1/applicants/{reference_code}/": {"get", "patch"},
        "/api/v1/applicants/duplicate-check/": {"post"},
        "/api/v1/applicants/reassign/": {"post"},
        "/api/v1/legal-status-periods/": {"get", "post"},
        "/api/v1/legal-status-periods/{id}/": {"get", "patch", "delete"},
        "/api/v1/work-permissions/": {"get", "post"},
        "/api/v1/work-permissions/{id}/": {"get"},
        "/api/v1/reporting-obligations/": {"get", "post"},
        "/api/v1/reporting-obligations/{id}/": {"get"},
        "/api/v1/procedures/": {"get", "post"},
        "/api/v1/procedures/{id}/": {"get", "patch"},
        "/api/v1/procedures/{id}/events/": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) - {"parameters"} == methods, path

    def request_schema(path, method):
        return paths[path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]

    def response_schema(path, method, code):
        return paths[path][method]["responses"][code]["content"]["application/json"]["schema"]["$ref"]

    assert request_schema("/api/v1/applicants/", "post").endswith("/ApplicantCreateRequest")
    assert response_schema("/api/v1/applicants/", "post", "201").endswith("/Applicant")
    assert response_schema("/api/v1/applicants/", "get", "200").endswith("/PaginatedApplicantList")
    assert "409" in paths["/api/v1/applicants/{reference_code}/"]["patch"]["responses"]
    assert response_schema("/api/v1/applicants/duplicate-check/", "post", "200").endswith(
        "/DuplicateCheckResult"
    )
    assert request_schema("/api/v1/legal-status-periods/", "post").endswith("/LegalStatusPeriodCreateRequest")
    assert response_schema("/api/v1/procedures/{id}/events/", "post", "201").endswith("/ProcedureEvent")
    list_parameters = {p["name"] for p in paths["/api/v1/applicants/"]["get"]["parameters"]}
    assert {"q", "status_kind", "deadline_within", "may_work_now", "sort", "page"} <= list_parameters

    components = document["components"]["schemas"]
    period_in = components["LegalStatusPeriodCreateRequest"]["properties"]
    assert period_in["card_number"]["writeOnly"] is True
    assert {"confirm_card_conflict", "end_current"} <= set(period_in)
    period_out = components["LegalStatusPeriod"]["properties"]
    assert "card_number" not in period_out
    assert all(
        period_out[key]["readOnly"] for key in ("card_number_masked", "lawful_stay_until", "grants_work")
    )
    assert set(components["DuplicateMatch"]["properties"]) == {
        "reference_code",
        "name",
        "birth_year",
        "caseworker",
    }

    # The live endpoint serves the same paths.
    live = yaml.safe_load(client_for(caseworker).get("/api/v1/schema/").content)
    assert set(live["paths"]) == set(paths)
