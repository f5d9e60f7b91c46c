"""Filters of notes, tasks and documents, shared by pages and API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import (
    CaseNote,
    Document,
    Task,
)


class CaseNoteFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    confidential = django_filters.BooleanFilter(label=_("Confidential"))
    author = django_filters.NumberFilter(field_name="author_id", label=_("Author (user id)"))

    class Meta:
        model = CaseNote
        fields = ["applicant", "confidential", "author"]


class TaskFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    done = django_filters.BooleanFilter(label=_("Done"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Assigned to me"))
    assignee = django_filters.NumberFilter(field_name="assignee_id", label=_("Assignee (user id)"))
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due on or before")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = Task
        fields = ["applicant", "done", "assignee"]

    def filter_mine(self, queryset, name, value):
        if value is None or self.request is None:
            return queryset
        mine = Q(assignee_id=self.request.user.pk)
        return queryset.filter(mine) if value else queryset.exclude(mine)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(done=False, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class DocumentFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    kind = django_filters.ChoiceFilter(choices=Document.Kind.choices, label=_("Kind"))

    class Meta:
        model = Document
        fields = ["applicant", "kind"]
