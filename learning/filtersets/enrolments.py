"""Filters of enrolments, shared by pages and API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from learning.models import (
    Enrollment,
    EnrollmentStatus,
)


class EnrollmentFilterSet(django_filters.FilterSet):
    course = django_filters.NumberFilter(field_name="course_id", label=_("Course"))
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    status = django_filters.ChoiceFilter(
        choices=EnrollmentStatus.choices, label=_("Status"), empty_label=_("Any")
    )

    class Meta:
        model = Enrollment
        fields = ["course", "applicant", "status"]
