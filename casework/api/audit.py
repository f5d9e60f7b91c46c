"""Audit endpoints: the change history and the access log, read-only, for supervisors and administrators.

Supervisors read the rows of their teams' people, administrators those of their whole organisation
(``ChangeRecord/AccessLogEntry.objects.visible_to``); everyone else gets 403. Nothing here writes an audit
row's content: the rows are written by the services and views they describe, and never changed.
Values of restricted records (sensitive information, confidential notes) are left out for a reader who
may not read the record itself (``values_hidden``), as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.fields import UserRefSerializer
from casework.api.permissions import IsAuthenticatedMember
from casework.audit import log_access_many
from casework.filtersets.audit import AccessLogFilterSet, ChangeRecordFilterSet
from casework.models import AccessLogEntry, ChangeRecord
from casework.roles import Role
from casework.selectors import audit as audit_selectors


class AuditReaderPermission(IsAuthenticatedMember):
    """Supervisors and administrators; caseworkers, trainers and employer users get 403."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        user = request.user
        return bool(user.is_superuser or user.has_role(Role.ADMINISTRATOR, Role.SUPERVISOR))


# --- Output ---------------------------------------------------------------------------------------------


# The shape of one entry of `changes` (the values are JSON as stored: strings, numbers, lists, null).
FIELD_CHANGES = inline_serializer(
    name="FieldChange",
    many=True,
    fields={
        "field": serializers.CharField(help_text=_("The stored field name.")),
        "label": serializers.CharField(help_text=_("The field's label in the request's language.")),
        "old": serializers.JSONField(allow_null=True, help_text=_("Null when the record was created.")),
        "new": serializers.JSONField(allow_null=True, help_text=_("Null when the record was deleted.")),
    },
)


class ChangeRecordSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    applicant: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="reference_code",
        read_only=True,
        allow_null=True,
        help_text=_("The person's reference code."),
    )
    record_kind = serializers.SerializerMethodField(
        help_text=_("The kind of record in the request's language.")
    )
    object_label = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()
    values_hidden = serializers.SerializerMethodField(
        help_text=_(
            "True when the record is sensitive information or a confidential note you may not read: "
            "who changed it and when is shown, its values and label are not."
        )
    )

    class Meta:
        model = ChangeRecord
        fields = [
            "id",
            "at",
            "actor",
            "request_id",
            "source",
            "applicant",
            "model",
            "record_kind",
            "object_id",
            "object_label",
            "action",
            "changes",
            "values_hidden",
            "erased",
        ]
        read_only_fields = fields

    def _hidden(self, record: ChangeRecord) -> bool:
        return record.pk in self.context.get("hidden_ids", set())

    def get_record_kind(self, record: ChangeRecord) -> str:
        return audit_selectors.record_kind(record.model)

    def get_object_label(self, record: ChangeRecord) -> str:
        return "" if self._hidden(record) else record.object_label

    def get_values_hidden(self, record: ChangeRecord) -> bool:
        return self._hidden(record)

    @extend_schema_field(FIELD_CHANGES)
    def get_changes(self, record: ChangeRecord) -> list[dict[str, Any]]:
        if self._hidden(record):
            return []
        return [
            {
                "field": key,
                "label": audit_selectors.field_label(record.model, key),
                "old": change.get("old"),
                "new": change.get("new"),
            }
            for key, change in record.changes.items()
        ]


class AccessLogEntrySerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    applicant: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="reference_code",
        read_only=True,
        allow_null=True,
        help_text=_("The person's reference code."),
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = AccessLogEntry
        fields = [
            "id",
            "at",
            "actor",
            "actor_label",
            "request_id",
            "kind",
            "kind_label",
            "applicant",
            "object_label",
            "ip_address",
            "detail",
        ]
        read_only_fields = fields


# --- Endpoints ------------------------------------------------------------------------------------------


class _AuditViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [AuditReaderPermission]
    http_method_names = ["get", "head", "options"]


@extend_schema_view(
    list=extend_schema(
        summary="Change history (supervisors: their teams' people; administrators: the organisation)",
        description=(
            "Who changed what, when and in which request, with each field's old and new value, newest "
            "first. Filter by `applicant` (reference code), `model`, `actor` (user id), `action`, "
            "`since` and `until` (dates)."
        ),
    ),
    retrieve=extend_schema(summary="One change record"),
)
class ChangeRecordViewSet(_AuditViewSet):
    serializer_class = ChangeRecordSerializer
    filterset_class = ChangeRecordFilterSet

    def get_queryset(self) -> QuerySet[ChangeRecord]:
        return audit_selectors.history_visible_to(self.request.user).order_by("-at", "-pk")

    def _respond(self, rows: list[ChangeRecord], *, many: bool) -> dict[str, Any] | list[Any]:
        user = self.request.user
        applicants = {row.applicant_id: row.applicant for row in rows if row.applicant_id}
        hidden = audit_selectors.hidden_record_ids(rows, user=user, applicants=applicants)
        # Past values are part of each person's file: reading them is logged like reading the file.
        log_access_many(
            actor=user,
            kind=AccessLogEntry.Kind.APPLICANT_VIEW,
            applicant_ids=[row.applicant_id for row in rows if row.applicant_id],
            detail={"page": "history", "via": "api"},
        )
        context = {**self.get_serializer_context(), "hidden_ids": hidden}
        data = ChangeRecordSerializer(rows if many else rows[0], many=many, context=context).data
        return data

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._respond(list(page or []), many=True))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._respond([self.get_object()], many=False))


@extend_schema_view(
    list=extend_schema(
        summary="Access log (supervisors: their teams' people; administrators: the organisation)",
        description=(
            "Every logged read — applicant pages, sensitive sections, full card numbers, documents, "
            "exports, duplicate checks — and, for administrators, sign-ins, failed sign-ins and two-factor "
            "events, newest first. Filter by `applicant` (reference code), `kind`, `actor` (user id), "
            "`since` and `until` (dates)."
        ),
    ),
    retrieve=extend_schema(summary="One access-log entry"),
)
class AccessLogEntryViewSet(_AuditViewSet):
    serializer_class = AccessLogEntrySerializer
    filterset_class = AccessLogFilterSet

    def get_queryset(self) -> QuerySet[AccessLogEntry]:
        return audit_selectors.access_log_visible_to(self.request.user).order_by("-at", "-pk")
