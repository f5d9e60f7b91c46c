"""Django admin for casework: users, roles, teams, organisations, applicants and their legal records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from casework import selectors, selectors_audit, services
from casework.audit import record_change, snapshot
from casework.models import (
    AccessLogEntry,
    Alias,
    Applicant,
    Assignment,
    ChangeRecord,
    DuplicateCheck,
    Heartbeat,
    HouseholdMember,
    LegalStatusPeriod,
    Organisation,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    Team,
    User,
    WorkPermission,
)
from casework.roles import Role
from casework.services.applicants import PROFILE_FIELDS
from casework.services.legal import PERIOD_FIELDS


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "team", "is_active", "is_service_account"]
    list_filter = ["is_active", "is_service_account", "groups", "team"]
    list_select_related = ["team"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Tobira"), {"fields": ("organisation", "team", "language", "is_service_account")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Tobira"), {"fields": ("email", "first_name", "last_name", "team", "language", "groups")}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    filter_horizontal = ["supervisors"]
    list_select_related = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "team_caseload_shared"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "at"]
    readonly_fields = ["name", "at"]

    def has_add_permission(self, request) -> bool:
        return False


# --- Casework core: applicants and their legal records ---------------------------------------------------
#
# Administrators are not superusers: they reach these pages through the "administrator" group's model
# permissions (migration 0005). Two rules hold here as everywhere else:
# - reads go through visible_to(user), so the admin is no second way in (DESIGN.md, access matrix);
# - writes with a service go through it. The form dry-runs the service in clean() (inside a rolled-back
#   savepoint) so its messages appear next to the fields, then save_model() runs it for real.


class _DryRun(Exception):
    """Raised inside a savepoint to roll back a service call made only to validate."""


def _add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            if field in form.fields:
                form.add_error(field, messages)
            else:
                form.add_error(None, messages)
    else:
        form.add_error(None, error)


def dry_run(form: forms.BaseForm, call: Callable[[], object]) -> None:
    """Run a service to see whether it accepts the form's values, leaving the database as it was."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        pass
    except ValidationError as error:
        _add_service_errors(form, error)
    except PermissionDenied:
        form.add_error(None, _("You may not change this person's records."))


