"""The applicant list's filters and sorts, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from casework import rules, selectors
from casework.models import (
    Applicant,
    CaseStage,
    Team,
    User,
)
from casework.roles import Role

SORTS = {
    "name": ("family_name", "given_name", "pk"),
    "-name": ("-family_name", "-given_name", "-pk"),
    "reference": ("reference_code",),
    "-reference": ("-reference_code",),
    "intake": ("intake_date", "pk"),
    "-intake": ("-intake_date", "-pk"),
    "deadline": ("current_end", "pk"),
    "-deadline": ("-current_end", "-pk"),
    "stage": ("case_stage", "pk"),
}


def _teams(request) -> QuerySet[Team]:
    """The teams whose people the user may list: every team of the organisation for an administrator, else
    their own team and the teams they lead. Offering the whole organisation's teams and caseworkers to
    everyone made a caseworker's list grow with the organisation (2.2× from 10,000 to 100,000 people for
    the same 500-person team: 1,600 caseworkers in the select; issue 14), and filtering on a team whose
    people one cannot see only ever gave an empty list."""
    if request is None or not request.user.is_authenticated:
        return Team.objects.none()
    user = request.user
    teams = Team.objects.visible_to(user)
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return teams
    return teams.filter(Q(pk=user.team_id) | Q(pk__in=user.led_teams.values("pk")))


def _caseworkers(request) -> QuerySet[User]:
    """Caseworkers of those teams (and the user), with only what the option's label needs."""
    if request is None or not request.user.is_authenticated:
        return User.objects.none()
    return (
        User.objects.visible_to(request.user)
        .with_role(Role.CASEWORKER)
        .filter(Q(team__in=_teams(request).values("pk")) | Q(pk=request.user.pk))
        .only("pk", "username", "first_name", "last_name")
        .order_by("last_name", "first_name")
    )


class ApplicantFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    # A residence card number searched on the list travels as its keyed hash (crypto.lookup_hash), never
    # as the number: the search form posts, the list redirects to ?card=<hash> (views.applicant_list).
    card = django_filters.CharFilter(method="filter_card", label=_("Residence card number (hashed)"))
    case_stage = django_filters.ChoiceFilter(choices=CaseStage.choices, label=_("Case stage"))
    status_kind = django_filters.ChoiceFilter(
        choices=rules.STATUS_KIND_CHOICES, method="filter_status_kind", label=_("Current status")
    )
    nationality = django_filters.ChoiceFilter(choices=list(countries), label=_("Nationality"))
    team = django_filters.ModelChoiceFilter(queryset=_teams, label=_("Team"))
    caseworker = django_filters.ModelChoiceFilter(queryset=_caseworkers, label=_("Caseworker"))
    deadline_within = django_filters.NumberFilter(
        method="filter_deadline_within", label=_("Deadline within (days)"), min_value=0, max_value=3650
    )
    may_work_now = django_filters.BooleanFilter(method="filter_may_work_now", label=_("May work today"))
    sort = django_filters.ChoiceFilter(
        choices=[(key, key) for key in SORTS], method="filter_sort", label=_("Sort by"), empty_label=None
    )

    class Meta:
        model = Applicant
        fields = ["q", "case_stage", "status_kind", "nationality", "team", "caseworker"]

    def filter_search(self, queryset, name, value):
        return selectors.search_applicants(queryset, value)

    def filter_card(self, queryset, name, value):
        return selectors.with_card_hash(queryset, value) if value else queryset

    def filter_status_kind(self, queryset, name, value):
        return queryset.filter(current_kind=value) if value else queryset

    def filter_deadline_within(self, queryset, name, value):
        if value is None:
            return queryset
        condition = selectors.deadline_within_condition(int(value), timezone.localdate())
        return queryset.filter(condition, legal_visible=True)

    def filter_may_work_now(self, queryset, name, value):
        if value is None:
            return queryset
        # Added only when asked for, checked per row (a page costs about 25 rows' probes).
        condition = selectors.may_work_now_condition(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["name"]))
