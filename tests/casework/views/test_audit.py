"""The audit in the pages: reads that are logged, the history section and page, "who saw this file",
access per role, restricted values kept from those who may not read them, and fixed query counts."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from itertools import cycle
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from casework import audit, services
from casework.models import (
    AccessLogEntry,
    Applicant,
    CaseNote,
    ChangeRecord,
    Consent,
    ConsentPurpose,
    SensitiveRecord,
    User,
)
from casework.roles import Role

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def today() -> date:
    return timezone.localdate()


def url(name: str, applicant: Applicant, **kwargs) -> str:
    return reverse(name, kwargs={"reference_code": applicant.reference_code, **kwargs})


def history_tab(applicant: Applicant, **params) -> str:
    """The applicant page's History tab (the audit trail is never inline on the other tabs)."""
    return f"{url('applicant_detail', applicant)}?{urlencode({'tab': 'history', **params})}"


@pytest.fixture
def own(caseworker):
    applicant = services.applicant_register(
        by=caseworker, data={"family_name": "Perera", "given_name": "Suriya", "nationality": "LK"}
    )
    services.applicant_update(
        by=caseworker, applicant=applicant, data={"city": "Warabi"}, expected_version=applicant.version
    )
    return applicant


@pytest.fixture
def period(caseworker, own):
    start = today() - timedelta(days=30)
    return services.legal_period_record(
        by=caseworker,
        applicant=own,
        data={
            "status_kind": "da_refugee_applicant",
            "start_date": start,
            "end_date": start + timedelta(days=180),
        },
        card_number="AB12345678CD",
    )


def page_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


# --- Reads that are logged --------------------------------------------------------------------------------


def test_opening_the_applicant_page_is_logged(client_for, supervisor, own):
    response = client_for(supervisor).get(url("applicant_detail", own))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.APPLICANT_VIEW)
    assert (entry.actor, entry.applicant_id, entry.object_label) == (supervisor, own.pk, own.reference_code)
    assert entry.request_id == response["X-Request-ID"]
    assert entry.ip_address == "127.0.0.1"
    assert entry.organisation_id == own.organisation_id


def test_a_page_one_may_not_see_is_not_logged_as_seen(client_for, other_caseworker, own):
    assert client_for(other_caseworker).get(url("applicant_detail", own)).status_code == 404
    assert not AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.APPLICANT_VIEW).exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_showing_the_full_card_number_is_logged(client_for, caseworker, own, period, htmx):
    response = client_for(caseworker).get(
        url("applicant_period_card_number", own, pk=period.pk), **(HTMX if htmx else {})
    )
    assert response.status_code == 200
    assert "AB12345678CD" in response.content.decode()
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.CARD_NUMBER_VIEW)
    assert (entry.actor, entry.applicant_id, entry.detail) == (caseworker, own.pk, {"period": period.pk})
    assert "AB12345678CD" not in entry.object_label


def test_reading_the_full_history_is_logged(client_for, caseworker, own):
    client_for(caseworker).get(url("applicant_history", own))
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.APPLICANT_VIEW)
    assert entry.detail == {"page": "history", "page_number": 1}


# --- The history section and page ------------------------------------------------------------------------


def test_the_history_section_says_who_changed_what_newest_first(client_for, caseworker, own):
    html = page_of(client_for(caseworker), history_tab(own))
    assert 'id="history"' in html
    section = html[html.index('id="history"') :]
    # Field labels from the model, old → new, the person who changed it.
    assert "City" in section and "<ins>Warabi</ins>" in section
    assert str(caseworker) in section
    # Newest first, with a title per event: the update comes before the registration.
    assert section.index("Profile changed") < section.index("Person registered")
    # Ids are shown as names, choices by their label.
    assert "Tokyo East" in section and "Intake" in section


def test_who_sees_the_history_section(client_for, caseworker, supervisor, administrator, teammate, own):
    for user in (caseworker, supervisor, administrator):
        assert 'id="history"' in page_of(client_for(user), history_tab(own)), user
        assert 'id="history"' not in page_of(client_for(user), url("applicant_detail", own)), user
    # A teammate reading the shared case sees its current record, not its past values.
    assert 'id="history"' not in page_of(client_for(teammate), history_tab(own))


