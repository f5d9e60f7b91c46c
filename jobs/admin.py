"""Django admin of jobs models: reads through visible_to, writes through the services.

As casework's admin (casework/admin/base.py): administrators are not superusers and reach these pages
through the "administrator" group's model permissions (migration 0003_role_permissions); rows and choices
come through visible_to, so the admin is no second way in; every write has a service here, and the form
dry-runs it so its messages appear next to the fields. Placements are confirmed from a reported hire (the
referral pages), so the admin shows them and records their follow-ups but does not add them; a referral's
stage history is only ever shown. The minimum-wage table is the administrators' own: a year's rows are
added here without a code change (DOMAIN.md §9).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from casework.admin.base import ServiceModelForm, VisibleAdmin, copy_saved, dry_run
from casework.models import User
from jobs.models import (
    Employer,
    EmployerContact,
    FollowUp,
    Interview,
    JobOpening,
    MinimumWage,
    Placement,
    Referral,
    Stage,
    StageChange,
)
from jobs.models.base import is_admin
from jobs.services import employers as employer_services
from jobs.services import openings as opening_services
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services
from jobs.services import wages as wage_services
from jobs.services.employers import CONTACT_FIELDS, EMPLOYER_FIELDS
from jobs.services.openings import OPENING_FIELDS


class JobsAdmin(VisibleAdmin):
    """Choices of employers, openings, referrals and placements are those the user may read."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        user = request.user
        if related is Employer:
            kwargs["queryset"] = Employer.objects.editable_by(user)
        elif related is JobOpening:
            kwargs["queryset"] = JobOpening.objects.visible_to(user).select_related("employer")
        elif related is Referral:
            kwargs["queryset"] = Referral.objects.editable_by(user).select_related(
                "applicant", "opening__employer"
            )
        elif related is Placement:
            kwargs["queryset"] = Placement.objects.visible_to(user).select_related(
                "applicant", "opening__employer"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Employers and their contacts ------------------------------------------------------------------------


class EmployerAdminForm(ServiceModelForm):
    class Meta:
        model = Employer
        fields = list(EMPLOYER_FIELDS)

    def save_through_service(self) -> Employer:
        data = {key: self.cleaned_data.get(key) for key in EMPLOYER_FIELDS}
        if self.instance.pk:
            fresh = Employer.objects.get(pk=self.instance.pk)  # the dry run in clean() changed self.instance
            return employer_services.employer_update(by=self.request_user, employer=fresh, data=data)
        return employer_services.employer_create(by=self.request_user, data=data)


class ContactInline(admin.TabularInline):
    """The employer's contacts, shown on its page; they are changed on their own admin page (a service)."""

    model = EmployerContact
    fields = list(CONTACT_FIELDS)
    readonly_fields = list(CONTACT_FIELDS)
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Employer)
class EmployerAdmin(JobsAdmin):
    form = EmployerAdminForm
    inlines = [ContactInline]
    list_display = ["name", "industry", "prefecture", "size_band", "partnership_status"]
    list_filter = ["partnership_status", "industry", "prefecture"]
    search_fields = ["name", "name_kana"]


class EmployerContactAdminForm(ServiceModelForm):
    class Meta:
        model = EmployerContact
        fields = ["employer", *CONTACT_FIELDS]

    def save_through_service(self) -> EmployerContact:
        data = {key: self.cleaned_data.get(key) for key in CONTACT_FIELDS}
        employer = self.instance.employer if self.instance.pk else self.cleaned_data["employer"]
        return employer_services.employer_contact_save(
            by=self.request_user,
            employer=employer,
            data=data,
            contact=self.instance if self.instance.pk else None,
        )


@admin.register(EmployerContact)
class EmployerContactAdmin(JobsAdmin):
    form = EmployerContactAdminForm
    list_display = ["name", "employer", "role", "email", "phone", "is_primary"]
    list_select_related = ["employer"]
    search_fields = ["name", "employer__name"]

    def get_readonly_fields(self, request, obj=None):
        return ["employer"] if obj is not None else []

    # No delete here, as for every record in this admin: a contact is removed from the employer's page
    # (jobs:contact_delete, through the service that records it).


