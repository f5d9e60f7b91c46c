"""Notes, tasks and documents of a case: every write, each recorded in the change history.

Who may write: those who may change the applicant (`Applicant.objects.editable_by`: own caseload, the
teams one leads, administrators); anyone else gets PermissionDenied (the views and the API answer 404
before calling a service when the applicant is not even visible). A note is changed only by its author.
A task is completed or reopened by its assignee or by anyone who may change the case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import rules
from casework.audit import record_change, snapshot
from casework.models import Applicant, CaseNote, Document, Task, User
from casework.models.records import _document_path
from casework.roles import Role
from casework.uploads import check_upload

NOTE_MAX_LENGTH = 20_000
TASK_FIELDS = ("title", "due_date", "assignee")
# Roles whose holders can be given a task: those who work on cases (trainers and employer users see none).
ASSIGNABLE_ROLES = (Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)
# A task may be recorded late (created from an overdue reminder, or catching up on paperwork), but a
# due date further back than this, or further ahead than the rules allow for any date, is a typo.
TASK_DUE_MAX_DAYS_AGO = 366


def _require_editable(by: User, applicant: Applicant) -> None:
    if not Applicant.objects.editable_by(by).filter(pk=applicant.pk).exists():
        raise PermissionDenied


# --- Notes -----------------------------------------------------------------------------------------------


def _clean_note_text(text: Any) -> str:
    cleaned = str(text or "").strip()
    if not cleaned:
        raise ValidationError({"text": ValidationError(_("Write the note."), code="required")})
    if len(cleaned) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": ValidationError(
                    _("A note can be at most %(max)d characters long; split it into several notes.")
                    % {"max": NOTE_MAX_LENGTH},
                    code="max_length",
                )
            }
        )
    return cleaned


@transaction.atomic
def note_add(*, by: User, applicant: Applicant, text: str, confidential: bool = False) -> CaseNote:
    """Add a note to a case; a confidential one is read only by its author, the assigned caseworker and
    the team's supervisors (administrators through the logged break-glass view)."""
    _require_editable(by, applicant)
    note = CaseNote.objects.create(
        applicant=applicant, author=by, text=_clean_note_text(text), confidential=bool(confidential)
    )
    record_change(actor=by, instance=note, before=None)
    return note


@transaction.atomic
def note_update(
    *, by: User, note: CaseNote, text: str | None = None, confidential: bool | None = None
) -> CaseNote:
    """Correct a note or change its confidential flag: its author only, while they may change the case."""
    if note.author_id != by.pk:
        raise PermissionDenied
    _require_editable(by, note.applicant)
    stored = CaseNote.objects.select_for_update().get(pk=note.pk)
    before = snapshot(stored)
    if text is not None:
        stored.text = _clean_note_text(text)
    if confidential is not None:
        stored.confidential = bool(confidential)
    stored.save()
    record_change(actor=by, instance=stored, before=before)
    return stored


# --- Tasks -----------------------------------------------------------------------------------------------


def may_be_assigned(*, user: User | None, applicant: Applicant) -> bool:
    """An active person who works on cases and can see this applicant (its caseworker, a supervisor of
    its team, an administrator, a teammate when the team's caseload is shared)."""
    if user is None or not user.is_active or user.is_service_account:
        return False
    if user.organisation_id != applicant.organisation_id:
        return False
    if not (user.has_role(*ASSIGNABLE_ROLES) or user.is_superuser):
        return False
    return Applicant.objects.visible_to(user).filter(pk=applicant.pk).exists()


def _assignee_error() -> ValidationError:
    return ValidationError(
        {
            "assignee": ValidationError(
                _(
                    "This person cannot take the task: choose someone who works on this case (its "
                    "caseworker, a supervisor of its team or an administrator)."
                ),
                code="not_assignable",
            )
        }
    )


def _clean_task(data: dict[str, Any], *, applicant: Applicant, today: date, due_changed: bool) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {key: data[key] for key in TASK_FIELDS if key in data}
    title = cleaned.get("title")
    title = title.strip() if isinstance(title, str) else ""
    max_title = Task._meta.get_field("title").max_length or 200
    if not title:
        errors.setdefault("title", []).append(_("Say what is to be done."))
    elif len(title) > max_title:
        errors.setdefault("title", []).append(
            _("The title can be at most %(max)d characters long; put the details in a note.")
            % {"max": max_title}
        )
    cleaned["title"] = title
    due = cleaned.get("due_date")
    if due is not None and due_changed:
        if (today - due).days > TASK_DUE_MAX_DAYS_AGO:
            errors.setdefault("due_date", []).append(
                _("The due date is more than a year ago: check the year.")
            )
        elif due > rules.add_months(today, 12 * rules.PERIOD_START_MAX_YEARS_AHEAD):
            errors.setdefault("due_date", []).append(
                _("The due date is more than %(years)d years ahead: check the year.")
                % {"years": rules.PERIOD_START_MAX_YEARS_AHEAD}
            )
    if errors:
        raise ValidationError(errors)
    if "assignee" in cleaned and not may_be_assigned(user=cleaned["assignee"], applicant=applicant):
        raise _assignee_error()
    return cleaned


