"""Filters of consents and sensitive records, shared by pages and API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from casework import selectors
from casework.models.consent import Consent, ConsentPurpose, SensitiveRecord


class ConsentFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    purpose = django_filters.ChoiceFilter(choices=ConsentPurpose.choices, label=_("Purpose"))
    employer_ref = django_filters.CharFilter(label=_("Employer reference"))
    current_on = django_filters.DateFilter(method="filter_current_on", label=_("Current on"))

    class Meta:
        model = Consent
        fields = ["applicant", "purpose", "employer_ref"]

    def filter_current_on(self, queryset, name, value):
        return queryset.filter(selectors.current_consent_condition(value))


class SensitiveRecordFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    category = django_filters.ChoiceFilter(choices=SensitiveRecord.Category.choices, label=_("Category"))

    class Meta:
        model = SensitiveRecord
        fields = ["applicant", "category"]
