"""Forms of the notes, tasks and documents sections, and of the break-glass view.

As on the applicant pages, forms check the shape of the input only; the services judge the values
(an empty note, a task for someone who cannot see the case, a file that is not a PDF, JPEG or PNG) and
their messages land next to the fields through `apply_service_error`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework import selectors
from casework.forms.base import TobiraForm, date_field
from casework.models import Applicant, CaseNote, Document, User

ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
BREAK_GLASS_REASON_MIN = 10


class NoteForm(TobiraForm):
    # Presence is the service's question (the same message in the UI and the API).
    text = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3, "required": True})
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        help_text=CaseNote._meta.get_field("confidential").help_text,
    )

    @classmethod
    def initial_for(cls, note: CaseNote) -> dict[str, Any]:
        return {"text": note.text, "confidential": note.confidential}


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return str(obj)


class TaskForm(TobiraForm):
    title = forms.CharField(
        label=_("Task"), max_length=200, required=False, widget=forms.TextInput(attrs={"required": True})
    )
    due_date = date_field(_("Due"))
    assignee = AssigneeChoiceField(
        label=_("Assignee"),
        queryset=User.objects.none(),
        required=False,
        empty_label=None,
        help_text=_("Its caseworker, a supervisor of its team or an administrator."),
    )

    def __init__(self, *args: Any, applicant: Applicant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.task_assignees(applicant=applicant)  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, task) -> dict[str, Any]:
        return {"title": task.title, "due_date": task.due_date, "assignee": task.assignee_id}


class DocumentForm(TobiraForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Document.Kind.choices], required=False)
    # allow_empty_file: an empty file reaches the service, which says so (as it does for the API).
    file = forms.FileField(
        label=_("File"),
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILES, "required": True}),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class BreakGlassForm(TobiraForm):
    reason = forms.CharField(
        label=_("Why do you need to read this confidential note?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your reason, your name and the time are recorded in the access log."),
        error_messages={"required": _("Give the reason for reading this note.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < BREAK_GLASS_REASON_MIN:
            raise forms.ValidationError(
                _("Say why in a few words (at least %(min)d characters): it is recorded in the access log.")
                % {"min": BREAK_GLASS_REASON_MIN}
            )
        return reason
