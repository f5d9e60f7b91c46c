"""Filters of courses and sessions, shared by the course list and the API."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.models import (
    Course,
    CourseFormat,
    CourseKind,
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
