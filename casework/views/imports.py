"""Import pages (issue 18): the imports list, a new import (kind, target, file), and one import's page,
which walks through its steps — sheet, mapping, dry run, duplicates and mode, the run with its progress
bar (htmx polling), the report, the undo.

Who may import what is the importer's `may_import` and the import services' checks; an import is its
maker's page (an administrator's too), anyone else's is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import sheets
from casework.access import role_required
from casework.forms.base import apply_service_error
from casework.forms.imports import ImportMappingForm, ImportSheetForm, ImportStartForm, ImportUploadForm
from casework.models import Import
from casework.roles import Role
from casework.selectors import imports as selectors
from casework.services import imports as services
from casework.services.importers import importer_for, importers_for
from casework.typing import AuthenticatedRequest

ROWS_PAGE_SIZE = 50
importer_roles = role_required(Role.CASEWORKER, Role.SUPERVISOR, Role.TRAINER, Role.ADMINISTRATOR)


def _import(request: AuthenticatedRequest, pk: int) -> Import:
    imp = selectors.import_of(user=request.user, pk=pk)
    if imp is None:
        raise Http404
    return imp


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


@importer_roles
def import_list(request: AuthenticatedRequest) -> HttpResponse:
    importers = importers_for(request.user)
    page = Paginator(selectors.imports_for_list(user=request.user), 25).get_page(request.GET.get("page"))
    labels = {importer.kind: importer.label for importer in importers}
    return render(
        request, "casework/imports/list.html", {"page": page, "importers": importers, "labels": labels}
    )


@importer_roles
def import_new(request: AuthenticatedRequest) -> HttpResponse:
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if not kind:
        return redirect("import_list")  # the kinds to choose from are on the imports page
    importer = importer_for(kind)
    if importer is None or not importer.may_import(request.user):
        raise Http404
    # One place to import into (a caseworker's own team, a trainer's one course): chosen already.
    targets = importer.targets(request.user) if importer.targets is not None else []
    initial = {"target": targets[0][0]} if len(targets) == 1 else {}
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, importer=importer, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            imp = services.import_upload(
                by=request.user,
                kind=importer.kind,
                upload=form.cleaned_data.get("file"),
                target=form.cleaned_data.get("target") or "",
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("import_detail", pk=imp.pk)
    status = 400 if form.errors else 200
    return render(request, "casework/imports/new.html", {"form": form, "importer": importer}, status=status)


def _mapping_form(request: AuthenticatedRequest, imp: Import, data=None) -> ImportMappingForm | None:
    importer = importer_for(imp.kind)
    if importer is None or not imp.headers:
        return None
    labels, proposed = services.status_proposals(by=request.user, imp=imp)
    return ImportMappingForm(data, importer=importer, imp=imp, labels=labels, proposed_statuses=proposed)


def _page(
    request: AuthenticatedRequest, imp: Import, *, forms: dict | None = None, status: int = 200
) -> HttpResponse:
    importer = importer_for(imp.kind)
    forms = forms or {}
    context: dict = {
        "imp": imp,
        "importer": importer,
        "is_mine": imp.created_by_id == request.user.pk,
        "earlier": selectors.earlier_imports_of_file(imp=imp),
        "may_undo": services.may_undo(request.user, imp),
        "encoding": sheets.encoding_label(imp.encoding) if imp.encoding else "",
    }
    if context["is_mine"] and imp.status in (
        Import.Status.UPLOADED,
        Import.Status.CHECKED,
        Import.Status.FAILED,
    ):
        if len(imp.sheets) > 1:
            context["sheet_form"] = forms.get("sheet") or ImportSheetForm(imp=imp)
        context["mapping_form"] = forms.get("mapping") or _mapping_form(request, imp)
        if context["mapping_form"] is not None and importer is not None:
            # The mapping form's column selects, in the importer's order of fields.
            context["column_fields"] = context["mapping_form"].column_fields()
    if (
        imp.status in (Import.Status.CHECKED, Import.Status.DONE, Import.Status.FAILED, Import.Status.UNDONE)
        and imp.checked_at
    ):
        show = request.GET.get("show", "")
        rows = Paginator(selectors.import_rows(imp=imp, show=show), ROWS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(rows=rows, show=show, filters=selectors.ROW_FILTERS)
    if imp.status == Import.Status.CHECKED and context["is_mine"]:
        context["start_form"] = forms.get("start") or ImportStartForm(
            initial={"mode": Import.Mode.ALL_OR_NOTHING if not imp.rows_error else Import.Mode.VALID_ONLY}
        )
        context["decisions"] = (
            [(value, _decision_label(value)) for value in importer.decisions] if importer else []
        )
    context["errors"] = forms.get("errors", [])
    return render(request, "casework/imports/detail.html", context, status=status)


def _decision_label(value: str) -> str:
    return {"skip": _("Skip"), "create": _("Create anyway"), "update": _("Update the existing record")}.get(
        value, value
    )


@importer_roles
def import_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _page(request, _import(request, pk))


@importer_roles
def import_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The progress card alone, polled by htmx every 2 seconds while a dry run or import runs."""
    imp = _import(request, pk)
    response = render(request, "casework/imports/_progress.html", {"imp": imp})
    if not imp.is_running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # the step is over: the whole page shows what comes next
    return response


