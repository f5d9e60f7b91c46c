"""The applicant page: a header card (names, status, next deadline, people, actions) and seven tabs.

Each tab is a URL of its own (`?tab=legal`, casework/ui/applicant_page.py), rendered server-side so it
works without JavaScript; with htmx the tab links fetch the same URL and get the tab list and the
panel only. Only the shown tab's rows are read (selectors.applicant_page_queryset) and only its
registered panels are computed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from casework import selectors
from casework.audit import log_access
from casework.models import AccessLogEntry, Applicant
from casework.typing import AuthenticatedRequest
from casework.ui import panels
from casework.ui.applicant_page import TAB_LABELS, tab_from, tab_links
from casework.ui.records import task_row
from casework.views import audit as audit_views
from casework.views import consent as consent_views
from casework.views.base import may_edit, may_reassign, staff_required
from casework.views.legal import detail_context, household_context, summary_context

NEXT_TASKS_SHOWN = 5


def _overview(request: AuthenticatedRequest, applicant: Applicant, *, can_edit: bool) -> dict[str, Any]:
    today = timezone.localdate()
    open_tasks = applicant.open_tasks  # type: ignore[attr-defined]
    return {
        **household_context(request, applicant, can_edit=can_edit),
        **consent_views.applicant_page_context(request, applicant, can_edit=can_edit),
        "next_tasks": [
            task_row(task, user=request.user, can_edit=can_edit, today=today)
            for task in open_tasks[:NEXT_TASKS_SHOWN]
        ],
        "more_open_tasks": max(len(open_tasks) - NEXT_TASKS_SHOWN, 0),
    }


def _tab_context(
    request: AuthenticatedRequest, applicant: Applicant, tab: str, *, can_edit: bool, can_reassign: bool
) -> dict[str, Any]:
    """What one tab shows; nothing of the other tabs is read."""
    if tab == "overview":
        return _overview(request, applicant, can_edit=can_edit)
    if tab == "legal":
        return detail_context(request, applicant) if applicant.__dict__.get("legal_visible") else {}
    if tab == "history":
        return audit_views.applicant_audit_context(
            request, applicant, can_edit=can_edit, can_read_access_log=can_reassign
        )
    return {}  # documents, notes: the sections read their prefetched rows; learning, employment: panels


@staff_required
@require_safe
def applicant_detail(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    user = request.user
    tab = tab_from(request.GET.get("tab"))
    htmx = request.htmx  # type: ignore[attr-defined]
    # A tab link followed with htmx gets the tab list and the panel; a history restore the whole page.
    partial = bool(htmx) and not htmx.history_restore_request
    applicant = get_object_or_404(
        selectors.applicant_page_queryset(user, tab=tab, header=not partial), reference_code=reference_code
    )
    today = timezone.localdate()
    can_edit = may_edit(user, applicant)
    can_reassign = may_reassign(user, applicant)
    context: dict[str, Any] = {
        "applicant": applicant,
        "today": today,
        "can_edit": can_edit,
        "can_reassign": can_reassign,
        "can_see_legal": applicant.__dict__.get("legal_visible", False),
        "tab": tab,
        "tab_label": TAB_LABELS[tab],
        "tab_links": tab_links(applicant.reference_code, tab),
        "tab_template": f"casework/applicants/tabs/{tab}.html",
    }
    if not partial:
        context.update(summary_context(request, applicant, today=today))
    context.update(_tab_context(request, applicant, tab, can_edit=can_edit, can_reassign=can_reassign))
    context["panels"] = panels.render_panels("applicant", request=request, tab=tab, applicant=applicant)
    detail: dict[str, Any] = {"tab": tab}
    if "page_obj" in context:
        detail["page_number"] = context["page_obj"].number
    log_access(
        actor=user,
        kind=AccessLogEntry.Kind.APPLICANT_VIEW,
        applicant_id=applicant.pk,
        object_label=applicant.reference_code,
        detail=detail,
    )
    template = "casework/applicants/_tabs.html" if partial else "casework/applicants/detail.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
