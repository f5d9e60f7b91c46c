"""Notes, tasks and documents through their services: who may write, every bad upload, nothing
half-written, a history entry for every change, the selectors, and the demo data."""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from casework import selectors, services
from casework.management.demo_records import tiny_pdf, tiny_png
from casework.models import CaseNote, ChangeRecord, Document, Organisation, Task
from casework.roles import Role
from casework.uploads import MAX_UPLOAD_BYTES, check_upload, sniff_content_type
from tests.casework.applicant_factories import build_caseload
from tests.casework.factories import TeamFactory, UserFactory
from tests.casework.record_factories import (
    JPEG,
    clean_documents,  # noqa: F401 (fixture)
    document_storage,
    jpeg_upload,
    pdf_upload,
    png_upload,
    stored_files,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_documents")]


@pytest.fixture
def caseload(team, other_team, caseworker, supervisor):
    return build_caseload(team=team, other_team=other_team, caseworker=caseworker)


def today():
    return timezone.localdate()


def history(instance) -> list[ChangeRecord]:
    return list(
        ChangeRecord.objects.filter(model=instance._meta.label_lower, object_id=str(instance.pk)).order_by(
            "pk"
        )
    )


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(message) for message in errors] for field, errors in error.message_dict.items()}


def codes(error: ValidationError, field: str) -> set[str]:
    return {item.code for item in error.error_dict[field]}


# --- Notes ---------------------------------------------------------------------------------------------


def test_a_note_is_added_with_its_history(caseload, caseworker):
    note = services.note_add(by=caseworker, applicant=caseload.own, text="  Called the employer.  ")
    assert note.text == "Called the employer." and note.author == caseworker and not note.confidential
    [entry] = history(note)
    assert entry.action == "create" and entry.actor == caseworker and entry.applicant_id == caseload.own.pk
    assert entry.changes["text"] == {"old": None, "new": "Called the employer."}
    assert entry.changes["confidential"] == {"old": None, "new": False}


def test_an_empty_note_is_refused_naming_the_field(caseload, caseworker):
    with pytest.raises(ValidationError) as caught:
        services.note_add(by=caseworker, applicant=caseload.own, text="   ")
    assert field_errors(caught.value) == {"text": ["Write the note."]}
    assert not CaseNote.objects.exists()


@pytest.mark.parametrize("case", ["shared", "foreign"])
def test_no_note_or_task_outside_the_own_caseload(caseload, caseworker, case):
    applicant = getattr(caseload, case)
    with pytest.raises(PermissionDenied):
        services.note_add(by=caseworker, applicant=applicant, text="x")
    with pytest.raises(PermissionDenied):
        services.task_add(by=caseworker, applicant=applicant, title="x")
    with pytest.raises(PermissionDenied):
        services.document_upload(by=caseworker, applicant=applicant, upload=pdf_upload(), kind="other")
    assert not CaseNote.objects.exists() and not Task.objects.exists() and not Document.objects.exists()


def test_supervisors_and_administrators_write_notes_on_the_cases_they_reach(
    caseload, supervisor, administrator
):
    assert services.note_add(by=supervisor, applicant=caseload.own, text="Team lead here.")
    assert services.note_add(by=administrator, applicant=caseload.foreign, text="Admin here.")
    with pytest.raises(PermissionDenied):
        services.note_add(by=supervisor, applicant=caseload.foreign, text="Not my team.")


def test_only_the_author_edits_a_note_and_each_edit_is_in_the_history(caseload, caseworker, supervisor):
    note = services.note_add(by=caseworker, applicant=caseload.own, text="First version")
    with pytest.raises(PermissionDenied):
        services.note_update(by=supervisor, note=note, text="Overwritten by the supervisor")
    updated = services.note_update(by=caseworker, note=note, text="Second version", confidential=True)
    assert updated.text == "Second version" and updated.confidential
    create, update = history(note)
    assert update.action == "update" and update.actor == caseworker
    assert update.changes == {
        "text": {"old": "First version", "new": "Second version"},
        "confidential": {"old": False, "new": True},
    }
    # The label of a confidential record never repeats its text.
    assert "version" not in update.object_label
    with pytest.raises(ValidationError) as caught:
        services.note_update(by=caseworker, note=note, text="")
    assert "text" in caught.value.message_dict


def test_an_author_who_no_longer_has_the_case_cannot_edit_their_note(caseload, caseworker, supervisor):
    note = services.note_add(by=caseworker, applicant=caseload.own, text="Mine")
    services.applicants_reassign(
        by=supervisor, applicants=[caseload.own], team=caseload.own.team, caseworker=caseload.colleague
    )
    caseload.own.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.note_update(by=caseworker, note=note, text="Changed later")


