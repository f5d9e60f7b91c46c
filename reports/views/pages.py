"""Report pages: the index of the reports a user may read, and one page per report (filters, chart, table)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from casework.access import role_required
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from reports.selectors.catalogue import REPORTS, reports_for
from reports.ui.pages import report_page

# Employer users have the partner impact page instead: every report page refuses them.
report_readers = role_required(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER)


@report_readers
def report_index(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "reports/index.html", {"reports": reports_for(request.user)})


@report_readers
def report_detail(request: AuthenticatedRequest, key: str) -> HttpResponse:
    spec = REPORTS.get(key)
    if spec is None:
        raise Http404
    if not spec.readable_by(request.user):
        raise PermissionDenied
    # Bad filters: the form says which field and why, and the page shows no data (like the lists' filters).
    page = report_page(user=request.user, spec=spec, data=request.GET)
    return render(request, "reports/detail.html", {"page": page, "reports": reports_for(request.user)})
