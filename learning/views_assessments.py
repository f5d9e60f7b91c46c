"""Correcting and deleting a recorded language result (a mistyped score, a result entered twice).

Who: whoever may record results for the person (services.assessment_editable: their caseworker, the
team's supervisors, administrators, the trainers of their courses). A result the user cannot see is a
404; one they see but may not change a 403 (the service's PermissionDenied); employer users 403 by role.
"""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.typing import AuthenticatedRequest
from learning import services
from learning.forms_learners import AssessmentCorrectionForm
from learning.models import Assessment, Course
from learning.views_learners import _assessment_courses, _safe_next, learning_staff


def _assessment(request: AuthenticatedRequest, pk: int) -> Assessment:
    """The result, if the user may see it (404 otherwise) and change it (403 otherwise)."""
    assessment = get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related("applicant", "course"), pk=pk
    )
    if not services.assessment_editable(request.user, assessment.applicant):
        raise PermissionDenied
    return assessment


def _back(request: AuthenticatedRequest, assessment: Assessment) -> str:
    learner_url = reverse(
        "learning:learner_detail", kwargs={"reference_code": assessment.applicant.reference_code}
    )
    return _safe_next(request, learner_url)


def _courses(request: AuthenticatedRequest, assessment: Assessment) -> QuerySet[Course]:
    """The person's courses the user can see, and the result's own course (it may be kept)."""
    choices = _assessment_courses(request.user, assessment.applicant)
    if assessment.course_id is None:
        return choices
    return Course.objects.filter(Q(pk__in=choices.values("pk")) | Q(pk=assessment.course_id)).order_by(
        "-starts_on", "name"
    )


@learning_staff
def assessment_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    next_url = _back(request, assessment)
    courses = _courses(request, assessment)
    if request.method == "POST":
        form = AssessmentCorrectionForm(request.POST, courses=courses)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.assessment_update(
                    by=request.user,
                    assessment=assessment,
                    data={
                        "framework": data["framework"],
                        "level": data["level"],
                        "score": data["score"],
                        "skill_scores": form.skill_scores(),
                        "assessed_on": data["assessed_on"],
                        "course": data["course"],
                        "notes": data["notes"],
                    },
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The test result is corrected."))
                return HttpResponseRedirect(next_url)
    else:
        form = AssessmentCorrectionForm(
            courses=courses, initial=AssessmentCorrectionForm.initial_for(assessment)
        )
    return render(
        request,
        "learning/assessment_form.html",
        {
            "applicant": assessment.applicant,
            "assessment": assessment,
            "form": form,
            "next_url": next_url,
        },
    )


@learning_staff
def assessment_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    next_url = _back(request, assessment)
    if request.method == "POST":
        with suppress(ValidationError):  # deleted meanwhile by someone else: it is gone either way
            services.assessment_delete(by=request.user, assessment=assessment)
        messages.success(request, _("The test result is deleted."))
        return HttpResponseRedirect(next_url)
    return render(
        request,
        "learning/assessment_delete.html",
        {"applicant": assessment.applicant, "assessment": assessment, "next_url": next_url},
    )
