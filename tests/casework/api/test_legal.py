"""The legal-record API: status periods, work permissions, reporting obligations, refugee procedures and
their events; each bad input of issue 3 as a 400 with the services' message; access per role; constant
query counts on every list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import rules
from casework.models import (
    LegalStatusPeriod,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    WorkPermission,
)
from tests.casework.applicant_factories import (
    ApplicantFactory,
    LegalStatusPeriodFactory,
    ProcedureEventFactory,
    RefugeeProcedureFactory,
    ReportingObligationFactory,
    WorkPermissionFactory,
    build_caseload,
    bulk_applicants,
)

pytestmark = pytest.mark.django_db

PERIODS = "/api/v1/legal-status-periods/"
PERMISSIONS = "/api/v1/work-permissions/"
REPORTING = "/api/v1/reporting-obligations/"
PROCEDURES = "/api/v1/procedures/"


def post(client: Client, url: str, data: object):
    return client.post(url, data, content_type="application/json")


def patch(client: Client, url: str, data: object):
    return client.patch(url, data, content_type="application/json")


def days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.fixture
def caseload(team, other_team, caseworker):
    return build_caseload(team=team, other_team=other_team, caseworker=caseworker)


@pytest.fixture
def api(caseworker, client_for) -> Client:
    return client_for(caseworker)


def period_data(person, **values):
    return {
        "applicant": person.reference_code,
        "status_kind": "da_refugee_applicant",
        "start_date": days(-30),
        "end_date": days(152),
        **values,
    }


# --- Legal status periods ---------------------------------------------------------------------------------


def test_record_a_period_with_a_card_number_and_read_the_derived_values(caseload, api):
    response = post(
        api, PERIODS, period_data(caseload.own, card_number="AB12345678CD", designation_wording="就労可")
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["applicant"] == caseload.own.reference_code
    assert body["status_label"] == "Designated Activities (refugee applicant)"
    assert body["card_number_masked"] == "AB******CD"
    assert "card_number" not in body and "confirm_card_conflict" not in body
    assert body["lawful_stay_until"] == days(152)
    assert (
        body["renewal_window_opens"]
        == rules.add_months(timezone.localdate() + timedelta(days=152), -3).isoformat()
    )
    assert body["grants_work"] is False
    period = LegalStatusPeriod.objects.get(pk=body["id"])
    assert period.card_number == "AB12345678CD"
    assert api.get(f"{PERIODS}{period.pk}/").json() == body


def test_a_pending_renewal_extends_lawful_stay_in_the_output(caseload, api):
    period = post(api, PERIODS, period_data(caseload.own)).json()
    end = timezone.localdate() + timedelta(days=152)
    response = patch(api, f"{PERIODS}{period['id']}/", {"renewal_filed_on": days(0)})
    assert response.status_code == 200, response.json()
    assert response.json()["lawful_stay_until"] == rules.add_months(end, 2).isoformat()
    assert response.json()["card_number_masked"] == ""


def test_a_period_ending_before_it_starts_is_refused(caseload, api):
    response = post(api, PERIODS, period_data(caseload.own, start_date=days(0), end_date=days(-1)))
    assert response.status_code == 400
    assert response.json() == {"end_date": ["The end cannot be before the start."]}


def test_an_overlapping_period_is_refused_naming_the_other_periods_dates(caseload, api):
    first = post(api, PERIODS, period_data(caseload.own, start_date="2026-06-01", end_date="2026-11-30"))
    assert first.status_code == 201
    response = post(api, PERIODS, period_data(caseload.own, start_date="2026-11-01", end_date="2027-04-30"))
    assert response.status_code == 400
    assert response.json() == {
        "start_date": [
            "This period overlaps the period from 2026-06-01 to 2026-11-30 (Designated Activities (refugee "
            "applicant)). Periods of one person cannot overlap: correct the dates, or end the other period first."
        ]
    }
    # A correction that makes an existing period overlap is refused the same way.
    second = post(api, PERIODS, period_data(caseload.own, start_date="2026-12-01", end_date="2027-05-31"))
    assert second.status_code == 201
    moved = patch(api, f"{PERIODS}{second.json()['id']}/", {"start_date": "2026-11-15"})
    assert moved.status_code == 400
    assert "2026-06-01 to 2026-11-30" in moved.json()["start_date"][0]


def test_a_status_change_can_end_the_running_period(caseload, api):
    running = post(api, PERIODS, period_data(caseload.own, start_date=days(-60), end_date=days(120))).json()
    change = post(
        api,
        PERIODS,
        period_data(
            caseload.own,
            status_kind="long_term_resident",
            start_date=days(0),
            end_date=days(364),
            end_current=True,
        ),
    )
    assert change.status_code == 201, change.json()
    assert api.get(f"{PERIODS}{running['id']}/").json()["end_date"] == days(-1)
    assert change.json()["grants_work"] is True


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (
            rules.add_months(date.today(), -12 * 30) - timedelta(days=5),
            "The start is more than 30 years ago: check the year.",
        ),
        (
            rules.add_months(date.today(), 12 * 2) + timedelta(days=5),
            "The start is more than 2 years ahead: check the year.",
        ),
    ],
)
def test_implausible_start_dates_are_refused(caseload, api, start, message):
    response = post(
        api,
        PERIODS,
        period_data(
            caseload.own, start_date=start.isoformat(), end_date=(start + timedelta(days=90)).isoformat()
        ),
    )
    assert response.status_code == 400
    assert response.json() == {"start_date": [message]}


@pytest.mark.parametrize("card", ["AB1234567CD", "1234567890AB", "ABCDEFGHIJKL", "AB12345678C"])
def test_a_card_number_in_the_wrong_format_is_refused(caseload, api, card):
    response = post(api, PERIODS, period_data(caseload.own, card_number=card))
    assert response.status_code == 400
    assert response.json() == {
        "card_number": [
            "A residence card number is 2 letters, 8 digits and 2 letters, for example AB12345678CD."
        ]
    }


@pytest.mark.parametrize(
    "card",
    [
        "ab12345678cd",
        "ＡＢ１２３４５６７８ＣＤ",
        "AB 1234 5678 CD",
        "ab-1234-5678-cd",
        "ａｂ－１２３４　５６７８ｃｄ",
    ],
)
def test_a_card_number_is_normalised_and_accepted(caseload, api, card):
    response = post(api, PERIODS, period_data(caseload.own, card_number=card))
    assert response.status_code == 201, response.json()
    assert response.json()["card_number_masked"] == "AB******CD"
    assert LegalStatusPeriod.objects.get(pk=response.json()["id"]).card_number == "AB12345678CD"
    # ... and the person is found by it.
    found = api.get("/api/v1/applicants/", {"q": "AB12345678CD"}).json()["results"]
    assert [row["reference_code"] for row in found] == [caseload.own.reference_code]


def test_the_same_card_on_another_person_is_refused_unless_confirmed(caseload, api, supervisor, client_for):
    assert post(api, PERIODS, period_data(caseload.own, card_number="AB12345678CD")).status_code == 201
    # The same person's own card again is no conflict.
    again = post(
        api,
        PERIODS,
        period_data(caseload.own, start_date=days(200), end_date=days(300), card_number="AB12345678CD"),
    )
    assert again.status_code == 201
    # The supervisor records the same card for the colleague's case.
    client = client_for(supervisor)
    refused = post(client, PERIODS, period_data(caseload.shared, card_number="ab-1234-5678-cd"))
    assert refused.status_code == 400
    assert refused.json() == {
        "card_number": [
            f"This card number is already recorded for {caseload.own.reference_code}. Check the number; if it "
            "is right, confirm to save it anyway."
        ]
    }
    assert not LegalStatusPeriod.objects.filter(applicant=caseload.shared).exists()
    confirmed = post(
        client,
        PERIODS,
        period_data(caseload.shared, card_number="ab-1234-5678-cd", confirm_card_conflict=True),
    )
    assert confirmed.status_code == 201


def test_an_empty_card_number_clears_it_and_leaving_it_out_keeps_it(caseload, api):
    period = post(api, PERIODS, period_data(caseload.own, card_number="AB12345678CD")).json()
    url = f"{PERIODS}{period['id']}/"
    assert patch(api, url, {"note": "checked"}).json()["card_number_masked"] == "AB******CD"
    assert patch(api, url, {"card_number": ""}).json()["card_number_masked"] == ""


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"status_kind": "tourist"}, "status_kind", "Choose the kind of status from the list."),
        ({"status_kind": ""}, "status_kind", "Choose the kind of status from the list."),
        ({"status_kind": 7}, "status_kind", None),
        ({"start_date": None}, "start_date", "Enter the first day of the period."),
        ({"start_date": "2026-13-01"}, "start_date", None),
        ({"end_date": None}, "end_date", "Enter the last day of the period."),
        ({"end_date": "9999-12-31"}, "end_date", None),
        (
            {"is_indefinite": True, "end_date": None},
            "is_indefinite",
            "Only an “other” status can be indefinite.",
        ),
        ({"is_indefinite": "perhaps"}, "is_indefinite", None),
        ({"status_kind": "other"}, "status_other_label", "Enter the name of the status."),
        ({"renewal_decision": "granted"}, "renewal_filed_on", "Enter when the renewal was filed."),
        ({"renewal_decision": "maybe", "renewal_filed_on": days(-1)}, "renewal_decision", None),
        ({"renewal_filed_on": days(3)}, "renewal_filed_on", "The renewal cannot be filed in the future."),
        ({"card_number": ["AB12345678CD"]}, "card_number", None),
        ({"applicant": "A-1999-99999"}, "applicant", None),
        ({"applicant": None}, "applicant", None),
    ],
)
def test_bad_period_input_is_a_400_naming_the_field(caseload, api, values, field, message):
    response = post(api, PERIODS, period_data(caseload.own, **values))
    assert response.status_code == 400, response.content
    assert field in response.json()
    if message:
        assert message in response.json()[field]


def test_an_indefinite_other_status_needs_no_end(caseload, api):
    response = post(
        api,
        PERIODS,
        period_data(
            caseload.own,
            status_kind="other",
            status_other_label="Permanent Resident",
            other_grants_work=True,
            is_indefinite=True,
            end_date=None,
        ),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status_label"] == "Permanent Resident"
    assert response.json()["lawful_stay_until"] is None
    assert response.json()["grants_work"] is True


def test_a_period_entered_by_mistake_is_deleted(caseload, api):
    period = post(api, PERIODS, period_data(caseload.own)).json()
    assert api.delete(f"{PERIODS}{period['id']}/").status_code == 204
    assert api.get(f"{PERIODS}{period['id']}/").status_code == 404


def test_periods_are_filtered_by_applicant_and_renewal(caseload, api):
    LegalStatusPeriodFactory(applicant=caseload.own, renewal_filed_on=timezone.localdate())
    LegalStatusPeriodFactory(applicant=caseload.shared)  # a teammate's: not the caseworker's to read
    assert api.get(PERIODS).json()["count"] == 1
    rows = api.get(PERIODS, {"applicant": caseload.own.reference_code}).json()["results"]
    assert [row["applicant"] for row in rows] == [caseload.own.reference_code]
    assert api.get(PERIODS, {"renewal_pending": "true"}).json()["count"] == 1
    assert api.get(PERIODS, {"status_kind": "tourist"}).status_code == 400
    assert api.get(PERIODS, {"ends_after": "soon"}).status_code == 400


# --- Work permissions and reporting obligations ------------------------------------------------------------


def test_record_a_work_permission(caseload, api):
    response = post(
        api,
        PERMISSIONS,
        {
            "applicant": caseload.own.reference_code,
            "basis": "outside_status",
            "scope": "hours",
            "hours_per_week": 28,
            "start_date": days(-10),
            "end_date": days(170),
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["hours_per_week"] == 28 and body["scope"] == "hours"
    assert api.get(f"{PERMISSIONS}{body['id']}/").json() == body
    assert api.get(PERMISSIONS, {"valid_on": days(0)}).json()["count"] == 1
    assert api.get(PERMISSIONS, {"valid_on": days(200)}).json()["count"] == 0


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"basis": "verbal"}, "basis", "Choose the basis of the permission."),
        ({"scope": "weekends"}, "scope", "Choose the scope of the permission."),
        ({"scope": "hours"}, "hours_per_week", "Enter the hours per week allowed."),
        (
            {"scope": "hours", "hours_per_week": 80},
            "hours_per_week",
            "Enter between 1 and 60 hours per week.",
        ),
        ({"hours_per_week": "many"}, "hours_per_week", None),
        ({"start_date": None}, "start_date", "Enter the first day."),
        ({"end_date": days(-60)}, "end_date", "The end cannot be before the start."),
    ],
)
def test_bad_work_permission_input_is_a_400(caseload, api, values, field, message):
    data = {
        "applicant": caseload.own.reference_code,
        "basis": "designation_sheet",
        "start_date": days(-10),
        **values,
    }
    response = post(api, PERMISSIONS, data)
    assert response.status_code == 400, response.content
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]


def test_record_a_reporting_obligation(caseload, api):
    response = post(
        api,
        REPORTING,
        {
            "applicant": caseload.own.reference_code,
            "kind": "supervisory_measures",
            "next_report_date": days(14),
            "place": "  Shinagawa  ",
            "supervisor_name": "Sato",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["place"] == "Shinagawa"
    assert response.json()["is_active"] is True
    assert api.get(REPORTING, {"due_before": days(20)}).json()["count"] == 1


def test_bad_reporting_input_is_a_400_with_every_field_named(caseload, api):
    response = post(
        api,
        REPORTING,
        {"applicant": caseload.own.reference_code, "kind": "weekly", "last_reported_on": days(2)},
    )
    assert response.status_code == 400
    assert response.json() == {
        "kind": ["Choose the kind of obligation."],
        "next_report_date": ["Enter the next report date."],
        "place": ["Enter where the person reports."],
        "last_reported_on": ["The last report cannot be in the future."],
    }


# --- Refugee procedures -----------------------------------------------------------------------------------


def test_record_a_procedure_with_its_filed_event(caseload, api):
    response = post(
        api, PROCEDURES, {"applicant": caseload.own.reference_code, "ordinal": 1, "applied_on": days(-300)}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [event["kind"] for event in body["events"]] == ["filed"]
    assert body["events"][0]["recorded_by"]["name"] == str(caseload.own.caseworker)
    assert body["is_missing_grounds"] is False and body["needs_grounds"] is False
    assert body["appeal_deadline"] is None and body["appeal_days_left"] is None
    assert body["appeal_filed_late"] is False
    assert api.get(f"{PROCEDURES}{body['id']}/").json() == body


def test_a_third_application_without_grounds_is_flagged_until_grounds_are_submitted(caseload, api):
    response = post(
        api, PROCEDURES, {"applicant": caseload.own.reference_code, "ordinal": 3, "applied_on": days(-20)}
    )
    assert response.status_code == 201
    assert response.json()["needs_grounds"] is True
    assert response.json()["is_missing_grounds"] is True
    updated = patch(api, f"{PROCEDURES}{response.json()['id']}/", {"grounds_submitted": True})
    assert updated.status_code == 200
    assert updated.json()["is_missing_grounds"] is False


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"ordinal": 0}, "ordinal"),
        ({"ordinal": None}, "ordinal"),
        ({"ordinal": 40000}, "ordinal"),
        ({"ordinal": "first"}, "ordinal"),
        ({"applied_on": None}, "applied_on"),
        ({"applied_on": days(5)}, "applied_on"),
        ({"grounds_submitted": "unknown"}, "grounds_submitted"),
    ],
)
def test_bad_procedure_input_is_a_400(caseload, api, values, field):
    response = post(
        api,
        PROCEDURES,
        {"applicant": caseload.own.reference_code, "ordinal": 1, "applied_on": days(-20), **values},
    )
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_the_same_application_number_twice_is_refused(caseload, api):
    data = {"applicant": caseload.own.reference_code, "ordinal": 2, "applied_on": days(-20)}
    assert post(api, PROCEDURES, data).status_code == 201
    response = post(api, PROCEDURES, data)
    assert response.json() == {"ordinal": ["This person already has application number 2."]}


@pytest.fixture
def procedure(caseload, api):
    response = post(
        api, PROCEDURES, {"applicant": caseload.own.reference_code, "ordinal": 1, "applied_on": days(-100)}
    )
    return response.json()


def events_url(procedure) -> str:
    return f"{PROCEDURES}{procedure['id']}/events/"


def test_a_refusal_notice_dated_before_the_application_is_refused(procedure, api):
    response = post(api, events_url(procedure), {"kind": "refusal_notice", "date": days(-101)})
    assert response.status_code == 400
    assert response.json() == {"date": [f"This date is before the application date ({days(-100)})."]}


def test_an_appeal_after_its_deadline_is_accepted_and_flagged(procedure, api):
    notice = post(api, events_url(procedure), {"kind": "refusal_notice", "date": days(-20)})
    assert notice.status_code == 201
    state = api.get(f"{PROCEDURES}{procedure['id']}/").json()
    assert state["appeal_deadline"] == days(-13)
    assert state["appeal_days_left"] == -13

    appeal = post(api, events_url(procedure), {"kind": "appeal_filed", "date": days(-2)})
    assert appeal.status_code == 201, appeal.json()
    assert appeal.json()["kind"] == "appeal_filed"
    state = api.get(f"{PROCEDURES}{procedure['id']}/").json()
    assert state["appeal_filed_late"] is True
    assert state["appeal_days_left"] is None
    assert [event["kind"] for event in state["events"]] == ["filed", "refusal_notice", "appeal_filed"]


def test_an_appeal_in_time_is_not_flagged(procedure, api):
    post(api, events_url(procedure), {"kind": "refusal_notice", "date": days(-3)})
    state = api.get(f"{PROCEDURES}{procedure['id']}/").json()
    assert state["appeal_days_left"] == 4
    post(api, events_url(procedure), {"kind": "appeal_filed", "date": days(0)})
    assert api.get(f"{PROCEDURES}{procedure['id']}/").json()["appeal_filed_late"] is False


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "appeal_filed", "date": days(-1)}, "kind", "Record the refusal notice before the appeal."),
        ({"kind": "party", "date": days(-1)}, "kind", "Choose the kind of event."),
        (
            {"kind": "triage", "date": days(-1)},
            "triage_category",
            "Choose the triage category (A, B, C, D1 or D2).",
        ),
        ({"kind": "triage", "date": days(-1), "triage_category": "E"}, "triage_category", None),
        ({"kind": "decision", "date": days(-1)}, "outcome", "Choose the outcome of the decision."),
        ({"kind": "decision", "date": days(3), "outcome": "refused"}, "date", None),
        ({"kind": "interview", "date": "next week"}, "date", None),
        ({"kind": "interview"}, "date", "Enter the date."),
    ],
)
def test_bad_event_input_is_a_400(procedure, api, data, field, message):
    response = post(api, events_url(procedure), data)
    assert response.status_code == 400, response.content
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]


def test_an_interview_may_be_recorded_ahead_and_a_triage_is_filtered(procedure, api):
    assert post(api, events_url(procedure), {"kind": "interview", "date": days(10)}).status_code == 201
    assert (
        post(
            api, events_url(procedure), {"kind": "triage", "date": days(-5), "triage_category": "D2"}
        ).status_code
        == 201
    )
    assert api.get(PROCEDURES, {"triage_category": "D2"}).json()["count"] == 1
    assert api.get(PROCEDURES, {"triage_category": "B"}).json()["count"] == 0


# --- Who may do what --------------------------------------------------------------------------------------

ALL, TEAM, OTHER, NONE = {"own", "shared", "foreign"}, {"own", "shared"}, {"foreign"}, set()
ACCESS = {
    "administrator": (ALL, ALL),
    "supervisor": (TEAM, TEAM),
    "other_supervisor": (OTHER, OTHER),
    # Legal records are "own caseload" for caseworkers: the shared team caseload is profile-only.
    "caseworker": ({"own"}, {"own"}),
    "trainer": (NONE, NONE),
    "employer": (NONE, NONE),
}
# Whose profile each role can name as `applicant` when creating a record (the caseworker: the team's).
PROFILE_VISIBLE = {**{actor: visible for actor, (visible, _writable) in ACCESS.items()}, "caseworker": TEAM}
READ_ONLY_ROLES = {"trainer", "employer"}


def _actor(name, role_users, caseload):
    return caseload.other_supervisor if name == "other_supervisor" else role_users[name]


@pytest.fixture
def records(caseload):
    """One record of each kind for each applicant of the caseload."""
    made: dict[str, dict[str, object]] = {}
    for name in ("own", "shared", "foreign"):
        applicant = getattr(caseload, name)
        made[name] = {
            PERIODS: LegalStatusPeriodFactory(applicant=applicant),
            PERMISSIONS: WorkPermissionFactory(applicant=applicant),
            REPORTING: ReportingObligationFactory(applicant=applicant),
            PROCEDURES: RefugeeProcedureFactory(applicant=applicant),
        }
    return made


def _expected_write(actor: str, name: str) -> int:
    visible, writable = ACCESS[actor]
    if actor in READ_ONLY_ROLES:
        return 403
    if name not in visible:
        return 404
    return 200 if name in writable else 403


@pytest.mark.parametrize("endpoint", [PERIODS, PERMISSIONS, REPORTING, PROCEDURES])
@pytest.mark.parametrize("actor", list(ACCESS))
def test_who_sees_which_records(caseload, records, role_users, client_for, actor, endpoint):
    client = client_for(_actor(actor, role_users, caseload))
    visible, _writable = ACCESS[actor]
    response = client.get(endpoint)
    assert response.status_code == 200
    seen = {row["applicant"] for row in response.json()["results"]}
    assert seen == {getattr(caseload, name).reference_code for name in visible}
    for name in ("own", "shared", "foreign"):
        record = records[name][endpoint]
        assert client.get(f"{endpoint}{record.pk}/").status_code == (200 if name in visible else 404)


@pytest.mark.parametrize("actor", list(ACCESS))
def test_who_may_change_which_records(caseload, records, role_users, client_for, actor):
    client = client_for(_actor(actor, role_users, caseload))
    visible, writable = ACCESS[actor]
    today = timezone.localdate()
    for name in ("own", "shared", "foreign"):
        applicant = getattr(caseload, name)
        period = records[name][PERIODS]
        procedure = records[name][PROCEDURES]
        expected = _expected_write(actor, name)
        created = 201 if expected == 200 else expected
        # Updates and deletes of an existing record.
        assert patch(client, f"{PERIODS}{period.pk}/", {"note": "x"}).status_code == expected, name
        assert patch(client, f"{PROCEDURES}{procedure.pk}/", {"note": "x"}).status_code == expected, name
        event = post(client, f"{PROCEDURES}{procedure.pk}/events/", {"kind": "interview", "date": days(3)})
        assert event.status_code == created, name
        # Creating for an applicant: one the user cannot see is a 400 on the applicant field.
        if actor in READ_ONLY_ROLES:
            create_expected = 403
        elif name not in PROFILE_VISIBLE[actor]:
            create_expected = 400
        elif name not in writable:
            create_expected = 403
        else:
            create_expected = created
        new_period = post(
            client,
            PERIODS,
            {
                "applicant": applicant.reference_code,
                "status_kind": "da_refugee_applicant",
                "start_date": (period.end_date + timedelta(days=1)).isoformat(),
                "end_date": (period.end_date + timedelta(days=90)).isoformat(),
            },
        )
        assert new_period.status_code == create_expected, (name, new_period.content)
        for endpoint, data in (
            (PERMISSIONS, {"basis": "designation_sheet", "start_date": today.isoformat()}),
            (REPORTING, {"kind": "provisional_release", "next_report_date": days(9), "place": "Tokyo"}),
            (PROCEDURES, {"ordinal": 2, "applied_on": days(-1)}),
        ):
            response = post(client, endpoint, {"applicant": applicant.reference_code, **data})
            assert response.status_code == create_expected, (name, endpoint, response.content)
        if create_expected == 400:
            assert "applicant" in new_period.json()
        assert client.delete(f"{PERIODS}{period.pk}/").status_code == (204 if expected == 200 else expected)


def test_the_services_permission_check_is_a_403_for_a_team_shared_case(caseload, records, api):
    """The caseworker reads the colleague's profile, not its legal records; writes change nothing."""
    period = records["shared"][PERIODS]
    response = patch(api, f"{PERIODS}{period.pk}/", {"note": "mine now"})
    assert response.status_code == 404
    response = post(
        api, PROCEDURES, {"applicant": caseload.shared.reference_code, "ordinal": 2, "applied_on": days(-1)}
    )
    assert response.status_code == 403
    period.refresh_from_db()
    assert period.note == ""


