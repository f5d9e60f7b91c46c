"""Consent and sensitive-information endpoints.

Consents are read like the legal records (visible_to) and written through the consent services;
revocation is its own action. Sensitive information answers only the assigned caseworker and the
team's supervisors (SensitiveRecord.objects.visible_to), and only while the person's
sensitive-information consent is current; every response that carries texts (a list page, one record)
writes a `sensitive_view` entry per person in the access log. Writes are per category: POST creates
the category's text or replaces it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework import audit, selectors, services
from casework.api.base import CaseRecordViewSet
from casework.api.errors import service_errors
from casework.api.fields import (
    ApplicantReferenceField,
    PlausibleDateField,
    ServiceChoiceField,
    UserRefSerializer,
    max_length,
)
from casework.filtersets.consent import ConsentFilterSet, SensitiveRecordFilterSet
from casework.models import AccessLogEntry, Consent, ConsentPurpose, Document, FieldGroup, SensitiveRecord

# --- Consents ---------------------------------------------------------------------------------------------


class DocumentInputField(serializers.PrimaryKeyRelatedField):
    """A document the requesting user may see, by id (the service checks it is the person's own)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Document.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Document]:
        request = self.context.get("request")
        return Document.objects.visible_to(request.user) if request else Document.objects.none()


class ConsentSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)
    scope = serializers.ListField(
        child=serializers.ChoiceField(choices=FieldGroup.choices),
        read_only=True,
        help_text=_("Field groups covered."),
    )
    state = serializers.SerializerMethodField(help_text=_("Where the consent stands today."))
    recorded_by = UserRefSerializer(read_only=True)
    form_document: serializers.PrimaryKeyRelatedField[Document] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = Consent
        fields = [
            "id",
            "applicant",
            "purpose",
            "purpose_label",
            "employer_name",
            "employer_ref",
            "scope",
            "granted_on",
            "expires_on",
            "revoked_on",
            "state",
            "recorded_by",
            "form_document",
            "note",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=selectors.ConsentState.choices))
    def get_state(self, instance: Consent) -> str:
        return selectors.consent_state(instance, self.context.get("today") or timezone.localdate())


class ConsentCreateSerializer(serializers.Serializer):
    applicant = ApplicantReferenceField(help_text=_("The applicant's reference code."))
    purpose = ServiceChoiceField(choices=ConsentPurpose.choices, required=False)
    employer_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=max_length(Consent, "employer_name"),
        help_text=_("Required when sharing with an employer: the employer the person agreed to."),
    )
    employer_ref = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=max_length(Consent, "employer_ref"),
        help_text=_("The partner employer's reference, set by the jobs app (e.g. jobs.employer:12)."),
    )
    scope = serializers.ListField(
        child=ServiceChoiceField(choices=FieldGroup.choices),
        required=False,
        help_text=_("The field groups the consent covers."),
    )
    granted_on = PlausibleDateField(required=False, allow_null=True)
    expires_on = PlausibleDateField(required=False, allow_null=True)
    form_document = DocumentInputField(
        required=False, allow_null=True, help_text=_("The signed form: a document of the same person.")
    )
    note = serializers.CharField(required=False, allow_blank=True)


class ConsentRevokeSerializer(serializers.Serializer):
    revoked_on = PlausibleDateField(
        required=False,
        allow_null=True,
        help_text=_("The day the person withdrew the consent (default today)."),
    )


