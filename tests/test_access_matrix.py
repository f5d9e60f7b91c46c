"""The access matrix: every route × every role, generated from Django's URL resolver and the API router.

How it is built
    ``routes()`` walks ``django.urls.get_resolver()`` recursively and collects every named route (with
    its namespace, e.g. ``admin:index``), skipping the Django admin's own pages except ``admin:index``
    and the ``.json``-style format-suffix duplicates DRF adds. The names of the DRF router in
    ``config/api.py`` are added too, so a viewset registered there is covered even before it is
    included. The parametrised test ``test_access`` runs one GET per (row, role); a route with no row
    gets a test that fails, and ``test_every_route_has_an_expectation`` lists them all at once.

The tables
    ``EXPECTED[row][role]`` is the outcome of a GET. A row is a URL name (``"home"``), or a URL name and
    an object case (``("team-detail", "other organisation")``) when the same route must be checked
    against different objects. Each row names all six roles (``ROLES``). The outcomes are:

    ``OK`` 200 · ``LOGIN`` 302 to the sign-in page with ``?next=`` · ``to("name")`` 302 to that route ·
    ``DENIED`` 403 · ``NOT_FOUND`` 404 · ``POST_ONLY`` 405 (the role passed the checks before the
    method check) · ``UNAUTHENTICATED`` 401 (the API without credentials).

    What a list holds is checked apart, per role: ``LIST_CONTENTS`` (every list of the router needs an
    entry). Where the app does not yet do what DESIGN.md says, the row states the design and
    ``KNOWN_GAPS`` makes the case a strict expected failure.

    ``KWARGS[row]`` gives the URL's arguments: a function ``(world, role) -> kwargs``. ``world`` is a
    ``World`` (fixture ``world``): the user of each role plus named objects made for the matrix. The
    role is passed so a case can be relative to the requester: "own" is the requester's own object,
    "team" one of their team's, "others" one outside both.

Adding a URL
    Add its row to ``EXPECTED`` (and to ``KWARGS`` if it takes arguments). For per-object cases add
    one row per case, e.g. ``("applicant_detail", "own")``, ``("applicant_detail", "team")``,
    ``("applicant_detail", "other team")``, ``("applicant_detail", "other organisation")``, make the
    objects in ``make_world`` and return their pks from ``KWARGS``. Deny by default: a route nobody
    wrote a row for fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    include,
    path,
    resolve,
    reverse,
)
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from casework import audit, rules, services
from casework.management.demo_records import tiny_pdf
from casework.models import AccessLogEntry, ChangeRecord, Document, Notification, Organisation, User
from casework.roles import Role
from casework.selectors import reminders as selectors_reminders
from casework.services import accounts as account_services
from reports.selectors.catalogue import REPORTS as _REPORTS
from tests.casework.factories import TeamFactory, UserFactory
from tests.casework.reminder_factories import make_reminder
from tests.module_data import data_for_the_module

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "administrator", "supervisor", "caseworker", "trainer", "employer")
# The admin's own pages (changelists, forms) are Django's: the admin checks them with model permissions.
ADMIN_NAMESPACE = "admin"
ADMIN_ROUTES_CHECKED = {"admin:index"}

Row = str | tuple[str, str]


# --- Outcomes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int
    redirect_to: str | None = None  # the URL name a redirect must lead to
    label: str = ""
    comes_back: bool = False  # the redirect carries ?next=<the requested URL>

    def check(self, response, url: str) -> None:
        assert response.status_code == self.status, (
            f"GET {url}: expected {self}, got {response.status_code} {response.get('Location', '')}"
        )
        if self.redirect_to is None:
            return
        location = urlsplit(response["Location"])
        assert not location.netloc or location.netloc == "testserver", response["Location"]
        assert resolve(location.path).view_name == self.redirect_to, (
            f"GET {url}: expected a redirect to {self.redirect_to}, got {response['Location']}"
        )
        if self.comes_back:
            assert parse_qs(location.query).get("next") == [url], response["Location"]

    def __str__(self) -> str:
        return self.label or str(self.status)


def to(url_name: str) -> Outcome:
    return Outcome(302, url_name, f"302 to {url_name}")


OK = Outcome(200, label="200")
LOGIN = Outcome(302, "login", "302 to sign-in", comes_back=True)
DENIED = Outcome(403, label="403")
NOT_FOUND = Outcome(404, label="404")
POST_ONLY = Outcome(405, label="405")
UNAUTHENTICATED = Outcome(401, label="401")


def expect(
    *,
    anonymous: Outcome,
    administrator: Outcome,
    supervisor: Outcome,
    caseworker: Outcome,
    trainer: Outcome,
    employer: Outcome,
) -> dict[str, Outcome]:
    """One row of the matrix; every role must be named (a missing one is a TypeError at import)."""
    return {
        ANONYMOUS: anonymous,
        "administrator": administrator,
        "supervisor": supervisor,
        "caseworker": caseworker,
        "trainer": trainer,
        "employer": employer,
    }


def signed_in(outcome: Outcome, *, anonymous: Outcome = LOGIN) -> dict[str, Outcome]:
    """A row where every signed-in role gets the same outcome."""
    return expect(
        anonymous=anonymous,
        administrator=outcome,
        supervisor=outcome,
        caseworker=outcome,
        trainer=outcome,
        employer=outcome,
    )


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return signed_in(outcome, anonymous=outcome)


# --- Applicants: one row per object case -----------------------------------------------------------------
#
# Every route of one applicant (or of one of their records) is requested for four applicants, made in
# make_applicant_world: "own" is in the caseworker's caseload, in the team the supervisor leads; "team"
# is a teammate's case in that team (the caseworker may read it, as team caseloads are shared by
# default, but not change it); "other team" belongs to a team nobody in the matrix is in or leads;
# "other organisation" to another organisation. The objects are the same whoever asks.

APPLICANT_CASES = ("own", "team", "other team", "other organisation")
# The own applicant's URL with the pk of a record of the team case, which the requester may see: the
# record is not that applicant's, so no one reaches it through that URL.
RECORD_OF_ANOTHER = "record of another applicant"
STAFF = ("administrator", "supervisor", "caseworker")

# Which cases each role may read and change (DESIGN.md, "Access matrix"; docs/casework-core.md).
# Trainers and employer users reach no applicant through casework.
READS: dict[str, frozenset[str]] = {
    "administrator": frozenset({"own", "team", "other team"}),
    "supervisor": frozenset({"own", "team"}),
    "caseworker": frozenset({"own", "team"}),
    "trainer": frozenset(),
    "employer": frozenset(),
}
# Legal status, procedure, work permission and reporting: DESIGN.md shares a team's caseload with its
# caseworkers for the applicant profile only; their legal records are "own caseload" (see KNOWN_GAPS).
RECORD_READS: dict[str, frozenset[str]] = {**READS, "caseworker": frozenset({"own"})}
WRITES: dict[str, frozenset[str]] = {
    "administrator": frozenset({"own", "team", "other team"}),
    "supervisor": frozenset({"own", "team"}),
    "caseworker": frozenset({"own"}),
    "trainer": frozenset(),
    "employer": frozenset(),
}

# Pages of one applicant that change something (the GET shows the form, or the confirmation).
APPLICANT_WRITE_PAGES = (
    "applicant_edit",
    "applicant_period_add",
    "applicant_period_edit",
    "applicant_period_delete",
    # The full residence card number: only for those who may change the case.
    "applicant_period_card_number",
    "applicant_work_permission_add",
    "applicant_reporting_add",
    "applicant_procedure_add",
    "applicant_procedure_event_add",
    "applicant_household_add",
)
# Pages (and API routes) that also take a record's pk: the kind of record (a key of make_applicant_world).
RECORD_PAGES = {
    "applicant_period_edit": "period",
    "applicant_period_delete": "period",
    "applicant_period_card_number": "period",
    "applicant_procedure_event_add": "procedure",
}
API_DETAILS = {  # the kind of object, and (below) the roles' reach
    "applicant-detail": "applicant",  # by reference code
    "legal-status-period-detail": "period",
    "work-permission-detail": "work permission",
    "reporting-obligation-detail": "reporting obligation",
    "procedure-detail": "procedure",
    "procedure-events": "procedure",  # POST only
}


def staff_only(*, administrator: Outcome, supervisor: Outcome, caseworker: Outcome) -> dict[str, Outcome]:
    """A page for casework staff: trainers and employer users are refused by the role check."""
    return expect(
        anonymous=LOGIN,
        administrator=administrator,
        supervisor=supervisor,
        caseworker=caseworker,
        trainer=DENIED,
        employer=DENIED,
    )


def applicant_page(case: str, *, writes: bool = False, reassigns: bool = False) -> dict[str, Outcome]:
    """A page of one applicant: 404 outside visible_to(), 403 for a change to a case one may only read.

    The reassign page is for supervisors and administrators: caseworkers are refused before the lookup.
    """

    def outcome(role: str) -> Outcome:
        if reassigns and role == "caseworker":
            return DENIED
        if case not in READS[role]:
            return NOT_FOUND
        if (writes or reassigns) and case not in WRITES[role]:
            return DENIED
        return OK

    return staff_only(
        administrator=outcome("administrator"),
        supervisor=outcome("supervisor"),
        caseworker=outcome("caseworker"),
    )


def api_detail(case: str, reads: dict[str, frozenset[str]]) -> dict[str, Outcome]:
    """An API detail: what a role may not read is 404, trainers and employer users included."""
    return expect(
        anonymous=UNAUTHENTICATED,
        **{role: OK if case in reads[role] else NOT_FOUND for role in ROLES if role != ANONYMOUS},
    )


def reads_of(name: str) -> dict[str, frozenset[str]]:
    return READS if name.startswith("applicant") else RECORD_READS


APPLICANT_ROWS: dict[Row, dict[str, Outcome]] = {
    # Pages
    "applicant_list": staff_only(administrator=OK, supervisor=OK, caseworker=OK),
    # The top bar's search as you type: the same people the list shows (tests/casework/views/test_shell.py).
    "applicant_quick_search": staff_only(administrator=OK, supervisor=OK, caseworker=OK),
    "applicant_register": staff_only(administrator=OK, supervisor=OK, caseworker=OK),
    "applicant_bulk_reassign": staff_only(administrator=POST_ONLY, supervisor=POST_ONLY, caseworker=DENIED),
    **{("applicant_detail", case): applicant_page(case) for case in APPLICANT_CASES},
    **{
        (name, case): applicant_page(case, writes=True)
        for name in APPLICANT_WRITE_PAGES
        for case in APPLICANT_CASES
    },
    **{("applicant_reassign", case): applicant_page(case, reassigns=True) for case in APPLICANT_CASES},
    **{
        (name, RECORD_OF_ANOTHER): staff_only(
            administrator=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND
        )
        for name in RECORD_PAGES
    },
    # API. A list answers every signed-in member, with only the rows they may read (trainers and employer
    # users: none): test_lists_hold_only_what_the_role_may_read checks what they hold.
    "applicant-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    "legal-status-period-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    "work-permission-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    "reporting-obligation-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    "procedure-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    **{
        (name, case): api_detail(case, reads_of(name))
        for name in API_DETAILS
        if name != "procedure-events"
        for case in APPLICANT_CASES
    },
    # POST-only actions. A GET is a safe method, so every member passes the permission check (the write
    # gate for trainers and employer users applies to the POST) and the method check answers; for
    # procedure-events before the procedure is looked up, so it tells nothing about the object.
    "applicant-duplicate-check": signed_in(POST_ONLY, anonymous=UNAUTHENTICATED),
    "applicant-reassign": signed_in(POST_ONLY, anonymous=UNAUTHENTICATED),
    **{
        ("procedure-events", case): signed_in(POST_ONLY, anonymous=UNAUTHENTICATED)
        for case in APPLICANT_CASES
    },
}

# The audit (issue 4). A person's change history: those who may change the case (a teammate reading a
# shared case: 403). "Who saw this file" and the audit API: supervisors of the team and administrators
# only; the others are refused before any lookup.
AUDIT_READS: dict[str, frozenset[str]] = {
    "administrator": READS["administrator"],
    "supervisor": READS["supervisor"],
}
AUDIT_DETAILS = {"history-detail": "change record", "access-log-detail": "access-log entry"}


def audit_api(case: str | None = None) -> dict[str, Outcome]:
    def outcome(role: str) -> Outcome:
        return OK if case is None or case in AUDIT_READS[role] else NOT_FOUND

    return expect(
        anonymous=UNAUTHENTICATED,
        administrator=outcome("administrator"),
        supervisor=outcome("supervisor"),
        caseworker=DENIED,
        trainer=DENIED,
        employer=DENIED,
    )


AUDIT_ROWS: dict[Row, dict[str, Outcome]] = {
    **{("applicant_history", case): applicant_page(case, writes=True) for case in APPLICANT_CASES},
    **{("applicant_access_log", case): applicant_page(case, reassigns=True) for case in APPLICANT_CASES},
    "history-list": audit_api(),
    "access-log-list": audit_api(),
    **{(name, case): audit_api(case) for name in AUDIT_DETAILS for case in APPLICANT_CASES},
}


# --- Consent and sensitive information (issue 4) ---------------------------------------------------------
#
# Consents are case records with the legal records' reach (RECORD_READS); changing them is WRITES.
# Sensitive information is for the assigned caseworker and the team's supervisors only, administrators
# included in no case (no break-glass for these texts): SENSITIVE_REACH. Every case has a current
# sensitive-information consent and a "health" record (make_consent_world).

SENSITIVE_REACH: dict[str, frozenset[str]] = {
    "administrator": frozenset(),
    "supervisor": frozenset({"own", "team"}),
    "caseworker": frozenset({"own"}),
    "trainer": frozenset(),
    "employer": frozenset(),
}


def sensitive_page(case: str) -> dict[str, Outcome]:
    """404 outside visible_to(); 403 for a visible case whose sensitive information is not the user's."""

    def outcome(role: str) -> Outcome:
        if case not in READS[role]:
            return NOT_FOUND
        return OK if case in SENSITIVE_REACH[role] else DENIED

    return staff_only(
        administrator=outcome("administrator"),
        supervisor=outcome("supervisor"),
        caseworker=outcome("caseworker"),
    )


CONSENT_ROWS: dict[Row, dict[str, Outcome]] = {
    **{("applicant_consent_add", case): applicant_page(case, writes=True) for case in APPLICANT_CASES},
    # GET shows the confirmation; the consent must be the applicant's (else 404).
    **{("applicant_consent_revoke", case): applicant_page(case, writes=True) for case in APPLICANT_CASES},
    ("applicant_consent_revoke", RECORD_OF_ANOTHER): staff_only(
        administrator=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND
    ),
    **{("applicant_sensitive_edit", case): sensitive_page(case) for case in APPLICANT_CASES},
    **{("applicant_sensitive_erase", case): sensitive_page(case) for case in APPLICANT_CASES},
    "consent-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    **{("consent-detail", case): api_detail(case, RECORD_READS) for case in APPLICANT_CASES},
    **{("consent-revoke", case): signed_in(POST_ONLY, anonymous=UNAUTHENTICATED) for case in APPLICANT_CASES},
    "sensitive-information-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    **{("sensitive-information-detail", case): api_detail(case, SENSITIVE_REACH) for case in APPLICANT_CASES},
    "sensitive-information-erase": signed_in(POST_ONLY, anonymous=UNAUTHENTICATED),
}


# --- Notes, tasks and documents (issue 4) ------------------------------------------------------------------
#
# make_record_world gives each applicant of APPLICANT_CASES an open note, a confidential note, a task and a
# document, written by the applicant's caseworker. Notes and tasks are read with the applicant (a shared
# team case included, read-only); a confidential note only by its author, the assigned caseworker and the
# team's supervisors (administrators through the logged break-glass page); documents by the own caseload,
# the teams one leads and administrators (DESIGN.md: "documents: own caseload").

CONFIDENTIAL_READS: dict[str, frozenset[str]] = {
    "administrator": frozenset(),
    "supervisor": frozenset({"own", "team"}),
    "caseworker": frozenset({"own"}),
    "trainer": frozenset(),
    "employer": frozenset(),
}
DOCUMENT_READS = WRITES
RECORD_ADD_PAGES = ("applicant_note_add", "applicant_task_add", "applicant_document_add")
# Pages of one note, task or document: the kind of record (a key of make_record_world's objects).
RECORD_ITEM_PAGES = {
    "applicant_note_edit": "note",
    "applicant_note_break_glass": "confidential note",
    "applicant_task_edit": "task",
    "applicant_task_done": "task",
    "applicant_document_download": "document",
}
RECORD_API_DETAILS = {
    "note-detail": ("note", READS),
    "task-detail": ("task", READS),
    "document-detail": ("document", DOCUMENT_READS),
    "document-download": ("document", DOCUMENT_READS),
}