def _bulk_history(applicant: Applicant, actors: list[User], count: int, *, start: int = 0) -> None:
    """`count` history rows of several kinds (with ids to name and restricted records to screen)."""
    kinds = cycle(
        [
            ("casework.applicant", {"city": {"old": "A", "new": "B"}}),
            ("casework.applicant", {"caseworker_id": {"old": actors[0].pk, "new": actors[-1].pk}}),
            ("casework.legalstatusperiod", {"end_date": {"old": "2026-01-01", "new": "2026-02-01"}}),
            ("casework.sensitiverecord", {"text": {"old": "", "new": "secret"}}),
            ("casework.householdmember", {"name": {"old": None, "new": "Child"}}),
        ]
    )
    now = timezone.now()
    rows = []
    for index, actor in zip(range(count), cycle(actors), strict=False):
        model, changes = next(kinds)
        rows.append(
            ChangeRecord(
                organisation_id=applicant.organisation_id,
                at=now - timedelta(minutes=start + index),
                actor=actor,
                applicant=applicant,
                model=model,
                object_id=str(100000 + start + index),
                object_label=f"row {start + index}",
                action="update",
                changes=changes,
            )
        )
    ChangeRecord.objects.bulk_create(rows)


def test_the_history_tab_is_paginated_50_a_page(client_for, caseworker, own):
    client = client_for(caseworker)
    assert 'rel="next"' not in page_of(client, history_tab(own))
    _bulk_history(own, [caseworker], 60)
    response = client.get(history_tab(own))
    assert len(response.context["entries"]) == 50
    html = response.content.decode()
    assert 'rel="next"' in html and "tab=history" in html.split('rel="next"')[0].rsplit("href=", 1)[1]
    second = client.get(history_tab(own, page=2))
    assert len(second.context["entries"]) > 0 and second.context["page_obj"].number == 2
    assert 'rel="prev"' in second.content.decode()
    # Reading a page of past values is logged as a read of the file, with its tab and page.
    entry = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.APPLICANT_VIEW).latest("pk")
    assert entry.detail == {"tab": "history", "page_number": 2}


def test_the_full_history_is_paginated_50_a_page(client_for, caseworker, own):
    _bulk_history(own, [caseworker], 70)
    client = client_for(caseworker)
    first = client.get(url("applicant_history", own))
    assert first.status_code == 200
    assert first.context["page_obj"].paginator.count == 72  # the bulk rows and the two of the fixture
    assert len(first.context["entries"]) == 50
    assert first.context["entries"][0].record.at >= first.context["entries"][-1].record.at
    second = client.get(url("applicant_history", own) + "?page=2")
    assert len(second.context["entries"]) == 22
    times = [entry.record.at for entry in [*first.context["entries"], *second.context["entries"]]]
    assert times == sorted(times, reverse=True)
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()


ROLE_CASES = [
    # (requesting user fixture, applicant relation, history page, access-log page)
    ("administrator", "own", 200, 200),
    ("supervisor", "own", 200, 200),
    ("other_supervisor", "own", 404, 404),
    ("caseworker", "own", 200, 403),
    ("teammate", "own", 403, 403),
    ("other_caseworker", "own", 404, 403),
    ("trainer", "own", 403, 403),
    ("employer", "own", 403, 403),
]


@pytest.mark.parametrize(("role", "relation", "history", "access_log"), ROLE_CASES)
def test_access_to_the_audit_pages(request, client_for, own, role, relation, history, access_log):
    client = client_for(request.getfixturevalue(role))
    assert client.get(url("applicant_history", own)).status_code == history
    assert client.get(url("applicant_access_log", own)).status_code == access_log


def test_anonymous_visitors_are_sent_to_sign_in(client, own):
    for name in ("applicant_history", "applicant_access_log"):
        response = client.get(url(name, own))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_another_organisations_administrator_sees_nothing(client_for, own, make_user):
    from casework.models import Organisation

    elsewhere = Organisation.objects.create(name="Elsewhere", slug="elsewhere")
    foreign_admin = make_user(Role.ADMINISTRATOR, username="far-admin", organisation=elsewhere)
    client = client_for(foreign_admin)
    assert client.get(url("applicant_history", own)).status_code == 404
    assert client.get(url("applicant_access_log", own)).status_code == 404


# --- Restricted values: sensitive information and confidential notes --------------------------------------


