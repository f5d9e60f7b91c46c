"""Course pages for staff and trainers: the course list (and, as they are built, the course page)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from casework.access import role_required
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from learning import selectors
from learning.filtersets import CourseFilterSet

PAGE_SIZE = 25
# Everyone who works with courses; employer partners have no course pages (access matrix).
learning_staff = role_required(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER)


@learning_staff
def course_list(request: AuthenticatedRequest) -> HttpResponse:
    base = selectors.courses_visible(user=request.user)
    filterset = CourseFilterSet(request.GET, queryset=base, request=request)
    filterset.form.label_suffix = ""
    queryset = filterset.qs if filterset.is_valid() else base.none()
    page = Paginator(queryset.prefetch_related("trainers"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/course_list.html",
        {"page": page, "filter_form": filterset.form, "is_trainer": request.user.has_role(Role.TRAINER)},
    )