def record_item_page(name: str, case: str) -> dict[str, Outcome]:
    if name == "applicant_task_done":  # POST only: the method check comes before the lookup
        return staff_only(administrator=POST_ONLY, supervisor=POST_ONLY, caseworker=POST_ONLY)
    if name == "applicant_note_break_glass":  # administrators only, checked before the lookup
        found = case in READS["administrator"]
        return staff_only(administrator=OK if found else NOT_FOUND, supervisor=DENIED, caseworker=DENIED)
    if name == "applicant_document_download":
        return staff_only(**{role: OK if case in DOCUMENT_READS[role] else NOT_FOUND for role in STAFF})
    if name == "applicant_note_edit":  # its author only: the "own" case's note is the caseworker's
        return staff_only(**{role: note_edit_outcome(role, case) for role in STAFF})
    return applicant_page(case, writes=True)


def note_edit_outcome(role: str, case: str) -> Outcome:
    if case not in READS[role]:
        return NOT_FOUND
    return OK if (role, case) == ("caseworker", "own") else DENIED


def record_of_another(name: str) -> dict[str, Outcome]:
    if name == "applicant_task_done":
        return record_item_page(name, "own")
    if name == "applicant_note_break_glass":
        return staff_only(administrator=NOT_FOUND, supervisor=DENIED, caseworker=DENIED)
    return staff_only(administrator=NOT_FOUND, supervisor=NOT_FOUND, caseworker=NOT_FOUND)


RECORD_ROWS: dict[Row, dict[str, Outcome]] = {
    "my_tasks": staff_only(administrator=OK, supervisor=OK, caseworker=OK),
    **{
        (name, case): applicant_page(case, writes=True)
        for name in RECORD_ADD_PAGES
        for case in APPLICANT_CASES
    },
    **{(name, case): record_item_page(name, case) for name in RECORD_ITEM_PAGES for case in APPLICANT_CASES},
    **{(name, RECORD_OF_ANOTHER): record_of_another(name) for name in RECORD_ITEM_PAGES},
    # Break-glass is for confidential notes: an open note is not found there.
    ("applicant_note_break_glass", "open note"): staff_only(
        administrator=NOT_FOUND, supervisor=DENIED, caseworker=DENIED
    ),
    "note-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    "task-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    "document-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    **{
        (name, case): api_detail(case, reads)
        for name, (_kind, reads) in RECORD_API_DETAILS.items()
        for case in APPLICANT_CASES
    },
    **{
        ("note-detail", f"confidential {case}"): api_detail(case, CONFIDENTIAL_READS)
        for case in APPLICANT_CASES
    },
}


def record_page_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    applicant_case, record_case = ("own", "team") if case == RECORD_OF_ANOTHER else ("own", "own")
    if case not in (RECORD_OF_ANOTHER, "open note"):
        applicant_case = record_case = case
    kind = "note" if case == "open note" else RECORD_ITEM_PAGES.get(name)

    def kwargs(world: World, role: str) -> dict[str, Any]:
        values: dict[str, Any] = {
            "reference_code": world.objects[f"applicant {applicant_case}"].reference_code
        }
        if kind is not None:
            values["pk"] = world.objects[f"{kind} {record_case}"].pk
        return values

    return kwargs


def record_api_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    kind = RECORD_API_DETAILS[name][0]
    if case.startswith("confidential "):
        kind, case = "confidential note", case.removeprefix("confidential ")
    return lambda world, role: {"pk": world.objects[f"{kind} {case}"].pk}


RECORD_KWARGS: dict[Row, Callable[[World, str], dict[str, Any]]] = {
    row: (record_api_kwargs if "-" in row[0] else record_page_kwargs)(*row)
    for row in RECORD_ROWS
    if isinstance(row, tuple)
}


def make_record_world(world: World) -> None:
    """A note, a confidential note and a task per applicant through the services, and a document.

    The documents share one stored sample file (written once): the matrix builds its world for every
    request it makes, and a file per document would pile up in the test storage.
    """
    storage = Document._meta.get_field("file").storage
    sample = "matrix/sample.pdf"
    if not storage.exists(sample):
        storage.save(sample, ContentFile(tiny_pdf("Access matrix")))
    for case in APPLICANT_CASES:
        applicant = world.objects[f"applicant {case}"]
        by = applicant.caseworker
        world.objects[f"note {case}"] = services.note_add(
            by=by, applicant=applicant, text=f"Matrix note {case}"
        )
        world.objects[f"confidential note {case}"] = services.note_add(
            by=by, applicant=applicant, text=f"Matrix confidential note {case}", confidential=True
        )
        world.objects[f"task {case}"] = services.task_add(
            by=by, applicant=applicant, title=f"Matrix task {case}"
        )
        world.objects[f"document {case}"] = Document.objects.create(
            applicant=applicant,
            kind=Document.Kind.OTHER,
            file=sample,
            original_name=f"matrix-{case}.pdf",
            content_type="application/pdf",
            size=storage.size(sample),
            sha256="0" * 64,
            uploaded_by=by,
        )


def readable_note_texts(world: World, role: str) -> list[str]:
    return [f"Matrix note {case}" for case in READS[role]] + [
        f"Matrix confidential note {case}" for case in CONFIDENTIAL_READS[role]
    ]


def applicants_with_readable_documents(world: World, role: str) -> list[str]:
    """One entry per document (each case has an uploaded document and, since learning, a certificate)."""
    return [
        applicant.reference_code
        for case in DOCUMENT_READS[role]
        for applicant in [world.objects[f"applicant {case}"]]
        for _document in Document.objects.filter(applicant=applicant)
    ]


# Reminders (issue 5). The inbox and the deadlines page are for casework staff. Acting on a reminder is
# POST only: a GET is refused by the method check, after the role check and before any lookup, so it
# tells nothing about the reminder (tests/casework/views/test_reminders.py and api/test_reminders.py POST
# as every role: someone else's reminder is a 404). The API lists answer every member with their own
# rows only (LIST_CONTENTS); trainers and employer users get empty lists and 403 on every POST.
REMINDER_ACTIONS = ("reminder_acknowledge", "reminder_snooze", "reminder_task", "notification_read")
REMINDER_API_ACTIONS = ("reminder-acknowledge", "reminder-snooze", "reminder-task", "notification-read")
REMINDER_ROWS: dict[Row, dict[str, Outcome]] = {
    "reminder_inbox": staff_only(administrator=OK, supervisor=OK, caseworker=OK),
    "deadlines_ahead": staff_only(administrator=OK, supervisor=OK, caseworker=OK),
    **{
        name: staff_only(administrator=POST_ONLY, supervisor=POST_ONLY, caseworker=POST_ONLY)
        for name in (*REMINDER_ACTIONS, "notification_read_all")
    },
    "notification-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    "reminder-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    "deadline-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    **{
        name: signed_in(POST_ONLY, anonymous=UNAUTHENTICATED)
        for name in (*REMINDER_API_ACTIONS, "notification-read-all")
    },
}


def _reminder_pk(name: str):
    key = "notification own" if name.startswith("notification") else "reminder own"
    return lambda world, role: {"pk": world.objects[key].pk}


REMINDER_KWARGS = {name: _reminder_pk(name) for name in (*REMINDER_ACTIONS, *REMINDER_API_ACTIONS)}


def make_reminder_world(world) -> None:
    """A delivered T-7 reminder per applicant case, notified to its caseworker; the own case's deadline
    also escalated to the supervisor."""
    for case in APPLICANT_CASES:
        applicant = world.objects[f"applicant {case}"]
        reminder = make_reminder(applicant, offset="-7", notify=[applicant.caseworker])
        world.objects[f"reminder {case}"] = reminder
        world.objects[f"notification {case}"] = Notification.objects.get(reminder=reminder)
    Notification.objects.create(
        recipient=world.users["supervisor"],
        reminder=world.objects["reminder own"],
        purpose=Notification.Purpose.ESCALATION,
    )


def own_notifications(world, role: str) -> list[int]:
    """Everyone gets their own notifications only (the caseworker the own case's, the supervisor its
    escalation; nobody else in the matrix was notified)."""
    return list(Notification.objects.filter(recipient=world.users[role]).values_list("pk", flat=True))


# Reminders one may act on: notified of (or the assigned caseworker), the teams one leads, all of the
# organisation for administrators; a teammate's case is readable by a caseworker but not theirs to act on.
REMINDER_ACTS: dict[str, frozenset[str]] = {**READS, "caseworker": frozenset({"own"})}


def actionable_reminders(world, role: str) -> list[int]:
    return [world.objects[f"reminder {case}"].pk for case in REMINDER_ACTS[role]]


def applicants_with_deadlines(world, role: str) -> list[str]:
    """The deadlines ahead of the people whose legal records the role reads: the administrator's
    deadlines (all cases of the organisation) restricted to the role's reach, one entry per deadline."""
    readable = set(applicants_of_readable_records(world, role))
    everything = selectors_reminders.with_details(
        selectors_reminders.deadlines_ahead(user=world.users["administrator"]),
        user=world.users["administrator"],
    )
    found = [row.applicant.reference_code for row in everything if row.applicant is not None]
    return [code for code in found if code in readable]


# --- Learning (issue 6) -----------------------------------------------------------------------------------

# Course pages: everyone who works with courses; employer partners are refused by the role check.
LEARNING_STAFF = expect(
    anonymous=LOGIN, administrator=OK, supervisor=OK, caseworker=OK, trainer=OK, employer=DENIED
)
COURSE_CASES = ("own course", "other course", "other organisation course")
# Courses: staff read every course of the organisation; trainers their own; employer users none.
COURSE_READS: dict[str, frozenset[str]] = {
    "administrator": frozenset({"own course", "other course"}),
    "supervisor": frozenset({"own course", "other course"}),
    "caseworker": frozenset({"own course", "other course"}),
    "trainer": frozenset({"own course"}),
    "employer": frozenset(),
}
# Sessions, attendance and the course's details change: administrators, and trainers their own courses.
COURSE_WRITES: dict[str, frozenset[str]] = {
    "administrator": frozenset({"own course", "other course"}),
    "trainer": frozenset({"own course"}),
}
# Learning data of a person (enrolments, attendance, assessments): the people one may change, and for
# trainers the learners of their courses (own and team applicants learn in the own course).
LEARNER_READS: dict[str, frozenset[str]] = {**WRITES, "trainer": frozenset({"own", "team"})}


def course_page(case: str, *, writes: bool = False) -> dict[str, Outcome]:
    """A course page (writes: a page that changes the course): the role check refuses employer users
    (and, for writes, supervisors and caseworkers); a course out of reach is not found."""

    def outcome(role: str) -> Outcome:
        if writes and role in ("supervisor", "caseworker"):  # they see the course, may not change it
            return DENIED if case in COURSE_READS[role] else NOT_FOUND
        reach = COURSE_WRITES.get(role, frozenset()) if writes else COURSE_READS[role]
        return OK if case in reach else NOT_FOUND

    return expect(
        anonymous=LOGIN,
        administrator=outcome("administrator"),
        supervisor=outcome("supervisor"),
        caseworker=outcome("caseworker"),
        trainer=outcome("trainer"),
        employer=DENIED,
    )


def course_api(case: str) -> dict[str, Outcome]:
    return expect(
        anonymous=UNAUTHENTICATED,
        **{role: OK if case in COURSE_READS[role] else NOT_FOUND for role in STAFF},
        trainer=OK if case in COURSE_READS["trainer"] else NOT_FOUND,
        employer=NOT_FOUND,
    )


def learner_api(case: str) -> dict[str, Outcome]:
    return expect(
        anonymous=UNAUTHENTICATED,
        **{role: OK if case in LEARNER_READS[role] else NOT_FOUND for role in STAFF},
        trainer=OK if case in LEARNER_READS["trainer"] else NOT_FOUND,
        employer=NOT_FOUND,
    )


def learner_page(case: str) -> dict[str, Outcome]:
    return expect(
        anonymous=LOGIN,
        **{role: OK if case in LEARNER_READS[role] else NOT_FOUND for role in STAFF},
        trainer=OK if case in LEARNER_READS["trainer"] else NOT_FOUND,
        employer=DENIED,
    )


def enrollment_drop_page(case: str) -> dict[str, Outcome]:
    return expect(
        anonymous=LOGIN,
        **{role: OK if case in WRITES[role] else NOT_FOUND for role in STAFF},
        trainer=DENIED,
        employer=DENIED,
    )


COURSE_PAGES = ("learning:course_detail", "learning:session_attendance")
COURSE_WRITE_PAGES = (
    "learning:course_edit",
    "learning:session_add",
    "learning:sessions_generate",
    "learning:session_cancel",
)
# Pages and endpoints whose pk is a session rather than a course.
SESSION_KEYED = {
    "learning:session_attendance",
    "learning:session_cancel",
    "session-detail",
    "session-attendance",
    "session-cancel",
    "learning:session_attendance_mark",
}
LEARNING_API_POST_ONLY = (
    "course-generate-sessions",
    "session-cancel",
    "enrollment-drop",
    "enrollment-complete",
)

# POST-only pages: a GET passes the role check and is refused by the method check (employer users get
# the role check's 403 first).
LEARNING_POST_ONLY = expect(
    anonymous=LOGIN,
    administrator=POST_ONLY,
    supervisor=POST_ONLY,
    caseworker=POST_ONLY,
    trainer=POST_ONLY,
    employer=DENIED,
)
LEARNING_ROWS: dict[Row, dict[str, Outcome]] = {
    "learning:course_list": LEARNING_STAFF,
    "learning:teaching": expect(
        anonymous=LOGIN,
        administrator=DENIED,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=OK,
        employer=DENIED,
    ),
    "learning:course_add": expect(
        anonymous=LOGIN, administrator=OK, supervisor=DENIED, caseworker=DENIED, trainer=OK, employer=DENIED
    ),
    **{(name, case): course_page(case) for name in COURSE_PAGES for case in COURSE_CASES},
    **{(name, case): course_page(case, writes=True) for name in COURSE_WRITE_PAGES for case in COURSE_CASES},
    ("learning:session_attendance_mark", "own course"): LEARNING_POST_ONLY,
    # Trainers enrol nobody (the role check refuses them before the method check).
    "learning:enrol": {**LEARNING_POST_ONLY, "trainer": DENIED},
    # What a trainer may know of a learner (name, language data, certificates) and recording a result.
    **{
        (name, case): learner_page(case)
        for name in (
            "learning:learner_detail",
            "learning:assessment_add",
            "learning:assessment_certificate",
            "learning:assessment_edit",
            "learning:assessment_delete",
        )
        for case in APPLICANT_CASES
    },
    ("learning:enrollment_complete", "own"): LEARNING_POST_ONLY,
    # Confirming the applicant page's job-ready suggestion (POST only): staff pass the role check and a GET
    # is refused by the method check, whoever the person is; trainers and employer users are refused by
    # the role check. What a POST does per case (own, read-only, others) is tests/learning/views/test_job_ready.py.
    **{
        ("learning:job_ready_confirm", case): {**LEARNING_POST_ONLY, "trainer": DENIED}
        for case in APPLICANT_CASES
    },
    **{("learning:enrollment_drop", case): enrollment_drop_page(case) for case in APPLICANT_CASES},
    # The API (learning/api): lists hold what each role may read (LIST_CONTENTS).
    **{
        name: signed_in(OK, anonymous=UNAUTHENTICATED)
        for name in ("course-list", "session-list", "enrollment-list", "attendance-list", "assessment-list")
    },
    **{
        (name, case): course_api(case)
        for name in ("course-detail", "session-detail", "session-attendance")
        for case in COURSE_CASES
    },
    **{
        (name, case): learner_api(case)
        for name in ("enrollment-detail", "attendance-detail", "assessment-detail", "assessment-certificate")
        for case in APPLICANT_CASES
    },
    **{
        (name, "own course"): signed_in(POST_ONLY, anonymous=UNAUTHENTICATED)
        for name in LEARNING_API_POST_ONLY
    },
    # Without ?applicant= the question is incomplete: 400 for everyone signed in (tests/learning/test_api.py).
    "assessment-current-level": signed_in(Outcome(400, label="400"), anonymous=UNAUTHENTICATED),
}


def learning_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        if case in COURSE_CASES:
            keyed = f"session {case}" if name in SESSION_KEYED else case
            if name == "learning:session_cancel":
                keyed = f"session ahead {case}"  # only a session that has not begun can be cancelled
            return {"pk": world.objects[keyed].pk}
        if name in ("learning:learner_detail", "learning:assessment_add", "learning:job_ready_confirm"):
            return {"reference_code": world.objects[f"applicant {case}"].reference_code}
        if name in (
            "learning:assessment_certificate",
            "learning:assessment_edit",
            "learning:assessment_delete",
        ):
            return {"pk": world.objects[f"assessment {case}"].pk}
        if name in (
            "learning:enrollment_drop",
            "learning:enrollment_complete",
            "enrollment-drop",
            "enrollment-complete",
        ):
            return {"pk": world.objects[f"enrollment {case}"].pk}
        kind = {"enrollment": "enrollment", "attendance": "attendance", "assessment": "assessment"}[
            name.split("-")[0]
        ]
        return {"pk": world.objects[f"{kind} {case}"].pk}

    return kwargs


