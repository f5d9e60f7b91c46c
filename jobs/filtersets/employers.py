"""Filters of the employer list (page and API)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework import rules as casework_rules
from jobs.models import Employer, Industry, PartnershipStatus, SizeBand

SORTS = {"name": ("name", "pk"), "-name": ("-name", "-pk"), "-updated": ("-updated_at", "-pk")}


class EmployerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    industry = django_filters.ChoiceFilter(choices=Industry.choices, label=_("Industry"))
    prefecture = django_filters.ChoiceFilter(choices=casework_rules.prefecture_choices, label=_("Prefecture"))
    partnership_status = django_filters.ChoiceFilter(
        choices=PartnershipStatus.choices, label=_("Partnership")
    )
    size_band = django_filters.ChoiceFilter(choices=SizeBand.choices, label=_("Size"))
    sort = django_filters.ChoiceFilter(
        choices=[("name", _("Name")), ("-name", _("Name, Z to A")), ("-updated", _("Recently changed"))],
        method="filter_sort",
        label=_("Sort"),
        empty_label=None,
    )

    class Meta:
        model = Employer
        fields = ["industry", "prefecture", "partnership_status", "size_band"]

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(name_kana__icontains=value)) if value else queryset
        )

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["name"]))
