"""Language results: recording one (with a certificate), downloading a certificate, correcting and deleting.

Who: whoever may record results for the person (services.assessment_editable: their caseworker, the
team's supervisors, administrators, the trainers of their courses). A result the user cannot see is a
404; one they see but may not change a 403 (the service's PermissionDenied); employer users 403 by role.
"""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.downloads import document_download_response
from casework.models import Applicant
from casework.typing import AuthenticatedRequest
from learning import services
from learning.forms.assessments import AssessmentCorrectionForm, AssessmentForm
from learning.models import Assessment, Course
from learning.views.base import learner_of, learning_staff, safe_next


def _assessment_courses(user, applicant: Applicant) -> QuerySet[Course]:
    """The courses a result may belong to: those of the person the user can see."""
    return (
        Course.objects.visible_to(user)
        .filter(pk__in=applicant.enrollments.values("course_id"))
        .order_by("-starts_on", "name")
    )


@learning_staff
def assessment_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    applicant = learner_of(request, reference_code)
    if not services.assessment_editable(request.user, applicant):
        raise PermissionDenied
    learner_url = reverse("learning:learner_detail", kwargs={"reference_code": applicant.reference_code})
    next_url = safe_next(request, learner_url)
    courses = _assessment_courses(request.user, applicant)
    if request.method == "POST":
        form = AssessmentForm(request.POST, request.FILES, courses=courses)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.assessment_record(
                    by=request.user,
                    applicant=applicant,
                    framework=data["framework"],
                    assessed_on=data["assessed_on"],
                    level=data["level"],
                    score=data["score"],
                    skill_scores=form.skill_scores(),
                    course=data["course"],
                    certificate=data["certificate"],
                    notes=data["notes"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The test result is recorded."))
                return HttpResponseRedirect(next_url)
    else:
        form = AssessmentForm(courses=courses, initial={"framework": "jft_basic"})
    return render(
        request,
        "learning/assessment_form.html",
        {"applicant": applicant, "form": form, "next_url": next_url},
    )


@learning_staff
def assessment_certificate(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A result's certificate, for whoever may see the result (the way trainers reach certificates)."""
    assessment = get_object_or_404(
        Assessment.objects.visible_to(request.user)
        .filter(certificate__isnull=False)
        .select_related("certificate"),
        pk=pk,
    )
    assert assessment.certificate is not None  # filtered above
    return document_download_response(user=request.user, document=assessment.certificate, through="learning")


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
    return safe_next(request, learner_url)


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
