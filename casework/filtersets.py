"""FilterSets shared by the UI lists and the API (one per listable model)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from casework import rules, selectors
from casework.models import (
    Applicant,
    CaseNote,
    CaseStage,
    Document,
    LegalStatusPeriod,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    Task,
    Team,
    User,
    WorkPermission,
)
from casework.models.records import Consent, ConsentPurpose, SensitiveRecord
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
    if request is None or not request.user.is_authenticated:
        return Team.objects.none()
    return Team.objects.visible_to(request.user)


def _caseworkers(request) -> QuerySet[User]:
    if request is None or not request.user.is_authenticated:
        return User.objects.none()
    return (
        User.objects.visible_to(request.user).with_role(Role.CASEWORKER).order_by("last_name", "first_name")
    )


class ApplicantFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
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
        return queryset.filter(may_work_now=value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["name"]))


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
