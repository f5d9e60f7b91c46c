"""Filters of language results, shared by pages and API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from learning.models import (
    Assessment,
    AssessmentFramework,
)
from learning.rules import CEFR_CHOICES


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