# --- Openings ----------------------------------------------------------------------------------------------


class JobOpeningAdminForm(ServiceModelForm):
    class Meta:
        model = JobOpening
        fields = ["employer", *OPENING_FIELDS, "status", "status_note"]

    def save_through_service(self) -> JobOpening:
        data = {key: self.cleaned_data.get(key) for key in (*OPENING_FIELDS, "status", "status_note")}
        if self.instance.pk:
            return opening_services.opening_update(
                by=self.request_user, opening=self.instance, data=data, version=self.instance.version
            )
        return opening_services.opening_create(
            by=self.request_user, employer=self.cleaned_data["employer"], data=data
        )


@admin.register(JobOpening)
class JobOpeningAdmin(JobsAdmin):
    form = JobOpeningAdminForm
    list_display = ["title", "employer", "prefecture", "wage", "wage_unit", "start_date", "status"]
    list_filter = ["status", "contract_type", "prefecture"]
    list_select_related = ["employer"]
    search_fields = ["title", "employer__name"]
    date_hierarchy = "start_date"

    def get_readonly_fields(self, request, obj=None):
        return ["employer"] if obj is not None else []


# --- Referrals, their history and interviews -------------------------------------------------------------


class StageChangeInline(admin.TabularInline):
    """The referral's stage history: shown, never written here."""

    model = StageChange
    fields = ("at", "from_stage", "to_stage", "reason_code", "reason_text", "by")
    readonly_fields = ("at", "from_stage", "to_stage", "reason_code", "reason_text", "by")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class ReferralAdminForm(ServiceModelForm):
    """A new referral is proposed (person, opening); an existing one is moved (stage, reason)."""

    class Meta:
        model = Referral
        fields = ["applicant", "opening", "stage", "reason_code", "reason_text", "reported_start_date"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stage = self.fields.get("stage")
        if isinstance(stage, forms.ChoiceField):
            # "Hired" is reached by confirming a reported hire on the referral's page, never by a move.
            stage.choices = [c for c in Stage.choices if c[0] != Stage.HIRED] + (
                [(Stage.HIRED, Stage.HIRED.label)] if self.instance.stage == Stage.HIRED else []
            )

    def save_through_service(self) -> Referral:
        data = self.cleaned_data
        if not self.instance.pk:
            return referral_services.referral_propose(
                by=self.request_user,
                applicant=data["applicant"],
                opening=data["opening"],
                note=data.get("reason_text") or "",
            )
        return referral_services.referral_move(
            by=self.request_user,
            referral=self.instance,
            data={
                "stage": data.get("stage"),
                "version": self.instance.version,
                "reason_code": data.get("reason_code"),
                "reason_text": data.get("reason_text"),
                "start_date": data.get("reported_start_date"),
            },
        )


@admin.register(Referral)
class ReferralAdmin(JobsAdmin):
    form = ReferralAdminForm
    inlines = [StageChangeInline]
    list_display = ["applicant", "opening", "stage", "stage_changed_at"]
    list_filter = ["stage"]
    list_select_related = ["applicant", "opening__employer"]
    raw_id_fields = ["applicant", "opening"]
    search_fields = ["applicant__reference_code", "opening__title"]

    def get_fields(self, request, obj=None):
        if obj is None:  # a new referral is proposed: the person, the opening and a note
            return ["applicant", "opening", "reason_text"]
        return ["applicant", "opening", "stage", "reason_code", "reason_text", "reported_start_date"]

    def get_readonly_fields(self, request, obj=None):
        return ["applicant", "opening"] if obj is not None else []


class InterviewAdminForm(ServiceModelForm):
    link = forms.URLField(label=_("online link"), required=False, assume_scheme="https")

    class Meta:
        model = Interview
        fields = ["referral", *referral_services.INTERVIEW_FIELDS]

    def save_through_service(self) -> Interview:
        data = {key: self.cleaned_data.get(key) for key in self.Meta.fields if key != "referral"}
        referral = self.instance.referral if self.instance.pk else self.cleaned_data["referral"]
        return referral_services.interview_save(
            by=self.request_user,
            referral=referral,
            data=data,
            interview=self.instance if self.instance.pk else None,
        )


@admin.register(Interview)
class InterviewAdmin(JobsAdmin):
    form = InterviewAdminForm
    list_display = ["referral", "starts_at", "place", "interpreter_needed", "outcome"]
    list_filter = ["outcome", "interpreter_needed"]
    list_select_related = ["referral__applicant", "referral__opening__employer"]
    raw_id_fields = ["referral"]

    def get_readonly_fields(self, request, obj=None):
        return ["referral"] if obj is not None else []


# --- Placements and follow-ups -----------------------------------------------------------------------


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    fields = ("month", "due_on", "outcome", "leaving_reason", "reported_by", "recorded_at")
    readonly_fields = ("month", "due_on", "outcome", "leaving_reason", "reported_by", "recorded_at")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Placement)