@pytest.mark.parametrize("endpoint", [PERIODS, PERMISSIONS, REPORTING, PROCEDURES])
def test_anonymous_requests_are_refused(caseload, records, endpoint):
    client = Client()
    record = records["own"][endpoint]
    assert client.get(endpoint).status_code == 401
    assert client.get(f"{endpoint}{record.pk}/").status_code == 401
    assert post(client, endpoint, {"applicant": caseload.own.reference_code}).status_code == 401


@pytest.mark.parametrize("endpoint", [PERMISSIONS, REPORTING])
def test_work_permissions_and_reporting_cannot_be_changed_or_deleted_through_the_api(
    records, administrator, client_for, endpoint
):
    client = client_for(administrator)
    record = records["own"][endpoint]
    assert patch(client, f"{endpoint}{record.pk}/", {"note": "x"}).status_code == 405
    assert client.delete(f"{endpoint}{record.pk}/").status_code == 405


# --- Query counts: the same with 25 and with 500 rows ------------------------------------------------------


def _periods(applicants, count):
    # Up to 100 consecutive periods per applicant, none overlapping (PostgreSQL's constraint checks it).
    rows, today = [], timezone.localdate()
    offset = LegalStatusPeriod.objects.count()
    for index in range(offset, offset + count):
        applicant = applicants[index % len(applicants)]
        start = today - timedelta(days=30 * (index // len(applicants)))
        rows.append(
            LegalStatusPeriod(
                applicant=applicant,
                status_kind="da_refugee_applicant",
                start_date=start,
                end_date=start + timedelta(days=29),
                card_number_hint="ABCD",
            )
        )
    LegalStatusPeriod.objects.bulk_create(rows, batch_size=500)


def _permissions(applicants, count):
    WorkPermission.objects.bulk_create(
        [
            WorkPermission(
                applicant=applicants[index % len(applicants)],
                basis=WorkPermission.Basis.DESIGNATION_SHEET,
                start_date=timezone.localdate() - timedelta(days=index),
            )
            for index in range(count)
        ],
        batch_size=500,
    )


def _reporting(applicants, count):
    ReportingObligation.objects.bulk_create(
        [
            ReportingObligation(
                applicant=applicants[index % len(applicants)],
                kind=ReportingObligation.Kind.PROVISIONAL_RELEASE,
                next_report_date=timezone.localdate() + timedelta(days=index % 60),
                place="Tokyo",
            )
            for index in range(count)
        ],
        batch_size=500,
    )


def _procedures(applicants, count):
    offset = RefugeeProcedure.objects.count()
    procedures = RefugeeProcedure.objects.bulk_create(
        [
            RefugeeProcedure(
                applicant=applicants[index % len(applicants)],
                ordinal=index // len(applicants) + 1,
                applied_on=timezone.localdate() - timedelta(days=100),
            )
            for index in range(offset, offset + count)
        ],
        batch_size=500,
    )
    ProcedureEvent.objects.bulk_create(
        [
            ProcedureEvent(
                procedure=procedure, kind=kind, date=timezone.localdate() - timedelta(days=days_ago)
            )
            for procedure in procedures
            for kind, days_ago in (("filed", 100), ("refusal_notice", 10), ("appeal_filed", 2))
        ],
        batch_size=500,
    )


@pytest.mark.parametrize(
    ("endpoint", "populate"),
    [(PERIODS, _periods), (PERMISSIONS, _permissions), (REPORTING, _reporting), (PROCEDURES, _procedures)],
    ids=["legal-status-periods", "work-permissions", "reporting-obligations", "procedures"],
)
def test_every_list_runs_the_same_number_of_queries_with_25_and_500_rows(
    caseworker, team, client_for, endpoint, populate: Callable
):
    client = client_for(caseworker)
    applicants = bulk_applicants(5, team=team, caseworker=caseworker)
    populate(applicants, 25)
    client.get(endpoint)  # warm up
    with CaptureQueriesContext(connection) as few:
        response = client.get(endpoint)
    assert response.json()["count"] == 25

    populate(applicants, 475)
    with CaptureQueriesContext(connection) as many:
        response = client.get(endpoint)
    body = response.json()
    assert body["count"] == 500 and len(body["results"]) == 25
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]
    # session, user, two 2FA device checks, roles, organisation, count, page (+ events for procedures)
    assert len(few.captured_queries) <= (9 if endpoint == PROCEDURES else 8)
    if endpoint == PROCEDURES:
        assert len(body["results"][0]["events"]) == 3
        assert body["results"][0]["appeal_filed_late"] is True


def test_the_period_list_runs_in_index_order_with_a_capped_count(caseworker, team, client_for, monkeypatch):
    """Issue 14: person by person in the order they were recorded, each person's periods in date order
    (the order period_applicant_start_idx serves), and a count that stops at the cap and says so."""
    from casework.api.pagination import CappedCountPagination

    client = client_for(caseworker)
    first, second = bulk_applicants(2, team=team, caseworker=caseworker)
    for person in (second, first):  # recorded out of order: the list still goes person by person
        for start in (-400, -30, -200):
            day = timezone.localdate() + timedelta(days=start)
            LegalStatusPeriodFactory(applicant=person, start_date=day, end_date=day + timedelta(days=150))
    body = client.get(PERIODS).json()
    expected = LegalStatusPeriod.objects.order_by("applicant_id", "start_date").values_list("pk", flat=True)
    assert [row["id"] for row in body["results"]] == list(expected)
    assert (body["count"], body["count_capped"]) == (6, False)

    monkeypatch.setattr(CappedCountPagination, "count_cap", 1)
    monkeypatch.setattr(CappedCountPagination, "page_size", 2)
    capped = client.get(PERIODS).json()
    assert (capped["count"], capped["count_capped"], len(capped["results"])) == (3, True, 2)


def test_a_page_number_past_any_list_is_not_found_not_a_server_error(caseworker, team, client_for):
    """Found by the fuzz test (issue 19): the capped count's window, page x size, reached the database
    as a LIMIT past bigint (PostgreSQL: DataError) and the list answered 500."""
    client = client_for(caseworker)
    (person,) = bulk_applicants(1, team=team, caseworker=caseworker)
    LegalStatusPeriodFactory(applicant=person)
    for page in ("18446744073709551617", "9223372036854775808", "400000000"):
        response = client.get(PERIODS, {"page": page})
        assert response.status_code == 404, (page, response.content)
        assert set(response.json()) == {"detail"}
    assert client.get(PERIODS, {"page": "1"}).json()["count"] == 1


def test_factories_make_a_consistent_world(caseload):
    """The generic factories other tests use: an event belongs to a procedure of a visible applicant."""
    event = ProcedureEventFactory(procedure=RefugeeProcedureFactory(applicant=caseload.own))
    assert event.date == event.procedure.applied_on
    assert ApplicantFactory().reference_code.startswith("A-")


@pytest.mark.parametrize("endpoint", [PERIODS, PERMISSIONS, REPORTING, PROCEDURES, "/api/v1/applicants/"])
def test_the_browsable_api_and_options_answer_for_lists_and_details(caseload, records, api, endpoint):
    if endpoint == "/api/v1/applicants/":
        detail_url = f"{endpoint}{caseload.own.reference_code}/"
    else:
        detail_url = f"{endpoint}{records['own'][endpoint].pk}/"
    for url in (endpoint, detail_url):
        assert api.get(url, HTTP_ACCEPT="text/html").status_code == 200, url
        assert api.options(url).status_code == 200, url