@pytest.fixture
def restricted(caseworker, own):
    """A sensitive record (under a current consent), a confidential and an open note, each with its
    history, and a deleted sensitive record whose history stays."""
    Consent.objects.create(
        applicant=own,
        purpose=ConsentPurpose.SENSITIVE_INFORMATION,
        granted_on=today() - timedelta(days=10),
        recorded_by=caseworker,
    )
    sensitive = SensitiveRecord.objects.create(
        applicant=own, category="health", text="Treated for PTSD", recorded_by=caseworker
    )
    audit.record_change(actor=caseworker, instance=sensitive, before=None)
    gone = SensitiveRecord.objects.create(
        applicant=own, category="detention", text="Detained in Ushiku", recorded_by=caseworker
    )
    audit.record_change(actor=caseworker, instance=gone, before=None)
    audit.record_change(actor=caseworker, instance=gone, before=audit.snapshot(gone), action="delete")
    SensitiveRecord.objects.filter(pk=gone.pk).delete()
    confidential = CaseNote.objects.create(
        applicant=own, author=caseworker, text="Spoke of his brother's arrest", confidential=True
    )
    audit.record_change(actor=caseworker, instance=confidential, before=None)
    note = CaseNote.objects.create(applicant=own, author=caseworker, text="Called about the bus pass")
    audit.record_change(actor=caseworker, instance=note, before=None)
    return {"sensitive": sensitive, "confidential": confidential, "note": note}


SECRETS = ("Treated for PTSD", "Detained in Ushiku", "brother&#x27;s arrest", "Spoke of his brother")


@pytest.mark.parametrize("role", ["caseworker", "supervisor"])
def test_those_who_may_read_restricted_records_see_their_history(request, client_for, own, restricted, role):
    client = client_for(request.getfixturevalue(role))
    for path in (history_tab(own), url("applicant_history", own)):
        html = page_of(client, path)
        for text in ("Treated for PTSD", "Detained in Ushiku", "Called about the bus pass"):
            assert text in html, (role, path, text)
        assert "Not shown" not in html


def test_administrators_see_that_restricted_records_changed_not_what_they_say(
    client_for, administrator, own, restricted
):
    client = client_for(administrator)
    for path in (history_tab(own), url("applicant_history", own)):
        html = page_of(client, path)
        for secret in SECRETS:
            assert secret not in html, (path, secret)
        assert "Not shown" in html
        assert "Called about the bus pass" in html  # an open note reads like the rest of the file
    entries = client.get(url("applicant_history", own)).context["entries"]
    hidden = {entry.record.model for entry in entries if entry.values_hidden}
    assert hidden == {"casework.sensitiverecord", "casework.casenote"}
    assert all(entry.changes == [] and entry.object_label == "" for entry in entries if entry.values_hidden)
    # Who changed it and when stays visible.
    assert all(entry.record.actor_id for entry in entries if entry.values_hidden)


def test_the_screen_matches_each_models_visible_to(administrator, supervisor, caseworker, own, restricted):
    from casework.selectors.audit import history_of, present_history

    for user in (administrator, supervisor, caseworker):
        entries = present_history(history_of(applicant=own), user=user, applicant=own)
        shown = {(e.record.model, e.record.object_id) for e in entries if not e.values_hidden}
        may_read = {
            ("casework.sensitiverecord", str(pk))
            for pk in SensitiveRecord.objects.visible_to(user).values_list("pk", flat=True)
        } | {
            ("casework.casenote", str(pk))
            for pk in CaseNote.objects.visible_to(user).values_list("pk", flat=True)
        }
        existing = {
            ("casework.sensitiverecord", str(restricted["sensitive"].pk)),
            ("casework.casenote", str(restricted["confidential"].pk)),
            ("casework.casenote", str(restricted["note"].pk)),
        }
        assert shown & existing == may_read & existing, user


# --- Who saw this file ------------------------------------------------------------------------------------


def test_the_access_log_page_lists_by_person_kind_and_time(client_for, supervisor, caseworker, own, period):
    caseworker_client = client_for(caseworker)
    caseworker_client.get(url("applicant_detail", own))
    caseworker_client.get(url("applicant_detail", own))
    caseworker_client.get(url("applicant_period_card_number", own, pk=period.pk))
    response = client_for(supervisor).get(url("applicant_access_log", own))
    assert response.status_code == 200
    summary = {(row.username, row.kind): row.count for row in response.context["summary"]}
    assert summary == {("case1", "applicant_view"): 2, ("case1", "card_number_view"): 1}
    html = response.content.decode()
    assert str(caseworker) in html and "Full residence card number viewed" in html
    assert response.context["days"] == 90
    assert response.context["page_obj"].paginator.count == 3


