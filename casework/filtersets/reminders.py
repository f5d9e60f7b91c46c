"""FilterSets of reminders, shared by the inbox and the API: notifications and reminders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from casework.models import Notification, Reminder, User
from casework.selectors.reminders import kind_choices, notification_state_condition, notifications_for

NOTIFICATION_STATES = [
    ("unread", _("Unread")),
    ("read", _("Read")),
    ("acknowledged", _("Acknowledged")),
]


class NotificationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        field_name="reminder__source_kind",
        choices=kind_choices,
        label=_("Deadline kind"),
        empty_label=_("Any"),
    )
    due_from = django_filters.DateFilter(
        field_name="reminder__deadline_date", lookup_expr="gte", label=_("Deadline on or after")
    )
    due_to = django_filters.DateFilter(
        field_name="reminder__deadline_date", lookup_expr="lte", label=_("Deadline on or before")
    )
    state = django_filters.ChoiceFilter(
        choices=NOTIFICATION_STATES, method="filter_state", label=_("State"), empty_label=_("Any")
    )

    class Meta:
        model = Notification
        fields = ["kind", "due_from", "due_to", "state"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(notification_state_condition(value))


class ReminderFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        field_name="source_kind", choices=kind_choices, label=_("Deadline kind")
    )
    due_from = django_filters.DateFilter(
        field_name="deadline_date", lookup_expr="gte", label=_("Deadline on or after")
    )
    due_to = django_filters.DateFilter(
        field_name="deadline_date", lookup_expr="lte", label=_("Deadline on or before")
    )
    state = django_filters.ChoiceFilter(choices=Reminder.State.choices, label=_("State"))
    acknowledged = django_filters.BooleanFilter(method="filter_acknowledged", label=_("Acknowledged"))

    class Meta:
        model = Reminder
        fields = ["kind", "due_from", "due_to", "state", "acknowledged"]

    def filter_acknowledged(self, queryset, name, value):
        # reminders_for_api() annotates deadline_acknowledged.
        return queryset.filter(Q(deadline_acknowledged=value))


def my_notifications(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Notification]:
    """The user's notifications filtered by kind, deadline date (due_from, due_to) and state."""
    base = notifications_for(user=user)
    if not filters:
        return base
    filterset = NotificationFilterSet(filters, queryset=base)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs
