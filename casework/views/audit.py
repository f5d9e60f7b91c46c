"""Audit pages of a person: the full change history and "who saw this file", plus the applicant page's
history section and access summary (selectors in casework.selectors.audit)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from casework.access import role_required
from casework.audit import log_access
from casework.models import AccessLogEntry, Applicant
from casework.roles import Role
from casework.selectors import audit as audit_selectors
from casework.typing import AuthenticatedRequest

staff_required = role_required(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)
access_log_readers = role_required(Role.SUPERVISOR, Role.ADMINISTRATOR)


def _visible_applicant(user, reference_code: str) -> Applicant:
    return get_object_or_404(
        Applicant.objects.visible_to(user).select_related("team", "caseworker"), reference_code=reference_code
    )


def history_page(request: AuthenticatedRequest, applicant: Applicant) -> dict[str, Any]:
    """One page (`?page=`) of a person's change history, as the history page and the applicant page's
    History tab show it: `page_obj` and its `entries`. Two queries (the count, the page) and what
    present_history needs, whatever the number of changes."""
    page = Paginator(
        audit_selectors.history_of(applicant=applicant), audit_selectors.HISTORY_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    entries = audit_selectors.present_history(page.object_list, user=request.user, applicant=applicant)
    return {"page_obj": page, "entries": entries}


def applicant_audit_context(
    request: AuthenticatedRequest,
    applicant: Applicant,
    *,
    can_edit: bool,
    can_read_access_log: bool | None = None,
) -> dict[str, Any]:
    """The applicant page's History tab: a page of the change history and, for supervisors of the team
    and administrators, the "who saw this file" summary of the last 90 days. A fixed number of queries.

    The page passes what it already knows: ``can_edit`` (editable_by: who reads the history) and
    ``can_read_access_log`` (administrator, or supervisor of the person's team: its "may reassign").
    """
    user = request.user
    if can_read_access_log is None:
        can_read_access_log = audit_selectors.may_see_access_log(user, applicant)
    context: dict[str, Any] = {"history_visible": can_edit, "access_log_visible": False}
    if can_edit:  # may_see_history: the page has already asked editable_by
        context.update(history_page(request, applicant))
    if can_read_access_log:
        days = audit_selectors.ACCESS_LOG_DEFAULT_DAYS
        entries = audit_selectors.access_log_of(
            user=user, applicant=applicant, since=audit_selectors.access_log_since(days)
        )
        summary = audit_selectors.access_log_summary(
            entries, limit=audit_selectors.ACCESS_LOG_SUMMARY_SIZE + 1
        )
        context.update(
            access_log_visible=True,
            access_summary=summary[: audit_selectors.ACCESS_LOG_SUMMARY_SIZE],
            access_summary_more=len(summary) > audit_selectors.ACCESS_LOG_SUMMARY_SIZE,
            access_log_days=days,
        )
    return context


@staff_required
@require_safe
def applicant_history(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    """Every change of a person's records, newest first, 50 a page."""
    user = request.user
    applicant = _visible_applicant(user, reference_code)
    if not audit_selectors.may_see_history(user, applicant):
        raise PermissionDenied
    context = history_page(request, applicant)
    page = context["page_obj"]
    # Past values are part of the person's file: reading them is a read of the file.
    log_access(
        actor=user,
        kind=AccessLogEntry.Kind.APPLICANT_VIEW,
        applicant_id=applicant.pk,
        object_label=applicant.reference_code,
        detail={"page": "history", "page_number": page.number},
    )
    return render(
        request,
        "casework/applicants/history.html",
        {"applicant": applicant, **context},
    )


@access_log_readers
@require_safe
def applicant_access_log(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    """Who saw this person's file: by person and kind of read, then every read, over the last N days."""
    user = request.user
    applicant = _visible_applicant(user, reference_code)
    if not audit_selectors.may_see_access_log(user, applicant):
        raise PermissionDenied
    days = audit_selectors.access_log_days(request.GET.get("days", audit_selectors.ACCESS_LOG_DEFAULT_DAYS))
    since = audit_selectors.access_log_since(days)
    entries = audit_selectors.access_log_of(user=user, applicant=applicant, since=since)
    summary = audit_selectors.access_log_summary(entries)
    page = Paginator(entries, audit_selectors.ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/applicants/access_log.html",
        {
            "applicant": applicant,
            "days": days,
            "since": since,
            "summary": summary,
            "page_obj": page,
            "day_choices": [7, 30, 90, 365, 3650],
        },
    )
