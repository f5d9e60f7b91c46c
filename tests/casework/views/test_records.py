"""The notes, tasks and documents sections, break-glass, downloads and "my tasks" through the test client:
access per role, confidential notes, the access log, bad uploads, and constant query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.management.demo_records import tiny_pdf
from casework.models import AccessLogEntry, CaseNote, ChangeRecord, Document, Task
from tests.casework.applicant_factories import ApplicantFactory, build_caseload, bulk_applicants
from tests.casework.record_factories import (
    CaseNoteFactory,
    DocumentFactory,
    TaskFactory,
    clean_documents,  # noqa: F401 (fixture)
    pdf_upload,
    png_upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_documents")]
HTMX = {"HTTP_HX_REQUEST": "true"}


def today():
    return timezone.localdate()


def url(name: str, applicant=None, **kwargs) -> str:
    if applicant is not None:
        kwargs["reference_code"] = applicant.reference_code
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def caseload(team, other_team, caseworker, supervisor):
    return build_caseload(team=team, other_team=other_team, caseworker=caseworker)


@pytest.fixture
def records(caseload, caseworker):
    """On the caseworker's own applicant: an open and a confidential note, a task, a document."""
    own = caseload.own
    return {
        "note": services.note_add(by=caseworker, applicant=own, text="Open note about the job search"),
        "secret": services.note_add(
            by=caseworker, applicant=own, text="Confidential: family still in danger", confidential=True
        ),
        "task": services.task_add(
            by=caseworker, applicant=own, title="Book the interview", due_date=today() + timedelta(days=2)
        ),
        "document": services.document_upload(
            by=caseworker, applicant=own, upload=pdf_upload("card-front.pdf"), kind="residence_card"
        ),
    }


def page_of(client: Client, applicant, tabs=("notes", "documents")) -> str:
    """The applicant page's tabs that show notes, tasks and documents, one after the other."""
    html = ""
    for tab in tabs:
        response = client.get(f"{url('applicant_detail', applicant)}?tab={tab}")
        assert response.status_code == 200
        html += response.content.decode()
    return html


def download(client: Client, applicant, document):
    return client.get(url("applicant_document_download", applicant, pk=document.pk))


def downloads_logged(document) -> int:
    return AccessLogEntry.objects.filter(kind="document_download", detail__document=document.pk).count()


# --- What each role sees on the applicant page -----------------------------------------------------------


def test_the_caseworker_sees_every_section_of_their_own_case(client_for, caseworker, caseload, records):
    page = page_of(client_for(caseworker), caseload.own)
    for text in (
        "Open note about the job search",
        "Confidential: family still in danger",
        "Book the interview",
    ):
        assert text in page
    assert 'class="badge badge-confidential"' in page
    assert (
        "card-front.pdf" in page
        and url("applicant_document_download", caseload.own, pk=records["document"].pk) in page
    )
    for name in ("applicant_note_add", "applicant_task_add", "applicant_document_add"):
        assert url(name, caseload.own) in page
    assert 'enctype="multipart/form-data"' in page  # the upload works without JavaScript
    assert url("applicant_note_edit", caseload.own, pk=records["note"].pk) in page
    assert "Break-glass" not in page


def test_the_team_supervisor_sees_everything_but_edits_no_one_elses_note(
    client_for, supervisor, caseload, records
):
    page = page_of(client_for(supervisor), caseload.own)
    assert "Confidential: family still in danger" in page and "card-front.pdf" in page
    assert url("applicant_note_edit", caseload.own, pk=records["note"].pk) not in page
    assert url("applicant_task_edit", caseload.own, pk=records["task"].pk) in page


def test_a_teammate_reads_open_notes_and_tasks_of_a_shared_case_but_no_documents(
    client_for, caseload, records
):
    page = page_of(client_for(caseload.colleague), caseload.own)
    assert "Open note about the job search" in page and "Book the interview" in page
    assert "family still in danger" not in page
    assert "card-front.pdf" not in page
    assert "Documents are shown only to the assigned caseworker" in page
    for name in ("applicant_note_add", "applicant_task_add", "applicant_document_add"):
        assert url(name, caseload.own) not in page
    assert download(client_for(caseload.colleague), caseload.own, records["document"]).status_code == 404


