"""Placements (confirmed hires) and their follow-ups; recording a follow-up's outcome.

A follow-up is one row per placement and month: recording a month again changes that row (the
issue: "a follow-up recorded twice for the same month: one row").
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.fields import ApplicantReferenceField, ServiceChoiceField
from jobs.api.base import JobsViewSet
from jobs.filtersets.referrals import FollowUpFilterSet, PlacementFilterSet
from jobs.models import FollowUp, FollowUpOutcome, LeavingReason, Placement, Reporter
from jobs.selectors.placements import newest_starts_first, placements_for_list
from jobs.services.placements import follow_up_record


def placement_queryset(user: Any) -> QuerySet[Placement]:
    return newest_starts_first(placements_for_list(user=user), user=user)


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = [
            "id",
            "placement",
            "month",
            "due_on",
            "outcome",
            "leaving_reason",
            "reported_by",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields


class PlacementSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)
    opening_title = serializers.CharField(source="opening.title", read_only=True)
    employer = serializers.CharField(source="opening.employer.name", read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Placement
        fields = [
            "id",
            "referral",
            "applicant",
            "opening",
            "opening_title",
            "employer",
            "start_date",
            "contract_end",
            "probation_end",
            "hours_per_week",
            "daily_hours",
            "wage",
            "wage_unit",
            "employment_insurance",
            "ended_on",
            "leaving_reason",
            "below_minimum_wage_since",
            "hire_notification_filed_on",
            "leaving_notification_filed_on",
            "confirmed_at",
            "follow_ups",
        ]
        read_only_fields = fields


class FollowUpListSerializer(FollowUpSerializer):
    applicant = ApplicantReferenceField(source="placement.applicant", read_only=True)
    employer = serializers.CharField(source="placement.opening.employer.name", read_only=True)

    class Meta(FollowUpSerializer.Meta):
        fields = [*FollowUpSerializer.Meta.fields, "applicant", "employer"]
        read_only_fields = fields


class FollowUpRecordSerializer(serializers.Serializer):
    outcome = ServiceChoiceField(choices=FollowUpOutcome.choices)
    leaving_reason = ServiceChoiceField(
        choices=LeavingReason.choices,
        required=False,
        allow_blank=True,
        help_text=_("Required when the person left."),
    )
    reported_by = ServiceChoiceField(choices=Reporter.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="Placements of the people whose case you may read"),
    retrieve=extend_schema(summary="One placement with its follow-ups"),
)
class PlacementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, JobsViewSet):
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilterSet
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[Placement]:
        return placement_queryset(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Follow-ups of the placements you may read, soonest due first"),
    retrieve=extend_schema(summary="One follow-up"),
)
class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, JobsViewSet):
    serializer_class = FollowUpListSerializer
    filterset_class = FollowUpFilterSet

    def get_queryset(self) -> QuerySet[FollowUp]:
        return (
            FollowUp.objects.visible_to(self.request.user)
            .select_related("placement", "placement__applicant", "placement__opening__employer")
            .order_by("due_on", "pk")
        )

    @extend_schema(
        summary="Record the follow-up's outcome (again: changes the same row)",
        request=FollowUpRecordSerializer,
        responses={200: FollowUpListSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def record(self, request: Request, pk: str) -> Response:
        follow_up = self.get_object()
        data = self.parsed_input(FollowUpRecordSerializer)
        with transaction.atomic(), service_errors():
            follow_up_record(by=self.actor, placement=follow_up.placement, month=follow_up.month, data=data)
            output = FollowUpListSerializer(self.visible_after_write(self.get_queryset(), follow_up.pk)).data
        return Response(output)