# --- jobs pages ------------------------------------------------------------------------------------------
# The staff pages of jobs (issue 15) under /jobs/: caseworkers, supervisors and administrators; trainers
# and employer users 403 on every one. Employers and openings are read by all staff of the organisation;
# a referral (and its interviews, placement, follow-ups) follows its person (READS / WRITES above).
JOBS_ORGANISATION_CASES = ("own organisation", "other organisation")


def jobs_page(ok: Outcome = OK) -> dict[str, Outcome]:
    return expect(
        anonymous=LOGIN, administrator=ok, supervisor=ok, caseworker=ok, trainer=DENIED, employer=DENIED
    )


def jobs_organisation_page(case: str) -> dict[str, Outcome]:
    return jobs_page(OK if case == "own organisation" else NOT_FOUND)


def jobs_referral_page(case: str, *, writes: bool = False) -> dict[str, Outcome]:
    def outcome(role: str) -> Outcome:
        if case not in READS[role]:
            return NOT_FOUND
        return DENIED if writes and case not in WRITES[role] else OK

    return expect(anonymous=LOGIN, **{role: outcome(role) for role in STAFF}, trainer=DENIED, employer=DENIED)


JOBS_PAGE_ROWS: dict[Row, dict[str, Outcome]] = {
    **{
        name: jobs_page()
        for name in (
            "jobs:employer_list",
            "jobs:employer_add",
            "jobs:opening_list",
            "jobs:referral_list",
            "jobs:placement_list",
            "jobs:follow_up_list",
        )
    },
    # Without ?employer= the add page sends staff to choose the employer first.
    "jobs:opening_add": jobs_page(to("jobs:employer_list")),
    **{
        (name, case): jobs_organisation_page(case)
        for name in (
            "jobs:employer_detail",
            "jobs:employer_edit",
            "jobs:contact_add",
            "jobs:opening_detail",
            "jobs:opening_edit",
        )
        for case in JOBS_ORGANISATION_CASES
    },
    ("jobs:contact_edit", "own organisation"): jobs_page(),
    **{("jobs:referral_detail", case): jobs_referral_page(case) for case in APPLICANT_CASES},
    **{("jobs:interview_add", case): jobs_referral_page(case, writes=True) for case in APPLICANT_CASES},
    ("jobs:interview_edit", "own"): jobs_page(),
    ("jobs:follow_up_record", "own"): jobs_page(),
    # POST only: staff pass the role check and meet the method check.
    "jobs:referral_propose": jobs_page(POST_ONLY),
    **{
        (name, "own"): jobs_page(POST_ONLY)
        for name in ("jobs:referral_move", "jobs:hire_report", "jobs:hire_confirm", "jobs:contact_delete")
    },
}


def jobs_page_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        if name in ("jobs:employer_detail", "jobs:employer_edit", "jobs:contact_add"):
            return {"pk": world.objects[f"page employer {case}"].pk}
        if name in ("jobs:opening_detail", "jobs:opening_edit"):
            return {"pk": world.objects[f"page opening {case}"].pk}
        if name in ("jobs:contact_edit", "jobs:contact_delete"):
            return {"pk": world.objects["page contact own organisation"].pk}
        if name == "jobs:interview_edit":
            return {"pk": world.objects["page interview own"].pk}
        if name == "jobs:follow_up_record":
            return {"pk": world.objects["page follow-up own"].pk}
        return {"pk": world.objects[f"page referral {case}"].pk}

    return kwargs


def make_jobs_page_world(world: World) -> None:
    """An employer with a contact and an opening in each organisation; a referral of each applicant case
    (the foreign one to the foreign opening); an interview and a placement with follow-ups of "own"."""
    from decimal import Decimal

    from jobs import rules as jobs_rules
    from jobs.models import (
        Employer,
        EmployerContact,
        FollowUp,
        Interview,
        JobOpening,
        Placement,
        Referral,
    )

    now, today = timezone.now(), timezone.localdate()
    administrator = world.users["administrator"]
    foreign_admin = UserFactory(
        username="matrix-jobs-foreign-admin",
        roles=[Role.ADMINISTRATOR],
        organisation=world.objects["foreign_team"].organisation,
        team=world.objects["foreign_team"],
    )
    for case, by in (("own organisation", administrator), ("other organisation", foreign_admin)):
        employer = Employer.objects.create(
            organisation_id=by.organisation_id, name=f"Matrix {case} employer", industry="hospitality",
            prefecture="13", created_by=by,
        )  # fmt: skip
        world.objects[f"page employer {case}"] = employer
        world.objects[f"page contact {case}"] = EmployerContact.objects.create(
            employer=employer, name="Tanaka"
        )
        world.objects[f"page opening {case}"] = JobOpening.objects.create(
            employer=employer, title=f"Matrix {case} job", prefecture="13", hours_per_week=Decimal(40),
            daily_hours=Decimal(8), wage=1300, wage_unit="hourly", contract_type="fixed_term",
            start_date=today + timedelta(days=14), status="open", created_by=by,
        )  # fmt: skip
    for case in APPLICANT_CASES:
        organisation = "other organisation" if case == "other organisation" else "own organisation"
        applicant = world.objects[f"applicant {case}"]
        world.objects[f"page referral {case}"] = Referral.objects.create(
            applicant=applicant, opening=world.objects[f"page opening {organisation}"], stage="proposed",
            stage_changed_at=now, created_by=applicant.caseworker,
        )  # fmt: skip
    own = world.objects["applicant own"]
    world.objects["page interview own"] = Interview.objects.create(
        referral=world.objects["page referral own"],
        starts_at=now,
        place="Matrix office",
        created_by=own.caseworker,
    )
    placed = JobOpening.objects.create(
        employer=world.objects["page employer own organisation"], title="Matrix placed job", prefecture="13",
        hours_per_week=Decimal(40), daily_hours=Decimal(8), wage=1300, wage_unit="hourly",
        contract_type="fixed_term", start_date=today - timedelta(days=40), status="filled",
        created_by=administrator,
    )  # fmt: skip
    world.objects["page opening own organisation m0"] = placed  # the lists' contents count it too
    hired = Referral.objects.create(
        applicant=own, opening=placed, stage="hired", stage_changed_at=now, created_by=own.caseworker
    )
    world.objects["page referral own m0"] = hired
    placement = Placement.objects.create(
        referral=hired, applicant=own, opening=placed, start_date=placed.start_date, hours_per_week=Decimal(40),
        daily_hours=Decimal(8), wage=1300, wage_unit="hourly", employment_insurance=True,
        confirmed_by=own.caseworker, confirmed_at=now,
    )  # fmt: skip
    world.objects["page placement own"] = placement
    for month, due in jobs_rules.follow_up_dates(placement.start_date):
        world.objects[f"page follow-up own m{month}"] = FollowUp.objects.create(
            placement=placement, month=month, due_on=due
        )
    world.objects["page follow-up own"] = world.objects["page follow-up own m1"]


# --- end of jobs pages -----------------------------------------------------------------------------------


# --- Portal users and invitations (issue 16, P2) ----------------------------------------------------------
# Staff side (under /jobs/): the invite page is for supervisors and administrators of the employer's
# organisation (caseworkers 403; another organisation's employer 404); withdraw/remove are POST only.
# The invitation link (/partner/invitation/<token>/) is open to anyone holding it: a usable link shows
# the password form (200) to everyone, a used one a page saying so (410), an unknown one 404. The Team
# section is the portal's, for employer administrators: staff and trainers are refused, and so is the
# matrix's "employer", a plain member of a partner employer (made by the portal candidates block). PORTAL_REQUESTERS below
# adds the portal's own kinds of user (an employer admin, a member, another employer's admin, a removed
# member).
GONE = Outcome(410, label="410")
PORTAL_USER_ROWS: dict[Row, dict[str, Outcome]] = {
    ("jobs:invitation_add", "own organisation"): expect(
        anonymous=LOGIN, administrator=OK, supervisor=OK, caseworker=DENIED, trainer=DENIED, employer=DENIED
    ),
    ("jobs:invitation_add", "other organisation"): jobs_page(NOT_FOUND),
    ("jobs:invitation_withdraw", "own organisation"): jobs_page(POST_ONLY),
    ("jobs:member_remove", "own organisation"): jobs_page(POST_ONLY),
    ("partner_invitation_accept", "open"): everyone(OK),
    ("partner_invitation_accept", "used"): everyone(GONE),
    ("partner_invitation_accept", "unknown"): everyone(NOT_FOUND),
    # The matrix's employer user is a member (not an administrator) of a partner employer (the portal
    # candidates block): the Team page is refused; withdraw and remove meet the method check first.
    ("partner_team", "own organisation"): signed_in(DENIED),
    **{
        (name, "own organisation"): expect(
            anonymous=LOGIN,
            administrator=DENIED,
            supervisor=DENIED,
            caseworker=DENIED,
            trainer=DENIED,
            employer=POST_ONLY,
        )
        for name in ("partner_invitation_withdraw", "partner_member_remove")
    },
}


def portal_user_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        if name == "partner_team":
            return {}
        if name == "jobs:invitation_add":
            return {"pk": world.objects[f"page employer {case}"].pk}
        if name == "partner_invitation_accept":
            return {"token": world.objects[f"portal token {case}"]}
        if name in ("jobs:invitation_withdraw", "partner_invitation_withdraw"):
            return {"pk": world.objects["portal invitation"].pk}
        return {"pk": world.objects["portal admin membership"].pk}

    return kwargs


def make_portal_user_world(world: World) -> None:
    """On the own organisation's page employer: an admin member, a plain member, a removed member, an
    open invitation; another employer of the organisation (the jobs API world's) with its own admin; the
    links' tokens."""
    from jobs.services import memberships

    password = "kirin-matrix-2026!"
    supervisor = world.users["supervisor"]
    employer = world.objects["page employer own organisation"]
    other = world.objects["employer own organisation"]  # the API world's: no new row in the lists

    def member(on, email: str, role: str):
        _invitation, token = memberships.invitation_send(by=supervisor, employer=on, email=email, role=role)
        return memberships.invitation_accept(token=token, password=password, password_again=password)

    world.objects["portal admin membership"] = member(employer, "matrix-boss@example.com", "admin")
    world.objects["portal member membership"] = member(employer, "matrix-worker@example.com", "member")
    removed = member(employer, "matrix-gone@example.com", "member")
    world.objects["portal removed user"] = removed.user
    memberships.member_remove(by=supervisor, membership=removed)
    world.objects["portal other admin membership"] = member(other, "matrix-other@example.com", "admin")
    world.objects["portal invitation"], world.objects["portal token open"] = memberships.invitation_send(
        by=supervisor, employer=employer, email="matrix-invited@example.com", role="member"
    )
    _used, used_token = memberships.invitation_send(
        by=supervisor, employer=other, email="matrix-used@example.com", role="member"
    )
    memberships.invitation_accept(token=used_token, password=password, password_again=password)
    world.objects["portal token used"] = used_token
    world.objects["portal token unknown"] = "matrix-no-such-token"


# The portal's own requesters × the routes they may meet: GET, and POST for the writes (a fresh world
# per case, so a POST's effect does not leak). "removed member": their session is signed out (inactive).
PORTAL_REQUESTERS = ("employer admin", "employer member", "admin of another employer", "removed member")
PORTAL_REQUESTER_EXPECTED: dict[tuple[str, str], dict[str, Outcome]] = {
    ("GET", "partner_home"): {
        "employer admin": OK, "employer member": OK, "admin of another employer": OK, "removed member": LOGIN,
    },
    ("GET", "partner_team"): {
        "employer admin": OK, "employer member": DENIED, "admin of another employer": OK,
        "removed member": LOGIN,
    },
    ("POST", "partner_invitation_withdraw"): {
        "employer admin": to("partner_team"), "employer member": DENIED, "admin of another employer": NOT_FOUND,
        "removed member": LOGIN,
    },
    ("POST", "partner_member_remove"): {
        "employer admin": to("partner_team"), "employer member": DENIED, "admin of another employer": NOT_FOUND,
        "removed member": LOGIN,
    },
    # The matrix's shared referral's thread belongs to another employer than these requesters': 404.
    **{
        (method, "partner_candidate_message"): dict.fromkeys(PORTAL_REQUESTERS[:3], NOT_FOUND)
        | {"removed member": LOGIN}
        for method in ("GET", "POST")
    },
    # Placed workers and notifications (helper B): the requesters' employer's own placement, follow-up
    # and notification; another employer's admin gets 404s, a removed member is signed out.
    **{
        ("GET", name): {
            "employer admin": OK, "employer member": OK, "admin of another employer": NOT_FOUND,
            "removed member": LOGIN,
        }
        for name in ("partner_worker", "partner_follow_up_confirm")
    },
    ("GET", "partner_notifications"): {
        "employer admin": OK, "employer member": OK, "admin of another employer": OK, "removed member": LOGIN,
    },
    ("POST", "partner_notification_read"): {
        "employer admin": to("partner_notifications"), "employer member": to("partner_notifications"),
        "admin of another employer": NOT_FOUND, "removed member": LOGIN,
    },
    # The staff side stays closed to every employer user.
    **{
        (method, name): dict.fromkeys(PORTAL_REQUESTERS[:3], DENIED) | {"removed member": LOGIN}
        for method, name in (
            ("GET", "jobs:employer_detail"),
            ("GET", "jobs:invitation_add"),
            ("POST", "jobs:invitation_add"),
            ("POST", "jobs:invitation_withdraw"),
            ("POST", "jobs:member_remove"),
            ("GET", "jobs:referral_message"),
            ("POST", "jobs:referral_message"),
            ("POST", "jobs:api_account_add"),
        )
    },
}  # fmt: skip


def portal_requester(world: World, requester: str) -> User:
    return {
        "employer admin": lambda: world.objects["portal admin membership"].user,
        "employer member": lambda: world.objects["portal member membership"].user,
        "admin of another employer": lambda: world.objects["portal other admin membership"].user,
        "removed member": lambda: world.objects["portal removed user"],
    }[requester]()


def portal_requester_url(world: World, name: str) -> str:
    if name == "partner_worker":
        return reverse(name, args=[world.objects["portal9 placement own"].pk])
    if name == "partner_follow_up_confirm":
        return reverse(name, args=[world.objects["portal9 follow-up own"].pk])
    if name == "partner_notification_read":
        return reverse(name, args=[world.objects["portal worker notification requesters"].pk])
    if name in ("partner_home", "partner_team", "partner_notifications"):
        return reverse(name)
    if name in ("jobs:employer_detail", "jobs:invitation_add", "jobs:api_account_add"):
        return reverse(name, args=[world.objects["page employer own organisation"].pk])
    if name == "partner_candidate_message":
        return reverse(name, args=[world.objects["portal referral shared"].pk])
    if name == "jobs:referral_message":
        return reverse(name, args=[world.objects["page referral own"].pk])
    if name in ("jobs:invitation_withdraw", "partner_invitation_withdraw"):
        return reverse(name, args=[world.objects["portal invitation"].pk])
    # Removing a colleague: the member of the page employer (the admin's own colleague).
    return reverse(name, args=[world.objects["portal member membership"].pk])


# --- end of portal users and invitations -----------------------------------------------------------------


# --- Jobs API (issue 15) -------------------------------------------------------------------------------
#
# Staff only (DESIGN.md's matrix): caseworkers, supervisors and administrators read every employer and
# opening of their organisation, and the referrals, interviews, placements and follow-ups of the people
# whose case they may read (READS); trainers pass the door but see nothing (empty lists, 404); employer
# users get 403 on every route of this staff API (their own is the partner portal's). make_jobs_world
# gives each applicant case a referral with an interview, a placement and a follow-up.

JOBS_LISTS = (
    "employer-list",
    "opening-list",
    "referral-list",
    "interview-list",
    "placement-list",
    "follow-up-list",
    "minimum-wage-list",
)
JOBS_ORGANISATION_CASES = ("own organisation", "other organisation")
JOBS_ORGANISATION_DETAILS = ("employer-detail", "opening-detail", "opening-matching")
JOBS_CASE_DETAILS = {  # route: the kind of object of make_jobs_world
    "referral-detail": "referral",
    "interview-detail": "interview",
    "placement-detail": "placement",
    "follow-up-detail": "follow-up",
}
JOBS_POST_ONLY = {  # route: the object its URL names
    "employer-contacts": "employer own organisation",
    "referral-move": "referral own",
    "referral-confirm-hire": "referral own",
    "follow-up-record": "follow-up own",
}
JOBS_STAFF_API = expect(
    anonymous=UNAUTHENTICATED, administrator=OK, supervisor=OK, caseworker=OK, trainer=OK, employer=DENIED
)


def jobs_detail(reachable: frozenset[str] | set[str], case: str) -> dict[str, Outcome]:
    return expect(
        anonymous=UNAUTHENTICATED,
        **{role: OK if case in reachable and role in STAFF else NOT_FOUND for role in STAFF},
        trainer=NOT_FOUND,
        employer=DENIED,
    )


