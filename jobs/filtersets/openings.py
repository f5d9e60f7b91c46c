"""Filters of the opening list (page and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from casework import rules as casework_rules
from jobs.models import ContractType, Employer, JobOpening, OpeningStatus, ShiftPattern
from learning.rules import CEFR_CHOICES


def employer_choices(request):
    if request is None or not request.user.is_authenticated:
        return Employer.objects.none()
    return Employer.objects.visible_to(request.user).only("pk", "name").order_by("name")


class JobOpeningFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title"))
    employer = django_filters.ModelChoiceFilter(queryset=employer_choices, label=_("Employer"))
    status = django_filters.ChoiceFilter(choices=OpeningStatus.choices, label=_("Status"))
    prefecture = django_filters.ChoiceFilter(choices=casework_rules.prefecture_choices, label=_("Prefecture"))
    contract_type = django_filters.ChoiceFilter(choices=ContractType.choices, label=_("Contract"))
    shift_pattern = django_filters.ChoiceFilter(choices=ShiftPattern.choices, label=_("Shifts"))
    required_level = django_filters.ChoiceFilter(choices=CEFR_CHOICES, label=_("Level required"))
    starts_after = django_filters.DateFilter(
        field_name="start_date", lookup_expr="gte", label=_("Starts on or after")
    )
    starts_before = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label=_("Starts on or before")
    )

    class Meta:
        model = JobOpening
        fields = ["employer", "status", "prefecture", "contract_type", "shift_pattern", "required_level"]