@extend_schema_view(
    list=extend_schema(summary="Consents of the applicants visible to you"),
    retrieve=extend_schema(summary="One consent"),
)
class ConsentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet):
    serializer_class = ConsentSerializer
    access_log_kind = AccessLogEntry.Kind.APPLICANT_VIEW  # a consent is read as part of the case file
    filterset_class = ConsentFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Consent]:
        return Consent.objects.visible_to(self.request.user).select_related("applicant", "recorded_by")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _output(self, pk: int) -> dict[str, Any]:
        consent = self.visible_after_write(self.get_queryset(), pk)
        return ConsentSerializer(consent, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Record a consent", request=ConsentCreateSerializer, responses={201: ConsentSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(ConsentCreateSerializer)
        applicant = data.pop("applicant")
        with transaction.atomic(), service_errors():
            consent = services.consent_record(by=self.actor, applicant=applicant, data=data)
            output = self._output(consent.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revoke a consent (from the given day, default today)",
        request=ConsentRevokeSerializer,
        responses={200: ConsentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="revoke", url_name="revoke", filter_backends=[])
    def revoke(self, request: Request, pk: str) -> Response:
        consent = self.get_object()
        data = self.parsed_input(ConsentRevokeSerializer)
        with transaction.atomic(), service_errors():
            services.consent_revoke(by=self.actor, consent=consent, revoked_on=data.get("revoked_on"))
            output = self._output(consent.pk)
        return Response(output)


# --- Sensitive information --------------------------------------------------------------------------------


class SensitiveRecordSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = SensitiveRecord
        fields = ["id", "applicant", "category", "category_label", "text", "recorded_by", "updated_at"]
        read_only_fields = fields


class SensitiveRecordInputSerializer(serializers.Serializer):
    applicant = ApplicantReferenceField(help_text=_("The applicant's reference code."))
    category = ServiceChoiceField(choices=SensitiveRecord.Category.choices, required=False)
    text = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Replaces the category's text if there is one.")
    )


class SensitiveEraseSerializer(serializers.Serializer):
    applicant = ApplicantReferenceField(help_text=_("The applicant's reference code."))


@extend_schema_view(
    list=extend_schema(
        summary="Sensitive information you may read (each person on the page is logged as viewed)"
    ),
    retrieve=extend_schema(summary="One category of a person's sensitive information (logged as viewed)"),
)
class SensitiveRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet):
    serializer_class = SensitiveRecordSerializer
    logs_lists = False  # each person on a page is logged as a sensitive-information view (_log_views)
    filterset_class = SensitiveRecordFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[SensitiveRecord]:
        return (
            selectors.sensitive_records_readable(user=self.request.user)
            .select_related("applicant", "recorded_by")
            .order_by("applicant_id", "category")
        )

    def _log_views(self, records: list[SensitiveRecord]) -> None:
        if not records:
            return
        audit.log_access_many(
            actor=self.actor,
            kind=AccessLogEntry.Kind.SENSITIVE_VIEW,
            applicant_ids=[record.applicant_id for record in records],
            detail={"via": "api"},
        )

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        records = list(page if page is not None else queryset)
        self._log_views(records)
        data = self.get_serializer(records, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, pk: str) -> Response:
        record = self.get_object()
        audit.log_access(
            actor=self.actor,
            kind=AccessLogEntry.Kind.SENSITIVE_VIEW,
            applicant_id=record.applicant_id,
            object_label=record.applicant.reference_code,
            detail={"via": "api", "categories": [record.category]},
        )
        return Response(self.get_serializer(record).data)

    @extend_schema(
        summary="Write one category of a person's sensitive information (created: 201, replaced: 200)",
        request=SensitiveRecordInputSerializer,
        responses={201: SensitiveRecordSerializer, 200: SensitiveRecordSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(SensitiveRecordInputSerializer)
        applicant, category = data["applicant"], data.get("category", "")
        existed = SensitiveRecord.objects.filter(applicant=applicant, category=category).exists()
        with transaction.atomic(), service_errors():
            record = services.sensitive_record_save(
                by=self.actor, applicant=applicant, category=category, text=data.get("text", "")
            )
            output = SensitiveRecordSerializer(self.visible_after_write(self.get_queryset(), record.pk)).data
        return Response(output, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary="Erase a person's sensitive information once no consent covers it",
        request=SensitiveEraseSerializer,
        responses={200: inline_serializer("SensitiveErased", {"erased": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="erase", url_name="erase", filter_backends=[])
    def erase(self, request: Request) -> Response:
        data = self.parsed_input(SensitiveEraseSerializer)
        with transaction.atomic(), service_errors():
            erased = services.sensitive_records_erase(by=self.actor, applicant=data["applicant"])
        return Response({"erased": erased})