def copy_saved(target: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved form object the row a service created (the admin redirects to it)."""
    for model_field in saved._meta.concrete_fields:
        setattr(target, model_field.attname, getattr(saved, model_field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


class ServiceModelForm(forms.ModelForm):
    """A ModelForm whose writes a service makes; the admin sets request_user on the class it builds."""

    request_user: User

    def save_through_service(self) -> models.Model:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            dry_run(self, self.save_through_service)
        return cleaned


class VisibleAdmin(admin.ModelAdmin):
    """Rows and choices come through visible_to(request.user): the admin's reads obey the access matrix."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.visible_to(request.user)  # type: ignore[attr-defined]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is Applicant:
            kwargs["queryset"] = Applicant.objects.visible_to(request.user)
        elif related is Team:
            kwargs["queryset"] = Team.objects.visible_to(request.user)
        elif related is User:
            kwargs["queryset"] = User.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user  # type: ignore[attr-defined]  # a fresh class per request
        return form

    def save_model(self, request, obj, form, change) -> None:
        if isinstance(form, ServiceModelForm):
            copy_saved(obj, form.save_through_service())  # the service records the history
        else:
            # A plain correction with no service of its own: it still goes into the history.
            before = _stored_snapshot(obj) if change else None
            super().save_model(request, obj, form, change)
            record_change(actor=request.user, instance=obj, before=before)

    def delete_model(self, request, obj) -> None:
        record_change(
            actor=request.user, instance=obj, before=snapshot(obj), action=ChangeRecord.Action.DELETE
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change) -> None:
        """Inline rows (aliases, household) are saved by the admin itself: record each change."""
        user = request.user
        stored = _stored_snapshots(formset.model, [f.instance.pk for f in formset.initial_forms])
        for deleted in formset.deleted_forms:
            if deleted.instance.pk in stored:
                record_change(
                    actor=user,
                    instance=deleted.instance,
                    before=stored[deleted.instance.pk],
                    action=ChangeRecord.Action.DELETE,
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record_change(actor=user, instance=obj, before=None)
        for obj, _fields in formset.changed_objects:
            record_change(actor=user, instance=obj, before=stored.get(obj.pk))


def _stored_snapshot(obj: models.Model) -> dict[str, Any] | None:
    """The row as stored (the form has already put its new values on the object)."""
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return snapshot(stored) if stored is not None else None


def _stored_snapshots(model: type[models.Model], pks: list[Any]) -> dict[Any, dict[str, Any]]:
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    return {pk: snapshot(row) for pk, row in model._default_manager.in_bulk(pks).items()}


class ByApplicantAdmin(VisibleAdmin):
    """Records of a person: the search box finds them by any form of the person's name or code."""

    search_fields = ["applicant__reference_code"]
    search_help_text = _("Any form of a name or alias, a reference code or a residence card number.")

    def get_search_results(self, request, queryset, search_term):
        found = selectors.search_applicants(Applicant.objects.visible_to(request.user), search_term)
        return queryset.filter(applicant__in=found.values("pk")), False


class ReadOnlyAdmin(VisibleAdmin):
    """History rows: shown, never written from the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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


class LegalStatusPeriodAdminForm(ServiceModelForm):
    card_number = forms.CharField(label=_("Residence card number"), required=False, max_length=40)
    remove_card_number = forms.BooleanField(label=_("Remove the card number"), required=False)
    confirm_card_conflict = forms.BooleanField(
        label=_("Save even though the card number is recorded for another person."), required=False
    )
    end_current = forms.BooleanField(
        label=_("This replaces the current status: end the current period the day before"), required=False
    )

    class Meta:
        model = LegalStatusPeriod
        fields = ["applicant", *PERIOD_FIELDS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.card_number_hint:
            self.fields["card_number"].help_text = _(
                "Recorded: %(masked)s. Leave empty to keep it, or type a new number."
            ) % {"masked": self.instance.card_number_masked}

    def save_through_service(self) -> LegalStatusPeriod:
        data = {key: self.cleaned_data[key] for key in PERIOD_FIELDS if key in self.cleaned_data}
        card = (self.cleaned_data.get("card_number") or "").strip() or None
        if not self.instance.pk:
            return services.legal_period_record(
                by=self.request_user,
                applicant=self.cleaned_data["applicant"],
                data=data,
                card_number=card,
                confirm_card_conflict=self.cleaned_data.get("confirm_card_conflict", False),
                end_current=self.cleaned_data.get("end_current", False),
            )
        return services.legal_period_update(
            by=self.request_user,
            period=self.instance,
            data=data,
            card_number="" if self.cleaned_data.get("remove_card_number") else card,
            confirm_card_conflict=self.cleaned_data.get("confirm_card_conflict", False),
        )


@admin.register(LegalStatusPeriod)
class LegalStatusPeriodAdmin(ByApplicantAdmin):
    form = LegalStatusPeriodAdminForm
    list_display = [
        "applicant",
        "kind_label",
        "start_date",
        "end_date",
        "renewal_filed_on",
        "renewal_decision",
        "lawful_stay_until",
        "card_number_masked",
    ]
    list_filter = ["status_kind", "renewal_decision", "is_indefinite"]
    list_select_related = ["applicant"]
    autocomplete_fields = ["applicant"]
    date_hierarchy = "end_date"

    @admin.display(description=_("status"), ordering="status_kind")
    def kind_label(self, period: LegalStatusPeriod) -> str:
        return period.kind_label

    @admin.display(description=_("Lawfully staying until"))
    def lawful_stay_until(self, period: LegalStatusPeriod):
        return period.lawful_stay_until

    @admin.display(description=_("Residence card number"))
    def card_number_masked(self, period: LegalStatusPeriod) -> str:
        return period.card_number_masked

    def get_readonly_fields(self, request, obj=None):
        return ["applicant", "card_number_masked"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["applicant", *PERIOD_FIELDS, "card_number", "confirm_card_conflict", "end_current"]
        return [
            "applicant",
            *PERIOD_FIELDS,
            "card_number_masked",
            "card_number",
            "remove_card_number",
            "confirm_card_conflict",
        ]

    def delete_model(self, request, obj) -> None:
        services.legal_period_delete(by=request.user, period=obj)

    def delete_queryset(self, request, queryset) -> None:
        for period in queryset.select_related("applicant"):
            services.legal_period_delete(by=request.user, period=period)


class WorkPermissionAdminForm(ServiceModelForm):
    class Meta:
        model = WorkPermission
        fields = ["applicant", "basis", "scope", "hours_per_week", "start_date", "end_date", "note"]

    def save_through_service(self) -> WorkPermission:
        data = {key: value for key, value in self.cleaned_data.items() if key != "applicant"}
        return services.work_permission_record(
            by=self.request_user, applicant=self.cleaned_data["applicant"], data=data
        )


@admin.register(WorkPermission)
class WorkPermissionAdmin(ByApplicantAdmin):
    list_display = ["applicant", "basis", "scope", "hours_per_week", "start_date", "end_date"]
    list_filter = ["basis", "scope"]
    list_select_related = ["applicant"]
    autocomplete_fields = ["applicant"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # New permissions go through work_permission_record; corrections are plain edits (no service).
        if obj is None:
            kwargs["form"] = WorkPermissionAdminForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["applicant"] if obj else []


class ReportingObligationAdminForm(ServiceModelForm):
    class Meta:
        model = ReportingObligation
        fields = [
            "applicant",
            "kind",
            "next_report_date",
            "place",
            "supervisor_name",
            "last_reported_on",
            "note",
        ]

    def save_through_service(self) -> ReportingObligation:
        data = {key: value for key, value in self.cleaned_data.items() if key != "applicant"}
        return services.reporting_obligation_record(
            by=self.request_user, applicant=self.cleaned_data["applicant"], data=data
        )


@admin.register(ReportingObligation)
class ReportingObligationAdmin(ByApplicantAdmin):
    list_display = ["applicant", "kind", "next_report_date", "place", "supervisor_name", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["applicant"]
    autocomplete_fields = ["applicant"]
    date_hierarchy = "next_report_date"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ReportingObligationAdminForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["applicant"] if obj else []


class ProcedureEventAdminForm(forms.ModelForm):
    """A new event goes through procedure_event_record (validated here by a dry run)."""

    request_user: User

    class Meta:
        model = ProcedureEvent
        fields = ["kind", "date", "triage_category", "outcome", "note"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.instance.pk and self.has_changed() and self.instance.procedure_id:
            procedure = RefugeeProcedure.objects.select_related("applicant").get(
                pk=self.instance.procedure_id
            )
            dry_run(
                self,
                lambda: services.procedure_event_record(
                    by=self.request_user, procedure=procedure, data=dict(cleaned or {})
                ),
            )
        return cleaned


class ProcedureEventInline(admin.TabularInline):
    model = ProcedureEvent
    form = ProcedureEventAdminForm
    extra = 0
    fields = ["kind", "date", "triage_category", "outcome", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.request_user = request.user  # type: ignore[attr-defined]
        return formset


class RefugeeProcedureAdminForm(ServiceModelForm):
    class Meta:
        model = RefugeeProcedure
        fields = ["applicant", "ordinal", "applied_on", "grounds_submitted", "is_open", "note"]

    def save_through_service(self) -> RefugeeProcedure:
        if not self.instance.pk:
            return services.procedure_record(
                by=self.request_user, applicant=self.cleaned_data["applicant"], data=dict(self.cleaned_data)
            )
        return services.procedure_update(
            by=self.request_user, procedure=self.instance, data=dict(self.cleaned_data)
        )


@admin.register(RefugeeProcedure)
class RefugeeProcedureAdmin(ByApplicantAdmin):
    form = RefugeeProcedureAdminForm
    list_display = [
        "applicant",
        "ordinal",
        "applied_on",
        "missing_grounds",
        "appeal_deadline",
        "is_open",
    ]
    list_filter = ["is_open", "grounds_submitted", "ordinal"]
    list_select_related = ["applicant"]
    autocomplete_fields = ["applicant"]
    inlines = [ProcedureEventInline]

    def get_queryset(self, request):
        # Events for the appeal-deadline column: one query for the page, whatever its length.
        events = ProcedureEvent.objects.order_by("date", "pk")
        return super().get_queryset(request).prefetch_related(Prefetch("events", queryset=events))

    def get_inlines(self, request, obj):
        # A new procedure gets its "filed" event from procedure_record; more events once it exists.
        return self.inlines if obj else []

    def get_readonly_fields(self, request, obj=None):
        return ["applicant", "ordinal", "applied_on"] if obj else []

    @admin.display(description=_("material showing reasonable grounds submitted"))
    def missing_grounds(self, procedure: RefugeeProcedure) -> str:
        # Only a third or later application needs them (since 10 June 2024): flag those without.
        if not procedure.needs_grounds:
            return "—"
        return "✓" if procedure.grounds_submitted else "⚠"

    @admin.display(description=_("Appeal deadline"))
    def appeal_deadline(self, procedure: RefugeeProcedure):
        status = selectors.appeal_status(procedure, timezone.localdate())
        if status is None:
            return "—"
        if status.filed_late:
            return format_html("{} ⚠ {}", status.deadline, status.appeal_filed_on)
        return status.deadline

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not ProcedureEvent:
            super().save_formset(request, form, formset, change)
            return
        stored = _stored_snapshots(ProcedureEvent, [f.instance.pk for f in formset.initial_forms])
        events = formset.save(commit=False)
        for event in formset.deleted_objects:
            record_change(
                actor=request.user,
                instance=event,
                before=stored.get(event.pk),
                action=ChangeRecord.Action.DELETE,
                applicant_id=form.instance.applicant_id,
            )
            event.delete()
        for event in events:
            if event.pk:
                event.save()
                record_change(
                    actor=request.user,
                    instance=event,
                    before=stored.get(event.pk),
                    applicant_id=form.instance.applicant_id,
                )
                continue
            services.procedure_event_record(
                by=request.user,
                procedure=form.instance,
                data={
                    "kind": event.kind,
                    "date": event.date,
                    "triage_category": event.triage_category,
                    "outcome": event.outcome,
                    "note": event.note,
                },
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


# --- The audit: change history and access log, read-only for everyone ------------------------------------
#
# Nobody changes or deletes an audit row from the admin, superusers included (DESIGN.md, Audit). Reading
# is for administrators (of their organisation, through visible_to), decided here by role so the audit
# needs no permission rows of its own.


class AuditAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[attr-defined]

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or user.has_role(Role.ADMINISTRATOR)))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ChangeRecord)
class ChangeRecordAdmin(AuditAdmin):
    list_display = ["at", "actor", "reference_code", "record_kind", "object_label", "action", "request_id"]
    list_filter = ["action", "model", "erased"]
    list_select_related = ["actor", "applicant"]
    search_fields = ["applicant__reference_code", "request_id", "actor__username"]
    search_help_text = _("A reference code, a request id or a username.")
    date_hierarchy = "at"
    fields = [
        "at",
        "actor",
        "request_id",
        "reference_code",
        "model",
        "object_id",
        "object_label",
        "action",
        "field_changes",
        "erased",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.fields or []

    @admin.display(description=_("reference code"), ordering="applicant__reference_code")
    def reference_code(self, record: ChangeRecord) -> str:
        return record.applicant.reference_code if record.applicant_id and record.applicant else "—"

    @admin.display(description=_("record"), ordering="model")
    def record_kind(self, record: ChangeRecord) -> str:
        return selectors_audit.record_kind(record.model)

    @admin.display(description=_("fields: before → after"))
    def field_changes(self, record: ChangeRecord) -> str:
        # The same reading as the pages: restricted values only for those who may read the record.
        reader = getattr(record, "audit_reader", None)
        entry = selectors_audit.present_history([record], user=reader, applicant=record.applicant)[0]
        if entry.values_hidden:
            return str(
                _("Not shown: only the assigned caseworker and the team's supervisors may read this record.")
            )
        return format_html_join(
            "\n", "<div>{}: {} → {}</div>", ((c.label, c.old, c.new) for c in entry.changes)
        )

    def get_object(self, request, object_id, from_field=None):
        record = super().get_object(request, object_id, from_field)
        if record is not None:
            record.audit_reader = request.user  # type: ignore[attr-defined]  # whose eyes the values are for
        return record


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(AuditAdmin):
    list_display = ["at", "actor_label", "kind", "reference_code", "object_label", "ip_address"]
    list_filter = ["kind"]
    list_select_related = ["actor", "applicant"]
    search_fields = ["applicant__reference_code", "actor_label", "request_id"]
    search_help_text = _("A reference code, a username or a request id.")
    date_hierarchy = "at"
    fields = [
        "at",
        "actor",
        "actor_label",
        "request_id",
        "kind",
        "reference_code",
        "object_label",
        "ip_address",
        "detail",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.fields or []

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            # Failed sign-ins with a name no account has belong to no organisation: the instance's.
            queryset = queryset | AccessLogEntry.objects.filter(organisation__isnull=True)
        return queryset

    @admin.display(description=_("reference code"), ordering="applicant__reference_code")
    def reference_code(self, entry: AccessLogEntry) -> str:
        return entry.applicant.reference_code if entry.applicant_id and entry.applicant else "—"
