"""Filters of legal records (periods, work permissions, reporting, procedures, right-to-work checks), shared
by pages and API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework import rules
from casework.models import (
    LegalStatusPeriod,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    RightToWorkCheck,
    WorkPermission,
)


class LegalStatusPeriodFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    status_kind = django_filters.ChoiceFilter(choices=rules.STATUS_KIND_CHOICES, label=_("Status"))
    ends_after = django_filters.DateFilter(
        field_name="end_date", lookup_expr="gte", label=_("Ends on or after")
    )
    ends_before = django_filters.DateFilter(
        field_name="end_date", lookup_expr="lte", label=_("Ends on or before")
    )
    renewal_pending = django_filters.BooleanFilter(
        method="filter_renewal_pending", label=_("Renewal pending")
    )

    class Meta:
        model = LegalStatusPeriod
        fields = ["applicant", "status_kind"]

    def filter_renewal_pending(self, queryset, name, value):
        if value is None:
            return queryset
        pending = Q(renewal_filed_on__isnull=False, renewal_decided_on__isnull=True)
        return queryset.filter(pending) if value else queryset.exclude(pending)


class WorkPermissionFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    basis = django_filters.ChoiceFilter(choices=WorkPermission.Basis.choices, label=_("Basis"))
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("Valid on"))

    class Meta:
        model = WorkPermission
        fields = ["applicant", "basis"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=value), start_date__lte=value)


class RightToWorkCheckFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    checked_after = django_filters.DateFilter(
        field_name="checked_on", lookup_expr="gte", label=_("Checked on or after")
    )
    checked_before = django_filters.DateFilter(
        field_name="checked_on", lookup_expr="lte", label=_("Checked on or before")
    )

    class Meta:
        model = RightToWorkCheck
        fields = ["applicant"]


class ReportingObligationFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    kind = django_filters.ChoiceFilter(choices=ReportingObligation.Kind.choices, label=_("Kind"))
    is_active = django_filters.BooleanFilter(label=_("Active"))
    due_before = django_filters.DateFilter(
        field_name="next_report_date", lookup_expr="lte", label=_("Next report on or before")
    )

    class Meta:
        model = ReportingObligation
        fields = ["applicant", "kind", "is_active"]


class RefugeeProcedureFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    is_open = django_filters.BooleanFilter(label=_("Open"))
    ordinal = django_filters.NumberFilter(label=_("Application number"))
    triage_category = django_filters.ChoiceFilter(
        choices=ProcedureEvent.Triage.choices, method="filter_triage", label=_("Triage category")
    )

    class Meta:
        model = RefugeeProcedure
        fields = ["applicant", "is_open", "ordinal"]

    def filter_triage(self, queryset, name, value):
        return queryset.filter(
            events__kind=ProcedureEvent.Kind.TRIAGE, events__triage_category=value
        ).distinct()
