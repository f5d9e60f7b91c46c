"""Filters of referrals, placements and follow-ups (pages and API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from jobs.filtersets.openings import employer_choices
from jobs.models import FollowUp, FollowUpOutcome, JobOpening, Placement, Referral, Stage


def _openings(request):
    if request is None or not request.user.is_authenticated:
        return JobOpening.objects.none()
    # An opening's label names its employer: loaded with it, not one query per choice.
    return (
        JobOpening.objects.visible_to(request.user)
        .select_related("employer")
        .only("pk", "title", "employer__name")
        .order_by("title")
    )


class ReferralFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    opening = django_filters.ModelChoiceFilter(queryset=_openings, label=_("Opening"))
    employer = django_filters.ModelChoiceFilter(
        field_name="opening__employer", queryset=employer_choices, label=_("Employer")
    )
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Stage"))

    class Meta:
        model = Referral
        fields = ["applicant", "opening", "employer", "stage"]


class PlacementFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(field_name="applicant__reference_code", label=_("Reference code"))
    employer = django_filters.ModelChoiceFilter(
        field_name="opening__employer", queryset=employer_choices, label=_("Employer")
    )
    running = django_filters.BooleanFilter(
        field_name="ended_on", lookup_expr="isnull", label=_("Still working")
    )
    starts_after = django_filters.DateFilter(
        field_name="start_date", lookup_expr="gte", label=_("Started on or after")
    )

    class Meta:
        model = Placement
        fields = ["applicant", "employer", "running"]


class FollowUpFilterSet(django_filters.FilterSet):
    applicant = django_filters.CharFilter(
        field_name="placement__applicant__reference_code", label=_("Reference code")
    )
    outcome = django_filters.ChoiceFilter(choices=FollowUpOutcome.choices, label=_("Outcome"))
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label=_("Due on or before")
    )

    class Meta:
        model = FollowUp
        fields = ["applicant", "outcome"]