class PlacementAdmin(JobsAdmin):
    """Shown with its follow-ups; confirmed from a reported hire, not added or changed here."""

    inlines = [FollowUpInline]
    list_display = ["applicant", "opening", "start_date", "wage", "wage_unit", "ended_on"]
    list_select_related = ["applicant", "opening__employer"]
    date_hierarchy = "start_date"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class FollowUpAdminForm(ServiceModelForm):
    class Meta:
        model = FollowUp
        fields = ["outcome", "leaving_reason", "reported_by", "note"]

    def save_through_service(self) -> FollowUp:
        return placement_services.follow_up_record(
            by=self.request_user,
            # A fresh row: the dry run in clean() may have changed the one in memory (its end date).
            placement=Placement.objects.get(pk=self.instance.placement_id),
            month=self.instance.month,
            data={key: self.cleaned_data.get(key) for key in self.Meta.fields},
        )


@admin.register(FollowUp)
class FollowUpAdmin(JobsAdmin):
    """A follow-up is created with its placement; here its outcome is recorded (the service)."""

    form = FollowUpAdminForm
    list_display = ["placement", "month", "due_on", "outcome", "recorded_at"]
    list_filter = ["outcome", "month"]
    list_select_related = ["placement__applicant", "placement__opening__employer"]
    readonly_fields = ["placement", "month", "due_on", "recorded_by", "recorded_at"]
    date_hierarchy = "due_on"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


# --- The minimum-wage table -----------------------------------------------------------------------------


class MinimumWageAdminForm(forms.ModelForm):
    request_user: User  # set by MinimumWageAdmin.get_form on the class it builds

    class Meta:
        model = MinimumWage
        fields = list(wage_services.WAGE_FIELDS)

    def save_through_service(self) -> MinimumWage:
        data = {key: self.cleaned_data.get(key) for key in wage_services.WAGE_FIELDS}
        if self.instance.pk:
            return wage_services.minimum_wage_update(by=self.request_user, wage=self.instance, data=data)
        return wage_services.minimum_wage_add(by=self.request_user, data=data)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            dry_run(self, self.save_through_service)
        return cleaned


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    """Everyone's reference table, written by administrators only (through jobs.services.wages)."""

    form = MinimumWageAdminForm
    list_display = ["prefecture", "yen_per_hour", "effective_from", "approximate"]
    list_filter = ["prefecture", "approximate"]
    ordering = ["prefecture", "-effective_from"]
    date_hierarchy = "effective_from"

    def _is_admin(self, request) -> bool:
        return bool(request.user.is_active and is_admin(request.user))

    def has_module_permission(self, request) -> bool:
        return self._is_admin(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_admin(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return self._is_admin(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._is_admin(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # A rate that was in force stays: placements were checked against it. Correct it instead.
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user  # type: ignore[attr-defined]  # a fresh class per request
        return form

    def save_model(self, request, obj, form, change) -> None:
        if not is_admin(request.user):
            raise PermissionDenied
        copy_saved(obj, form.save_through_service())
