"""What the applicant page's notes, tasks and documents sections show, from the prefetched rows.

Used by the sections' template tag (the applicant page includes the sections as they are) and by the
views that answer a section in place; no queries but the assignee choices of the task form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from casework.forms.records import DocumentForm, NoteForm, TaskForm
from casework.models import Applicant, CaseNote, Task
from casework.roles import Role
from casework.typing import AuthenticatedRequest


def _is_administrator(user) -> bool:
    return bool(user.has_role(Role.ADMINISTRATOR) or user.is_superuser)


@dataclass(frozen=True)
class NoteRow:
    note: CaseNote
    editable: bool


@dataclass(frozen=True)
class TaskRow:
    task: Task
    days_left: int | None
    overdue: bool
    can_tick: bool


def task_row(task: Task, *, user, can_edit: bool, today: date) -> TaskRow:
    days_left = (task.due_date - today).days if task.due_date and not task.done else None
    return TaskRow(
        task=task,
        days_left=days_left,
        overdue=days_left is not None and days_left < 0,
        can_tick=can_edit or task.assignee_id == user.pk,
    )


def section_context(
    *, request: AuthenticatedRequest, applicant: Applicant, name: str, can_edit: bool, bound: dict | None
) -> dict[str, Any]:
    """The rows and the add form of one section (notes, tasks or documents) of the applicant page."""
    user = request.user
    bound = bound or {}
    today = timezone.localdate()
    if name == "notes":
        return {
            "rows": [
                NoteRow(note=note, editable=can_edit and note.author_id == user.pk)
                for note in applicant.notes.all()
            ],
            "hidden": getattr(applicant, "confidential_notes_hidden", []),
            "form": (bound.get("notes") or NoteForm(prefix="note")) if can_edit else None,
            "is_administrator": _is_administrator(user),
        }
    if name == "tasks":
        return {
            "rows": [
                task_row(task, user=user, can_edit=can_edit, today=today) for task in applicant.tasks.all()
            ],
            "form": (
                bound.get("tasks")
                or TaskForm(prefix="task", applicant=applicant, initial={"assignee": user.pk})
            )
            if can_edit
            else None,
        }
    if name == "documents":
        # Documents are for the own caseload, the teams one leads and administrators: exactly those
        # who may change the case (a teammate reading a shared case sees none).
        return {
            "rows": list(applicant.documents.all()) if can_edit else [],
            "can_see": can_edit,
            "form": (bound.get("documents") or DocumentForm(prefix="document")) if can_edit else None,
        }
    raise ValueError(name)
