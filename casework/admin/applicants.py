"""Admin of applicants (with aliases, household and periods inline), assignments and duplicate checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casework import selectors, services
from casework.admin.base import ByApplicantAdmin, ReadOnlyAdmin, ServiceModelForm, VisibleAdmin
from casework.models import (
    Alias,
    Applicant,
    Assignment,
    DuplicateCheck,
    HouseholdMember,
    LegalStatusPeriod,
)
from casework.services.applicants import PROFILE_FIELDS


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0
    fields = ["name", "kind"]


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    fk_name = "applicant"
    extra = 0
    fields = ["name", "relation", "birth_year", "schooling", "linked_applicant"]
    autocomplete_fields = ["linked_applicant"]
    list_select_related = ["linked_applicant"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("linked_applicant")


class PeriodInline(admin.TabularInline):
    """The person's periods at a glance (changed on their own page, through the services)."""

    model = LegalStatusPeriod
    extra = 0
    fields = ["status_kind", "start_date", "end_date", "renewal_filed_on", "card_number_masked"]
    readonly_fields = ["status_kind", "start_date", "end_date", "renewal_filed_on", "card_number_masked"]
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("Residence card number"))
    def card_number_masked(self, period: LegalStatusPeriod) -> str:
        return period.card_number_masked


class ApplicantAdminForm(ServiceModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Applicant
        fields = [*PROFILE_FIELDS, "team", "caseworker"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The version the editor saw: a save after someone else's is refused (no lost update).
        self.loaded_version = self.instance.version
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def _profile(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in PROFILE_FIELDS if key in self.cleaned_data}

    def save_through_service(self) -> Applicant:
        by, team, caseworker = self.request_user, self.cleaned_data["team"], self.cleaned_data["caseworker"]
        if not self.instance.pk:
            return services.applicant_register(by=by, data=self._profile(), team=team, caseworker=caseworker)
        applicant = self.instance
        expected = self.cleaned_data.get("expected_version") or self.loaded_version
        moved = (team.pk, getattr(caseworker, "pk", None)) != (
            Applicant.objects.filter(pk=applicant.pk).values_list("team_id", "caseworker_id").get()
        )
        services.applicant_update(by=by, applicant=applicant, data=self._profile(), expected_version=expected)
        if moved:
            services.applicants_reassign(
                by=by,
                applicants=[applicant],
                team=team,
                caseworker=caseworker,
                reason=str(_("Changed in the admin")),
            )
            applicant.refresh_from_db(fields=["team", "caseworker", "version"])
        return applicant


@admin.register(Applicant)
class ApplicantAdmin(VisibleAdmin):
    form = ApplicantAdminForm
    list_display = [
        "reference_code",
        "display_name",
        "nationality",
        "birth_date_display",
        "case_stage",
        "team",
        "caseworker",
        "intake_date",
    ]
    list_filter = [
        "case_stage",
        ("team", admin.RelatedOnlyFieldListFilter),
        "nationality",
        "birth_date_precision",
    ]
    list_select_related = ["team", "caseworker"]
    # The search box goes through selectors.search_applicants (every name form, code, card number).
    search_fields = ["reference_code"]
    search_help_text = _("Any form of a name or alias, a reference code or a residence card number.")
    date_hierarchy = "intake_date"
    readonly_fields = ["reference_code", "created_at", "updated_at"]
    inlines = [AliasInline, HouseholdMemberInline, PeriodInline]
    fieldsets = [
        (None, {"fields": ["reference_code", "expected_version"]}),
        (
            _("Name"),
            {"fields": ["family_name", "given_name", "name_native", "name_katakana"]},
        ),
        (
            None,
            {
                "fields": [
                    ("date_of_birth", "birth_date_precision"),
                    "gender",
                    "nationality",
                    "languages",
                    ("phone", "email"),
                    ("prefecture", "city"),
                    "education",
                    "work_history",
                    "skills",
                ]
            },
        ),
        (
            _("Casework"),
            {"fields": ["intake_date", "case_stage", "team", "caseworker", "created_at", "updated_at"]},
        ),
    ]

    @admin.display(description=_("Name"), ordering="family_name")
    def display_name(self, applicant: Applicant) -> str:
        return applicant.display_name

    @admin.display(description=_("date of birth"), ordering="date_of_birth")
    def birth_date_display(self, applicant: Applicant) -> str:
        return applicant.birth_date_display

    def get_search_results(self, request, queryset, search_term):
        return selectors.search_applicants(queryset, search_term), False

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if any(formset.model is Alias and formset.has_changed() for formset in formsets):
            # Aliases feed the search key: refresh it through the service, as every other write does.
            applicant = form.instance
            services.applicant_update(
                by=request.user,
                applicant=applicant,
                data={},
                expected_version=applicant.version,
                aliases=list(applicant.aliases.values_list("name", flat=True)),
            )


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin, ByApplicantAdmin):
    list_display = ["applicant", "team", "caseworker", "assigned_at", "assigned_by", "reason"]
    list_filter = [("team", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["applicant", "team", "caseworker", "assigned_by"]

    def get_queryset(self, request):
        # Assignment history has no manager of its own: it is visible exactly when the person is.
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset.filter(applicant__in=Applicant.objects.visible_to(request.user).values("pk"))

    date_hierarchy = "assigned_at"


@admin.register(DuplicateCheck)
class DuplicateCheckAdmin(ReadOnlyAdmin):
    list_display = [
        "checked_at",
        "checked_by",
        "decision",
        "birth_year",
        "nationality",
        "chosen",
        "registered",
    ]
    list_filter = ["decision"]
    list_select_related = ["checked_by", "chosen", "registered"]
    date_hierarchy = "checked_at"
    exclude = ["name_key", "card_hash"]  # keys, not for reading

    def get_queryset(self, request):
        # Checks are organisation-wide records with no applicant to restrict through.
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset.filter(organisation_id=request.user.organisation_id)
