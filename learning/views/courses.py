"""Course pages for staff and trainers: the course list, a trainer's teaching page, the course page
(roster, sessions, attendance matrix), course and session forms.

Like casework: a course the user cannot read is a 404, a change to a course they may read but not
change (caseworkers, supervisors) a 403. Services judge the values; their messages land next to the
fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework.access import role_required
from casework.forms.base import apply_service_error
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from learning import selectors, services
from learning.filtersets.courses import CourseFilterSet
from learning.forms.courses import CourseForm, SessionCancelForm, SessionForm, SessionPatternForm
from learning.models import Course, Session
from learning.views.base import learning_staff

PAGE_SIZE = 25


# Who writes courses: administrators and trainers (their own, the services decide).
course_authors = role_required(Role.ADMINISTRATOR, Role.TRAINER)


ENROLLING_ROLES = (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER)


@learning_staff
def course_list(request: AuthenticatedRequest) -> HttpResponse:
    base = selectors.courses_visible(user=request.user)
    filterset = CourseFilterSet(request.GET, queryset=base, request=request)
    filterset.form.label_suffix = ""
    queryset = filterset.qs if filterset.is_valid() else base.none()
    page = Paginator(queryset.prefetch_related("trainers"), PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "learning/course_list.html",
        {
            "page": page,
            "filter_form": filterset.form,
            "is_trainer": user.has_role(Role.TRAINER),
            "can_add": user.has_role(Role.ADMINISTRATOR, Role.TRAINER) or user.is_superuser,
        },
    )


@role_required(Role.TRAINER)
def teaching(request: AuthenticatedRequest) -> HttpResponse:
    """A trainer's page: the courses they teach and today's sessions, each a link to its attendance."""
    user = request.user
    return render(
        request,
        "learning/teaching.html",
        {
            "courses": list(selectors.courses_taught(user=user)),
            "sessions": list(selectors.sessions_today(user=user)),
            "today": timezone.localdate(),
        },
    )


def _is_enroller(user: Any) -> bool:
    return user.has_role(*ENROLLING_ROLES) or user.is_superuser


def _course(request: AuthenticatedRequest, pk: int) -> Course:
    course = selectors.course_for_page(user=request.user, pk=pk)
    if course is None:
        raise Http404
    return course


def _can_edit(request: AuthenticatedRequest, course: Course) -> bool:
    return Course.objects.editable_by(request.user).filter(pk=course.pk).exists()


def _editable_course(request: AuthenticatedRequest, pk: int) -> Course:
    """A course the user may change: 404 when they cannot read it, 403 when they only read it."""
    course = get_object_or_404(Course.objects.visible_to(request.user), pk=pk)
    if not _can_edit(request, course):
        raise PermissionDenied
    return course


@learning_staff
def course_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    course = _course(request, pk)
    can_edit = _can_edit(request, course)
    sessions = list(course.sessions.order_by("starts_at", "pk"))
    roster = selectors.course_roster(user=user, course=course)
    learners = [*roster.enrolled, *roster.completed, *roster.dropped]
    matrix = selectors.attendance_matrix(user=user, sessions=sessions, learners=learners)
    is_enroller = _is_enroller(user)
    candidates, more_candidates = (
        selectors.enrol_candidates(user=user, course=course) if is_enroller else ([], False)
    )
    changeable = selectors.enrollment_ids_changeable(user=user, course=course) if is_enroller else set()
    return render(
        request,
        "learning/course_detail.html",
        {
            "course": course,
            "can_edit": can_edit,
            "sessions": sessions,
            "roster": roster,
            "matrix": matrix,
            "is_enroller": is_enroller,
            "candidates": candidates,
            "more_candidates": more_candidates,
            "changeable": changeable,
            "today": timezone.localdate(),
            "shows_everyone": can_edit,
            "here": request.get_full_path(),
        },
    )


def _save_course(form: CourseForm, request: AuthenticatedRequest, course: Course | None) -> Course | None:
    """Create or update through the services in one transaction; None (errors on the form) on failure."""
    user = request.user
    is_admin = "trainers" in form.fields
    try:
        with transaction.atomic():
            if course is None:
                return services.course_create(
                    by=user,
                    data=form.service_data(),
                    trainers=form.cleaned_data.get("trainers") if is_admin else None,
                )
            course = services.course_update(by=user, course=course, data=form.service_data())
            if is_admin:
                services.course_set_trainers(by=user, course=course, trainers=form.cleaned_data["trainers"])
            return course
    except ValidationError as error:
        apply_service_error(form, error)
        return None


@course_authors
@require_http_methods(["GET", "POST"])
def course_add(request: AuthenticatedRequest) -> HttpResponse:
    form = CourseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        course = _save_course(form, request, None)
        if course is not None:
            messages.success(request, _("Course “%(name)s” created.") % {"name": course.name})
            return redirect("learning:course_detail", pk=course.pk)
    return render(request, "learning/course_form.html", {"form": form, "course": None})


@learning_staff
@require_http_methods(["GET", "POST"])
def course_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = _editable_course(request, pk)
    if request.method == "POST":
        form = CourseForm(request.POST, user=request.user)
        if form.is_valid() and _save_course(form, request, course) is not None:
            messages.success(request, _("Course “%(name)s” saved.") % {"name": course.name})
            return redirect("learning:course_detail", pk=course.pk)
    else:
        form = CourseForm(initial=CourseForm.initial_for(course), user=request.user)
    return render(request, "learning/course_form.html", {"form": form, "course": course})


@learning_staff
@require_http_methods(["GET", "POST"])
def session_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = _editable_course(request, pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                by=request.user,
                course=course,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                topic=form.cleaned_data["topic"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            when = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
            messages.success(request, _("Session added on %(when)s.") % {"when": when})
            return redirect("learning:course_detail", pk=course.pk)
    return render(request, "learning/session_form.html", {"form": form, "course": course})


@learning_staff
@require_http_methods(["GET", "POST"])
def sessions_generate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    course = _editable_course(request, pk)
    if request.method == "POST":
        form = SessionPatternForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.sessions_generate(
                    by=request.user,
                    course=course,
                    weekdays=data["weekdays"] or [],
                    start_time=data["start_time"],
                    duration_minutes=data["duration_minutes"],
                    first_day=data["first_day"],
                    last_day=data["last_day"],
                    topic=data["topic"],
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(count)d sessions added to %(course)s.")
                    % {"count": len(made), "course": course.name},
                )
                return redirect("learning:course_detail", pk=course.pk)
    else:
        form = SessionPatternForm(initial={"first_day": course.starts_on, "last_day": course.ends_on})
    return render(request, "learning/session_generate.html", {"form": form, "course": course})


@learning_staff
@require_http_methods(["GET", "POST"])
def session_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.visible_to(request.user).select_related("course"), pk=pk)
    course = session.course
    if not _can_edit(request, course):
        raise PermissionDenied
    back = reverse("learning:course_detail", kwargs={"pk": course.pk}) + "#sessions"
    if session.has_started and not session.cancelled:
        messages.error(
            request,
            _(
                "This session has already begun, so it cannot be cancelled. Correct its time or topic, or its attendance, instead."
            ),
        )
        return redirect(back)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if session.cancelled:
            messages.info(request, _("This session was already cancelled."))
        else:
            try:
                services.session_cancel(by=request.user, session=session, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                when = timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M")
                messages.success(request, _("Session of %(when)s cancelled.") % {"when": when})
        return redirect(back)
    return render(
        request, "learning/session_cancel.html", {"form": form, "session": session, "course": course}
    )