@transaction.atomic
def task_add(
    *,
    by: User,
    applicant: Applicant,
    title: str,
    due_date: date | None = None,
    assignee: User | None = None,
) -> Task:
    """A task on a case for someone who works on it (by default the person creating it)."""
    _require_editable(by, applicant)
    data = {"title": title, "due_date": due_date, "assignee": assignee or by}
    cleaned = _clean_task(data, applicant=applicant, today=timezone.localdate(), due_changed=True)
    task = Task.objects.create(applicant=applicant, created_by=by, **cleaned)
    record_change(actor=by, instance=task, before=None)
    return task


@transaction.atomic
def task_update(*, by: User, task: Task, data: dict[str, Any]) -> Task:
    """Change the title, due date or assignee (those who may change the case)."""
    _require_editable(by, task.applicant)
    stored = Task.objects.select_for_update().select_related("assignee").get(pk=task.pk)
    before = snapshot(stored)
    merged = {"title": stored.title, "due_date": stored.due_date, **data}
    if "assignee" in data and data["assignee"] is None:
        merged["assignee"] = stored.assignee
    due_changed = "due_date" in data and data["due_date"] != stored.due_date
    cleaned = _clean_task(
        merged, applicant=task.applicant, today=timezone.localdate(), due_changed=due_changed
    )
    for key, value in cleaned.items():
        setattr(stored, key, value)
    stored.save()
    record_change(actor=by, instance=stored, before=before)
    return stored


def _require_may_tick(by: User, task: Task) -> None:
    if task.assignee_id == by.pk and Applicant.objects.visible_to(by).filter(pk=task.applicant_id).exists():
        return
    _require_editable(by, task.applicant)


@transaction.atomic
def task_complete(*, by: User, task: Task) -> Task:
    """Mark a task done (its assignee, or anyone who may change the case); done twice is done once."""
    _require_may_tick(by, task)
    stored = Task.objects.select_for_update().get(pk=task.pk)
    if stored.done:
        return stored
    before = snapshot(stored)
    stored.done, stored.done_at = True, timezone.now()
    stored.save(update_fields=["done", "done_at"])
    record_change(actor=by, instance=stored, before=before)
    return stored


@transaction.atomic
def task_reopen(*, by: User, task: Task) -> Task:
    _require_may_tick(by, task)
    stored = Task.objects.select_for_update().get(pk=task.pk)
    if not stored.done:
        return stored
    before = snapshot(stored)
    stored.done, stored.done_at = False, None
    stored.save(update_fields=["done", "done_at"])
    record_change(actor=by, instance=stored, before=before)
    return stored


# --- Documents -------------------------------------------------------------------------------------------


def _clean_document(kind: Any, description: Any) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if kind not in Document.Kind.values:
        errors.setdefault("kind", []).append(_("Choose what kind of document this is."))
    text = str(description or "").strip()
    max_description = Document._meta.get_field("description").max_length or 300
    if len(text) > max_description:
        errors.setdefault("description", []).append(
            _("The description can be at most %(max)d characters long.") % {"max": max_description}
        )
    if errors:
        raise ValidationError(errors)
    return str(kind), text


def document_upload(
    *,
    by: User,
    applicant: Applicant,
    upload: UploadedFile | None,
    kind: str,
    description: str = "",
) -> Document:
    """Store an uploaded PDF, JPEG or PNG (≤ 10 MB, checked by content) as a document of the case.

    Nothing is half-written: the file is stored first under a random name, then the row is written in
    a transaction; if the row cannot be written, the stored file is deleted again. Call it as the last
    write of a transaction (Django has no hook for a rollback after it returned).
    """
    _require_editable(by, applicant)
    return document_store(by=by, applicant=applicant, upload=upload, kind=kind, description=description)


def document_store(
    *, by: User, applicant: Applicant, upload: UploadedFile | None, kind: str, description: str = ""
) -> Document:
    """document_upload without its access check, for another app that checked access its own way
    (learning: a trainer stores a learner's certificate). Same checks of the file, same history."""
    kind, description = _clean_document(kind, description)
    checked = check_upload(upload)
    assert upload is not None  # check_upload refuses a missing file
    # The field's storage (storages["documents"]), the one downloads read from.
    storage = Document._meta.get_field("file").storage  # type: ignore[attr-defined]
    document = Document(
        applicant=applicant,
        kind=kind,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description,
        uploaded_by=by,
    )
    upload.seek(0)
    stored_name = storage.save(_document_path(document, checked.safe_name), upload)
    try:
        with transaction.atomic():
            document.file = stored_name  # already stored: the field only keeps the name
            document.save()
            record_change(actor=by, instance=document, before=None)
    except BaseException:
        storage.delete(stored_name)
        raise
    return document
