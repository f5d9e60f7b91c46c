"""Admin of legal records: status periods, work permissions, reporting obligations, procedures and events."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from casework import selectors, services
from casework.admin.base import ByApplicantAdmin, ServiceModelForm, dry_run, stored_snapshots
from casework.audit import record_change
from casework.models import (
    AccessLogEntry,
    ChangeRecord,
    LegalStatusPeriod,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    User,
    WorkPermission,
)
from casework.services.legal import PERIOD_FIELDS


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
    access_log_kind = AccessLogEntry.Kind.LEGAL_VIEW
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
    access_log_kind = AccessLogEntry.Kind.LEGAL_VIEW
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
    access_log_kind = AccessLogEntry.Kind.LEGAL_VIEW
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
    access_log_kind = AccessLogEntry.Kind.LEGAL_VIEW
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
        stored = stored_snapshots(ProcedureEvent, [f.instance.pk for f in formset.initial_forms])
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