def test_the_default_window_is_90_days(client_for, supervisor, caseworker, own):
    now = timezone.now()
    for days_ago in (200, 91, 89, 1):
        with time_machine.travel(now - timedelta(days=days_ago), tick=False):
            audit.log_access(
                actor=caseworker,
                kind=AccessLogEntry.Kind.APPLICANT_VIEW,
                applicant_id=own.pk,
                object_label=f"{days_ago} days ago",
            )
    client = client_for(supervisor)
    with time_machine.travel(now, tick=False):
        default = client.get(url("applicant_access_log", own))
        labels = [entry.object_label for entry in default.context["page_obj"].object_list]
        assert labels == ["1 days ago", "89 days ago"]
        year = client.get(url("applicant_access_log", own) + "?days=365")
        assert year.context["page_obj"].paginator.count == 4
        assert year.context["days"] == 365


@pytest.mark.parametrize(
    ("raw", "days"), [("0", 1), ("-5", 1), ("99999", 3650), ("abc", 90), ("", 90), ("30", 30)]
)
def test_the_window_is_bounded(client_for, supervisor, own, raw, days):
    response = client_for(supervisor).get(url("applicant_access_log", own) + f"?days={raw}")
    assert response.status_code == 200
    assert response.context["days"] == days


def test_the_summary_box_is_for_supervisors_and_administrators(
    client_for, caseworker, supervisor, administrator, own
):
    client_for(caseworker).get(url("applicant_detail", own))
    for user in (supervisor, administrator):
        response = client_for(user).get(history_tab(own))
        html = response.content.decode()
        assert 'id="access-log"' in html and "Who saw this file" in html
        assert url("applicant_access_log", own) in html
        assert any(row.username == "case1" for row in response.context["access_summary"])
    caseworker_page = page_of(client_for(caseworker), history_tab(own))
    assert 'id="access-log"' not in caseworker_page
    assert url("applicant_access_log", own) not in caseworker_page


def test_sign_ins_of_staff_are_not_in_a_persons_file(client_for, supervisor, own):
    client_for(supervisor)  # force_login: a sign-in with no applicant
    response = client_for(supervisor).get(url("applicant_access_log", own))
    kinds = {entry.kind for entry in response.context["page_obj"].object_list}
    assert AccessLogEntry.Kind.SIGN_IN not in kinds


# --- Query counts -----------------------------------------------------------------------------------------


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def _bulk_reads(applicant: Applicant, actors: list[User], count: int) -> None:
    now = timezone.now()
    kinds = cycle(
        [AccessLogEntry.Kind.APPLICANT_VIEW, AccessLogEntry.Kind.CARD_NUMBER_VIEW, AccessLogEntry.Kind.EXPORT]
    )
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                organisation_id=applicant.organisation_id,
                at=now - timedelta(minutes=index),
                actor=actor,
                actor_label=actor.username,
                kind=next(kinds),
                applicant=applicant,
                object_label=applicant.reference_code,
            )
            for index, actor in zip(range(count), cycle(actors), strict=False)
        ]
    )


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_the_history_page_runs_the_same_queries_with_25_and_500_rows(
    request, client_for, caseworker, supervisor, teammate, own, role
):
    client = client_for(request.getfixturevalue(role))
    actors = [caseworker, supervisor, teammate]
    _bulk_history(own, actors, 25)
    client.get(url("applicant_history", own))
    few = count_queries(client, url("applicant_history", own))
    _bulk_history(own, actors, 475, start=25)
    many = count_queries(client, url("applicant_history", own))
    assert many == few
    assert few <= 16, few