JOBS_ROWS: dict[Row, dict[str, Outcome]] = {
    **dict.fromkeys(JOBS_LISTS, JOBS_STAFF_API),
    "minimum-wage-detail": JOBS_STAFF_API,
    **{
        (name, case): jobs_detail({"own organisation"}, case)
        for name in JOBS_ORGANISATION_DETAILS
        for case in JOBS_ORGANISATION_CASES
    },
    **{
        (name, case): expect(
            anonymous=UNAUTHENTICATED,
            **{role: OK if case in READS[role] else NOT_FOUND for role in STAFF},
            trainer=NOT_FOUND,
            employer=DENIED,
        )
        for name in JOBS_CASE_DETAILS
        for case in APPLICANT_CASES
    },
    # POST-only actions: a GET passes the door (trainers too) and the method check answers.
    **{
        name: expect(
            anonymous=UNAUTHENTICATED,
            administrator=POST_ONLY,
            supervisor=POST_ONLY,
            caseworker=POST_ONLY,
            trainer=POST_ONLY,
            employer=DENIED,
        )
        for name in JOBS_POST_ONLY
    },
}


def jobs_kwargs(name: str, case: str | None) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        if name == "minimum-wage-detail":
            return {"pk": world.objects["minimum wage"].pk}
        if name in JOBS_POST_ONLY:
            return {"pk": world.objects[JOBS_POST_ONLY[name]].pk}
        if name in JOBS_ORGANISATION_DETAILS:
            kind = "employer" if name == "employer-detail" else "opening"
            return {"pk": world.objects[f"{kind} {case}"].pk}
        return {"pk": world.objects[f"{JOBS_CASE_DETAILS[name]} {case}"].pk}

    return kwargs


JOBS_KWARGS: dict[Row, Callable[[World, str], dict[str, Any]]] = {
    **{row: jobs_kwargs(row[0], row[1]) for row in JOBS_ROWS if isinstance(row, tuple)},
    **{name: jobs_kwargs(name, None) for name in (*JOBS_POST_ONLY, "minimum-wage-detail")},
}


def make_jobs_world(world: World) -> None:
    """An employer with an open opening in each organisation; for every applicant case a referral to its
    organisation's opening, with an interview, a placement and its first follow-up (written directly:
    the services' rules are tests/jobs' concern, the matrix asks only who reaches what)."""
    from decimal import Decimal

    from jobs.models import Employer, FollowUp, Interview, JobOpening, MinimumWage, Placement, Referral

    now = timezone.now()
    administrator = world.users["administrator"]
    for case, organisation_id in (
        ("own organisation", administrator.organisation_id),
        ("other organisation", world.objects["foreign_team"].organisation_id),
    ):
        employer = Employer.objects.create(
            organisation_id=organisation_id,
            name=f"Matrix employer {case}",
            industry="it",
            prefecture="13",
            created_by=administrator,
        )
        world.objects[f"employer {case}"] = employer
        world.objects[f"opening {case}"] = JobOpening.objects.create(
            employer=employer,
            title=f"Matrix opening {case}",
            prefecture="13",
            hours_per_week=Decimal(40),
            daily_hours=Decimal(8),
            wage=1400,
            wage_unit="hourly",
            contract_type="part_time",
            start_date=now.date() + timedelta(days=14),
            status="open",
            created_by=administrator,
        )
    for case in APPLICANT_CASES:
        applicant = world.objects[f"applicant {case}"]
        home = "other organisation" if case == "other organisation" else "own organisation"
        opening = world.objects[f"opening {home}"]
        referral = Referral.objects.create(
            applicant=applicant,
            opening=opening,
            stage="hired",
            stage_changed_at=now,
            created_by=administrator,
        )
        world.objects[f"referral {case}"] = referral
        world.objects[f"interview {case}"] = Interview.objects.create(
            referral=referral, starts_at=now, place="Matrix office", created_by=administrator
        )
        placement = Placement.objects.create(
            referral=referral,
            applicant=applicant,
            opening=opening,
            start_date=opening.start_date,
            hours_per_week=Decimal(40),
            daily_hours=Decimal(8),
            wage=1400,
            wage_unit="hourly",
            employment_insurance=True,
            confirmed_by=administrator,
            confirmed_at=now,
        )
        world.objects[f"placement {case}"] = placement
        world.objects[f"follow-up {case}"] = FollowUp.objects.create(
            placement=placement, month=1, due_on=opening.start_date + timedelta(days=30)
        )
    world.objects["minimum wage"] = MinimumWage.objects.order_by("pk").first()


def _jobs_objects(world: World, kind: str) -> list[tuple[str, Any]]:
    """(case, object) of a kind from both jobs worlds: "referral own" (the API's) and "page referral own"
    or "page follow-up own m3" (the pages'), the case being "own", "team", … as in READS."""
    found = []
    for key, obj in world.objects.items():
        # "portal1 …": the portal candidates' objects (make_portal_candidates_world), counted like the others.
        name = re.sub(r"^(page|portal\d) ", "", key)
        if not name.startswith(f"{kind} "):
            continue
        case = re.sub(r" m\d+$", "", name.removeprefix(f"{kind} "))
        found.append((case, obj))
    return found


def jobs_rows(kind: str) -> Callable[[World, str], list[int]]:
    def rows(world: World, role: str) -> list[int]:
        if role not in STAFF:
            return []
        return sorted({obj.pk for case, obj in _jobs_objects(world, kind) if case in READS[role]})

    return rows


def jobs_organisation_rows(kind: str) -> Callable[[World, str], list[int]]:
    def rows(world: World, role: str) -> list[int]:
        if role not in STAFF:
            return []
        return sorted({obj.pk for case, obj in _jobs_objects(world, kind) if case == "own organisation"})

    return rows


def minimum_wage_rows(world: World, role: str) -> list[int]:
    from jobs.models import MinimumWage

    return list(MinimumWage.objects.values_list("pk", flat=True))


JOBS_LIST_CONTENTS: dict[str, tuple[str, Callable[[World, str], list[Any]]]] = {
    "employer-list": ("id", jobs_organisation_rows("employer")),
    "opening-list": ("id", jobs_organisation_rows("opening")),
    "referral-list": ("id", jobs_rows("referral")),
    "interview-list": ("id", jobs_rows("interview")),
    "placement-list": ("id", jobs_rows("placement")),
    "follow-up-list": ("id", jobs_rows("follow-up")),
    "minimum-wage-list": ("id", minimum_wage_rows),
}


# --- Right-to-work checks (issue 16, staff side) ---------------------------------------------------------
# A legal record (RECORD_READS to read, WRITES to add): the add page of the applicant's legal section, the
# API list and one check per case. make_right_to_work_world gives each case one check by its caseworker.

RIGHT_TO_WORK_ROWS: dict[Row, dict[str, Outcome]] = {
    **{
        ("applicant_right_to_work_check_add", case): applicant_page(case, writes=True)
        for case in APPLICANT_CASES
    },
    "right-to-work-check-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    **{("right-to-work-check-detail", case): api_detail(case, RECORD_READS) for case in APPLICANT_CASES},
}


def right_to_work_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        if name == "right-to-work-check-detail":
            return {"pk": world.objects[f"right-to-work check {case}"].pk}
        return {"reference_code": world.objects[f"applicant {case}"].reference_code}

    return kwargs


# --- Portal openings (issue 16, p3) -------------------------------------------------------------------
# The partner portal's openings pages and the partner API's openings: only an employer user with a
# membership (the matrix's employer user is made a member of "Matrix partner employer"); staff and
# trainers 403. "other employer": an opening of another employer of the same organisation, the case of
# "an employer user of another employer" — a 404 like an id that does not exist. The staff side's approve
# (POST only) and return (a page with the reason) of a submitted opening: staff who edit openings.
PORTAL_OPENING_CASES = ("own employer", "other employer")


def portal_page(ok: Outcome = OK) -> dict[str, Outcome]:
    return expect(
        anonymous=LOGIN,
        administrator=DENIED,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=DENIED,
        employer=ok,
    )


def partner_api(ok: Outcome = OK) -> dict[str, Outcome]:
    return expect(
        anonymous=UNAUTHENTICATED,
        administrator=DENIED,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=DENIED,
        employer=ok,
    )


PORTAL_OPENING_ROWS: dict[Row, dict[str, Outcome]] = {
    "partner_openings": portal_page(),
    "partner_opening_add": portal_page(),
    **{
        (name, case): portal_page(OK if case == "own employer" else NOT_FOUND)
        for name in ("partner_opening", "partner_opening_edit", "partner_opening_close")
        for case in PORTAL_OPENING_CASES
    },
    "partner-opening-list": partner_api(),
    **{
        ("partner-opening-detail", case): partner_api(OK if case == "own employer" else NOT_FOUND)
        for case in PORTAL_OPENING_CASES
    },
    ("partner-opening-close", "own employer"): partner_api(POST_ONLY),
    # Staff pages: approve is POST only; return shows the reason's form (404 for another organisation's).
    ("jobs:opening_approve", "own organisation"): jobs_page(POST_ONLY),
    **{("jobs:opening_return", case): jobs_organisation_page(case) for case in JOBS_ORGANISATION_CASES},
    # The staff API's actions: POST only for whoever passes the staff API's door; employer users 403.
    **{
        name: expect(
            anonymous=UNAUTHENTICATED,
            administrator=POST_ONLY,
            supervisor=POST_ONLY,
            caseworker=POST_ONLY,
            trainer=POST_ONLY,
            employer=DENIED,
        )
        for name in ("opening-approve", "opening-return")
    },
}


def portal_opening_kwargs(name: str, case: str | None) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        if name in ("jobs:opening_approve", "jobs:opening_return"):
            return {"pk": world.objects[f"submitted opening {case}"].pk}
        if name in ("opening-approve", "opening-return"):
            return {"pk": world.objects["submitted opening own organisation"].pk}
        return {"pk": world.objects[f"portal opening {case}"].pk}

    return kwargs


RIGHT_TO_WORK_KWARGS: dict[Row, Callable[[World, str], dict[str, Any]]] = {
    row: right_to_work_kwargs(row[0], row[1]) for row in RIGHT_TO_WORK_ROWS if isinstance(row, tuple)
}


def make_right_to_work_world(world: World) -> None:
    for case in APPLICANT_CASES:
        applicant = world.objects[f"applicant {case}"]
        world.objects[f"right-to-work check {case}"] = services.right_to_work_check_record(
            by=applicant.caseworker,
            applicant=applicant,
            data={
                "checked_on": timezone.localdate(),
                "saw_residence_card": True,
                "saw_designation_paper": True,
            },
        )


RIGHT_TO_WORK_LIST_CONTENTS: dict[str, tuple[str, Callable[[World, str], list[Any]]]] = {
    "right-to-work-check-list": (
        "applicant",
        lambda world, role: [
            world.objects[f"applicant {case}"].reference_code for case in RECORD_READS[role]
        ],
    ),
}


# --- end of right-to-work checks ---------------------------------------------------------------------------
PORTAL_OPENING_KWARGS: dict[Row, Callable[[World, str], dict[str, Any]]] = {
    **{row: portal_opening_kwargs(row[0], row[1]) for row in PORTAL_OPENING_ROWS if isinstance(row, tuple)},
    **{name: portal_opening_kwargs(name, None) for name in ("opening-approve", "opening-return")},
}


def make_portal_opening_world(world: World) -> None:
    """The matrix's employer user a member of a partner employer with a submitted opening; another employer
    of the organisation with its own member and opening; a submitted opening of the other organisation."""
    from decimal import Decimal

    from jobs.models import Employer, EmployerMembership, JobOpening

    today = timezone.localdate()
    administrator = world.users["administrator"]
    employer_user = world.users["employer"]
    membership = EmployerMembership.objects.filter(user=employer_user).select_related("employer").first()
    if membership is None:  # another block of the matrix may have made the employer user a member already
        partner = Employer.objects.create(
            organisation_id=administrator.organisation_id, name="Matrix partner employer",
            industry="hospitality", prefecture="13", created_by=administrator,
        )  # fmt: skip
        membership = EmployerMembership.objects.create(user=employer_user, employer=partner, role="admin")
        world.objects["page employer own organisation m91"] = partner  # the staff lists count it too
    other = Employer.objects.create(
        organisation_id=administrator.organisation_id, name="Matrix other partner employer",
        industry="hospitality", prefecture="13", created_by=administrator,
    )  # fmt: skip
    EmployerMembership.objects.create(
        user=UserFactory(username="matrix-other-employer", roles=[Role.EMPLOYER]),
        employer=other,
        role="admin",
    )
    world.objects["page employer own organisation m92"] = other

    def opening(employer, by, title):
        return JobOpening.objects.create(
            employer=employer, title=title, prefecture="13", hours_per_week=Decimal(40), daily_hours=Decimal(8),
            wage=1300, wage_unit="hourly", contract_type="fixed_term", start_date=today + timedelta(days=14),
            status="submitted", created_by=by,
        )  # fmt: skip

    world.objects["portal opening own employer"] = opening(
        membership.employer, employer_user, "Matrix portal job"
    )
    world.objects["portal opening other employer"] = opening(other, administrator, "Matrix other portal job")
    world.objects["submitted opening own organisation"] = world.objects["portal opening own employer"]
    foreign_employer = world.objects["page employer other organisation"]
    world.objects["submitted opening other organisation"] = opening(
        foreign_employer, foreign_employer.created_by, "Matrix foreign submitted job"
    )
    # The staff lists count these too (see _jobs_objects: "page opening own organisation m91" and so on).
    world.objects["page opening own organisation m91"] = world.objects["portal opening own employer"]
    world.objects["page opening own organisation m92"] = world.objects["portal opening other employer"]
    world.objects["page opening other organisation m93"] = world.objects[
        "submitted opening other organisation"
    ]


def partner_opening_rows(world: World, role: str) -> list[Any]:
    from jobs.models import JobOpening

    if role != "employer":
        return []
    employer_id = world.objects["portal opening own employer"].employer_id
    return list(JobOpening.objects.filter(employer_id=employer_id).values_list("pk", flat=True))


# --- end of portal openings (issue 16, p3) --------------------------------------------------------------


# --- Partner portal: candidates and the partner referrals API (issue 16, P1) -------------------------------
# The portal's candidate pages (/partner/candidates/) and /api/v1/partner/referrals/: only employer users
# with a membership of a partner employer get in (the matrix's employer user is made a member of
# "matrix partner" by make_portal_candidates_world); staff and trainers are refused (403: their doors are
# the staff ones). Their own employer's shared referral: 200; one not shared yet, or another employer's:
# 404, the same as an id that does not exist.

PORTAL_CANDIDATE_CASES = ("shared", "not shared", "other employer")


def portal_candidate(case: str, *, api: bool = False) -> dict[str, Outcome]:
    return expect(
        anonymous=UNAUTHENTICATED if api else LOGIN,
        administrator=DENIED,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=DENIED,
        employer=OK if case == "shared" else NOT_FOUND,
    )


PORTAL_CANDIDATE_ROWS: dict[Row, dict[str, Outcome]] = {
    "partner_candidates": portal_candidate("shared"),
    **{("partner_candidate", case): portal_candidate(case) for case in PORTAL_CANDIDATE_CASES},
    "partner-referral-list": portal_candidate("shared", api=True),
    **{
        ("partner-referral-detail", case): portal_candidate(case, api=True) for case in PORTAL_CANDIDATE_CASES
    },
}


