"""The anonymised research export: the form (its POST answers the workbook) and the list of releases."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from casework.access import role_required
from casework.forms.base import apply_service_error
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from reports.forms.research import ResearchExportForm
from reports.selectors.research import releases_for_list
from reports.services.research import XLSX_CONTENT_TYPE, research_export_create

research_staff = role_required(Role.SUPERVISOR, Role.ADMINISTRATOR)
PAGE_SIZE = 25


@research_staff
@require_http_methods(["GET", "POST"])
def research_export(request: AuthenticatedRequest) -> HttpResponse:
    """GET: the form. POST: the workbook as a download, or the form with the reason it was refused."""
    form = ResearchExportForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            export = research_export_create(by=request.user, **form.service_arguments())
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            response = HttpResponse(export.content, content_type=XLSX_CONTENT_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "reports/research_export.html", {"form": form})


@research_staff
@require_safe
def research_release_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(releases_for_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/research_release_list.html", {"page": page})
