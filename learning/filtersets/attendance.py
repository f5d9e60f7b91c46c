"""Filters of attendance marks, shared by pages and API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from learning.models import (
    Attendance,
    AttendanceStatus,
)


class AttendanceFilterSet(django_filters.FilterSet):
    course = django_filters.NumberFilter(field_name="session__course_id", label=_("Course"))
    session = django_filters.NumberFilter(field_name="session_id", label=_("Session"))
    enrollment = django_filters.NumberFilter(field_name="enrollment_id", label=_("Enrolment"))
    applicant = django_filters.CharFilter(
        field_name="enrollment__applicant__reference_code", label=_("Reference code")
    )
    status = django_filters.ChoiceFilter(choices=AttendanceStatus.choices, label=_("Attendance"))

    class Meta:
        model = Attendance
        fields = ["course", "session", "enrollment", "applicant", "status"]