def portal_candidate_kwargs(case: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        return {"pk": world.objects[f"portal referral {case}"].pk}

    return kwargs


PORTAL_CANDIDATE_KWARGS: dict[Row, Callable[[World, str], dict[str, Any]]] = {
    (name, case): portal_candidate_kwargs(case)
    for name in ("partner_candidate", "partner-referral-detail")
    for case in PORTAL_CANDIDATE_CASES
}


def make_portal_candidates_world(world: World) -> None:
    """Two partner employers of the organisation, the matrix's employer user a member of the first; the
    matrix's own and team applicants referred to them (no consent: the matrix asks who reaches a
    referral, tests/jobs/portal what its packet holds). Registered as "portal<n> <kind> <case>" so the
    staff lists' expectations count them too (_jobs_objects)."""
    from jobs.models import EmployerMembership, JobOpening, MembershipRole, Referral, StageChange
    from tests.jobs.factories import EmployerFactory, JobOpeningFactory

    administrator = world.users["administrator"]
    openings: dict[str, JobOpening] = {}
    for number, key, name in ((1, "own", "Matrix partner"), (2, "other", "Matrix other partner")):
        employer = EmployerFactory(
            organisation=administrator.organisation, created_by=administrator, name=name
        )
        world.objects[f"portal{number} employer own organisation"] = employer
        openings[key] = JobOpeningFactory(employer=employer, created_by=administrator)
        world.objects[f"portal{number} opening own organisation"] = openings[key]
        if key == "own":
            EmployerMembership.objects.create(
                user=world.users["employer"], employer=employer, role=MembershipRole.MEMBER
            )
    now = timezone.now()
    for number, (case, person, key, stage) in enumerate(
        (
            ("shared", "own", "own", "shared"),
            ("not shared", "team", "own", "consent_recorded"),
            ("other employer", "own", "other", "shared"),
        ),
        start=1,
    ):
        referral = Referral.objects.create(
            applicant=world.objects[f"applicant {person}"],
            opening=openings[key],
            stage=stage,
            stage_changed_at=now,
            created_by=administrator,
        )
        if stage == "shared":
            StageChange.objects.create(
                referral=referral, from_stage="consent_recorded", to_stage="shared", by=administrator, at=now
            )
        world.objects[f"portal{number} referral {person}"] = referral
        world.objects[f"portal referral {case}"] = referral


PORTAL_CANDIDATE_LIST_CONTENTS: dict[str, tuple[str, Callable[[World, str], list[Any]]]] = {
    "partner-referral-list": (
        "id",
        lambda world, role: [world.objects["portal referral shared"].pk] if role == "employer" else [],
    ),
}
# --- end of partner portal: candidates --------------------------------------------------------------------


# --- Portal messages and employer API accounts (issue 16, helper C) ----------------------------------------
# A referral's message thread: the portal's send URL (/partner/candidates/<pk>/messages/: a GET goes back to
# the candidate page) and /api/v1/partner/referrals/<pk>/messages/ for the employer's own shared referral
# with a packet (make_portal_messages_world records the share consent the candidates block leaves out);
# one not shared, or another employer's: 404. Staff: the referral page's send URL (GET: back to the page
# for whoever reads the referral) and /api/v1/referrals/<pk>/messages/ (like the referral's detail;
# employer users 403). The employer page's "Add API service account": administrators of the organisation.
def portal_message(case: str, *, api: bool = False) -> dict[str, Outcome]:
    own = OK if api else to("partner_candidate")
    return expect(
        anonymous=UNAUTHENTICATED if api else LOGIN,
        administrator=DENIED,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=DENIED,
        employer=own if case == "shared" else NOT_FOUND,
    )


def staff_message_page(case: str) -> dict[str, Outcome]:
    return expect(
        anonymous=LOGIN,
        **{role: to("jobs:referral_detail") if case in READS[role] else NOT_FOUND for role in STAFF},
        trainer=DENIED,
        employer=DENIED,
    )


PORTAL_MESSAGE_ROWS: dict[Row, dict[str, Outcome]] = {
    **{("partner_candidate_message", case): portal_message(case) for case in PORTAL_CANDIDATE_CASES},
    **{
        ("partner-referral-messages", case): portal_message(case, api=True) for case in PORTAL_CANDIDATE_CASES
    },
    **{("jobs:referral_message", case): staff_message_page(case) for case in APPLICANT_CASES},
    **{
        ("referral-messages", case): expect(
            anonymous=UNAUTHENTICATED,
            **{role: OK if case in READS[role] else NOT_FOUND for role in STAFF},
            trainer=NOT_FOUND,
            employer=DENIED,
        )
        for case in APPLICANT_CASES
    },
    ("jobs:api_account_add", "own organisation"): expect(
        anonymous=LOGIN,
        administrator=OK,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=DENIED,
        employer=DENIED,
    ),
    ("jobs:api_account_add", "other organisation"): jobs_page(NOT_FOUND),
}


def portal_message_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        if name in ("partner_candidate_message", "partner-referral-messages"):
            return {"pk": world.objects[f"portal referral {case}"].pk}
        if name == "jobs:referral_message":
            return {"pk": world.objects[f"page referral {case}"].pk}
        if name == "referral-messages":
            return {"pk": world.objects[f"referral {case}"].pk}
        return {"pk": world.objects[f"page employer {case}"].pk}

    return kwargs


def make_portal_messages_world(world: World) -> None:
    """A current consent to share the own applicant with "Matrix partner" (so the shared referral has a
    packet, hence a thread) and a message in that thread."""
    from casework.models import Consent, ConsentPurpose
    from jobs.models import MessageSide, ReferralMessage

    referral = world.objects["portal referral shared"]
    employer = referral.opening.employer
    Consent.objects.create(
        applicant=referral.applicant,
        purpose=ConsentPurpose.SHARE_WITH_EMPLOYER,
        employer_name=employer.name,
        employer_ref=f"jobs.employer:{employer.pk}",
        scope=["skills"],
        granted_on=timezone.localdate() - timedelta(days=1),
        recorded_by=world.users["administrator"],
    )
    ReferralMessage.objects.create(
        referral=referral, side=MessageSide.ORGANISATION, author=world.users["administrator"], body="Matrix"
    )


def readable_consents_with_portal_share(world: World, role: str) -> list[str]:
    """consent-list: the records' consents, plus the own applicant's share consent for "Matrix partner"."""
    shared = [world.objects["applicant own"].reference_code] if "own" in RECORD_READS[role] else []
    return applicants_of_readable_records(world, role) + shared


# --- end of portal messages ---------------------------------------------------------------------------------


# --- Partner portal: placed workers and notifications (issue 16, helper B) ------------------------------
# The portal's Workers and Notifications pages and /api/v1/partner/placements/, /follow-ups/,
# /notifications/: only employer users with a membership (the matrix's employer user, a member of
# "Matrix partner"); staff and trainers 403. "other employer": a placement, follow-up or notification of
# another employer of the organisation — a 404 like an id that does not exist. The writes are POST only.
PORTAL_WORKER_CASES = ("own employer", "other employer")


def portal_worker(ok: Outcome, *, api: bool = False) -> dict[str, Outcome]:
    return expect(
        anonymous=UNAUTHENTICATED if api else LOGIN,
        administrator=DENIED,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=DENIED,
        employer=ok,
    )


def _own_or_404(case: str) -> Outcome:
    return OK if case == "own employer" else NOT_FOUND


PORTAL_WORKER_ROWS: dict[Row, dict[str, Outcome]] = {
    "partner_workers": portal_worker(OK),
    "partner_notifications": portal_worker(OK),
    "partner_notifications_read_all": portal_worker(POST_ONLY),
    **{("partner_worker", case): portal_worker(_own_or_404(case)) for case in PORTAL_WORKER_CASES},
    **{("partner_follow_up_confirm", case): portal_worker(_own_or_404(case)) for case in PORTAL_WORKER_CASES},
    **{
        (name, case): portal_worker(POST_ONLY)
        for name in ("partner_worker_filing", "partner_notification_read")
        for case in PORTAL_WORKER_CASES
    },
    "partner-placement-list": portal_worker(OK, api=True),
    "partner-notification-list": portal_worker(OK, api=True),
    "partner-notification-read-all": portal_worker(POST_ONLY, api=True),
    **{("partner-placement-detail", case): portal_worker(_own_or_404(case), api=True) for case in PORTAL_WORKER_CASES},
    **{
        (name, case): portal_worker(POST_ONLY, api=True)
        for name in ("partner-placement-notification", "partner-follow-up-confirm", "partner-notification-read")
        for case in PORTAL_WORKER_CASES
    },
}  # fmt: skip


# --- Partner impact page (issue 17) ---------------------------------------------------------------------
# /partner/impact/ and /api/v1/partner/impact/: aggregates of the requester's own employer only (the matrix's
# employer user, a member of "Matrix partner"); no object in the URL, so no other employer's case: what
# another employer's placements may change is tested in tests/jobs/portal/test_impact.py. Staff and
# trainers 403 like every portal page.
IMPACT_ROWS: dict[Row, dict[str, Outcome]] = {
    "partner_impact": portal_page(),
    "api-partner-impact": partner_api(),
}


def portal_worker_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        if name in ("partner_follow_up_confirm", "partner-follow-up-confirm"):
            return {"pk": world.objects[f"portal worker follow-up {case}"].pk}
        if name in ("partner_notification_read", "partner-notification-read"):
            return {"pk": world.objects[f"portal worker notification {case}"].pk}
        return {"pk": world.objects[f"portal worker placement {case}"].pk}

    return kwargs


PORTAL_WORKER_KWARGS: dict[Row, Callable[[World, str], dict[str, Any]]] = {
    row: portal_worker_kwargs(row[0], row[1]) for row in PORTAL_WORKER_ROWS if isinstance(row, tuple)
}


def make_portal_workers_world(world: World) -> None:
    """A placed worker (the matrix's own applicant, hired through a new opening) of each of the two partner
    employers of the candidates' world and of the portal users' page employer, with a follow-up due and a
    portal notification each. Registered as "portal<n> <kind> own…" so the staff lists count them too."""
    from decimal import Decimal

    from jobs.models import FollowUp, Placement, PortalNotification, Referral, StageChange
    from tests.jobs.factories import JobOpeningFactory

    administrator = world.users["administrator"]
    applicant = world.objects["applicant own"]
    now = timezone.now()
    start = timezone.localdate() - timedelta(days=40)
    employers = (
        (7, "own employer", world.objects["portal1 employer own organisation"]),
        (8, "other employer", world.objects["portal2 employer own organisation"]),
        (9, "requesters", world.objects["page employer own organisation"]),
    )
    for number, case, employer in employers:
        opening = JobOpeningFactory(
            employer=employer, created_by=administrator, title=f"Matrix worker job {number}"
        )
        referral = Referral.objects.create(
            applicant=applicant,
            opening=opening,
            stage="hired",
            stage_changed_at=now,
            created_by=administrator,
        )
        StageChange.objects.create(
            referral=referral, from_stage="consent_recorded", to_stage="shared", by=administrator, at=now
        )
        placement = Placement.objects.create(
            referral=referral,
            applicant=applicant,
            opening=opening,
            start_date=start,
            hours_per_week=Decimal(40),
            daily_hours=Decimal(8),
            wage=1400,
            wage_unit="hourly",
            employment_insurance=True,
            confirmed_by=administrator,
            confirmed_at=now,
        )
        follow_up = FollowUp.objects.create(placement=placement, month=1, due_on=start + timedelta(days=30))
        notification = PortalNotification.objects.create(
            employer=employer,
            kind="follow_up_due",
            placement=placement,
            day=follow_up.due_on,
            key=f"matrix:{number}",
        )
        world.objects[f"portal{number} opening own organisation"] = opening
        world.objects[f"portal{number} referral own"] = referral
        world.objects[f"portal{number} placement own"] = placement
        world.objects[f"portal{number} follow-up own"] = follow_up
        world.objects[f"portal worker placement {case}"] = placement
        world.objects[f"portal worker follow-up {case}"] = follow_up
        world.objects[f"portal worker notification {case}"] = notification


PORTAL_WORKER_LIST_CONTENTS: dict[str, tuple[str, Callable[[World, str], list[Any]]]] = {
    # The candidates' list also holds the employer's placed worker's (hired) referral.
    "partner-referral-list": (
        "id",
        lambda world, role: (
            [
                world.objects["portal referral shared"].pk,
                world.objects["portal worker placement own employer"].referral_id,
            ]
            if role == "employer"
            else []
        ),
    ),
    "partner-placement-list": (
        "id",
        lambda world, role: (
            [world.objects["portal worker placement own employer"].pk] if role == "employer" else []
        ),
    ),
    "partner-notification-list": (
        "id",
        lambda world, role: (
            [world.objects["portal worker notification own employer"].pk] if role == "employer" else []
        ),
    ),
}
# --- end of partner portal: placed workers ---------------------------------------------------------------


# --- Partner portal: interviews, offers and hire reports (issue 16, helper A) -----------------------------
# The portal's write routes on a candidate (propose an interview, record an offer, report a hire), on a
# proposal (withdraw) and on an interview (record the outcome) are POST only: a GET by the employer user
# meets the method check (own or another employer's object alike), staff and trainers are refused (403),
# the anonymous are sent to sign in. The partner API's proposals, interviews, offers and hire reports:
# the employer user's own (200), another employer's a 404 like a missing id; staff 403. The staff API's
# interview proposals follow their person (READS), employer users 403; confirm and decline are POST only,
# as on the staff pages. test_portal_interview_posts below sends the POSTs themselves for the portal's
# own requesters (a member of the employer, another employer's member, a removed member).

PORTAL_INTERVIEW_CASES = ("own employer", "other employer")
PORTAL_CANDIDATE_WRITES = ("partner_interview_propose", "partner_offer", "partner_hire_report")
PORTAL_OBJECT_WRITES = ("partner_proposal_withdraw", "partner_interview_outcome")
STAFF_PROPOSAL_ACTIONS = ("interview-proposal-confirm", "interview-proposal-decline")

PORTAL_INTERVIEW_ROWS: dict[Row, dict[str, Outcome]] = {
    **{
        (name, case): portal_page(POST_ONLY)
        for name in (*PORTAL_CANDIDATE_WRITES, *PORTAL_OBJECT_WRITES)
        for case in PORTAL_INTERVIEW_CASES
    },
    **{(name, "own"): jobs_page(POST_ONLY) for name in ("jobs:proposal_confirm", "jobs:proposal_decline")},
    "partner-interview-proposal-list": partner_api(),
    "partner-interview-list": partner_api(),
    "partner-offer-list": partner_api(),
    "partner-hire-report-list": partner_api(),
    **{
        (name, case): partner_api(OK if case == "own employer" else NOT_FOUND)
        for name in ("partner-interview-proposal-detail", "partner-interview-detail")
        for case in PORTAL_INTERVIEW_CASES
    },
    **{
        (name, case): partner_api(POST_ONLY)
        for name in ("partner-interview-proposal-withdraw", "partner-interview-outcome")
        for case in PORTAL_INTERVIEW_CASES
    },
    "interview-proposal-list": JOBS_STAFF_API,
    **{
        ("interview-proposal-detail", case): expect(
            anonymous=UNAUTHENTICATED,
            **{role: OK if case in READS[role] else NOT_FOUND for role in STAFF},
            trainer=NOT_FOUND,
            employer=DENIED,
        )
        for case in APPLICANT_CASES
    },
    **{
        name: expect(
            anonymous=UNAUTHENTICATED,
            administrator=POST_ONLY,
            supervisor=POST_ONLY,
            caseworker=POST_ONLY,
            trainer=POST_ONLY,
            employer=DENIED,
        )
        for name in STAFF_PROPOSAL_ACTIONS
    },
}


def _portal_interview_object(name: str) -> str:
    if "proposal" in name:
        return "proposal"
    if "interview" in name and "propose" not in name:
        return "interview"
    return "referral"


def portal_interview_kwargs(name: str, case: str | None) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        if name in ("jobs:proposal_confirm", "jobs:proposal_decline", *STAFF_PROPOSAL_ACTIONS):
            return {"pk": world.objects["proposal own"].pk}
        if name == "interview-proposal-detail":
            return {"pk": world.objects[f"proposal {case}"].pk}
        return {"pk": world.objects[f"portal-a {_portal_interview_object(name)} {case}"].pk}

    return kwargs


PORTAL_INTERVIEW_KWARGS: dict[Row, Callable[[World, str], dict[str, Any]]] = {
    **{
        row: portal_interview_kwargs(row[0], row[1])
        for row in PORTAL_INTERVIEW_ROWS
        if isinstance(row, tuple)
    },
    **{name: portal_interview_kwargs(name, None) for name in STAFF_PROPOSAL_ACTIONS},
}


def make_portal_interviews_world(world: World) -> None:
    """On the portal candidates' shared referral (the matrix employer user's employer) and on another
    employer's: a waiting interview proposal, an interview that has taken place, an offer and a hire
    report's terms; on the staff jobs world's referral of each applicant case, a waiting proposal.
    Registered as "portal3 <kind> own m<n>" too, so the staff lists count them (_jobs_objects)."""
    from jobs.models import EmploymentTerms, Interview, InterviewProposal, ProposalSlot

    administrator = world.users["administrator"]
    now = timezone.now()

    def proposal(referral):
        made = InterviewProposal.objects.create(
            referral=referral, place="Matrix office", proposed_by=administrator
        )
        ProposalSlot.objects.create(proposal=made, starts_at=now + timedelta(days=3))
        return made

    for number, case in enumerate(PORTAL_INTERVIEW_CASES, start=1):
        referral = world.objects["portal referral " + ("shared" if case == "own employer" else case)]
        world.objects[f"portal-a referral {case}"] = referral
        world.objects[f"portal-a proposal {case}"] = world.objects[f"portal3 proposal own m{number}"] = (
            proposal(referral)
        )
        world.objects[f"portal-a interview {case}"] = world.objects[f"portal3 interview own m{number}"] = (
            Interview.objects.create(
                referral=referral,
                starts_at=now - timedelta(hours=1),
                place="Matrix office",
                created_by=administrator,
            )
        )
        for kind in ("offer", "hire_report"):
            world.objects[f"portal-a {kind} {case}"] = EmploymentTerms.objects.create(
                referral=referral, kind=kind, start_date=timezone.localdate() + timedelta(days=20),
                hours_per_week=40, daily_hours=8, wage=1300, wage_unit="hourly", recorded_by=administrator,
            )  # fmt: skip
    for case in APPLICANT_CASES:
        world.objects[f"proposal {case}"] = proposal(world.objects[f"referral {case}"])


def _portal_own(kind: str) -> Callable[[World, str], list[Any]]:
    def rows(world: World, role: str) -> list[Any]:
        return [world.objects[f"portal-a {kind} own employer"].pk] if role == "employer" else []

    return rows


PORTAL_INTERVIEW_LIST_CONTENTS: dict[str, tuple[str, Callable[[World, str], list[Any]]]] = {
    "partner-interview-proposal-list": ("id", _portal_own("proposal")),
    "partner-interview-list": ("id", _portal_own("interview")),
    "partner-offer-list": ("id", _portal_own("offer")),
    "partner-hire-report-list": ("id", _portal_own("hire_report")),
    "interview-proposal-list": ("id", lambda world, role: jobs_rows("proposal")(world, role)),
}

# The POSTs themselves, by the portal's own requesters: the matrix's employer user (a member of the
# employer), a member of another employer, a removed member. Each POST carries no usable input, so a
# route the requester may use answers 400 (the form's messages) and writes nothing; another employer's
# object is a 404; a removed member is signed out. (A fresh world per case.)
PORTAL_INTERVIEW_POSTS: dict[tuple[str, str], dict[str, Outcome]] = {
    **{
        (name, "own employer"): {
            "member": Outcome(400, label="400"),
            "member of another employer": NOT_FOUND,
            "removed member": LOGIN,
        }
        for name in (*PORTAL_CANDIDATE_WRITES, "partner_interview_outcome")
    },
    # Another employer's objects, for the matrix's member (that employer's own member is the case above).
    **{
        (name, "other employer"): {"member": NOT_FOUND, "removed member": LOGIN}
        for name in (*PORTAL_CANDIDATE_WRITES, *PORTAL_OBJECT_WRITES)
    },
}  # fmt: skip


def portal_interview_requester(world: World, requester: str) -> User:
    from jobs.models import EmployerMembership
    from jobs.services import memberships

    if requester == "member":
        return world.users["employer"]
    employer = world.objects["portal-a referral own employer"].opening.employer
    if requester == "member of another employer":
        # Another employer of the organisation (the other portal referral's) has this member.
        other = world.objects["portal-a referral other employer"].opening.employer
        user = UserFactory(username="matrix-a-other", roles=[Role.EMPLOYER])
        EmployerMembership.objects.create(user=user, employer=other, role="member")
        return user
    user = UserFactory(username="matrix-a-removed", roles=[Role.EMPLOYER])
    membership = EmployerMembership.objects.create(user=user, employer=employer, role="member")
    memberships.member_remove(by=world.users["supervisor"], membership=membership)
    user.refresh_from_db()
    return user


# --- end of partner portal: interviews, offers and hire reports --------------------------------------------


# --- Reports (issue 17): DESIGN.md's "reports, exports" row -------------------------------------------------
# Casework staff read every report (over their own caseload, led teams, the organisation: the figures'
# scope is tested in tests/reports); trainers attendance and language progress only (their own courses);
# employer users none (the partner impact page is theirs). A report is named by its key, not an object:
# one row per report key.


def report_row(key: str, *, api: bool) -> dict[str, Outcome]:
    return expect(
        anonymous=UNAUTHENTICATED if api else LOGIN,
        administrator=OK,
        supervisor=OK,
        caseworker=OK,
        trainer=OK if _REPORTS[key].for_trainers else DENIED,
        employer=DENIED,
    )


REPORT_ROWS: dict[Row, dict[str, Outcome]] = {
    "reports:report_index": expect(
        anonymous=LOGIN, administrator=OK, supervisor=OK, caseworker=OK, trainer=OK, employer=DENIED
    ),
    "report-list": expect(
        anonymous=UNAUTHENTICATED, administrator=OK, supervisor=OK, caseworker=OK, trainer=OK, employer=DENIED
    ),
    **{("reports:report_detail", key): report_row(key, api=False) for key in _REPORTS},
    **{("report-detail", key): report_row(key, api=True) for key in _REPORTS},
}
REPORT_KWARGS: dict[Row, Callable[[World, str], dict[str, Any]]] = {
    (name, key): (lambda key: lambda world, role: {"key": key})(key)
    for name in ("reports:report_detail", "report-detail")
    for key in _REPORTS
}


def readable_reports(world: World, role: str) -> list[str]:
    return [key for key, spec in _REPORTS.items() if spec.readable_by(world.users[role])]


# --- Exports (issue 17) -----------------------------------------------------------------------------------
# DESIGN.md "reports, exports": caseworkers own caseload, supervisors team, trainers own courses,
# administrators all, employer users none. A list's export follows its page's roles (the applicant list:
# caseworkers, supervisors, administrators; its rows from visible_to, tests/reports); an export and its
# file are its maker's alone: anyone else's is a 404.
EXPORTERS = ("administrator", "supervisor", "caseworker", "trainer")


def export_page(own: Outcome) -> dict[str, Outcome]:
    return expect(anonymous=LOGIN, **dict.fromkeys(EXPORTERS, own), employer=DENIED)


EXPORT_TABLE_ROLES = {
    # table: the roles of its list page (the applicant list, my tasks, the inbox, jobs' lists: staff)
    **dict.fromkeys(
        (
            "applicants",
            "tasks",
            "reminders",
            "employers",
            "openings",
            "referrals",
            "placements",
            "follow-ups",
        ),
        ("administrator", "supervisor", "caseworker"),
    ),
    "courses": EXPORTERS,
    "teaching": ("trainer",),
    # every report's table: the report's readers (trainers: attendance and language progress)
    **{
        f"report-{key}": EXPORTERS if spec.for_trainers else ("administrator", "supervisor", "caseworker")
        for key, spec in _REPORTS.items()
    },
}

EXPORT_ROWS: dict[Row, dict[str, Outcome]] = {
    **{
        ("reports:export_start", key): export_page(OK)
        | {role: DENIED for role in EXPORTERS if role not in roles}
        for key, roles in EXPORT_TABLE_ROLES.items()
    },
    **{
        (name, case): export_page(OK if case == "own" else NOT_FOUND)
        for name in ("reports:export_detail", "reports:export_progress", "reports:export_download")
        for case in ("own", "others")
    },
    # The API: one's own exports only (POST starts one: tests/reports/test_api.py)
    "export-list": expect(anonymous=UNAUTHENTICATED, **dict.fromkeys(EXPORTERS, OK), employer=DENIED),
    **{
        (name, case): expect(
            anonymous=UNAUTHENTICATED,
            **dict.fromkeys(EXPORTERS, OK if case == "own" else NOT_FOUND),
            employer=DENIED,
        )
        for name in ("export-detail", "export-download")
        for case in ("own", "others")
    },
}


def own_export_ids(world: World, role: str) -> list[int]:
    return [world.objects[f"export {role}"].pk] if role in EXPORTERS else []


def export_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        if name == "reports:export_start":
            return {"table_key": case}
        key = f"export {role}" if case == "own" and role in EXPORTERS else "export others"
        return {"pk": world.objects[key].pk}

    return kwargs


def make_export_world(world: World) -> None:
    """A finished export with its file for each role that may export, and one of someone else's."""
    from reports.models import Export

    def finished(user: User) -> Export:
        now = timezone.now()
        export = Export(
            user=user,
            table="applicants",
            format="csv",
            status=Export.Status.DONE,
            row_count=1,
            rows_done=1,
            rows_total=1,
            created=now,
            finished=now,
            expires_at=now + timedelta(hours=24),
        )
        export.file.save("matrix.csv", ContentFile(b"\xef\xbb\xbfReference\r\n"), save=True)
        return export

    for role in EXPORTERS:
        world.objects[f"export {role}"] = finished(world.users[role])
    world.objects["export others"] = finished(
        UserFactory(username="matrix-exporter", roles=[Role.CASEWORKER])
    )


# --- end of exports -----------------------------------------------------------------------------------------

# --- Imports (issue 18) ---------------------------------------------------------------------------------
# DESIGN.md's matrix row "imports": supervisors and administrators import people into a team they lead /
# any team, caseworkers into their own caseload, legal status periods for people they may write, employer
# lists caseworkers, supervisors and administrators, trainers attendance of their own courses (the
# importer's targets; tests/casework/api/test_imports.py and the importers' tests), employer users
# nothing. An import is its maker's page; an administrator sees every import of the organisation.
IMPORTERS = ("administrator", "supervisor", "caseworker", "trainer")
IMPORT_STEPS = (
    "import_sheet",
    "import_mapping",
    "import_check",
    "import_decisions",
    "import_start",
    "import_undo",
)
IMPORT_API_STEPS = (
    "import-sheet",
    "import-mapping",
    "import-check",
    "import-decisions",
    "import-start",
    "import-undo",
)


def import_page(
    own: Outcome, *, anonymous: Outcome = LOGIN, administrator: Outcome | None = None
) -> dict[str, Outcome]:
    row = expect(anonymous=anonymous, **dict.fromkeys(IMPORTERS, own), employer=DENIED)
    if administrator is not None:
        row["administrator"] = administrator
    return row


IMPORT_ROWS: dict[Row, dict[str, Outcome]] = {
    "import_list": import_page(OK),
    "import_new": import_page(to("import_list")),  # without ?kind= it leads to the kinds
    **{
        (name, case): import_page(OK if case == "own" else NOT_FOUND, administrator=OK)
        for name in ("import_detail", "import_progress")
        for case in ("own", "others")
    },
    **{name: import_page(POST_ONLY) for name in IMPORT_STEPS},
    "import-list": import_page(OK, anonymous=UNAUTHENTICATED),
    "import-kind-list": import_page(OK, anonymous=UNAUTHENTICATED),
    **{
        (name, case): import_page(
            OK if case == "own" else NOT_FOUND, anonymous=UNAUTHENTICATED, administrator=OK
        )
        for name in ("import-detail", "import-rows", "import-status-labels")
        for case in ("own", "others")
    },
    **{name: import_page(POST_ONLY, anonymous=UNAUTHENTICATED) for name in IMPORT_API_STEPS},
}


def import_kwargs(row: Row) -> Callable[[World, str], dict[str, Any]]:
    name, case = row if isinstance(row, tuple) else (row, "own")

    def kwargs(world: World, role: str) -> dict[str, Any]:
        key = f"import {role}" if case == "own" and role in IMPORTERS else "import others"
        return {"pk": world.objects[key].pk}

    return kwargs


def own_import_ids(world: World, role: str) -> list[int]:
    if role == "administrator":
        return sorted((world.objects[f"import {who}"].pk for who in (*IMPORTERS, "others")), reverse=True)
    return [world.objects[f"import {role}"].pk] if role in IMPORTERS else []


IMPORT_KINDS = {
    "administrator": ["applicants", "periods", "attendance", "employers"],
    "supervisor": ["applicants", "periods", "employers"],
    "caseworker": ["applicants", "periods", "employers"],
    "trainer": ["attendance"],
}


def importable_kinds(world: World, role: str) -> list[str]:
    return IMPORT_KINDS.get(role, [])


def make_import_world(world: World) -> None:
    """A dry-run import for each role that may import (trainers: attendance), and one of someone else's."""
    from casework.models import Import, ImportRow

    def checked(user: User, kind: str) -> Import:
        imp = Import(
            organisation_id=user.organisation_id,
            created_by=user,
            kind=kind,
            file_name=f"matrix-{kind}.csv",
            file_hash="0" * 64,
            file_format="csv",
            encoding="utf-8",
            sheets=[{"name": "", "hidden": False, "rows": 2}],
            headers=["Name"],
            header_row=1,
            mapping={"columns": {"name": "Name"}, "statuses": {}},
            status=Import.Status.CHECKED,
            checked_at=timezone.now(),
            rows_total=1,
            rows_done=1,
            rows_valid=1,
        )
        imp.file.save("matrix.csv", ContentFile(b"Name\r\nMatrix Employer KK\r\n"), save=True)
        ImportRow.objects.create(import_run=imp, number=2, verdict=ImportRow.Verdict.VALID, label="Matrix")
        return imp

    for role in IMPORTERS:
        world.objects[f"import {role}"] = checked(
            world.users[role], "attendance" if role == "trainer" else "employers"
        )
    world.objects["import others"] = checked(
        UserFactory(username="matrix-importer", roles=[Role.CASEWORKER], team=world.users["caseworker"].team),
        "employers",
    )


# --- end of imports -----------------------------------------------------------------------------------------


# --- The matrix ----------------------------------------------------------------------------------------

# --- Reports: the case summary and the research export (issue 17, research) ------------------------------
#
# The case summary is a page of one applicant: who reads the applicant reads it (applicant_page). The
# anonymised research export and its releases are for supervisors (their teams) and administrators (the
# organisation); caseworkers, trainers and employer users are refused (DESIGN.md, "reports, exports").
# make_research_world adds releases: one by the supervisor, one by the administrator over the supervisor's
# team, one by the administrator over another team, and one of another organisation.

RESEARCH_ROLES = expect(
    anonymous=LOGIN, administrator=OK, supervisor=OK, caseworker=DENIED, trainer=DENIED, employer=DENIED
)
RESEARCH_RELEASE_READS: dict[str, tuple[str, ...]] = {
    "administrator": ("by supervisor", "over the team", "over another team"),
    "supervisor": ("by supervisor", "over the team"),
}
REPORTS_RESEARCH_ROWS: dict[Row, dict[str, Outcome]] = {
    **{("reports:applicant_summary", case): applicant_page(case) for case in APPLICANT_CASES},
    "reports:research_export": RESEARCH_ROLES,
    "reports:research_release_list": RESEARCH_ROLES,
    "research-export-list": {**RESEARCH_ROLES, ANONYMOUS: UNAUTHENTICATED},
}


def make_research_world(world: World) -> None:
    from reports.models import ResearchRelease

    administrator, supervisor = world.users["administrator"], world.users["supervisor"]
    foreigner = world.objects["applicant other organisation"].caseworker
    for case, by, team in (
        ("by supervisor", supervisor, None),
        ("over the team", administrator, world.objects["team"]),
        ("over another team", administrator, world.objects["other team"]),
        ("other organisation", foreigner, None),
    ):
        world.objects[f"release {case}"] = ResearchRelease.objects.create(
            organisation_id=by.organisation_id,
            created_by=by,
            recipient=f"Matrix {case}",
            k_requested=5,
            k_met=5,
            row_count=10,
            item_categories=["demographics"],
            team=team,
        )


def research_releases(world: World, role: str) -> list[int]:
    return [world.objects[f"release {case}"].pk for case in RESEARCH_RELEASE_READS.get(role, ())]


EXPECTED: dict[Row, dict[str, Outcome]] = {
    # Pages
    "home": expect(
        anonymous=LOGIN,
        administrator=OK,
        supervisor=OK,
        caseworker=OK,
        trainer=OK,
        employer=to("partner_home"),
    ),
    "partner_home": expect(
        anonymous=LOGIN,
        administrator=DENIED,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=DENIED,
        employer=OK,
    ),
    # The web app manifest is public: a browser fetches it without the session cookie.
    "web_manifest": everyone(OK),
    # Accounts
    "login": signed_in(to("home"), anonymous=OK),
    "logout": everyone(POST_ONLY),
    "set_language": everyone(POST_ONLY),
    "password_change": signed_in(OK),
    "password_change_done": signed_in(OK),
    "password_reset": everyone(OK),
    "password_reset_done": everyone(OK),
    # A valid link: Django moves the token into the session and redirects to the set-password form.
    "password_reset_confirm": everyone(to("password_reset_confirm")),
    ("password_reset_confirm", "bad token"): everyone(OK),
    "password_reset_complete": everyone(OK),
    "account_security": signed_in(OK),
    "two_factor_setup": signed_in(OK),
    # Nobody in the matrix has a device yet, so verifying sends them to set one up.
    "two_factor_verify": signed_in(to("two_factor_setup")),
    "two_factor_disable": signed_in(POST_ONLY),
    "recovery_codes_regenerate": signed_in(POST_ONLY),
    # The session's keep-alive (issue 19): JSON for the shell's expiry warning; anonymous callers get 401.
    "session_keep_alive": signed_in(OK, anonymous=UNAUTHENTICATED),
    "account_sessions_end_others": signed_in(POST_ONLY),
    # An administrator ends a person's sessions (POST; another organisation's user is a 404: test_sessions.py).
    "user_sessions_end": expect(
        anonymous=LOGIN,
        administrator=POST_ONLY,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=DENIED,
        employer=DENIED,
    ),
    "service_accounts": expect(
        anonymous=LOGIN,
        administrator=OK,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=DENIED,
        employer=DENIED,
    ),
    "service_account_rotate": expect(
        anonymous=LOGIN,
        administrator=POST_ONLY,
        supervisor=DENIED,
        caseworker=DENIED,
        trainer=DENIED,
        employer=DENIED,
    ),
    # Django admin: staff only; everyone else goes to its sign-in, which refuses the signed-in.
    "admin:index": expect(
        anonymous=to("admin_sign_in"),
        administrator=OK,
        supervisor=to("admin_sign_in"),
        caseworker=to("admin_sign_in"),
        trainer=to("admin_sign_in"),
        employer=to("admin_sign_in"),
    ),
    "admin_sign_in": signed_in(DENIED, anonymous=to("login")),
    # API
    "api-root": signed_in(OK, anonymous=UNAUTHENTICATED),
    "api-me": signed_in(OK, anonymous=UNAUTHENTICATED),
    # The schema and its viewer are for signed-in users (issue 19: they map every door to an attacker).
    "api-schema": signed_in(OK, anonymous=UNAUTHENTICATED),
    "api-docs": signed_in(OK),
    # Teams of the user's own organisation, for staff; employer partner users see none (Team.visible_to):
    # their list is empty (test_lists_hold_only_what_the_role_may_read), a team is 404.
    "team-list": signed_in(OK, anonymous=UNAUTHENTICATED),
    "team-detail": expect(
        anonymous=UNAUTHENTICATED,
        administrator=OK,
        supervisor=OK,
        caseworker=OK,
        trainer=OK,
        employer=NOT_FOUND,
    ),
    ("team-detail", "other organisation"): signed_in(NOT_FOUND, anonymous=UNAUTHENTICATED),
    # Applicants and their legal records (issue 3)
    **APPLICANT_ROWS,
    # Notes, tasks and documents (issue 4)
    **RECORD_ROWS,
    # Consent and sensitive information (issue 4)
    **CONSENT_ROWS,
    # The audit (issue 4)
    **AUDIT_ROWS,
    # Reminders (issue 5)
    **REMINDER_ROWS,
    # Learning (issue 6)
    **LEARNING_ROWS,
    # Jobs API (issue 15)
    **JOBS_ROWS,
    # jobs pages (issue 15)
    **JOBS_PAGE_ROWS,
    # Partner portal: candidates and the partner referrals API (issue 16, P1)
    **PORTAL_CANDIDATE_ROWS,
    # Right-to-work checks (issue 16, staff side)
    **RIGHT_TO_WORK_ROWS,
    # Portal openings (issue 16, p3)
    **PORTAL_OPENING_ROWS,
    # Portal users and invitations (issue 16, P2)
    **PORTAL_USER_ROWS,
    # Partner portal: interviews, offers and hire reports (issue 16, helper A)
    **PORTAL_INTERVIEW_ROWS,
    # Partner portal: placed workers and notifications (issue 16, helper B)
    **PORTAL_WORKER_ROWS,
    # Portal messages and employer API accounts (issue 16, helper C)
    **PORTAL_MESSAGE_ROWS,
    # Reports: the case summary and the research export (issue 17, research)
    **REPORTS_RESEARCH_ROWS,
    # Reports (issue 17)
    **REPORT_ROWS,
    # Exports (issue 17)
    **EXPORT_ROWS,
    # Partner impact page (issue 17)
    **IMPACT_ROWS,
    # Imports (issue 18)
    **IMPORT_ROWS,
}

# Where the app does not (yet) do what DESIGN.md says. The row states the design; the case is a strict
# expected failure, so the suite stays green while the gap is open and fails once the app is fixed:
# then remove the entry. (Empty now: caseworkers' legal-record reach was narrowed to their own caseload.)
KNOWN_GAPS: dict[tuple[Row, str], str] = {}


@dataclass
class World:
    """The people and objects the matrix requests are made with."""

    users: dict[str, User]
    objects: dict[str, Any] = field(default_factory=dict)


def _reset_link(user: User) -> dict[str, str]:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def applicant_page_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    applicant_case, record_case = ("own", "team") if case == RECORD_OF_ANOTHER else (case, case)

    def kwargs(world: World, role: str) -> dict[str, Any]:
        values: dict[str, Any] = {
            "reference_code": world.objects[f"applicant {applicant_case}"].reference_code
        }
        if name in RECORD_PAGES:
            values["pk"] = world.objects[f"{RECORD_PAGES[name]} {record_case}"].pk
        return values

    return kwargs


def api_detail_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    def kwargs(world: World, role: str) -> dict[str, Any]:
        found = world.objects[f"{API_DETAILS[name]} {case}"]
        if API_DETAILS[name] == "applicant":
            return {"reference_code": found.reference_code}
        return {"pk": found.pk}

    return kwargs


def audit_row_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    """The first audit row of the case's applicant (its registration; a read is logged if none is yet)."""

    def kwargs(world: World, role: str) -> dict[str, Any]:
        applicant = world.objects[f"applicant {case}"]
        if name == "history-detail":
            return {"pk": ChangeRecord.objects.filter(applicant=applicant).earliest("pk").pk}
        entry = AccessLogEntry.objects.filter(applicant=applicant).order_by("pk").first()
        if entry is None:
            entry = audit.log_access(
                actor=None,
                kind=AccessLogEntry.Kind.APPLICANT_VIEW,
                applicant_id=applicant.pk,
                organisation_id=applicant.organisation_id,
            )
        return {"pk": entry.pk}

    return kwargs


def consent_kwargs(name: str, case: str) -> Callable[[World, str], dict[str, Any]]:
    applicant_case, record_case = ("own", "team") if case == RECORD_OF_ANOTHER else (case, case)

    def kwargs(world: World, role: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if name.startswith("applicant_"):
            values["reference_code"] = world.objects[f"applicant {applicant_case}"].reference_code
        if name in ("applicant_consent_revoke", "consent-detail", "consent-revoke"):
            values["pk"] = world.objects[f"consent {record_case}"].pk
        if name == "sensitive-information-detail":
            values["pk"] = world.objects[f"sensitive record {record_case}"].pk
        if name == "applicant_sensitive_edit":
            values["category"] = "health"
        return values

    return kwargs


KWARGS: dict[Row, Callable[[World, str], dict[str, Any]]] = {
    "password_reset_confirm": lambda world, role: _reset_link(world.objects["forgetful_user"]),
    ("password_reset_confirm", "bad token"): lambda world, role: {
        **_reset_link(world.objects["forgetful_user"]),
        "token": "bad-token",
    },
    "service_account_rotate": lambda world, role: {"pk": world.objects["service_account"].pk},
    "user_sessions_end": lambda world, role: {"pk": world.users["caseworker"].pk},
    "team-detail": lambda world, role: {"pk": world.objects["team"].pk},
    ("team-detail", "other organisation"): lambda world, role: {"pk": world.objects["foreign_team"].pk},
    **{
        (name, case): applicant_page_kwargs(name, case)
        for name in ("applicant_detail", "applicant_reassign", *APPLICANT_WRITE_PAGES)
        for case in APPLICANT_CASES
    },
    **{(name, RECORD_OF_ANOTHER): applicant_page_kwargs(name, RECORD_OF_ANOTHER) for name in RECORD_PAGES},
    **{(name, case): api_detail_kwargs(name, case) for name in API_DETAILS for case in APPLICANT_CASES},
    **{
        (name, case): applicant_page_kwargs(name, case)
        for name in ("applicant_history", "applicant_access_log")
        for case in APPLICANT_CASES
    },
    **{(name, case): audit_row_kwargs(name, case) for name in AUDIT_DETAILS for case in APPLICANT_CASES},
}

# Consent and sensitive information (issue 4)
KWARGS.update({row: consent_kwargs(row[0], row[1]) for row in CONSENT_ROWS if isinstance(row, tuple)})

# Notes, tasks and documents (issue 4)
KWARGS.update(RECORD_KWARGS)

# Reminders (issue 5)
KWARGS.update(JOBS_KWARGS)
KWARGS.update(REMINDER_KWARGS)
KWARGS.update({row: learning_kwargs(row[0], row[1]) for row in LEARNING_ROWS if isinstance(row, tuple)})
# jobs pages
KWARGS.update({row: jobs_page_kwargs(row[0], row[1]) for row in JOBS_PAGE_ROWS if isinstance(row, tuple)})
# Right-to-work checks (issue 16)
KWARGS.update(RIGHT_TO_WORK_KWARGS)
KWARGS.update(REPORT_KWARGS)  # reports (issue 17)
# Portal openings (issue 16, p3)
KWARGS.update(PORTAL_OPENING_KWARGS)
# Portal interviews, offers and hire reports (issue 16, helper A)
KWARGS.update(PORTAL_INTERVIEW_KWARGS)
# Portal candidates (issue 16, p1)
KWARGS.update(PORTAL_CANDIDATE_KWARGS)
# Partner portal: placed workers and notifications (issue 16, helper B)
KWARGS.update(PORTAL_WORKER_KWARGS)
# Portal users and invitations (issue 16, P2)
KWARGS.update({row: portal_user_kwargs(row[0], row[1]) for row in PORTAL_USER_ROWS})
# Portal messages and employer API accounts (issue 16, helper C)
KWARGS.update(
    {row: portal_message_kwargs(row[0], row[1]) for row in PORTAL_MESSAGE_ROWS if isinstance(row, tuple)}
)
# Reports: the case summary (issue 17, research)
KWARGS.update(
    {row: applicant_page_kwargs(row[0], row[1]) for row in REPORTS_RESEARCH_ROWS if isinstance(row, tuple)}
)


KWARGS.update({row: export_kwargs(row[0], row[1]) for row in EXPORT_ROWS if isinstance(row, tuple)})
KWARGS.update(
    {
        row: import_kwargs(row)
        for row in IMPORT_ROWS
        if row not in ("import_list", "import_new", "import-list", "import-kind-list")
    }
)


def make_world(role_users: dict[str, User]) -> World:
    world = World(users={str(role): user for role, user in role_users.items()})
    administrator = world.users["administrator"]
    world.objects["service_account"], _token = account_services.service_account_create(
        by=administrator, username="matrix-robot", role=Role.CASEWORKER, team=world.users["caseworker"].team
    )
    world.objects["team"] = world.users["caseworker"].team
    # Reset links are for someone who is not signing in (a sign-in would invalidate the token).
    world.objects["forgetful_user"] = UserFactory(username="forgetful", roles=[Role.CASEWORKER])
    elsewhere = Organisation.objects.create(name="Elsewhere", slug="elsewhere")
    world.objects["foreign_team"] = TeamFactory(organisation=elsewhere, name="Elsewhere team")
    make_applicant_world(world)
    make_jobs_world(world)
    make_reminder_world(world)
    make_record_world(world)
    make_consent_world(world)
    make_learning_world(world)
    make_jobs_page_world(world)  # jobs pages
    make_right_to_work_world(world)  # right-to-work checks (issue 16)
    # The candidates' world first: it makes the employer user a member; the openings' world then uses
    # that membership (it makes one only if there is none).
    make_portal_candidates_world(world)  # partner portal: candidates (issue 16, P1)
    make_portal_opening_world(world)  # portal openings (issue 16, p3)
    make_portal_user_world(world)  # portal users and invitations (P2)
    make_portal_messages_world(world)  # portal messages (helper C)
    make_portal_workers_world(world)  # partner portal: placed workers (issue 16, helper B)
    make_portal_interviews_world(world)  # portal interviews, offers and hire reports (helper A)
    make_research_world(world)  # research releases (issue 17, research)
    make_export_world(world)  # exports (issue 17)
    make_import_world(world)  # imports (issue 18)
    return world


def make_applicant_world(world: World) -> None:
    """The four applicants of APPLICANT_CASES, each with one record of every kind, written by the services."""
    caseworker = world.users["caseworker"]
    world.objects["other team"] = TeamFactory(name="Matrix other team")
    foreign_team = world.objects["foreign_team"]
    registrars = {
        "own": caseworker,
        "team": UserFactory(username="matrix-teammate", roles=[Role.CASEWORKER], team=caseworker.team),
        "other team": UserFactory(
            username="matrix-stranger", roles=[Role.CASEWORKER], team=world.objects["other team"]
        ),
        "other organisation": UserFactory(
            username="matrix-foreigner",
            roles=[Role.CASEWORKER],
            organisation=foreign_team.organisation,
            team=foreign_team,
        ),
    }
    start = timezone.localdate() - timedelta(days=30)
    for case, by in registrars.items():
        data: dict[str, Any] = {"given_name": f"Matrix {case}"}
        if case == "other organisation":
            # Reference codes are numbered per organisation: another intake year gives the foreign case
            # a code no applicant of the home organisation has, so only visible_to() keeps it out.
            data["intake_date"] = rules.add_months(start, -12)
        applicant = services.applicant_register(by=by, data=data)
        world.objects[f"applicant {case}"] = applicant
        world.objects[f"period {case}"] = services.legal_period_record(
            by=by,
            applicant=applicant,
            data={
                "status_kind": "da_refugee_applicant",
                "start_date": start,
                "end_date": start + timedelta(days=180),
            },
            card_number=f"AB{applicant.pk:08d}CD",
        )
        world.objects[f"work permission {case}"] = services.work_permission_record(
            by=by, applicant=applicant, data={"basis": "designation_sheet", "start_date": start}
        )
        world.objects[f"reporting obligation {case}"] = services.reporting_obligation_record(
            by=by,
            applicant=applicant,
            data={
                "kind": "provisional_release",
                "next_report_date": start + timedelta(days=60),
                "place": "Tokyo Immigration Bureau",
            },
        )
        world.objects[f"procedure {case}"] = services.procedure_record(
            by=by, applicant=applicant, data={"ordinal": 1, "applied_on": start}
        )


def make_consent_world(world: World) -> None:
    """Per case: a current sensitive-information consent and a "health" record, by its caseworker."""
    for case in APPLICANT_CASES:
        applicant = world.objects[f"applicant {case}"]
        by = applicant.caseworker
        world.objects[f"consent {case}"] = services.consent_record(
            by=by,
            applicant=applicant,
            data={"purpose": "sensitive_information", "granted_on": timezone.localdate() - timedelta(days=7)},
        )
        world.objects[f"sensitive record {case}"] = services.sensitive_record_save(
            by=by, applicant=applicant, category="health", text=f"Matrix {case}: mild asthma."
        )


def make_learning_world(world: World) -> None:
    """Courses: "own course" taught by the matrix trainer, "other course" by another trainer of the same
    organisation, "other organisation course" elsewhere. The own and team applicants learn in the own
    course, the other-team applicant in the other course, the foreign applicant in the foreign course.
    Each applicant has an assessment with a certificate; each course a session today."""
    from learning import services as learning_services
    from tests.learning.factories import CourseFactory, at

    administrator, trainer = world.users["administrator"], world.users["trainer"]
    other_trainer = UserFactory(username="matrix-trainer2", roles=[Role.TRAINER])
    foreign_team = world.objects["foreign_team"]
    foreign_admin = UserFactory(
        username="matrix-foreign-admin",
        roles=[Role.ADMINISTRATOR],
        organisation=foreign_team.organisation,
        team=foreign_team,
    )
    today = timezone.localdate()
    courses = {
        "own course": (administrator, [trainer]),
        "other course": (administrator, [other_trainer]),
        "other organisation course": (foreign_admin, []),
    }
    for case, (by, trainers) in courses.items():
        course = learning_services.course_create(
            by=by,
            data={
                "name": f"Matrix {case}",
                "kind": "japanese",
                "format": "in_person",
                "starts_on": today - timedelta(days=30),
                "ends_on": today + timedelta(days=30),
                "capacity": 10,
            },
            trainers=trainers,
        )
        world.objects[case] = course
        world.objects[f"session {case}"] = learning_services.session_create(
            by=by, course=course, starts_at=at(today, 9), duration_minutes=90
        )
        world.objects[f"session ahead {case}"] = learning_services.session_create(
            by=by, course=course, starts_at=at(today + timedelta(days=1), 9), duration_minutes=90
        )
    placement = {
        "own": "own course",
        "team": "own course",
        "other team": "other course",
        "other organisation": "other organisation course",
    }
    for case, course_case in placement.items():
        applicant = world.objects[f"applicant {case}"]
        by = applicant.caseworker
        world.objects[f"enrollment {case}"] = learning_services.enrollment_enrol(
            by=by, course=world.objects[course_case], applicant=applicant
        ).enrollment
        session_case = f"session {course_case}"
        marker = {"own course": trainer, "other course": administrator}.get(course_case, foreign_admin)
        world.objects[f"attendance {case}"] = learning_services.attendance_record(
            by=marker,
            session=world.objects[session_case],
            enrollment=world.objects[f"enrollment {case}"],
            status="present",
        )
        world.objects[f"assessment {case}"] = learning_services.assessment_record(
            by=by,
            applicant=applicant,
            framework="jft_basic",
            score=205,
            assessed_on=today - timedelta(days=10),
            certificate=SimpleUploadedFile(f"jft-{case}.pdf", tiny_pdf(f"JFT {case}"), "application/pdf"),
        )
    CourseFactory(organisation=foreign_team.organisation, created_by=foreign_admin)  # an empty one too


def make_role_users() -> dict[str, User]:
    """The users of tests/conftest.py's role fixtures, made once for the module's world."""
    team = TeamFactory(name="Tokyo East")
    supervisor = UserFactory(roles=[Role.SUPERVISOR], username="super1")
    team.supervisors.add(supervisor)
    return {
        Role.ADMINISTRATOR: UserFactory(roles=[Role.ADMINISTRATOR], username="admin1", is_staff=True),
        Role.SUPERVISOR: supervisor,
        Role.CASEWORKER: UserFactory(roles=[Role.CASEWORKER], username="case1", team=team),
        Role.TRAINER: UserFactory(roles=[Role.TRAINER], username="trainer1"),
        Role.EMPLOYER: UserFactory(roles=[Role.EMPLOYER], username="employer1"),
    }


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The world, built once per module and xdist worker (tests/module_data.py): building it for each of
    the ~3,600 cases took about half of `make test`."""
    yield from data_for_the_module(django_db_blocker, lambda: make_world(make_role_users()))


@pytest.fixture
def world(module_world, db) -> World:
    return module_world


# --- Routes from the resolver and the router -----------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    pattern: str
    namespace: str


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}".strip(":") if entry.name else None
            yield Route(name, prefix + str(entry.pattern), namespace)


def _is_format_suffix(route: Route) -> bool:
    return "(?P<format>" in route.pattern or "<drf_format_suffix:format>" in route.pattern


def _is_checked(route: Route) -> bool:
    if _is_format_suffix(route):
        return False
    in_admin = route.namespace.split(":", 1)[0] == ADMIN_NAMESPACE
    return not in_admin or route.name in ADMIN_ROUTES_CHECKED


def resolver_routes(urlconf: Any = None) -> list[Route]:
    return [route for route in _walk(get_resolver(urlconf).url_patterns) if _is_checked(route)]


def router_route_names() -> set[str]:
    from config.api import router

    names = {pattern.name for pattern in router.urls if pattern.name}
    # Also what each registration must produce, in case the router's URLs are built lazily elsewhere.
    for _prefix, viewset, basename in router.registry:
        if hasattr(viewset, "list"):  # a viewset of actions only (partner follow-ups: confirm) has none
            names.add(f"{basename}-list")
        if hasattr(viewset, "retrieve"):
            names.add(f"{basename}-detail")
    return names


def route_names(urlconf: Any = None) -> list[str]:
    names = {route.name for route in resolver_routes(urlconf) if route.name} | router_route_names()
    return sorted(names)


def names_without_rows(names: list[str]) -> list[str]:
    return [name for name in names if not any(_url_name(row) == name for row in EXPECTED)]


def _url_name(row: Row) -> str:
    return row if isinstance(row, str) else row[0]


def _row_id(row: Row) -> str:
    return row if isinstance(row, str) else f"{row[0]}[{row[1]}]"


def matrix_cases(urlconf: Any = None) -> list[Any]:
    cases = []
    for name in route_names(urlconf):
        rows = [row for row in EXPECTED if _url_name(row) == name]
        if not rows:
            cases.append(pytest.param(name, ANONYMOUS, id=f"{name}-NO-EXPECTATION"))
            continue
        for row in rows:
            for role in ROLES:
                gap = KNOWN_GAPS.get((row, role))
                marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
                cases.append(pytest.param(row, role, id=f"{_row_id(row)}-{role}", marks=marks))
    return cases


# --- Tests -----------------------------------------------------------------------------------------------


def test_every_route_has_an_expectation():
    missing = names_without_rows(route_names())
    assert not missing, f"routes without a row in EXPECTED (deny by default: say who may GET them): {missing}"


def test_no_expectation_for_a_route_that_is_gone():
    names = set(route_names())
    stale = [_row_id(row) for row in EXPECTED if _url_name(row) not in names]
    assert not stale, f"rows in EXPECTED for routes that no longer exist: {stale}"


def test_every_row_names_every_role_and_kwargs_match_rows():
    for row, outcomes in EXPECTED.items():
        assert tuple(outcomes) == ROLES, _row_id(row)
    assert set(KWARGS) <= set(EXPECTED), "KWARGS for a row that is not in EXPECTED"
    assert {row for row, _role in KNOWN_GAPS} <= set(EXPECTED), "KNOWN_GAPS for a row that is not in EXPECTED"


def test_every_route_has_a_name():
    """An unnamed route could not be given a row, and so would escape the matrix."""
    unnamed = [route.pattern for route in resolver_routes() if route.name is None]
    assert not unnamed, f"routes without a name: {unnamed}"


def test_a_new_route_without_a_row_is_caught():
    def new_view(request):  # pragma: no cover - never requested
        raise AssertionError

    class UrlsWithANewRoute:
        urlpatterns = [
            *get_resolver().url_patterns,
            path("reports/", include(([path("export/", new_view, name="export")], "reports"))),
            path("unnamed/", new_view),
        ]

    assert "reports:export" in names_without_rows(route_names(UrlsWithANewRoute))
    assert "reports:export" not in names_without_rows(route_names())
    assert [route.pattern for route in resolver_routes(UrlsWithANewRoute) if route.name is None] == [
        "unnamed/"
    ]
    # ...and the parametrised matrix gets a case for it that fails.
    assert "reports:export-NO-EXPECTATION" in [case.id for case in matrix_cases(UrlsWithANewRoute)]


def test_the_walk_finds_routes_at_every_level():
    """The generator itself: nested includes, namespaces and the router are all seen."""
    names = route_names()
    assert {"home", "partner_home", "api-me", "team-list", "team-detail", "api-root", "admin:index"} <= set(
        names
    )
    assert not [name for name in names if name.startswith("admin:") and name != "admin:index"]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), matrix_cases())
def test_access(world, row, role):
    assert row in EXPECTED, f"no row in EXPECTED for the route {row!r}: add one (see the module docstring)"
    name = _url_name(row)
    kwargs = KWARGS[row](world, role) if row in KWARGS else {}
    url = reverse(name, kwargs=kwargs)
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    response = client.get(url)
    EXPECTED[row][role].check(response, url)


# Portal users and invitations (issue 16, P2): the portal's own kinds of requester.
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "name", "requester"),
    [
        pytest.param(method, name, requester, id=f"{method}-{name}-{requester}")
        for (method, name), outcomes in PORTAL_REQUESTER_EXPECTED.items()
        for requester in outcomes
    ],
)
def test_portal_requester_access(world, method, name, requester):
    url = portal_requester_url(world, name)
    client = Client()
    client.force_login(portal_requester(world, requester))
    response = client.get(url) if method == "GET" else client.post(url, {"email": "matrix-x@example.com"})
    PORTAL_REQUESTER_EXPECTED[(method, name)][requester].check(response, url)


# Portal interviews, offers and hire reports (issue 16, helper A): the POSTs, by the portal's requesters.
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "case", "requester"),
    [
        pytest.param(name, case, requester, id=f"POST-{name}-{case}-{requester}")
        for (name, case), outcomes in PORTAL_INTERVIEW_POSTS.items()
        for requester in outcomes
    ],
)
def test_portal_interview_posts(world, name, case, requester):
    url = reverse(name, kwargs=portal_interview_kwargs(name, case)(world, "employer"))
    client = Client()
    client.force_login(portal_interview_requester(world, requester))
    response = client.post(url, {})
    PORTAL_INTERVIEW_POSTS[(name, case)][requester].check(response, url)


# --- Lists hold only what the role may read ------------------------------------------------------------
#
# A 200 in the matrix says that a list answers, not what it holds: a list giving a trainer someone's rows
# would pass there. LIST_CONTENTS names, for each list of the router, the field that identifies a row and
# the rows each role must get (each exactly once); a list route without an entry fails.


def readable_applicants(world: World, role: str) -> list[str]:
    return [world.objects[f"applicant {case}"].reference_code for case in READS[role]]


def applicants_of_readable_records(world: World, role: str) -> list[str]:
    return [world.objects[f"applicant {case}"].reference_code for case in RECORD_READS[role]]


def readable_teams(world: World, role: str) -> list[str]:
    if role == "employer":
        return []
    return [world.objects["team"].name, world.objects["other team"].name]


def audit_rows_of(model: Any, world: World, role: str) -> list[int]:
    """The audit rows of the people the role audits; administrators also get their organisation's rows
    of no one (sign-ins). Roles outside AUDIT_READS are refused (403, see AUDIT_ROWS)."""
    applicants = [world.objects[f"applicant {case}"].pk for case in AUDIT_READS.get(role, ())]
    ids = list(model.objects.filter(applicant_id__in=applicants).values_list("pk", flat=True))
    if role == "administrator":
        organisation = world.users[role].organisation_id
        rows = model.objects.filter(organisation_id=organisation, applicant__isnull=True)
        ids += list(rows.values_list("pk", flat=True))
    return ids


LEGAL_RECORD_LISTS = (
    "legal-status-period-list",
    "work-permission-list",
    "reporting-obligation-list",
    "procedure-list",
)


def applicants_of_readable_sensitive_records(world: World, role: str) -> list[str]:
    return [world.objects[f"applicant {case}"].reference_code for case in SENSITIVE_REACH[role]]


LIST_CONTENTS: dict[str, tuple[str, Callable[[World, str], list[str]]]] = {
    "team-list": ("name", readable_teams),
    "applicant-list": ("reference_code", readable_applicants),
    "legal-status-period-list": ("applicant", applicants_of_readable_records),
    "work-permission-list": ("applicant", applicants_of_readable_records),
    "reporting-obligation-list": ("applicant", applicants_of_readable_records),
    "procedure-list": ("applicant", applicants_of_readable_records),
    "note-list": ("text", readable_note_texts),
    "task-list": ("applicant", readable_applicants),
    "document-list": ("applicant", applicants_with_readable_documents),
    "consent-list": ("applicant", applicants_of_readable_records),
    "sensitive-information-list": ("applicant", applicants_of_readable_sensitive_records),
    "history-list": ("id", lambda world, role: audit_rows_of(ChangeRecord, world, role)),
    "access-log-list": ("id", lambda world, role: audit_rows_of(AccessLogEntry, world, role)),
}


def readable_courses(world: World, role: str) -> list[str]:
    return [world.objects[case].name for case in COURSE_CASES if case in COURSE_READS[role]]


def learning_rows(kind: str) -> Callable[[World, str], list[int]]:
    def rows(world: World, role: str) -> list[int]:
        return [world.objects[f"{kind} {case}"].pk for case in LEARNER_READS[role]]

    return rows


def readable_sessions(world: World, role: str) -> list[int]:
    return [
        world.objects[f"session{kind} {case}"].pk
        for case in COURSE_CASES
        if case in COURSE_READS[role]
        for kind in ("", " ahead")
    ]


LIST_CONTENTS.update(
    {
        "course-list": ("name", readable_courses),
        "session-list": ("id", readable_sessions),
        "enrollment-list": ("id", learning_rows("enrollment")),
        "attendance-list": ("id", learning_rows("attendance")),
        "assessment-list": ("id", learning_rows("assessment")),
    }
)
LIST_CONTENTS.update(
    {
        "notification-list": ("id", own_notifications),
        "reminder-list": ("id", actionable_reminders),
        "deadline-list": ("applicant", applicants_with_deadlines),
    }
)
LIST_CONTENTS.update(JOBS_LIST_CONTENTS)
LIST_CONTENTS.update(RIGHT_TO_WORK_LIST_CONTENTS)
LIST_CONTENTS["partner-opening-list"] = ("id", partner_opening_rows)  # portal openings (issue 16, p3)
LIST_CONTENTS["consent-list"] = ("applicant", readable_consents_with_portal_share)  # portal messages
LIST_CONTENTS.update(PORTAL_INTERVIEW_LIST_CONTENTS)
LIST_CONTENTS.update(PORTAL_CANDIDATE_LIST_CONTENTS)
LIST_CONTENTS.update(PORTAL_WORKER_LIST_CONTENTS)
LIST_CONTENTS["research-export-list"] = ("id", research_releases)  # research releases (issue 17)
LIST_CONTENTS["report-list"] = ("key", readable_reports)  # reports (issue 17)
LIST_CONTENTS["export-list"] = ("id", own_export_ids)  # exports (issue 17)
LIST_CONTENTS["import-list"] = ("id", own_import_ids)  # imports (issue 18)
LIST_CONTENTS["import-kind-list"] = ("kind", importable_kinds)  # imports (issue 18)
SIGNED_IN_ROLES = [role for role in ROLES if role != ANONYMOUS]


def list_cases() -> list[Any]:
    cases = []
    for name in sorted(LIST_CONTENTS):
        for role in SIGNED_IN_ROLES:
            cases.append(pytest.param(name, role, id=f"{name}-{role}"))
    return cases


def test_every_list_route_has_a_contents_check():
    lists = {name for name in router_route_names() if name.endswith("-list")}
    assert lists <= set(LIST_CONTENTS), f"add to LIST_CONTENTS: {sorted(lists - set(LIST_CONTENTS))}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), list_cases())
def test_lists_hold_only_what_the_role_may_read(world, name, role):
    field_name, expected = LIST_CONTENTS[name]
    client = Client()
    client.force_login(world.users[role])
    response = client.get(reverse(name))
    if EXPECTED[name][role] == DENIED:  # a list for some roles only (the audit): the others are refused
        assert response.status_code == 403
        return
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    while isinstance(body, dict) and body.get("next"):  # the audit lists run over more than one page
        body = client.get(body["next"]).json()
        rows += body["results"]
    if isinstance(body, dict):
        assert body["count"] == len(rows)
    assert sorted(row[field_name] for row in rows) == sorted(expected(world, role))


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF)
def test_the_applicant_list_page_shows_only_what_the_role_may_read(world, role):
    client = Client()
    client.force_login(world.users[role])
    content = client.get(reverse("applicant_list")).content.decode()
    for case in APPLICANT_CASES:
        applicant = world.objects[f"applicant {case}"]
        link = reverse("applicant_detail", kwargs={"reference_code": applicant.reference_code})
        assert (f'href="{link}"' in content) == (case in READS[role]), f"{role}, {case}"


@pytest.mark.django_db
def test_a_teammates_case_page_shows_a_caseworker_no_legal_records(world):
    client = Client()
    client.force_login(world.users["caseworker"])
    team = world.objects["applicant team"]
    page = client.get(reverse("applicant_detail", kwargs={"reference_code": team.reference_code}))
    assert page.status_code == 200  # the profile is shared
    content = page.content.decode()
    assert world.objects["period team"].card_number_masked not in content
    assert world.objects["reporting obligation team"].place not in content
    assert "period-bar" not in content
    # Neither the API: the legal summary fields are null and say why.
    row = client.get(reverse("applicant-detail", kwargs={"reference_code": team.reference_code})).json()
    assert row["legal_records_visible"] is False
    assert row["current_status_kind"] is None and row["may_work_today"] is None


@pytest.mark.django_db
def test_a_team_caseload_that_is_not_shared_is_not_readable(world):
    """The matrix runs with the default (team caseloads shared); without it a teammate's case is 404."""
    Organisation.objects.filter(pk=world.users["caseworker"].organisation_id).update(
        team_caseload_shared=False
    )
    client = Client()
    client.force_login(world.users["caseworker"])
    own, team = world.objects["applicant own"], world.objects["applicant team"]
    for name in ("applicant_detail", "applicant-detail"):
        assert client.get(reverse(name, kwargs={"reference_code": team.reference_code})).status_code == 404
        assert client.get(reverse(name, kwargs={"reference_code": own.reference_code})).status_code == 200
    assert (
        client.get(reverse("procedure-detail", kwargs={"pk": world.objects["procedure team"].pk})).status_code
        == 404
    )
    for name in ("applicant-list", "procedure-list"):
        rows = client.get(reverse(name)).json()["results"]
        assert [row.get("reference_code", row.get("applicant")) for row in rows] == [own.reference_code]


# --- With two-factor required, a signed-in staff user without a device reaches only these ---------------

TWO_FACTOR_REACHABLE = {
    "login",
    "logout",
    "set_language",
    "two_factor_setup",
    "two_factor_verify",
    "web_manifest",
    "session_keep_alive",  # the expiry warning of the two-factor pages (issue 19): time left, nothing else
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", route_names())
def test_staff_without_two_factor_reach_only_the_setup_pages(world, settings, name):
    settings.REQUIRE_2FA = True
    row = name if name in KWARGS else next((r for r in KWARGS if _url_name(r) == name), None)
    kwargs = KWARGS[row](world, "caseworker") if row is not None else {}
    try:
        url = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        pytest.fail(f"{name} takes arguments: add a row to KWARGS")
    client = Client()
    client.force_login(world.users["caseworker"])
    response = client.get(url)
    if name in TWO_FACTOR_REACHABLE:
        assert not (
            response.status_code == 302
            and response["Location"].startswith("/accounts/two-factor/setup/?next=")
        )
    elif url.startswith("/api/"):
        assert response.status_code == 403
        assert "Two-factor" in response.json()["detail"]
    else:
        assert response.status_code == 302, url
        location = urlsplit(response["Location"])
        assert location.path == reverse("two_factor_setup")
        assert parse_qs(location.query)["next"] == [url]