def test_who_reads_a_confidential_note(caseload, caseworker, supervisor, administrator):
    open_note = services.note_add(by=caseworker, applicant=caseload.own, text="Open")
    secret = services.note_add(by=caseworker, applicant=caseload.own, text="Secret", confidential=True)
    readers = {
        "author and caseworker": caseworker,
        "team supervisor": supervisor,
    }
    for who, user in readers.items():
        assert set(CaseNote.objects.visible_to(user)) == {open_note, secret}, who
    # The teammate reads the shared case's open notes only; the administrator through break-glass only.
    assert set(CaseNote.objects.visible_to(caseload.colleague)) == {open_note}
    assert set(CaseNote.objects.visible_to(administrator)) == {open_note}
    assert set(CaseNote.objects.visible_to(caseload.other_supervisor)) == set()
    # A supervisor who writes a confidential note keeps reading it.
    own_secret = services.note_add(by=supervisor, applicant=caseload.shared, text="Lead", confidential=True)
    assert own_secret in CaseNote.objects.visible_to(supervisor)
    assert own_secret in CaseNote.objects.visible_to(caseload.colleague)  # the assigned caseworker


# --- Tasks ---------------------------------------------------------------------------------------------


def test_a_task_goes_to_its_creator_by_default_with_its_history(caseload, caseworker):
    task = services.task_add(
        by=caseworker, applicant=caseload.own, title=" Renew the card ", due_date=today() + timedelta(days=3)
    )
    assert task.assignee == caseworker and task.created_by == caseworker and task.title == "Renew the card"
    [entry] = history(task)
    assert entry.action == "create"
    assert entry.changes["title"]["new"] == "Renew the card"
    assert entry.changes["assignee_id"]["new"] == caseworker.pk


def test_who_can_take_a_task(caseload, caseworker, supervisor, administrator, trainer, make_user):
    own = caseload.own
    for user in (caseworker, supervisor, administrator, caseload.colleague):  # teammate: shared caseload
        task = services.task_add(by=caseworker, applicant=own, title=f"For {user}", assignee=user)
        assert task.assignee == user
    elsewhere = Organisation.objects.create(name="Elsewhere", slug="elsewhere")
    foreigner = UserFactory(
        roles=[Role.ADMINISTRATOR], organisation=elsewhere, team=TeamFactory(organisation=elsewhere)
    )
    gone = make_user(Role.CASEWORKER, team=caseworker.team, is_active=False)
    for user in (caseload.other_caseworker, caseload.other_supervisor, trainer, foreigner, gone):
        with pytest.raises(ValidationError) as caught:
            services.task_add(by=caseworker, applicant=own, title="No", assignee=user)
        assert codes(caught.value, "assignee") == {"not_assignable"}, user
    # The choices the page offers are exactly those the service accepts.
    offered = set(selectors.task_assignees(applicant=own))
    assert offered == {caseworker, supervisor, administrator, caseload.colleague}


@pytest.mark.parametrize(
    ("days", "accepted"),
    [(-1, True), (-200, True), (-400, False), (0, True), (700, True), (365 * 3, False)],
)
def test_due_dates(caseload, caseworker, days, accepted):
    due = today() + timedelta(days=days)
    if accepted:
        # A task may be recorded late (from an overdue reminder); only an obvious typo is refused.
        assert (
            services.task_add(by=caseworker, applicant=caseload.own, title="t", due_date=due).due_date == due
        )
    else:
        with pytest.raises(ValidationError) as caught:
            services.task_add(by=caseworker, applicant=caseload.own, title="t", due_date=due)
        assert list(caught.value.message_dict) == ["due_date"]


def test_a_task_needs_a_title_of_sensible_length(caseload, caseworker):
    for title, message in (("", "Say what is to be done."), ("x" * 201, "at most 200 characters")):
        with pytest.raises(ValidationError) as caught:
            services.task_add(by=caseworker, applicant=caseload.own, title=title)
        assert message in caught.value.message_dict["title"][0]


def test_completing_and_reopening_are_recorded_and_idempotent(caseload, caseworker):
    task = services.task_add(by=caseworker, applicant=caseload.own, title="Call")
    done = services.task_complete(by=caseworker, task=task)
    assert done.done and done.done_at is not None
    services.task_complete(by=caseworker, task=task)  # a second click changes nothing
    reopened = services.task_reopen(by=caseworker, task=task)
    assert not reopened.done and reopened.done_at is None
    actions = [(entry.action, entry.changes.get("done")) for entry in history(task)]
    assert actions == [
        ("create", {"old": None, "new": False}),
        ("update", {"old": False, "new": True}),
        ("update", {"old": True, "new": False}),
    ]


