"""Learner pages: what a trainer (and staff) may know of a learner, recording a result, certificates.

A trainer reaches a learner only through their own courses and sees name and language data, nothing of
the case (no legal status, procedure, notes, contact, other documents). Staff reach the people whose
learning data they may see (own caseload, led teams, administrators). Anyone else: 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from casework.access import role_required
from casework.downloads import document_download_response
from casework.models import Applicant
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from learning import services
from learning.forms_learners import AssessmentForm
from learning.models import Assessment, Course
from learning.panels import learner_overview, learners_visible

# Everyone who works with learners; employer partners have no learner pages (access matrix).
learning_staff = role_required(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER)


def _learner(request: AuthenticatedRequest, reference_code: str) -> Applicant:
    return get_object_or_404(learners_visible(user=request.user), reference_code=reference_code)


def _safe_next(request: AuthenticatedRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@learning_staff
def learner_detail(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    applicant = _learner(request, reference_code)
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


def _assessment_courses(user, applicant: Applicant) -> QuerySet[Course]:
    """The courses a result may belong to: those of the person the user can see."""
    return (
        Course.objects.visible_to(user)
        .filter(pk__in=applicant.enrollments.values("course_id"))
        .order_by("-starts_on", "name")
    )


@learning_staff
def assessment_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    applicant = _learner(request, reference_code)
    if not services.assessment_editable(request.user, applicant):
        raise PermissionDenied
    learner_url = reverse("learning:learner_detail", kwargs={"reference_code": applicant.reference_code})
    next_url = _safe_next(request, learner_url)
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
