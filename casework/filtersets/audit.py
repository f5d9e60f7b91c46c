"""FilterSets of the audit lists: change history and access log (API; the pages filter by person)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import AccessLogEntry, ChangeRecord, User


def _actors(request) -> QuerySet[User]:
    if request is None or not request.user.is_authenticated:
        return User.objects.none()
    return User.objects.visible_to(request.user)


def _start_of(day: date) -> datetime:
    """The first moment of a day in the organisation's time zone (Asia/Tokyo)."""
    return timezone.make_aware(datetime.combine(day, time.min))


class _AuditFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    actor = django_filters.ModelChoiceFilter(queryset=_actors, label=_("Who (user id)"))
    since = django_filters.DateFilter(method="filter_since", label=_("On or after (date)"))
    until = django_filters.DateFilter(method="filter_until", label=_("On or before (date)"))

    def filter_since(self, queryset, name, value):
        # A range on the indexed column, not a date cast of it.
        return queryset.filter(at__gte=_start_of(value)) if value else queryset

    def filter_until(self, queryset, name, value):
        return queryset.filter(at__lt=_start_of(value) + timedelta(days=1)) if value else queryset


class ChangeRecordFilterSet(_AuditFilterSet):
    model = django_filters.CharFilter(
        field_name="model", label=_("Kind of record, as app.model (for example casework.legalstatusperiod)")
    )
    action = django_filters.ChoiceFilter(choices=ChangeRecord.Action.choices, label=_("Change"))

    class Meta:
        model = ChangeRecord
        fields = ["applicant", "model", "actor", "action"]


class AccessLogFilterSet(_AuditFilterSet):
    kind = django_filters.ChoiceFilter(choices=AccessLogEntry.Kind.choices, label=_("Kind of read"))

    class Meta:
        model = AccessLogEntry
        fields = ["applicant", "kind", "actor"]
