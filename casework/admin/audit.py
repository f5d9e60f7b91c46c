"""Admin of the audit: change history and access log, read-only for administrators."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from casework.models import (
    AccessLogEntry,
    ChangeRecord,
)
from casework.roles import Role
from casework.selectors import audit as audit_selectors


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
        return audit_selectors.record_kind(record.model)

    @admin.display(description=_("fields: before → after"))
    def field_changes(self, record: ChangeRecord) -> str:
        # The same reading as the pages: restricted values only for those who may read the record.
        reader = getattr(record, "audit_reader", None)
        entry = audit_selectors.present_history([record], user=reader, applicant=record.applicant)[0]
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