def _step(request: AuthenticatedRequest, pk: int, action, *, form_key: str | None = None, form=None):
    imp = _import(request, pk)
    try:
        action(imp)
    except PermissionDenied:
        raise
    except ValidationError as error:
        if form is not None:
            apply_service_error(form, error)
            return _page(request, imp, forms={form_key: form}, status=400)
        return _page(request, imp, forms={"errors": _error_messages(error)}, status=400)
    return redirect("import_detail", pk=imp.pk)


@importer_roles
@require_POST
def import_sheet(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    form = ImportSheetForm(request.POST, imp=imp)
    if not form.is_valid():
        return _page(request, imp, forms={"sheet": form}, status=400)
    return _step(
        request,
        pk,
        lambda i: services.import_choose_sheet(by=request.user, imp=i, sheet=form.cleaned_data["sheet"]),
        form_key="sheet",
        form=form,
    )


@importer_roles
@require_POST
def import_mapping(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    form = _mapping_form(request, imp, request.POST)
    importer = importer_for(imp.kind)
    if form is None or importer is None:
        return _page(request, imp, forms={"errors": [_("Choose the sheet first.")]}, status=400)
    if not form.is_valid():
        return _page(request, imp, forms={"mapping": form}, status=400)

    def save_and_check(i: Import) -> None:
        before = (i.mapping.get("columns") or {}).get(importer.status_field or "")
        saved = services.import_map(by=request.user, imp=i, columns=form.columns(), statuses=form.statuses())
        after = saved.mapping["columns"].get(importer.status_field or "")
        if importer.status_field and after and after != before:
            return  # a new status column: its labels are shown to be mapped before the dry run
        services.import_check_start(by=request.user, imp=saved)

    return _step(request, pk, save_and_check, form_key="mapping", form=form)


@importer_roles
@require_POST
def import_check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, lambda i: services.import_check_start(by=request.user, imp=i))


@importer_roles
@require_POST
def import_decisions(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decisions: dict[int, str] = {}
    for name in request.POST:
        if name.startswith("decision-"):
            try:
                decisions[int(name.removeprefix("decision-"))] = request.POST.get(name, "")
            except ValueError:
                continue

    def decide(i: Import) -> None:
        changed = services.import_decide(by=request.user, imp=i, decisions=decisions)
        messages.success(request, _("Decisions saved: %(count)d changed.") % {"count": changed})

    return _step(request, pk, decide)


@importer_roles
@require_POST
def import_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    imp = _import(request, pk)
    form = ImportStartForm(request.POST)
    if not form.is_valid():
        return _page(request, imp, forms={"start": form}, status=400)
    return _step(
        request,
        pk,
        lambda i: services.import_start(by=request.user, imp=i, mode=form.cleaned_data["mode"]),
        form_key="start",
        form=form,
    )


@importer_roles
@require_POST
def import_undo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def undo(i: Import) -> None:
        services.import_undo(by=request.user, imp=i)
        messages.success(request, _("The import was undone: what it created was removed."))

    return _step(request, pk, undo)
