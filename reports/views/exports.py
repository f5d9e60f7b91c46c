"""Export pages: start an export of a list (small: the file at once, streamed; large: a background
export and its page), the export's page with its progress bar (htmx polling), its download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from casework.access import role_required
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from reports.models import Export
from reports.selectors.tables import table
from reports.services import exports as services
from reports.services.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

# DESIGN.md's matrix row "reports, exports": staff; employer users none. Each table narrows it further
# to its list page's roles (TableSource.roles) and its rows to visible_to(user).
exporter_required = role_required(Role.CASEWORKER, Role.SUPERVISOR, Role.TRAINER, Role.ADMINISTRATOR)


def _attachment(response: HttpResponse | StreamingHttpResponse | FileResponse, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


@exporter_required
def export_start(request: AuthenticatedRequest, table_key: str) -> HttpResponse:
    """GET /reports/exports/<table>/?format=csv&<the list's filters>."""
    source = table(table_key)
    if source is None:
        raise Http404
    # The first `format` is the export's (the menu puts it first); a list may have a filter of that name
    # too (the course list's in person/online), whose value follows.
    params = request.GET.copy()
    formats = params.getlist("format")
    fmt = formats[0] if formats else "csv"
    params.setlist("format", formats[1:])
    try:
        plan = services.export_plan(by=request.user, table_key=table_key, fmt=fmt, params=params)
    except ValidationError as error:
        return render(
            request,
            "reports/export_invalid.html",
            {"source": source, "errors": _messages(error)},
            status=400,
        )
    if plan.small:
        name = f"{source.key}.{plan.format}"
        if plan.format == "csv":
            stream = services.export_csv_stream(by=request.user, plan=plan, through="page")
            return _attachment(StreamingHttpResponse(stream, content_type=CSV_CONTENT_TYPE), name)
        handle = services.export_xlsx_file(by=request.user, plan=plan, through="page")
        return _attachment(FileResponse(handle, content_type=XLSX_CONTENT_TYPE), name)
    queued = services.export_queue(by=request.user, plan=plan)
    if not queued.created:
        messages.info(request, _("This export is already being written: here is its progress."))
    return redirect("reports:export_detail", pk=queued.export.pk)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, errors in error.message_dict.items() for message in errors]
    return list(error.messages)


def _own_export(request: AuthenticatedRequest, pk: int) -> Export:
    return get_object_or_404(Export.objects.visible_to(request.user), pk=pk)


@exporter_required
def export_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    context: dict = {"export": export, "source": table(export.table)}
    context["downloadable"] = Export.objects.downloadable().filter(pk=export.pk).exists()
    return render(request, "reports/export_detail.html", context)


@exporter_required
def export_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The progress card alone (htmx polls it every 2 seconds until the export is done or failed)."""
    export = _own_export(request, pk)
    downloadable = Export.objects.downloadable().filter(pk=export.pk).exists()
    return render(request, "reports/_export_progress.html", {"export": export, "downloadable": downloadable})


@exporter_required
def export_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The file, for its maker only and for 24 hours: another user's or an expired export is a 404."""
    export = get_object_or_404(Export.objects.visible_to(request.user).downloadable(), pk=pk)
    return export_file_response(export)


def export_file_response(export: Export) -> FileResponse:
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = XLSX_CONTENT_TYPE if export.format == "xlsx" else CSV_CONTENT_TYPE
    return _attachment(FileResponse(handle, content_type=content_type), export.filename)