def test_a_teammate_assigned_a_task_on_a_shared_case_may_tick_it_but_nothing_more(caseload, caseworker):
    # caseload.shared belongs to the colleague; caseworker reads it (shared caseload), cannot change it.
    task = services.task_add(
        by=caseload.colleague, applicant=caseload.shared, title="Cover", assignee=caseworker
    )
    other = services.task_add(by=caseload.colleague, applicant=caseload.shared, title="Not yours")
    assert services.task_complete(by=caseworker, task=task).done
    with pytest.raises(PermissionDenied):
        services.task_complete(by=caseworker, task=other)
    with pytest.raises(PermissionDenied):
        services.task_update(by=caseworker, task=task, data={"title": "Renamed"})


def test_task_update_records_old_and_new(caseload, caseworker, supervisor):
    task = services.task_add(by=caseworker, applicant=caseload.own, title="Old", due_date=today())
    services.task_update(
        by=supervisor,
        task=task,
        data={"title": "New", "due_date": today() + timedelta(days=5), "assignee": supervisor},
    )
    entry = history(task)[-1]
    assert entry.actor == supervisor and entry.action == "update"
    assert entry.changes["title"] == {"old": "Old", "new": "New"}
    assert entry.changes["assignee_id"] == {"old": caseworker.pk, "new": supervisor.pk}
    assert set(entry.changes) == {"title", "due_date", "assignee_id"}


def test_an_overdue_due_date_may_stay_when_other_fields_change(caseload, caseworker):
    task = services.task_add(by=caseworker, applicant=caseload.own, title="Late", due_date=today())
    Task.objects.filter(pk=task.pk).update(due_date=today() - timedelta(days=500))
    task.refresh_from_db()
    updated = services.task_update(
        by=caseworker, task=task, data={"title": "Late, still", "due_date": task.due_date}
    )
    assert updated.title == "Late, still"


# --- Documents -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "content_type", "name"),
    [
        (lambda: pdf_upload("Card front.PDF"), "application/pdf", "Card front.PDF"),
        (lambda: png_upload("scan"), "image/png", "scan.png"),
        (lambda: jpeg_upload("photo.jpeg"), "image/jpeg", "photo.jpeg"),
        (lambda: pdf_upload("scan.final"), "application/pdf", "scan.final.pdf"),
        (lambda: pdf_upload('CV "final": v2?.pdf'), "application/pdf", "CV _final__ v2_.pdf"),
    ],
)
def test_a_document_is_stored_under_a_random_name_with_its_checked_type(
    caseload, caseworker, upload, content_type, name
):
    given = upload()
    content = given.read()
    document = services.document_upload(
        by=caseworker, applicant=caseload.own, upload=given, kind="residence_card", description=" front "
    )
    assert document.content_type == content_type and document.original_name == name
    assert document.size == len(content) and document.description == "front"
    assert document.uploaded_by == caseworker
    assert re.fullmatch(rf"applicants/{caseload.own.pk}/[0-9a-f]{{32}}", document.file.name)
    with document.file.open("rb") as stored:
        assert stored.read() == content
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    [entry] = history(document)
    assert entry.action == "create" and entry.changes["original_name"]["new"] == name


def test_documents_have_no_public_url(caseload, caseworker):
    document = services.document_upload(
        by=caseworker, applicant=caseload.own, upload=pdf_upload(), kind="other"
    )
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 - the storage has no base URL


def _eleven_megabytes() -> SimpleUploadedFile:
    return SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))


def _named(name: str, content: bytes = tiny_pdf()) -> SimpleUploadedFile:
    upload = SimpleUploadedFile("placeholder.pdf", content)
    # UploadedFile's setter keeps only the part after the last "/"; a raw name reaches a service that
    # is called with some other file object, so set it as such a caller would.
    upload._name = name
    return upload


