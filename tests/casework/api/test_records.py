"""The notes, tasks and documents API: the services' messages as 400s, 404 outside the caseload, the
confidential flag, multipart upload and logged download, and constant query counts on every list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import services
from casework.management.demo_records import tiny_pdf, tiny_png
from casework.models import AccessLogEntry, CaseNote, ChangeRecord, Document, Task
from tests.casework.applicant_factories import build_caseload, bulk_applicants
from tests.casework.record_factories import (
    CaseNoteFactory,
    DocumentFactory,
    TaskFactory,
    clean_documents,  # noqa: F401 (fixture)
    pdf_upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_documents")]

NOTES = "/api/v1/notes/"
TASKS = "/api/v1/tasks/"
DOCUMENTS = "/api/v1/documents/"


def post(client: Client, url: str, data: object):
    return client.post(url, data, content_type="application/json")


def patch(client: Client, url: str, data: object):
    return client.patch(url, data, content_type="application/json")


def days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


@pytest.fixture
def caseload(team, other_team, caseworker, supervisor):
    return build_caseload(team=team, other_team=other_team, caseworker=caseworker)


@pytest.fixture
def api(caseworker, client_for) -> Client:
    return client_for(caseworker)


@pytest.fixture
def records(caseload, caseworker):
    own = caseload.own
    return {
        "note": services.note_add(by=caseworker, applicant=own, text="Open note"),
        "secret": services.note_add(by=caseworker, applicant=own, text="Secret note", confidential=True),
        "task": services.task_add(by=caseworker, applicant=own, title="Call the school"),
        "document": services.document_upload(
            by=caseworker, applicant=own, upload=pdf_upload("card.pdf"), kind="residence_card"
        ),
    }


# --- Notes ---------------------------------------------------------------------------------------------


def test_add_a_note_and_read_it_back(caseload, api, caseworker):
    response = post(
        api, NOTES, {"applicant": caseload.own.reference_code, "text": "Called", "confidential": True}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["applicant"] == caseload.own.reference_code and body["text"] == "Called" and body["confidential"]
    )
    assert body["author"] == {"id": caseworker.pk, "name": str(caseworker)}
    assert api.get(f"{NOTES}{body['id']}/").json()["text"] == "Called"
    assert ChangeRecord.objects.filter(model="casework.casenote", object_id=str(body["id"])).exists()


def test_an_empty_note_is_a_400_with_the_services_message(caseload, api):
    response = post(api, NOTES, {"applicant": caseload.own.reference_code, "text": "   "})
    assert response.status_code == 400
    assert response.json() == {"text": ["Write the note."]}
    assert post(api, NOTES, {"text": "x"}).json() == {"applicant": ["This field is required."]}


@pytest.mark.parametrize("endpoint", [NOTES, TASKS])
def test_a_note_or_task_outside_the_caseload_is_a_404(caseload, api, endpoint):
    data = {"text": "x", "title": "x"}
    for applicant in (caseload.foreign.reference_code, "A-1999-99999"):
        response = post(api, endpoint, {**data, "applicant": applicant})
        assert response.status_code == 404, response.json()
    # A teammate's shared case is visible but not the caseworker's to change.
    assert post(api, endpoint, {**data, "applicant": caseload.shared.reference_code}).status_code == 403
    assert not CaseNote.objects.exists() and not Task.objects.exists()


@pytest.mark.parametrize("role", ["trainer", "employer"])
def test_trainers_and_employer_users_cannot_write_or_read(caseload, records, client_for, request, role):
    client = client_for(request.getfixturevalue(role))
    assert post(client, NOTES, {"applicant": caseload.own.reference_code, "text": "x"}).status_code == 403
    for endpoint in (NOTES, TASKS, DOCUMENTS):
        assert client.get(endpoint).json()["count"] == 0
    assert client.get(f"{DOCUMENTS}{records['document'].pk}/download/").status_code == 404


def test_confidential_notes_are_absent_for_whom_they_are_hidden(
    caseload, records, client_for, caseworker, supervisor, administrator
):
    def texts(user):
        return sorted(row["text"] for row in client_for(user).get(NOTES).json()["results"])

    assert texts(caseworker) == texts(supervisor) == ["Open note", "Secret note"]
    assert texts(administrator) == texts(caseload.colleague) == ["Open note"]
    assert texts(caseload.other_supervisor) == []
    secret = f"{NOTES}{records['secret'].pk}/"
    assert client_for(administrator).get(secret).status_code == 404
    assert client_for(caseload.colleague).get(secret).status_code == 404
    assert client_for(administrator).get(f"{NOTES}?confidential=true").json()["count"] == 0


def test_only_the_author_changes_a_note(records, api, client_for, supervisor):
    url = f"{NOTES}{records['note'].pk}/"
    assert patch(client_for(supervisor), url, {"text": "hijack"}).status_code == 403
    response = patch(api, url, {"text": "Corrected", "confidential": True})
    assert response.status_code == 200 and response.json()["text"] == "Corrected"
    assert response.json()["confidential"] is True
    assert patch(api, url, {"text": ""}).json() == {"text": ["Write the note."]}
    assert api.put(url, {"text": "x"}, content_type="application/json").status_code == 405
    assert api.delete(url).status_code == 405


# --- Tasks ---------------------------------------------------------------------------------------------


def test_add_a_task_for_the_supervisor_and_find_it_as_theirs(caseload, api, supervisor, client_for):
    response = post(
        api,
        TASKS,
        {
            "applicant": caseload.own.reference_code,
            "title": "Sign",
            "due_date": days(-2),
            "assignee": supervisor.pk,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["assignee"]["id"] == supervisor.pk and body["is_overdue"] is True and body["done"] is False
    supervisor_client = client_for(supervisor)
    assert [row["id"] for row in supervisor_client.get(f"{TASKS}?mine=true").json()["results"]] == [
        body["id"]
    ]
    assert api.get(f"{TASKS}?mine=true").json()["count"] == 0
    assert api.get(f"{TASKS}?overdue=true").json()["count"] == 1


def test_task_input_errors_name_their_fields(caseload, api, trainer):
    base = {"applicant": caseload.own.reference_code}
    assert post(api, TASKS, {**base, "title": ""}).json() == {"title": ["Say what is to be done."]}
    response = post(api, TASKS, {**base, "title": "x", "assignee": trainer.pk})
    assert response.status_code == 400 and list(response.json()) == ["assignee"]
    assert "cannot take the task" in response.json()["assignee"][0]
    response = post(api, TASKS, {**base, "title": "x", "due_date": days(365 * 3)})
    assert response.json() == {"due_date": ["The due date is more than 2 years ahead: check the year."]}
    assert post(api, TASKS, {**base, "title": "x", "due_date": "tomorrow"}).status_code == 400


def test_tick_done_and_reopen_through_patch(records, api):
    url = f"{TASKS}{records['task'].pk}/"
    body = patch(api, url, {"done": True}).json()
    assert body["done"] is True and body["done_at"]
    body = patch(api, url, {"done": False, "title": "Call the school again"}).json()
    assert body["done"] is False and body["done_at"] is None and body["title"] == "Call the school again"


def test_a_teammate_assigned_a_task_may_tick_it_only(caseload, caseworker, client_for):
    task = services.task_add(
        by=caseworker, applicant=caseload.own, title="Cover", assignee=caseload.colleague
    )
    client = client_for(caseload.colleague)
    url = f"{TASKS}{task.pk}/"
    assert patch(client, url, {"done": True}).json()["done"] is True
    assert patch(client, url, {"title": "Renamed"}).status_code == 403
    task.refresh_from_db()
    assert task.title == "Cover" and task.done


# --- Documents -----------------------------------------------------------------------------------------


def upload(client: Client, applicant, file, **extra):
    data = {"applicant": applicant.reference_code, "kind": "residence_card", **extra}
    if file is not None:
        data["file"] = file
    return client.post(DOCUMENTS, data)  # multipart


def test_upload_and_download(caseload, api, caseworker):
    content = tiny_png()
    response = upload(
        api, caseload.own, SimpleUploadedFile("front", content, "application/pdf"), description="Front"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == "image/png" and body["original_name"] == "front.png"
    assert body["size"] == len(content) and body["description"] == "Front"
    assert body["download_url"] == f"{DOCUMENTS}{body['id']}/download/"
    assert "file" not in body  # the stored name is nobody's business
    got = api.get(body["download_url"])
    assert got.status_code == 200 and b"".join(got.streaming_content) == content
    assert got["Content-Disposition"] == 'attachment; filename="front.png"'
    assert got["Content-Type"] == "image/png" and got["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in got["Cache-Control"]
    entry = AccessLogEntry.objects.get(kind="document_download")
    assert entry.actor == caseworker and entry.applicant_id == caseload.own.pk
    assert entry.detail == {"document": body["id"], "kind": "residence_card", "through": "api"}


def test_a_download_answers_whatever_the_client_accepts(records, api):
    url = f"{DOCUMENTS}{records['document'].pk}/download/"
    for accept in ("application/pdf", "*/*", "application/json", "text/html"):
        response = api.get(url, HTTP_ACCEPT=accept)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", accept
    missing = api.get(f"{DOCUMENTS}999999/download/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"


BAD = {
    "disguised": (lambda: SimpleUploadedFile("x.pdf", b"not a pdf at all"), "content is none of them"),
    "named .pdf, PNG inside": (lambda: SimpleUploadedFile("x.pdf", tiny_png()), "is named .pdf but"),
    "empty": (lambda: SimpleUploadedFile("x.pdf", b""), "The file is empty."),
    "11 MB": (lambda: SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024)), "larger than 10 MB"),
    "missing": (lambda: None, "Choose a file to upload."),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_uploads_are_400_naming_file_with_the_pages_message(caseload, api, case):
    make, message = BAD[case]
    response = upload(api, caseload.own, make())
    assert response.status_code == 400
    assert list(response.json()) == ["file"] and message in response.json()["file"][0]
    assert not Document.objects.exists()


def test_a_path_in_the_name_is_cut_by_the_parser(caseload, api):
    response = upload(api, caseload.own, SimpleUploadedFile("..\\..\\secret\\card.pdf", tiny_pdf()))
    assert response.status_code == 201 and response.json()["original_name"] == "card.pdf"


def test_a_bad_kind_is_the_services_message(caseload, api):
    response = upload(api, caseload.own, pdf_upload(), kind="passport")
    assert response.status_code == 400 and response.json() == {
        "kind": ["Choose what kind of document this is."]
    }


def test_upload_outside_the_caseload(caseload, api):
    assert upload(api, caseload.foreign, pdf_upload()).status_code == 404
    assert upload(api, caseload.shared, pdf_upload()).status_code == 403
    assert not Document.objects.exists()


def test_documents_are_for_the_own_caseload_the_led_teams_and_administrators(
    caseload, records, client_for, caseworker, supervisor, administrator
):
    url = f"{DOCUMENTS}{records['document'].pk}/"
    for user in (caseworker, supervisor, administrator):
        client = client_for(user)
        assert client.get(DOCUMENTS).json()["count"] == 1
        assert client.get(url).status_code == 200
        assert client.get(f"{url}download/").status_code == 200
    for user in (caseload.colleague, caseload.other_supervisor, caseload.other_caseworker):
        client = client_for(user)
        assert client.get(DOCUMENTS).json()["count"] == 0
        assert client.get(url).status_code == 404
        assert client.get(f"{url}download/").status_code == 404
    assert AccessLogEntry.objects.filter(kind="document_download").count() == 3


def test_a_download_after_reassignment_is_a_404(caseload, records, api, supervisor):
    url = f"{DOCUMENTS}{records['document'].pk}/download/"
    assert api.get(url).status_code == 200
    services.applicants_reassign(
        by=supervisor, applicants=[caseload.own], team=caseload.own.team, caseworker=caseload.colleague
    )
    assert api.get(url).status_code == 404
    assert AccessLogEntry.objects.filter(kind="document_download").count() == 1


def test_documents_cannot_be_changed_or_deleted(records, api):
    url = f"{DOCUMENTS}{records['document'].pk}/"
    assert api.patch(url, {"description": "x"}, content_type="application/json").status_code == 405
    assert api.delete(url).status_code == 405
    assert post(api, DOCUMENTS, {"applicant": "x"}).status_code == 415  # multipart only


# --- Query counts: the same with 25 and with 500 rows ------------------------------------------------------


def _notes(applicants, count, user):
    CaseNote.objects.bulk_create(
        [
            CaseNote(
                applicant=applicants[i % len(applicants)], author=user, text=f"n{i}", confidential=i % 2 == 0
            )
            for i in range(count)
        ]
    )


def _tasks(applicants, count, user):
    Task.objects.bulk_create(
        [
            Task(
                applicant=applicants[i % len(applicants)],
                title=f"t{i}",
                due_date=timezone.localdate() + timedelta(days=i % 30 - 15),
                assignee=user,
                created_by=user,
            )
            for i in range(count)
        ]
    )


def _documents(applicants, count, user):
    start = Document.objects.count()
    Document.objects.bulk_create(
        [
            Document(
                applicant=applicants[i % len(applicants)],
                kind="other",
                file=f"applicants/none/{i:032x}",
                original_name=f"d{i}.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
                uploaded_by=user,
            )
            for i in range(start, start + count)
        ]
    )


@pytest.mark.parametrize(
    ("endpoint", "populate"),
    [(NOTES, _notes), (TASKS, _tasks), (f"{TASKS}?mine=true&done=false", _tasks), (DOCUMENTS, _documents)],
    ids=["notes", "tasks", "my-open-tasks", "documents"],
)
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_every_list_runs_the_same_number_of_queries_with_25_and_500_rows(
    caseworker, team, client_for, request, endpoint, populate: Callable, role
):
    user = request.getfixturevalue(role)
    client = client_for(user)
    applicants = bulk_applicants(5, team=team, caseworker=caseworker)
    # Every other note is confidential: the administrator reads the open half only.
    populate(applicants, 50 if endpoint == NOTES else 25, caseworker if endpoint == NOTES else user)
    client.get(endpoint)  # warm up
    with CaptureQueriesContext(connection) as few:
        response = client.get(endpoint)
    assert response.json()["count"] >= 25  # the administrator sees the open half of the notes
    populate(applicants, 950 if endpoint == NOTES else 475, caseworker if endpoint == NOTES else user)
    with CaptureQueriesContext(connection) as many:
        response = client.get(endpoint)
    body = response.json()
    assert body["count"] >= 500 and len(body["results"]) == 25
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]
    assert len(few.captured_queries) <= 9
    print(f"\n{endpoint} for {role}: {len(few.captured_queries)} queries with 25 and 500 rows")


def test_factories_make_rows_the_api_lists(caseload, caseworker, api):
    CaseNoteFactory(applicant=caseload.own, author=caseworker)
    TaskFactory(applicant=caseload.own, assignee=caseworker)
    DocumentFactory(applicant=caseload.own, uploaded_by=caseworker)
    assert [api.get(endpoint).json()["count"] for endpoint in (NOTES, TASKS, DOCUMENTS)] == [1, 1, 1]


@pytest.mark.parametrize("endpoint", [NOTES, TASKS, DOCUMENTS])
def test_the_browsable_api_and_options_answer(records, api, endpoint):
    key = {NOTES: "note", TASKS: "task", DOCUMENTS: "document"}[endpoint]
    for url in (endpoint, f"{endpoint}{records[key].pk}/"):
        assert api.get(url, HTTP_ACCEPT="text/html").status_code == 200, url
        assert api.options(url).status_code == 200, url
