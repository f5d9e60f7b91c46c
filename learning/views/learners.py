"""Learner pages: what a trainer (and staff) may know of a learner, recording a result, certificates.

A trainer reaches a learner only through their own courses and sees name and language data, nothing of
the case (no legal status, procedure, notes, contact, other documents). Staff reach the people whose
learning data they may see (own caseload, led teams, administrators). Anyone else: 404.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from casework.audit import log_access
from casework.models import AccessLogEntry, Applicant
from casework.typing import AuthenticatedRequest
from learning import services
from learning.ui.learners import learner_overview
from learning.views.base import learner_of, learning_staff


@learning_staff
def learner_detail(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    applicant = learner_of(request, reference_code)
    log_access(
        actor=request.user,
        kind=AccessLogEntry.Kind.APPLICANT_VIEW,
        applicant_id=applicant.pk,
        object_label=applicant.reference_code,
        detail={"via": "page", "page": "learner"},
    )
    overview = learner_overview(user=request.user, applicant=applicant)
    editable = services.assessment_editable(request.user, applicant)
    return render(
        request,
        "learning/learner_detail.html",
        {
            "applicant": applicant,
            "learning": overview,
            "can_record_assessment": editable,
            "can_change_assessments": editable,
            "can_open_case": Applicant.objects.visible_to(request.user).filter(pk=applicant.pk).exists(),
        },
    )
