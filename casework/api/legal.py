"""Legal-record endpoints: status periods, work permissions, right-to-work checks, reporting obligations,
refugee procedures.

Records name their applicant by reference code (as /api/v1/applicants/ does) and are themselves
addressed by id. Derived values (lawful stay, renewal window, appeal deadline) are read-only and come
from the model properties and selectors, never computed here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework import rules, selectors, services
from casework.api.base import CaseRecordViewSet
from casework.api.errors import service_errors
from casework.api.fields import (
    ApplicantReferenceField,
    PlausibleDateField,
    ServiceChoiceField,
    UserRefSerializer,
    max_length,
)
from casework.api.pagination import CappedCountPagination
from casework.filtersets.legal import (
    LegalStatusPeriodFilterSet,
    RefugeeProcedureFilterSet,
    ReportingObligationFilterSet,
    RightToWorkCheckFilterSet,
    WorkPermissionFilterSet,
)
from casework.models import (
    AccessLogEntry,
    LegalStatusPeriod,
    ProcedureEvent,
    ProcedureOutcome,
    RefugeeProcedure,
    RenewalDecision,
    ReportingObligation,
    RightToWorkCheck,
    WorkPermission,
)

# --- Legal status periods -------------------------------------------------------------------------------


class LegalStatusPeriodSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)
    status_label = serializers.CharField(source="kind_label", read_only=True)
    card_number_masked = serializers.CharField(read_only=True)
    lawful_stay_until = serializers.DateField(read_only=True, allow_null=True)
    renewal_window_opens = serializers.DateField(read_only=True, allow_null=True)
    grants_work = serializers.BooleanField(read_only=True)

    class Meta:
        model = LegalStatusPeriod
        fields = [
            "id",
            "applicant",
            "status_kind",
            "status_label",
            "status_other_label",
            "other_grants_work",
            "start_date",
            "end_date",
            "is_indefinite",
            "card_expiry_date",
            "card_number_masked",
            "designation_wording",
            "renewal_filed_on",
            "renewal_decision",
            "renewal_decided_on",
            "note",
            "lawful_stay_until",
            "renewal_window_opens",
            "grants_work",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LegalStatusPeriodUpdateSerializer(serializers.Serializer):
    """Period fields as sent; the service checks dates, overlaps and the card number."""

    status_kind = ServiceChoiceField(choices=rules.STATUS_KIND_CHOICES, required=False)
    status_other_label = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(LegalStatusPeriod, "status_other_label")
    )
    other_grants_work = serializers.BooleanField(required=False)
    start_date = PlausibleDateField(required=False, allow_null=True)
    end_date = PlausibleDateField(
        required=False,
        allow_null=True,
        help_text=_("The last day (inclusive). Empty only for an indefinite status."),
    )
    is_indefinite = serializers.BooleanField(required=False)
    card_expiry_date = PlausibleDateField(required=False, allow_null=True)
    designation_wording = serializers.CharField(required=False, allow_blank=True)
    renewal_filed_on = PlausibleDateField(required=False, allow_null=True)
    renewal_decision = ServiceChoiceField(choices=RenewalDecision.choices, required=False, allow_blank=True)
    renewal_decided_on = PlausibleDateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    card_number = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_(
            "Residence card number; full-width, lower case, spaces and hyphens are accepted. Never shown "
            "again: read card_number_masked. Empty clears it; left out keeps it."
        ),
    )
    confirm_card_conflict = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text=_("Save even though the card number is recorded for another person."),
    )


class LegalStatusPeriodCreateSerializer(LegalStatusPeriodUpdateSerializer):
    applicant = ApplicantReferenceField(help_text=_("The applicant's reference code."))
    end_current = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text=_("A status change: end the running period on the day before this one starts."),
    )


@extend_schema_view(
    list=extend_schema(summary="Legal status periods of the applicants visible to you"),
    retrieve=extend_schema(summary="One legal status period"),
)
class LegalStatusPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet):
    serializer_class = LegalStatusPeriodSerializer
    access_log_kind = AccessLogEntry.Kind.LEGAL_VIEW
    filterset_class = LegalStatusPeriodFilterSet

    pagination_class = CappedCountPagination  # 2.5 periods a person: counting dominated the list

    def get_queryset(self) -> QuerySet[LegalStatusPeriod]:
        # Each person's periods in order, people in the order they were recorded: the index
        # period_applicant_start_idx serves it, where the model's order (by the person's name) sorted every
        # visible period on every page (issue 14).
        return (
            LegalStatusPeriod.objects.visible_to(self.request.user)
            .select_related("applicant")
            .order_by("applicant_id", "start_date", "pk")
        )

    def _output(self, pk: int) -> dict[str, Any]:
        return LegalStatusPeriodSerializer(self.visible_after_write(self.get_queryset(), pk)).data

    @extend_schema(
        summary="Record a legal status period",
        request=LegalStatusPeriodCreateSerializer,
        responses={201: LegalStatusPeriodSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(LegalStatusPeriodCreateSerializer)
        applicant = data.pop("applicant")
        card_number = data.pop("card_number", None)
        confirm = data.pop("confirm_card_conflict")
        end_current = data.pop("end_current")
        with transaction.atomic(), service_errors():
            period = services.legal_period_record(
                by=self.actor,
                applicant=applicant,
                data=data,
                card_number=card_number,
                confirm_card_conflict=confirm,
                end_current=end_current,
            )
            output = self._output(period.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct a legal status period",
        request=LegalStatusPeriodUpdateSerializer,
        responses={200: LegalStatusPeriodSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        period = self.get_object()
        data = self.parsed_input(LegalStatusPeriodUpdateSerializer)
        card_number = data.pop("card_number", None)
        confirm = data.pop("confirm_card_conflict")
        with transaction.atomic(), service_errors():
            services.legal_period_update(
                by=self.actor,
                period=period,
                data=data,
                card_number=card_number,
                confirm_card_conflict=confirm,
            )
            output = self._output(period.pk)
        return Response(output)

    @extend_schema(summary="Delete a legal status period entered by mistake", responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        period = self.get_object()
        with service_errors():
            services.legal_period_delete(by=self.actor, period=period)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Work permissions -----------------------------------------------------------------------------------


class WorkPermissionSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)

    class Meta:
        model = WorkPermission
        fields = [
            "id",
            "applicant",
            "basis",
            "scope",
            "hours_per_week",
            "start_date",
            "end_date",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class WorkPermissionCreateSerializer(serializers.Serializer):
    applicant = ApplicantReferenceField(help_text=_("The applicant's reference code."))
    basis = ServiceChoiceField(choices=WorkPermission.Basis.choices, required=False)
    scope = ServiceChoiceField(choices=WorkPermission.Scope.choices, required=False)
    hours_per_week = serializers.IntegerField(required=False, allow_null=True)
    start_date = PlausibleDateField(required=False, allow_null=True)
    end_date = PlausibleDateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="Work permissions of the applicants visible to you"),
    retrieve=extend_schema(summary="One work permission"),
)
class WorkPermissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet):
    serializer_class = WorkPermissionSerializer
    access_log_kind = AccessLogEntry.Kind.LEGAL_VIEW
    filterset_class = WorkPermissionFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[WorkPermission]:
        return WorkPermission.objects.visible_to(self.request.user).select_related("applicant")

    @extend_schema(
        summary="Record a work permission",
        request=WorkPermissionCreateSerializer,
        responses={201: WorkPermissionSerializer},
    )
    def create(self, request: Request) -> Response:
        return self.create_for_applicant(
            WorkPermissionCreateSerializer,
            lambda applicant, data: services.work_permission_record(
                by=self.actor, applicant=applicant, data=data
            ),
        )


# --- Right-to-work checks -------------------------------------------------------------------------------


class RightToWorkCheckSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)
    checked_by = UserRefSerializer(read_only=True)

    class Meta:
        model = RightToWorkCheck
        fields = [
            "id",
            "applicant",
            "checked_on",
            "saw_residence_card",
            "saw_designation_paper",
            "note",
            "checked_by",
            "created_at",
        ]
        read_only_fields = fields


class RightToWorkCheckCreateSerializer(serializers.Serializer):
    """Who checked is the signed-in user; the service checks the date and that a document was seen."""

    applicant = ApplicantReferenceField(help_text=_("The applicant's reference code."))
    checked_on = PlausibleDateField(
        required=False, allow_null=True, help_text=_("The day the documents were seen; not in the future.")
    )
    saw_residence_card = serializers.BooleanField(
        required=False, help_text=_("The residence card (both sides) was seen.")
    )
    saw_designation_paper = serializers.BooleanField(
        required=False, help_text=_("The designation paper (指定書) was seen.")
    )
    note = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="Right-to-work checks of the applicants visible to you"),
    retrieve=extend_schema(summary="One right-to-work check"),
)
class RightToWorkCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet):
    """The days staff saw a person's residence card and designation paper. A check is never changed
    or deleted: a later one follows it."""

    serializer_class = RightToWorkCheckSerializer
    access_log_kind = AccessLogEntry.Kind.LEGAL_VIEW
    filterset_class = RightToWorkCheckFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[RightToWorkCheck]:
        # Each person's checks newest first, people in the order they were recorded: the index
        # rtw_check_applicant_idx serves it (the model's order joins the applicant to sort by name).
        return (
            RightToWorkCheck.objects.visible_to(self.request.user)
            .select_related("applicant", "checked_by")
            .order_by("applicant_id", "-checked_on", "-pk")
        )

    @extend_schema(
        summary="Record a right-to-work check (the residence card and designation paper seen on a day)",
        request=RightToWorkCheckCreateSerializer,
        responses={201: RightToWorkCheckSerializer},
    )
    def create(self, request: Request) -> Response:
        return self.create_for_applicant(
            RightToWorkCheckCreateSerializer,
            lambda applicant, data: services.right_to_work_check_record(
                by=self.actor, applicant=applicant, data=data
            ),
        )


# --- Reporting obligations ------------------------------------------------------------------------------


class ReportingObligationSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)

    class Meta:
        model = ReportingObligation
        fields = [
            "id",
            "applicant",
            "kind",
            "next_report_date",
            "place",
            "supervisor_name",
            "last_reported_on",
            "is_active",
            "note",
        ]
        read_only_fields = fields


class ReportingObligationCreateSerializer(serializers.Serializer):
    applicant = ApplicantReferenceField(help_text=_("The applicant's reference code."))
    kind = ServiceChoiceField(choices=ReportingObligation.Kind.choices, required=False)
    next_report_date = PlausibleDateField(required=False, allow_null=True)
    place = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(ReportingObligation, "place")
    )
    supervisor_name = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(ReportingObligation, "supervisor_name")
    )
    last_reported_on = PlausibleDateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="Reporting obligations of the applicants visible to you"),
    retrieve=extend_schema(summary="One reporting obligation"),
)
class ReportingObligationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet):
    serializer_class = ReportingObligationSerializer
    access_log_kind = AccessLogEntry.Kind.LEGAL_VIEW
    filterset_class = ReportingObligationFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[ReportingObligation]:
        return ReportingObligation.objects.visible_to(self.request.user).select_related("applicant")

    @extend_schema(
        summary="Record a reporting obligation",
        request=ReportingObligationCreateSerializer,
        responses={201: ReportingObligationSerializer},
    )
    def create(self, request: Request) -> Response:
        return self.create_for_applicant(
            ReportingObligationCreateSerializer,
            lambda applicant, data: services.reporting_obligation_record(
                by=self.actor, applicant=applicant, data=data
            ),
        )


# --- Refugee procedures and their events ----------------------------------------------------------------


class ProcedureEventSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ProcedureEvent
        fields = ["id", "kind", "date", "triage_category", "outcome", "note", "recorded_by", "created_at"]
        read_only_fields = fields


class RefugeeProcedureSerializer(serializers.ModelSerializer):
    """A procedure with its events and the appeal deadline derived from them (selectors.appeal_status)."""

    applicant = ApplicantReferenceField(read_only=True)
    events = ProcedureEventSerializer(many=True, read_only=True)
    needs_grounds = serializers.BooleanField(read_only=True)
    is_missing_grounds = serializers.BooleanField(
        read_only=True,
        help_text=_("A third or later application without material showing reasonable grounds."),
    )
    appeal_deadline = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("The last day to appeal: the refusal notice + 7 days.")
    )
    appeal_days_left = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Days left to appeal; empty once the appeal is filed.")
    )
    appeal_filed_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = RefugeeProcedure
        fields = [
            "id",
            "applicant",
            "ordinal",
            "applied_on",
            "grounds_submitted",
            "needs_grounds",
            "is_missing_grounds",
            "is_open",
            "note",
            "appeal_deadline",
            "appeal_days_left",
            "appeal_filed_late",
            "events",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: RefugeeProcedure) -> dict[str, Any]:
        day: date = self.context.get("today") or timezone.localdate()
        appeal = selectors.appeal_status(instance, day)
        # Plain attributes for the declared read-only fields above.
        instance.appeal_deadline = appeal.deadline if appeal else None  # type: ignore[attr-defined]
        instance.appeal_days_left = appeal.days_left if appeal and appeal.is_open else None  # type: ignore[attr-defined]
        instance.appeal_filed_late = bool(appeal and appeal.filed_late)  # type: ignore[attr-defined]
        return super().to_representation(instance)


class RefugeeProcedureUpdateSerializer(serializers.Serializer):
    grounds_submitted = serializers.BooleanField(required=False)
    is_open = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class RefugeeProcedureCreateSerializer(serializers.Serializer):
    applicant = ApplicantReferenceField(help_text=_("The applicant's reference code."))
    ordinal = serializers.IntegerField(
        required=False,
        allow_null=True,
        max_value=999,
        help_text=_("1 for a first application, 2 for a second, and so on."),
    )
    applied_on = PlausibleDateField(required=False, allow_null=True)
    grounds_submitted = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class ProcedureEventCreateSerializer(serializers.Serializer):
    kind = ServiceChoiceField(choices=ProcedureEvent.Kind.choices, required=False)
    date = PlausibleDateField(required=False, allow_null=True)
    triage_category = ServiceChoiceField(
        choices=ProcedureEvent.Triage.choices, required=False, allow_blank=True
    )
    outcome = ServiceChoiceField(choices=ProcedureOutcome.choices, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


def _events_prefetch() -> Prefetch:
    return Prefetch(
        "events", queryset=ProcedureEvent.objects.select_related("recorded_by").order_by("date", "pk")
    )


@extend_schema_view(
    list=extend_schema(summary="Refugee procedures of the applicants visible to you, with their events"),
    retrieve=extend_schema(summary="One refugee procedure with its events"),
)
class RefugeeProcedureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet):
    serializer_class = RefugeeProcedureSerializer
    access_log_kind = AccessLogEntry.Kind.LEGAL_VIEW
    filterset_class = RefugeeProcedureFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[RefugeeProcedure]:
        return (
            RefugeeProcedure.objects.visible_to(self.request.user)
            .select_related("applicant")
            .prefetch_related(_events_prefetch())
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _output(self, pk: int) -> dict[str, Any]:
        procedure = self.visible_after_write(self.get_queryset(), pk)
        return RefugeeProcedureSerializer(procedure, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Record a refugee-status application (its 'filed' event is recorded with it)",
        request=RefugeeProcedureCreateSerializer,
        responses={201: RefugeeProcedureSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(RefugeeProcedureCreateSerializer)
        applicant = data.pop("applicant")
        with transaction.atomic(), service_errors():
            procedure = services.procedure_record(by=self.actor, applicant=applicant, data=data)
            output = self._output(procedure.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a procedure (grounds submitted, open, note)",
        request=RefugeeProcedureUpdateSerializer,
        responses={200: RefugeeProcedureSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        procedure = self.get_object()
        data = self.parsed_input(RefugeeProcedureUpdateSerializer)
        with transaction.atomic(), service_errors():
            services.procedure_update(by=self.actor, procedure=procedure, data=data)
            output = self._output(procedure.pk)
        return Response(output)

    @extend_schema(
        summary="Record an event of the procedure (interview, triage, decision, refusal notice, appeal)",
        request=ProcedureEventCreateSerializer,
        responses={201: ProcedureEventSerializer},
    )
    @action(detail=True, methods=["post"], url_path="events", url_name="events", filter_backends=[])
    def events(self, request: Request, pk: str) -> Response:
        procedure = self.get_object()
        data = self.parsed_input(ProcedureEventCreateSerializer)
        with transaction.atomic(), service_errors():
            event = services.procedure_event_record(by=self.actor, procedure=procedure, data=data)
            events = ProcedureEvent.objects.visible_to(self.actor).select_related("recorded_by")
            output = ProcedureEventSerializer(self.visible_after_write(events, event.pk)).data
        return Response(output, status=status.HTTP_201_CREATED)
