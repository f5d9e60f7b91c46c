"""FilterSets of learning, shared by the pages and the API (one per listable model)."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.models import (
    Assessment,
    AssessmentFramework,
    Attendance,
    AttendanceStatus,
    Course,
    CourseFormat,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from learning.rules import CEFR_CHOICES

COURSE_STATES = [
    ("current", _("Running now")),
    ("upcoming", _("Starting later")),
    ("past", _("Ended")),
]


class CourseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=CourseKind.choices, label=_("Kind"), empty_label=_("Any"))
    format = django_filters.ChoiceFilter(
        choices=CourseFormat.choices, label=_("Format"), empty_label=_("Any")
    )
    target_level = django_filters.ChoiceFilter(
        choices=CEFR_CHOICES, label=_("Target level"), empty_label=_("Any")
    )
    state = django_filters.ChoiceFilter(
        choices=COURSE_STATES, method="filter_state", label=_("Term"), empty_label=_("Any")
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Only courses I teach"))

    class Meta:
        model = Course
        fields = ["q", "kind", "format", "target_level", "state", "mine"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(place__icontains=value))

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "current":
            return queryset.filter(starts_on__lte=today, ends_on__gte=today)
        if value == "upcoming":
            return queryset.filter(starts_on__gt=today)
        if value == "past":
            return queryset.filter(ends_on__lt=today)
        return queryset

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(trainers=self.request.user)


class SessionFilterSet(django_filters.FilterSet):
    course = django_filters.NumberFilter(field_name="course_id", label=_("Course"))
    starts_from = django_filters.DateFilter(field_name="starts_at__date", lookup_expr="gte", label=_("From"))
    starts_to = django_filters.DateFilter(field_name="starts_at__date", lookup_expr="lte", label=_("Until"))
    cancelled = django_filters.BooleanFilter(label=_("Cancelled"))
    within_days = django_filters.NumberFilter(
        method="filter_within_days", label=_("In the next days"), min_value=0, max_value=366
    )

    class Meta:
        model = Session
        fields = ["course", "starts_from", "starts_to", "cancelled"]

    def filter_within_days(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            starts_at__date__gte=today, starts_at__date__lte=today + timedelta(days=int(value))
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


class AssessmentFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    framework = django_filters.ChoiceFilter(
        choices=AssessmentFramework.choices, label=_("Framework"), empty_label=_("Any")
    )
    cefr_level = django_filters.ChoiceFilter(
        choices=CEFR_CHOICES, label=_("CEFR level"), empty_label=_("Any")
    )
    assessed_from = django_filters.DateFilter(field_name="assessed_on", lookup_expr="gte", label=_("From"))
    assessed_to = django_filters.DateFilter(field_name="assessed_on", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = Assessment
        fields = ["applicant", "framework", "cefr_level", "assessed_from", "assessed_to"]