def test_the_administrator_sees_confidential_notes_only_as_break_glass_links(
    client_for, administrator, caseload, records
):
    page = page_of(client_for(administrator), caseload.own)
    assert "Open note about the job search" in page and "card-front.pdf" in page
    assert "family still in danger" not in page
    assert url("applicant_note_break_glass", caseload.own, pk=records["secret"].pk) in page


@pytest.mark.parametrize("who", ["other_supervisor", "other_caseworker"])
def test_another_teams_people_get_a_404_for_everything(client_for, caseload, records, who):
    client = client_for(getattr(caseload, who))
    own = caseload.own
    gets = [
        url("applicant_detail", own),
        url("applicant_note_add", own),
        url("applicant_note_edit", own, pk=records["note"].pk),
        url("applicant_task_add", own),
        url("applicant_task_edit", own, pk=records["task"].pk),
        url("applicant_document_add", own),
        url("applicant_document_download", own, pk=records["document"].pk),
    ]
    for path in gets:
        assert client.get(path).status_code == 404, path
    posts = {
        url("applicant_note_add", own): {"note-text": "x"},
        url("applicant_task_add", own): {"task-title": "x"},
        url("applicant_task_done", own, pk=records["task"].pk): {"done": "1"},
        url("applicant_document_add", own): {"document-kind": "other", "document-file": pdf_upload()},
    }
    for path, data in posts.items():
        assert client.post(path, data).status_code == 404, path
    assert CaseNote.objects.count() == 2 and Task.objects.count() == 1 and Document.objects.count() == 1