BAD_UPLOADS = {
    "disguised: .pdf name, text content": (
        lambda: SimpleUploadedFile("contract.pdf", b"MZ\x90\x00 this is a program"),
        "bad_type",
        "Only PDF, JPEG and PNG files can be uploaded; this file's content is none of them.",
    ),
    "disguised: .pdf name, HTML content": (
        lambda: SimpleUploadedFile("card.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        "bad_type",
        "Only PDF, JPEG and PNG files can be uploaded; this file's content is none of them.",
    ),
    "disguised: .pdf name, PNG content": (
        lambda: SimpleUploadedFile("card.pdf", tiny_png()),
        "disguised",
        "The file is named .pdf but its content is not: only real PDF, JPEG and PNG files can be uploaded.",
    ),
    "disguised: .png name, PDF content": (
        lambda: SimpleUploadedFile("card.png", tiny_pdf()),
        "disguised",
        "The file is named .png but its content is not: only real PDF, JPEG and PNG files can be uploaded.",
    ),
    "empty": (lambda: SimpleUploadedFile("empty.pdf", b""), "empty", "The file is empty."),
    "11 MB": (
        _eleven_megabytes,
        "too_large",
        "The file is larger than 10 MB. Scan at a lower resolution or split it.",
    ),
    "path with slashes": (lambda: _named("../../etc/passwd.pdf"), "unsafe_name", None),
    "path with backslashes": (lambda: _named("..\\..\\windows\\card.pdf"), "unsafe_name", None),
    "Windows path": (lambda: _named("C:\\Users\\me\\card.pdf"), "unsafe_name", None),
    "NUL": (lambda: _named("card\x00.pdf"), "unsafe_name", None),
    "newline": (lambda: _named("card\n.pdf"), "unsafe_name", None),
    "escape sequence": (lambda: _named("card\x1b[31m.pdf"), "unsafe_name", None),
    "C1 control": (lambda: _named("card\x85.pdf"), "unsafe_name", None),
    "right-to-left override": (lambda: _named("invoice\u202efdp.exe.pdf"), "unsafe_name", None),
    "dot-dot": (lambda: _named(".."), "unsafe_name", None),
    "missing": (lambda: None, "required", "Choose a file to upload."),
}
UNSAFE_NAME = "The file name contains a path or control characters. Rename the file and try again."


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_every_bad_upload_is_refused_naming_the_file_field_and_nothing_is_stored(caseload, caseworker, case):
    make, code, message = BAD_UPLOADS[case]
    before = stored_files()
    with pytest.raises(ValidationError) as caught:
        services.document_upload(by=caseworker, applicant=caseload.own, upload=make(), kind="other")
    assert list(caught.value.message_dict) == ["file"]
    assert codes(caught.value, "file") == {code}
    assert caught.value.message_dict["file"] == [message or UNSAFE_NAME]
    assert (
        not Document.objects.exists() and not ChangeRecord.objects.filter(model="casework.document").exists()
    )
    assert stored_files() == before


def test_exactly_ten_megabytes_is_accepted(caseload, caseworker):
    upload = SimpleUploadedFile("ten.pdf", b"%PDF-1.4\n" + b"0" * (MAX_UPLOAD_BYTES - 9))
    assert services.document_upload(
        by=caseworker, applicant=caseload.own, upload=upload, kind="other"
    ).size == (MAX_UPLOAD_BYTES)


def test_kind_and_description_are_checked_before_anything_is_stored(caseload, caseworker):
    before = stored_files()
    with pytest.raises(ValidationError) as caught:
        services.document_upload(
            by=caseworker, applicant=caseload.own, upload=pdf_upload(), kind="passport", description="x" * 301
        )
    assert set(caught.value.message_dict) == {"kind", "description"}
    assert stored_files() == before


def test_when_the_row_cannot_be_written_the_stored_file_is_deleted(caseload, caseworker, monkeypatch):
    before = stored_files()

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("casework.services.records.record_change", broken)
    with pytest.raises(RuntimeError):
        services.document_upload(by=caseworker, applicant=caseload.own, upload=pdf_upload(), kind="other")
    assert stored_files() == before
    assert not Document.objects.exists()


def test_long_names_are_shortened_keeping_the_extension(caseload, caseworker):
    document = services.document_upload(
        by=caseworker, applicant=caseload.own, upload=pdf_upload("a" * 250 + ".pdf"), kind="other"
    )
    assert len(document.original_name) == 150 and document.original_name.endswith("aaa.pdf")


def test_the_sniffer_knows_the_three_kinds_only():
    assert sniff_content_type(tiny_pdf()[:16]) == ("application/pdf", ".pdf")
    assert sniff_content_type(tiny_png()[:16]) == ("image/png", ".png")
    assert sniff_content_type(JPEG[:16]) == ("image/jpeg", ".jpg")
    for other in (b"GIF89a", b"PK\x03\x04", b"", b" %PDF-"):
        assert sniff_content_type(other) is None
    assert check_upload(pdf_upload()).content_type == "application/pdf"


# --- History for every kind of change ---------------------------------------------------------------------


def test_every_note_task_and_document_change_is_in_the_history(caseload, caseworker, supervisor):
    note = services.note_add(by=caseworker, applicant=caseload.own, text="a")
    services.note_update(by=caseworker, note=note, text="b")
    task = services.task_add(by=caseworker, applicant=caseload.own, title="t")
    services.task_update(by=supervisor, task=task, data={"title": "u"})
    services.task_complete(by=caseworker, task=task)
    services.task_reopen(by=supervisor, task=task)
    document = services.document_upload(
        by=caseworker, applicant=caseload.own, upload=pdf_upload(), kind="other"
    )
    rows = ChangeRecord.objects.filter(applicant_id=caseload.own.pk).exclude(model="casework.applicant")
    assert sorted((row.model, row.action, row.actor.username) for row in rows) == sorted(
        [
            ("casework.casenote", "create", "case1"),
            ("casework.casenote", "update", "case1"),
            ("casework.task", "create", "case1"),
            ("casework.task", "update", "super1"),
            ("casework.task", "update", "case1"),
            ("casework.task", "update", "super1"),
            ("casework.document", "create", "case1"),
        ]
    )
    assert all(row.changes for row in rows)
    assert document.pk


# --- Selectors -----------------------------------------------------------------------------------------


def test_my_tasks_are_mine_on_cases_i_can_see_open_first_soonest_first(
    caseload, caseworker, supervisor, administrator
):
    own = caseload.own
    later = services.task_add(
        by=caseworker, applicant=own, title="later", due_date=today() + timedelta(days=9)
    )
    undated = services.task_add(by=caseworker, applicant=own, title="undated")
    soon = services.task_add(by=caseworker, applicant=own, title="soon", due_date=today() - timedelta(days=1))
    done = services.task_add(by=caseworker, applicant=own, title="done", due_date=today() - timedelta(days=9))
    services.task_complete(by=caseworker, task=done)
    services.task_add(by=caseworker, applicant=own, title="the supervisor's", assignee=supervisor)
    assert list(selectors.tasks_assigned_to(user=caseworker)) == [soon, later, undated, done]
    # Reassigned away: the tasks stay assigned, but the case (and its tasks) are out of sight.
    services.applicants_reassign(
        by=administrator, applicants=[own], team=caseload.foreign.team, caseworker=None
    )
    assert list(selectors.tasks_assigned_to(user=caseworker)) == []


# --- Demo data -----------------------------------------------------------------------------------------


def test_the_generated_files_are_valid():
    pdf = tiny_pdf("Check (this)")
    # Every cross-reference entry points at its object.
    xref_at = int(re.search(rb"startxref\n(\d+)", pdf).group(1))
    assert pdf[xref_at:].startswith(b"xref")
    offsets = [int(line[:10]) for line in pdf[xref_at:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    assert pdf.rstrip().endswith(b"%%EOF")
    png = tiny_png(4, 3)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    position = 8
    tags = []
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        tag, data = png[position + 4 : position + 8], png[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", png[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(tag + data) & 0xFFFFFFFF
        tags.append(tag)
        position += 12 + length
    assert tags == [b"IHDR", b"IDAT", b"IEND"]
    assert len(zlib.decompress(png[8 + 12 + 13 + 8 :].split(b"IEND")[0][:-8])) == 3 * (1 + 4 * 3)


def test_seed_demo_adds_notes_tasks_and_generated_documents_once():
    call_command("seed_demo", stdout=StringIO())
    counts = (CaseNote.objects.count(), Task.objects.count(), Document.objects.count())
    assert counts[0] >= 4 and counts[1] >= 6 and counts[2] >= 3
    assert CaseNote.objects.filter(confidential=True).count() == 1
    assert Task.objects.filter(done=False, due_date__lt=today()).count() >= 2  # overdue
    assert Task.objects.filter(done=True).count() >= 1
    assert {"caseworker", "caseworker2", "caseworker3"} <= set(
        Task.objects.values_list("assignee__username", flat=True)
    )
    for document in Document.objects.all():
        with document.file.open("rb") as stored:
            head = stored.read(16)
        assert sniff_content_type(head)[0] == document.content_type
        assert Path(document_storage().path(document.file.name)).stat().st_size == document.size
    assert {"application/pdf", "image/png"} <= set(Document.objects.values_list("content_type", flat=True))
    history_rows = ChangeRecord.objects.count()
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert (CaseNote.objects.count(), Task.objects.count(), Document.objects.count()) == counts
    assert ChangeRecord.objects.count() == history_rows
    assert "Demo records: 0 notes, 0 tasks and 0 documents added." in output.getvalue()