@pytest.mark.parametrize("role", ["supervisor", "administrator"])
def test_the_access_log_page_runs_the_same_queries_with_25_and_500_rows(
    request, client_for, caseworker, supervisor, teammate, own, role
):
    client = client_for(request.getfixturevalue(role))
    actors = [caseworker, supervisor, teammate]
    _bulk_reads(own, actors, 25)
    client.get(url("applicant_access_log", own))
    few = count_queries(client, url("applicant_access_log", own))
    _bulk_reads(own, actors, 475)
    many = count_queries(client, url("applicant_access_log", own))
    assert many == few
    assert few <= 12, few


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_the_applicant_page_runs_the_same_queries_with_25_and_500_audit_rows(
    request, client_for, caseworker, supervisor, teammate, own, role
):
    client = client_for(request.getfixturevalue(role))
    actors = [caseworker, supervisor, teammate]
    _bulk_history(own, actors, 25)
    _bulk_reads(own, actors, 25)
    client.get(history_tab(own))
    few = count_queries(client, history_tab(own))
    _bulk_history(own, actors, 475, start=25)
    _bulk_reads(own, actors, 475)
    many = count_queries(client, history_tab(own))
    assert many == few
    print(f"\napplicant page queries for {role} with the audit sections: {few}")


def test_revoking_the_sensitive_consent_hides_the_texts_from_the_history(
    client_for, caseworker, own, restricted
):
    Consent.objects.filter(applicant=own).update(revoked_on=today() - timedelta(days=1))
    html = page_of(client_for(caseworker), url("applicant_history", own))
    assert "Treated for PTSD" not in html and "Detained in Ushiku" not in html
    # Notes do not depend on that consent.
    assert "Spoke of his brother" in html and "Called about the bus pass" in html


# --- History written for people ----------------------------------------------------------------------------


def _change(
    applicant: Applicant, model: str, changes: dict, *, action: str = "update", **fields
) -> ChangeRecord:
    values = {
        "organisation_id": applicant.organisation_id,
        "applicant": applicant,
        "model": model,
        "object_id": "1",
        "action": action,
        "changes": changes,
        **fields,
    }
    return ChangeRecord.objects.create(**values)


def _present(user, applicant: Applicant):
    from casework.selectors.audit import history_of, present_history

    return present_history(history_of(applicant=applicant), user=user, applicant=applicant)


def test_each_event_has_a_readable_title_not_a_code(caseworker, own):
    _change(own, "casework.consent", {"revoked_on": {"old": None, "new": "2026-12-01"}}, actor=caseworker)
    _change(own, "casework.task", {"done": {"old": False, "new": True}}, actor=caseworker)
    _change(
        own, "casework.legalstatusperiod", {"end_date": {"old": None, "new": "2027-01-01"}}, action="create"
    )
    _change(own, "casework.casenote", {"text": {"old": None, "new": "Called."}}, action="create")
    _change(own, "casework.applicant", {"team_id": {"old": 1, "new": 2}}, actor=caseworker)
    _change(own, "learning.enrollment", {"status": {"old": "enrolled", "new": "completed"}})
    titles = [entry.title for entry in _present(caseworker, own)]
    assert titles[:6] == [
        "Course completed",
        "Case reassigned",
        "Note added",
        "Legal status period added",
        "Task completed",
        "Consent revoked",
    ]
    # The fixture's own rows: the registration and the profile change.
    assert titles[6:] == ["Profile changed", "Person registered"]
    with translation.override("ja"):
        japanese = [entry.title for entry in _present(caseworker, own)]
    assert japanese[:6] == [
        "講座を修了",
        "担当を変更",
        "メモを追加",
        "在留資格等の期間を追加",
        "タスクを完了",
        "同意を撤回",
    ]


