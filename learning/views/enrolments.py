"""Enrolment: enrol a person in a course (a POST from the course page, the applicant page or the learner
page), drop out with a reason, complete.

The enrol contract other pages rely on: POST `course` (pk), `applicant` (reference code), optional
`next` (a local URL to go back to; by default the course page). Every outcome is a message and a
redirect back, never a 500: the service's message names what is wrong.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.access import role_required
from casework.forms.base import apply_service_error
from casework.models import Applicant
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from learning import services
from learning.forms.enrolments import DropForm, EnrolForm
from learning.models import Course, Enrollment
from learning.views.base import learning_staff

enrollers = role_required(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER)


def _back_to(request: AuthenticatedRequest, default: str) -> str:
    """The `next` the form gave when it is a local URL, else `default`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _message_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@enrollers
@require_POST
def enrol(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = EnrolForm(request.POST)
    course = None
    if form.is_valid():
        course = Course.objects.visible_to(user).filter(pk=form.cleaned_data["course"]).first()
    default = (
        reverse("learning:course_detail", kwargs={"pk": course.pk})
        if course
        else reverse("learning:course_list")
    )
    back = _back_to(request, default)
    if course is None:
        messages.error(request, _("Choose a course to enrol the person in."))
        return redirect(back)
    code = form.cleaned_data["applicant"].strip().upper()
    applicant = Applicant.objects.visible_to(user).filter(reference_code=code).first()
    if applicant is None:
        messages.error(
            request, _("No person with the reference code “%(code)s” in your caseload.") % {"code": code}
        )
        return redirect(back)
    try:
        result = services.enrollment_enrol(by=user, course=course, applicant=applicant)
    except PermissionDenied:
        messages.error(
            request,
            _(
                "You cannot enrol %(name)s: only their caseworker, their team's supervisors and administrators can."
            )
            % {"name": str(applicant)},
        )
    except ValidationError as error:
        messages.error(request, _message_text(error))
    else:
        if result.waitlisted:
            messages.warning(
                request,
                _("%(course)s is full: %(name)s is number %(position)d on the waiting list.")
                % {"course": course.name, "name": str(applicant), "position": result.position or 0},
            )
        else:
            messages.success(
                request,
                _("%(name)s is enrolled in %(course)s.") % {"name": str(applicant), "course": course.name},
            )
    return redirect(back)


def _enrollment(request: AuthenticatedRequest, pk: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.visible_to(request.user).select_related("course", "applicant"), pk=pk
    )


@enrollers
@require_http_methods(["GET", "POST"])
def enrollment_drop(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Ask why the learner is leaving; dropping frees the place for the first on the waiting list."""
    enrollment = _enrollment(request, pk)
    if not Enrollment.objects.enrollable_by(request.user).filter(pk=enrollment.pk).exists():
        raise PermissionDenied
    course_url = reverse("learning:course_detail", kwargs={"pk": enrollment.course_id})
    back = _back_to(request, course_url)
    form = DropForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            promoted = services.enrollment_drop(
                by=request.user, enrollment=enrollment, reason=form.cleaned_data["drop_reason"]
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            values = {"name": str(enrollment.applicant), "course": enrollment.course.name}
            messages.success(request, _("%(name)s has left %(course)s.") % values)
            if promoted is not None:
                promoted_name = str(promoted.applicant)
                messages.info(
                    request,
                    _("%(name)s moved up from the waiting list and is now enrolled.")
                    % {"name": promoted_name},
                )
            return redirect(back)
    return render(
        request,
        "learning/enrollment_drop.html",
        {"form": form, "enrollment": enrollment, "back": back},
    )


@learning_staff
@require_POST
def enrollment_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark the course completed for a learner: their caseworker, the course's trainers, administrators."""
    enrollment = _enrollment(request, pk)
    back = _back_to(request, reverse("learning:course_detail", kwargs={"pk": enrollment.course_id}))
    try:
        services.enrollment_complete(by=request.user, enrollment=enrollment)
    except ValidationError as error:
        messages.error(request, _message_text(error))
    else:
        messages.success(
            request,
            _("%(name)s has completed %(course)s.")
            % {"name": str(enrollment.applicant), "course": enrollment.course.name},
        )
    return redirect(back)
