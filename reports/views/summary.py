"""The printable one-page case summary of a person (A4, printed from the browser; the read is logged)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from casework.access import role_required
from casework.audit import log_access
from casework.models import AccessLogEntry
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from reports.selectors.summary import case_summary, summary_applicant

# Who reads applicants (the applicant page's gate); which ones is visible_to's answer.
case_staff = role_required(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)


@case_staff
@require_safe
def applicant_summary(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    applicant = summary_applicant(user=request.user, reference_code=reference_code)
    if applicant is None:
        raise Http404
    summary = case_summary(user=request.user, applicant=applicant, today=timezone.localdate())
    log_access(
        actor=request.user,
        kind=AccessLogEntry.Kind.APPLICANT_VIEW,
        applicant_id=applicant.pk,
        object_label=applicant.reference_code,
        detail={"page": "case summary", "legal": not summary.legal_hidden},
    )
    return render(request, "reports/case_summary.html", {"summary": summary, "applicant": applicant})