def test_ids_are_shown_as_names_and_codes_as_labels(caseworker, own):
    from tests.learning.factories import CourseFactory

    course = CourseFactory(name="Japanese A1 evening course")
    _change(own, "learning.enrollment", {"course_id": {"old": None, "new": course.pk}}, action="create")
    _change(
        own, "casework.consent", {"scope": {"old": [], "new": ["contact", "nationality"]}}, action="create"
    )
    _change(own, "learning.enrollment", {"course_id": {"old": None, "new": 999999}}, action="create")
    _change(
        own,
        "casework.refugeeprocedure",
        {"is_open": {"old": True, "new": False}},
        object_label="#2 2025-10-31",
    )
    _change(
        own,
        "casework.deadlinestate",
        {"acknowledged_at": {"old": None, "new": "2026-12-04T15:30:00+00:00"}},
        object_label="period_end#3 2026-12-20",
    )
    gone, scope, enrolled = [entry.changes[0] for entry in _present(caseworker, own)[2:5]]
    assert (enrolled.label, enrolled.new) == ("Course", "Japanese A1 evening course")
    assert (scope.label, scope.new) == ("Covers", "Contact details, Nationality")
    assert gone.new == "a record since deleted"
    reminder, procedure = _present(caseworker, own)[:2]
    assert procedure.title == "Refugee procedure closed"
    assert procedure.object_label == "Application no. 2, filed 2025-10-31"
    assert (
        reminder.title == "Reminder acknowledged"
        and reminder.object_label == "Period of stay ends on 2026-12-20"
    )
    assert (reminder.changes[0].label, reminder.changes[0].new) == ("Acknowledged at", "2026-12-05 00:30")
    page = page_of(client_for_user(caseworker), url("applicant_history", own))
    main = page[page.index("<main") :]  # the history itself (the head has colours such as #1d3d6b)
    assert not re.search(rf"#{course.pk}(?!\d)", main) and "Japanese A1 evening course" in main
    assert "period_end" not in page and "nationality" not in page


def client_for_user(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_history_is_grouped_by_day_in_tokyo_with_who_did_it(client_for, caseworker, own):
    utc = ZoneInfo("UTC")
    # 14:30 UTC is 23:30 in Tokyo on 14 March; 15:30 UTC is 00:30 on 15 March.
    _change(
        own,
        "casework.task",
        {"title": {"old": "a", "new": "b"}},
        actor=caseworker,
        at=datetime(2025, 3, 14, 14, 30, tzinfo=utc),
    )
    _change(
        own,
        "casework.task",
        {"title": {"old": "b", "new": "c"}},
        actor=None,
        at=datetime(2025, 3, 14, 15, 30, tzinfo=utc),
    )
    html = page_of(client_for(caseworker), url("applicant_history", own))
    fifth = html.index('<time datetime="2025-03-15">Saturday, 15 March 2025</time>')
    fourth = html.index('<time datetime="2025-03-14">Friday, 14 March 2025</time>')
    assert fifth < fourth
    assert re.search(r"<h2 [^>]*><time datetime=\"2025-03-15\">", html)
    night = html.index('<time datetime="2025-03-15T00:30:00+09:00">12:30 a.m.</time>')
    evening = html.index('datetime="2025-03-14T23:30:00+09:00"')
    assert fifth < night < fourth < evening
    # Who: "system" for the sweep and the worker, the person's name otherwise.
    assert fifth < html.index("by system", fifth) < fourth < html.index(f"by {caseworker}", fourth)
    assert "Task changed" in html
    client = client_for(caseworker)
    with translation.override("ja"):
        japanese = client.get(url("applicant_history", own), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "2025年3月15日（土曜日）" in japanese and "タスクを変更" in japanese


def test_history_names_every_kind_of_record_with_a_fixed_number_of_queries(
    client_for, caseworker, supervisor, own
):
    from learning.models import Course
    from tests.learning.factories import CourseFactory

    def bulk(count: int, start: int) -> None:
        courses = list(Course.objects.values_list("pk", flat=True))
        now = timezone.now()
        ChangeRecord.objects.bulk_create(
            ChangeRecord(
                organisation_id=own.organisation_id,
                at=now - timedelta(hours=start + index),  # several days of history
                actor=caseworker if index % 2 else None,
                applicant=own,
                model=model,
                object_id=str(index),
                action="update",
                changes=changes,
            )
            for index in range(count)
            for model, changes in [
                ("learning.enrollment", {"course_id": {"old": None, "new": courses[index % len(courses)]}}),
                ("casework.task", {"assignee_id": {"old": caseworker.pk, "new": supervisor.pk}}),
            ][index % 2 : index % 2 + 1]
        )

    client = client_for(caseworker)
    CourseFactory.create_batch(2)
    bulk(25, 0)
    client.get(url("applicant_history", own))
    few = count_queries(client, url("applicant_history", own))
    CourseFactory.create_batch(30)
    bulk(475, 25)
    many = count_queries(client, url("applicant_history", own))
    assert many == few and few <= 16, (few, many)
    response = client.get(url("applicant_history", own))
    assert len(response.context["entries"]) == 50
    assert "a record since deleted" not in response.content.decode()
