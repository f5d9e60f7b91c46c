"""Notes, tasks and documents of a case: the applicant page's sections, break-glass, downloads, my tasks.

Like the applicant pages: an applicant outside visible_to() is a 404, a change to a visible but
read-only one a 403; with htmx a form answers its section in place, without JavaScript it redirects
(or shows the form on its own page). Documents are read through Document.objects.visible_to() at the
moment of every download, so a link passed on or kept after a reassignment leads nowhere; each
download and each break-glass reading of a confidential note is written to the access log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import selectors, services
from casework.access import role_required
from casework.audit import log_access
from casework.downloads import document_download_response
from casework.filtersets.records import TaskFilterSet
from casework.forms.base import apply_service_error
from casework.forms.records import BreakGlassForm, DocumentForm, NoteForm, TaskForm
from casework.models import AccessLogEntry, Applicant, CaseNote, Document, Task
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from casework.ui.records import task_row
from casework.views.base import detail_url

PAGE_SIZE = 25


staff_required = role_required(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)


administrator_required = role_required(Role.ADMINISTRATOR)


SECTION_TEMPLATES = {
    "notes": "casework/applicants/sections/notes.html",
    "tasks": "casework/applicants/sections/tasks.html",
    "documents": "casework/applicants/sections/documents.html",
}


def _can_edit(user, applicant: Applicant) -> bool:
    return Applicant.objects.editable_by(user).filter(pk=applicant.pk).exists()


def _visible_applicant(user, reference_code: str) -> Applicant:
    return get_object_or_404(
        Applicant.objects.visible_to(user).select_related("team", "caseworker", "organisation"),
        reference_code=reference_code,
    )


def _detail_url(applicant: Applicant, anchor: str = "") -> str:
    return detail_url(applicant, anchor)  # on the tab that shows the section


def _render_section(
    request: AuthenticatedRequest,
    reference_code: str,
    section: str,
    *,
    bound: dict[str, forms.Form] | None = None,
    notice: str = "",
) -> HttpResponse:
    user = request.user
    applicant = get_object_or_404(selectors.applicant_records_queryset(user), reference_code=reference_code)
    context = {
        "applicant": applicant,
        "can_edit": _can_edit(user, applicant),
        "record_forms": bound or {},
        "notice": notice,
        "today": timezone.localdate(),
    }
    return HttpResponse(render_to_string(SECTION_TEMPLATES[section], context, request=request))


def _add_record(
    request: AuthenticatedRequest,
    reference_code: str,
    *,
    section: str,
    make_form: Callable[[Applicant, QueryDict | None, Any], forms.Form],
    save: Callable[[forms.Form, Applicant], object],
    title: str,
    done: str,
) -> HttpResponse:
    """Add a note, task or document: in place with htmx (the section comes back), or as a plain post."""
    user = request.user
    applicant = _visible_applicant(user, reference_code)
    if not _can_edit(user, applicant):
        raise PermissionDenied
    posted = request.method == "POST"
    form = make_form(applicant, request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            save(form, applicant)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return _render_section(request, reference_code, section, notice=done)
            messages.success(request, done)
            return redirect(_detail_url(applicant, section))
    if request.htmx and posted:  # type: ignore[attr-defined]
        return _render_section(request, reference_code, section, bound={section: form})
    return render(
        request,
        "casework/applicants/records_form.html",
        {"applicant": applicant, "form": form, "title": title, "section": section},
    )


@staff_required
def note_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    return _add_record(
        request,
        reference_code,
        section="notes",
        make_form=lambda applicant, data, files: NoteForm(data, prefix="note"),
        save=lambda form, applicant: services.note_add(
            by=request.user,
            applicant=applicant,
            text=form.cleaned_data["text"],
            confidential=form.cleaned_data["confidential"],
        ),
        title=_("Add a note"),
        done=_("The note is added."),
    )


def _note_of(user, applicant: Applicant, pk: int) -> CaseNote:
    return get_object_or_404(
        CaseNote.objects.visible_to(user).select_related("author"), pk=pk, applicant=applicant
    )


@staff_required
def note_edit(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    """Correct a note: its author only (anyone else who can read it gets 403)."""
    user = request.user
    applicant = _visible_applicant(user, reference_code)
    note = _note_of(user, applicant, pk)
    if note.author_id != user.pk or not _can_edit(user, applicant):
        raise PermissionDenied
    if request.method == "POST":
        form = NoteForm(request.POST, prefix="note")
        if form.is_valid():
            try:
                services.note_update(
                    by=user,
                    note=note,
                    text=form.cleaned_data["text"],
                    confidential=form.cleaned_data["confidential"],
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The note is saved."))
                return redirect(_detail_url(applicant, "notes"))
    else:
        form = NoteForm(prefix="note", initial=NoteForm.initial_for(note))
    return render(
        request,
        "casework/applicants/records_form.html",
        {
            "applicant": applicant,
            "form": form,
            "title": _("Edit your note"),
            "section": "notes",
            "submit": _("Save"),
        },
    )


@administrator_required
def note_break_glass(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    """An administrator reads a confidential note: only after giving a reason, logged every time."""
    user = request.user
    applicant = _visible_applicant(user, reference_code)
    note = get_object_or_404(
        CaseNote.objects.filter(applicant=applicant, confidential=True).select_related("author"), pk=pk
    )
    shown = False
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        log_access(
            actor=user,
            kind=AccessLogEntry.Kind.CONFIDENTIAL_NOTE_VIEW,
            applicant_id=applicant.pk,
            object_label=f"{CaseNote._meta.verbose_name} #{note.pk}",
            detail={"note": note.pk, "reason": form.cleaned_data["reason"]},
        )
        shown = True
    response = render(
        request,
        "casework/applicants/note_break_glass.html",
        {"applicant": applicant, "note": note, "form": form, "shown": shown},
    )
    add_never_cache_headers(response)
    return response


@staff_required
def task_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    return _add_record(
        request,
        reference_code,
        section="tasks",
        make_form=lambda applicant, data, files: TaskForm(
            data, prefix="task", applicant=applicant, initial={"assignee": request.user.pk}
        ),
        save=lambda form, applicant: services.task_add(
            by=request.user,
            applicant=applicant,
            title=form.cleaned_data["title"],
            due_date=form.cleaned_data["due_date"],
            assignee=form.cleaned_data["assignee"],
        ),
        title=_("Add a task"),
        done=_("The task is added."),
    )


def _task_of(user, applicant: Applicant, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(user).select_related("assignee", "applicant"), pk=pk, applicant=applicant
    )


@staff_required
def task_edit(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    user = request.user
    applicant = _visible_applicant(user, reference_code)
    task = _task_of(user, applicant, pk)
    if not _can_edit(user, applicant):
        raise PermissionDenied
    if request.method == "POST":
        form = TaskForm(request.POST, prefix="task", applicant=applicant)
        if form.is_valid():
            try:
                services.task_update(
                    by=user,
                    task=task,
                    data={
                        "title": form.cleaned_data["title"],
                        "due_date": form.cleaned_data["due_date"],
                        "assignee": form.cleaned_data["assignee"],
                    },
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("The task is saved."))
                return redirect(_detail_url(applicant, "tasks"))
    else:
        form = TaskForm(prefix="task", applicant=applicant, initial=TaskForm.initial_for(task))
    return render(
        request,
        "casework/applicants/records_form.html",
        {
            "applicant": applicant,
            "form": form,
            "title": _("Edit the task"),
            "section": "tasks",
            "submit": _("Save"),
        },
    )


def _safe_next(request: AuthenticatedRequest, fallback: str) -> str:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


@staff_required
@require_POST
def task_done(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    """Tick a task done (done=1) or open it again (done=0): its assignee or anyone who may change the case."""
    user = request.user
    applicant = _visible_applicant(user, reference_code)
    task = _task_of(user, applicant, pk)
    if request.POST.get("done") == "1":
        services.task_complete(by=user, task=task)
        notice = _("The task is done.")
    else:
        services.task_reopen(by=user, task=task)
        notice = _("The task is open again.")
    if request.htmx:  # type: ignore[attr-defined]
        if request.POST.get("from") == "my_tasks":
            params = QueryDict(request.POST.get("query", ""))
            return _render_my_tasks(request, params, partial=True, notice=notice)
        return _render_section(request, reference_code, "tasks", notice=notice)
    messages.success(request, notice)
    return redirect(_safe_next(request, _detail_url(applicant, "tasks")))


@staff_required
def document_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    return _add_record(
        request,
        reference_code,
        section="documents",
        make_form=lambda applicant, data, files: DocumentForm(data, files, prefix="document"),
        save=lambda form, applicant: services.document_upload(
            by=request.user,
            applicant=applicant,
            upload=form.cleaned_data["file"] or None,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
        ),
        title=_("Upload a document"),
        done=_("The document is uploaded."),
    )


@staff_required
def document_download(request: AuthenticatedRequest, reference_code: str, pk: int) -> FileResponse:
    """The file, to those who may see it at this moment; never cached, never shown inline."""
    user = request.user
    applicant = _visible_applicant(user, reference_code)
    document = get_object_or_404(Document.objects.visible_to(user), pk=pk, applicant=applicant)
    return document_download_response(user=user, document=document, through="web")


@staff_required
def my_tasks(request: AuthenticatedRequest) -> HttpResponse:
    return _render_my_tasks(request, request.GET, partial=False)


def _render_my_tasks(
    request: AuthenticatedRequest, params: QueryDict, *, partial: bool, notice: str = ""
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    filterset = TaskFilterSet(params, queryset=selectors.tasks_assigned_to(user=user), request=request)
    filterset.form.label_suffix = ""
    filterset.form.fields["done"].widget = forms.Select(
        choices=[("", _("All")), ("false", _("Open")), ("true", _("Done"))]
    )
    queryset = filterset.qs if filterset.is_valid() else Task.objects.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(params.get("page"))
    rows = [task_row(task, user=user, can_edit=False, today=today) for task in page.object_list]
    # Every task listed is the user's own: the assignee may always tick it.
    context = {
        "rows": rows,
        "page_obj": page,
        "filter_form": filterset.form,
        "query": params.urlencode(),
        "today": today,
        "notice": notice,
        "assignment_gap": None if rows else selectors.assignment_gap(user=user),
    }
    template = "casework/tasks/my_tasks_table.html" if partial else "casework/tasks/my_tasks.html"
    return render(request, template, context)