@pytest.mark.parametrize("role", ["trainer", "employer"])
def test_trainers_and_employer_users_are_refused(client_for, request, caseload, records, role):
    client = client_for(request.getfixturevalue(role))
    for path in (
        url("applicant_note_add", caseload.own),
        url("applicant_document_download", caseload.own, pk=records["document"].pk),
        url("applicant_note_break_glass", caseload.own, pk=records["secret"].pk),
        url("my_tasks"),
    ):
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_sign_in(caseload, records):
    client = Client()
    for path in (
        url("applicant_document_download", caseload.own, pk=records["document"].pk),
        url("applicant_note_break_glass", caseload.own, pk=records["secret"].pk),
        url("my_tasks"),
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
    assert not AccessLogEntry.objects.filter(kind="document_download").exists()


# --- Notes ---------------------------------------------------------------------------------------------


def test_add_a_note_in_place_and_without_javascript(client_for, caseworker, caseload):
    client = client_for(caseworker)
    response = client.post(
        url("applicant_note_add", caseload.own),
        {"note-text": "Met at the office", "note-confidential": "on"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        html.startswith('<section id="notes"')
        and "Met at the office" in html
        and "The note is added." in html
    )
    assert CaseNote.objects.get().confidential
    response = client.post(url("applicant_note_add", caseload.own), {"note-text": "Second"})
    assert response.status_code == 302 and response["Location"].endswith("#notes")
    assert ChangeRecord.objects.filter(model="casework.casenote", action="create").count() == 2


def test_an_empty_note_shows_the_services_message_next_to_the_field(client_for, caseworker, caseload):
    client = client_for(caseworker)
    html = client.post(url("applicant_note_add", caseload.own), {"note-text": "  "}, **HTMX).content.decode()
    assert (
        "Write the note." in html and "field-invalid" in html and '<details class="add-record" open>' in html
    )
    page = client.post(url("applicant_note_add", caseload.own), {"note-text": ""})
    assert page.status_code == 200 and "Write the note." in page.content.decode()
    assert not CaseNote.objects.exists()


def test_a_teammate_may_not_add_to_a_shared_case(client_for, caseload):
    client = client_for(caseload.colleague)
    assert client.get(url("applicant_note_add", caseload.own)).status_code == 403
    assert client.post(url("applicant_note_add", caseload.own), {"note-text": "x"}, **HTMX).status_code == 403
    assert client.post(url("applicant_task_add", caseload.own), {"task-title": "x"}).status_code == 403
    upload = {"document-kind": "other", "document-file": pdf_upload()}
    assert client.post(url("applicant_document_add", caseload.own), upload).status_code == 403
    assert not CaseNote.objects.exists() and not Document.objects.exists()


def test_only_the_author_edits_a_note(client_for, caseworker, supervisor, administrator, caseload, records):
    path = url("applicant_note_edit", caseload.own, pk=records["note"].pk)
    for user in (supervisor, administrator):
        assert client_for(user).get(path).status_code == 403
        assert client_for(user).post(path, {"note-text": "hijack"}).status_code == 403
    client = client_for(caseworker)
    assert "Open note about the job search" in client.get(path).content.decode()
    response = client.post(path, {"note-text": "Corrected note"})
    assert response.status_code == 302
    records["note"].refresh_from_db()
    assert records["note"].text == "Corrected note"
    entry = ChangeRecord.objects.filter(model="casework.casenote", action="update").get()
    assert entry.changes["text"] == {"old": "Open note about the job search", "new": "Corrected note"}
    # A confidential note is the administrator's only through break-glass, also for editing: 404.
    assert (
        client_for(administrator)
        .get(url("applicant_note_edit", caseload.own, pk=records["secret"].pk))
        .status_code
        == 404
    )


# --- Break-glass -----------------------------------------------------------------------------------------


def test_break_glass_needs_a_reason_and_logs_every_reading(client_for, administrator, caseload, records):
    client = client_for(administrator)
    path = url("applicant_note_break_glass", caseload.own, pk=records["secret"].pk)
    form = client.get(path)
    assert form.status_code == 200
    assert "family still in danger" not in form.content.decode()
    assert "no-store" in form["Cache-Control"]
    for reason in ("", "   ", "because"):
        refused = client.post(path, {"reason": reason})
        assert refused.status_code == 200 and "family still in danger" not in refused.content.decode()
    assert not AccessLogEntry.objects.filter(kind="confidential_note_view").exists()

    reason = "Complaint from the applicant about this note; checking what it says."
    shown = client.post(path, {"reason": reason})
    assert "Confidential: family still in danger" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    entry = AccessLogEntry.objects.get(kind="confidential_note_view")
    assert entry.actor == administrator and entry.applicant_id == caseload.own.pk
    assert entry.detail == {"note": records["secret"].pk, "reason": reason}
    assert entry.request_id and "danger" not in entry.object_label
    client.post(path, {"reason": reason})
    assert AccessLogEntry.objects.filter(kind="confidential_note_view").count() == 2  # every time


def test_break_glass_is_for_administrators_and_confidential_notes_only(
    client_for, supervisor, caseworker, administrator, caseload, records
):
    path = url("applicant_note_break_glass", caseload.own, pk=records["secret"].pk)
    for user in (supervisor, caseworker):
        assert client_for(user).get(path).status_code == 403
        assert client_for(user).post(path, {"reason": "I would like to read it"}).status_code == 403
    open_note = url("applicant_note_break_glass", caseload.own, pk=records["note"].pk)
    assert client_for(administrator).get(open_note).status_code == 404
    # The note must be the applicant's own: another applicant's URL does not reach it.
    other = url("applicant_note_break_glass", caseload.shared, pk=records["secret"].pk)
    assert client_for(administrator).get(other).status_code == 404
    assert not AccessLogEntry.objects.filter(kind="confidential_note_view").exists()


# --- Tasks ---------------------------------------------------------------------------------------------


def test_add_a_task_for_the_team_supervisor_in_place(client_for, caseworker, supervisor, caseload):
    client = client_for(caseworker)
    page = page_of(client, caseload.own)
    assert f'<option value="{supervisor.pk}"' in page and f'<option value="{caseworker.pk}" selected' in page
    assert f'<option value="{caseload.other_supervisor.pk}"' not in page
    response = client.post(
        url("applicant_task_add", caseload.own),
        {"task-title": "Check the renewal", "task-due_date": str(today()), "task-assignee": supervisor.pk},
        **HTMX,
    )
    assert response.status_code == 200 and "Check the renewal" in response.content.decode()
    assert Task.objects.get().assignee == supervisor


def test_a_task_for_someone_who_cannot_take_it_is_refused_on_the_field(client_for, caseworker, caseload):
    response = client_for(caseworker).post(
        url("applicant_task_add", caseload.own),
        {"task-title": "x", "task-assignee": caseload.other_caseworker.pk},
        **HTMX,
    )
    # Not among the choices: the form refuses it before the service.
    assert "Select a valid choice" in response.content.decode()
    response = client_for(caseworker).post(
        url("applicant_task_add", caseload.own), {"task-title": "", "task-assignee": caseworker.pk}, **HTMX
    )
    assert "Say what is to be done." in response.content.decode()
    assert not Task.objects.exists()


def test_tick_a_task_done_and_open_it_again(client_for, caseworker, caseload, records):
    client = client_for(caseworker)
    task = records["task"]
    path = url("applicant_task_done", caseload.own, pk=task.pk)
    assert client.get(path).status_code == 405
    html = client.post(path, {"done": "1"}, **HTMX).content.decode()
    assert "The task is done." in html and "Reopen" in html
    task.refresh_from_db()
    assert task.done
    response = client.post(path, {"done": "0", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"].endswith("#tasks")
    task.refresh_from_db()
    assert not task.done


def test_a_teammate_ticks_their_own_task_on_a_shared_case_only(client_for, caseworker, caseload):
    mine = services.task_add(
        by=caseworker, applicant=caseload.own, title="Cover", assignee=caseload.colleague
    )
    not_mine = services.task_add(by=caseworker, applicant=caseload.own, title="Yours")
    client = client_for(caseload.colleague)
    page = page_of(client, caseload.own)
    assert url("applicant_task_done", caseload.own, pk=mine.pk) in page
    assert url("applicant_task_done", caseload.own, pk=not_mine.pk) not in page
    assert client.post(url("applicant_task_done", caseload.own, pk=mine.pk), {"done": "1"}).status_code == 302
    assert (
        client.post(url("applicant_task_done", caseload.own, pk=not_mine.pk), {"done": "1"}).status_code
        == 403
    )
    assert client.get(url("applicant_task_edit", caseload.own, pk=mine.pk)).status_code == 403


def test_edit_a_task(client_for, caseworker, supervisor, caseload, records):
    path = url("applicant_task_edit", caseload.own, pk=records["task"].pk)
    client = client_for(supervisor)
    assert 'value="Book the interview"' in client.get(path).content.decode()
    response = client.post(
        path, {"task-title": "Book the second interview", "task-due_date": "", "task-assignee": caseworker.pk}
    )
    assert response.status_code == 302
    records["task"].refresh_from_db()
    assert records["task"].title == "Book the second interview" and records["task"].due_date is None


def test_my_tasks_lists_mine_open_first_with_the_overdue_marked(client_for, caseworker, supervisor, caseload):
    own = caseload.own
    overdue = services.task_add(
        by=caseworker, applicant=own, title="Overdue one", due_date=today() - timedelta(days=3)
    )
    upcoming = services.task_add(
        by=caseworker, applicant=own, title="Upcoming one", due_date=today() + timedelta(days=3)
    )
    done = services.task_add(by=caseworker, applicant=own, title="Finished one")
    services.task_complete(by=caseworker, task=done)
    services.task_add(by=caseworker, applicant=own, title="Supervisor's one", assignee=supervisor)
    client = client_for(caseworker)
    response = client.get(url("my_tasks"))
    html = response.content.decode()
    assert [row.task for row in response.context["rows"]] == [overdue, upcoming, done]
    assert "Supervisor's one" not in html
    assert html.count("overdue-task") == 1 and url("applicant_detail", own) in html
    assert 'aria-current="page"' in html and ">My tasks<" in html  # the navigation entry
    assert [row.task for row in client.get(url("my_tasks") + "?done=false").context["rows"]] == [
        overdue,
        upcoming,
    ]
    assert [row.task for row in client.get(url("my_tasks") + "?done=true").context["rows"]] == [done]
    # Ticked from the list: the list comes back in place, with its filter.
    html = client.post(
        url("applicant_task_done", own, pk=upcoming.pk),
        {"done": "1", "from": "my_tasks", "query": "done=false"},
        **HTMX,
    ).content.decode()
    assert html.startswith('<div id="my-tasks">') and "Upcoming one" not in html and "Overdue one" in html


@pytest.mark.parametrize("role", ["supervisor", "administrator"])
def test_my_tasks_answers_every_staff_role(client_for, request, role):
    response = client_for(request.getfixturevalue(role)).get(url("my_tasks"))
    assert response.status_code == 200 and "No task assigned to you." in response.content.decode()


# --- Documents -----------------------------------------------------------------------------------------


def test_upload_without_javascript_and_download_it(client_for, caseworker, caseload):
    client = client_for(caseworker)
    content = tiny_pdf("Designation sheet")
    response = client.post(
        url("applicant_document_add", caseload.own),
        {
            "document-kind": "designation_sheet",
            "document-description": "Current sheet",
            "document-file": SimpleUploadedFile("sheet.pdf", content, content_type="text/plain"),
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#documents")
    document = Document.objects.get()
    assert document.content_type == "application/pdf"  # sniffed, not what the browser said
    got = download(client, caseload.own, document)
    assert got.status_code == 200 and b"".join(got.streaming_content) == content
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"] == 'attachment; filename="sheet.pdf"'
    assert got["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in got["Cache-Control"] and "private" in got["Cache-Control"]
    entry = AccessLogEntry.objects.get(kind="document_download")
    assert entry.actor == caseworker and entry.applicant_id == caseload.own.pk
    assert entry.object_label == "sheet.pdf" and entry.detail["document"] == document.pk


def test_upload_in_place(client_for, caseworker, caseload):
    response = client_for(caseworker).post(
        url("applicant_document_add", caseload.own),
        {"document-kind": "residence_card", "document-file": png_upload("card.png")},
        **HTMX,
    )
    html = response.content.decode()
    assert (
        html.startswith('<section id="documents"')
        and "card.png" in html
        and "The document is uploaded." in html
    )


BAD_FILES = {
    "disguised": (
        lambda: SimpleUploadedFile("card.pdf", b"#!/bin/sh\nrm -rf /\n"),
        "content is none of them",
    ),
    "empty": (lambda: SimpleUploadedFile("card.pdf", b""), "The file is empty."),
    "11 MB": (
        lambda: SimpleUploadedFile("card.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)),
        "The file is larger than 10 MB.",
    ),
    "none": (lambda: None, "Choose a file to upload."),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_bad_uploads_show_the_message_next_to_the_file_field(client_for, caseworker, caseload, case, htmx):
    make, message = BAD_FILES[case]
    data: dict[str, object] = {"document-kind": "other"}
    upload = make()
    if upload is not None:
        data["document-file"] = upload
    response = client_for(caseworker).post(
        url("applicant_document_add", caseload.own), data, **(HTMX if htmx else {})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    field = html.split('class="field field-file field-invalid"')
    assert len(field) == 2 and message in field[1].split("</div>")[0]
    assert not Document.objects.exists()


def test_a_path_in_the_file_name_never_reaches_the_storage_or_the_name(client_for, caseworker, caseload):
    # Django's upload parser keeps only the last part of a submitted name (both separators) and drops
    # control characters; the service refuses such names when called with any other file object.
    client = client_for(caseworker)
    for name in ("..\\..\\windows\\card.pdf", "C:\\Users\\me\\card.pdf"):
        upload = SimpleUploadedFile(name, tiny_pdf())
        response = client.post(
            url("applicant_document_add", caseload.own), {"document-kind": "other", "document-file": upload}
        )
        assert response.status_code == 302
    assert set(Document.objects.values_list("original_name", flat=True)) == {"card.pdf"}
    assert all("\\" not in d.file.name and ".." not in d.file.name for d in Document.objects.all())


def test_a_replayed_link_gives_another_user_a_404_and_logs_nothing(
    client_for, caseworker, supervisor, caseload, records
):
    link = url("applicant_document_download", caseload.own, pk=records["document"].pk)
    assert client_for(caseworker).get(link).status_code == 200
    for user in (caseload.colleague, caseload.other_caseworker, caseload.other_supervisor):
        assert client_for(user).get(link).status_code == 404
    # The document under another applicant's reference (one the user may see) is not found either.
    shared_link = url("applicant_document_download", caseload.shared, pk=records["document"].pk)
    assert client_for(supervisor).get(shared_link).status_code == 404
    assert downloads_logged(records["document"]) == 1


def test_after_reassignment_the_former_caseworker_gets_a_404(
    client_for, caseworker, supervisor, caseload, records
):
    client = client_for(caseworker)
    link = url("applicant_document_download", caseload.own, pk=records["document"].pk)
    assert client.get(link).status_code == 200
    services.applicants_reassign(
        by=supervisor, applicants=[caseload.own], team=caseload.own.team, caseworker=caseload.colleague
    )
    # Still in the team (the shared caseload lets them read the profile), but documents are own caseload.
    assert client.get(link).status_code == 404
    assert client_for(caseload.colleague).get(link).status_code == 200
    assert downloads_logged(records["document"]) == 2


@pytest.mark.parametrize("role", ["supervisor", "administrator"])
def test_supervisors_and_administrators_download_and_are_logged(client_for, request, caseload, records, role):
    user = request.getfixturevalue(role)
    response = download(client_for(user), caseload.own, records["document"])
    assert response.status_code == 200
    assert AccessLogEntry.objects.get(kind="document_download").actor == user


def test_a_file_missing_from_the_storage_is_a_404_not_a_500(client_for, caseworker, caseload, records):
    document = records["document"]
    document.file.storage.delete(document.file.name)
    assert download(client_for(caseworker), caseload.own, document).status_code == 404
    assert downloads_logged(document) == 0


def test_there_is_no_media_route(client_for, caseworker, records):
    name = records["document"].file.name
    assert client_for(caseworker).get(f"/media/{name}").status_code == 404
    assert client_for(caseworker).get(f"/{name}").status_code == 404


# --- Query counts ----------------------------------------------------------------------------------------


def populate(applicant, *, rows: int, people: list) -> None:
    """`rows` notes (every other confidential), tasks and documents by the given people."""
    for index in range(rows):
        author = people[index % len(people)]
        CaseNoteFactory(applicant=applicant, author=author, confidential=index % 2 == 1)
        TaskFactory(applicant=applicant, assignee=author, created_by=author, done=index % 3 == 0)
        DocumentFactory(applicant=applicant, uploaded_by=author)


def count_queries(client: Client, path: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_the_applicant_page_runs_the_same_queries_with_few_and_many_records(
    client_for, request, caseworker, supervisor, administrator, caseload, role
):
    client = client_for(request.getfixturevalue(role))
    few = caseload.own
    many = ApplicantFactory(team=few.team, caseworker=caseworker, family_name="Many", given_name="Records")
    populate(few, rows=1, people=[caseworker])
    populate(many, rows=15, people=[caseworker, supervisor, administrator])
    for tab, shows in (("notes", 'class="note'), ("documents", "scan-"), ("overview", "Next tasks")):
        path_few = f"{url('applicant_detail', few)}?tab={tab}"
        path_many = f"{url('applicant_detail', many)}?tab={tab}"
        client.get(path_few)
        small, _ = count_queries(client, path_few)
        large, response = count_queries(client, path_many)
        html = response.content.decode()
        assert html.count(shows) >= {"notes": 8, "documents": 15, "overview": 1}[tab], tab
        assert small == large, (tab, small, large)
        print(f"\napplicant page, tab {tab}, queries for {role}: {small} with 1 record, {large} with 15")


def test_my_tasks_runs_the_same_queries_with_few_and_many_tasks(client_for, caseworker, team):
    client = client_for(caseworker)
    applicants = bulk_applicants(10, team=team, caseworker=caseworker)
    for index in range(5):
        TaskFactory(
            applicant=applicants[index], assignee=caseworker, due_date=today() - timedelta(days=index)
        )
    client.get(url("my_tasks"))
    small, first = count_queries(client, url("my_tasks"))
    assert len(first.context["rows"]) == 5
    Task.objects.bulk_create(
        [
            Task(
                applicant=applicants[index % 10],
                title=f"Bulk {index}",
                due_date=today() + timedelta(days=index % 40 - 20),
                assignee=caseworker,
                created_by=caseworker,
            )
            for index in range(95)
        ]
    )
    large, response = count_queries(client, url("my_tasks"))
    assert response.context["page_obj"].paginator.count == 100 and len(response.context["rows"]) == 25
    assert small == large, (small, large)
    print(f"\nmy tasks queries: {small} with 5 tasks, {large} with 100")
