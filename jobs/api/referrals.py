"""Referrals (propose, move a stage, confirm a reported hire) and their interviews.

Referrals are of the people whose case the user may read (DESIGN.md's matrix: own caseload, the
team's when shared, read-only; led teams for supervisors; all for administrators). A person is named
by reference code; naming one the user may not see is a 400 on ``applicant`` (the field is a lookup
among the visible ones, as everywhere in the API).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.fields import (
    ApplicantReferenceField,
    PlausibleDateField,
    ServiceChoiceField,
    UserRefSerializer,
)
from jobs.api.base import JobsViewSet
from jobs.api.messages import MessageInputSerializer, MessageSerializer
from jobs.api.placements import PlacementSerializer, placement_queryset
from jobs.filtersets.referrals import ReferralFilterSet
from jobs.models import (
    Interview,
    InterviewOutcome,
    JobOpening,
    ReasonCode,
    Referral,
    Stage,
    StageChange,
    WageUnit,
)
from jobs.selectors.messages import thread_messages
from jobs.selectors.referrals import newest_moves_first, referrals_for_list
from jobs.services.messages import referral_message_post, referral_messages_mark_read
from jobs.services.placements import placement_confirm
from jobs.services.referrals import INTERVIEW_FIELDS, interview_save, referral_move, referral_propose


class OpeningRefSerializer(serializers.ModelSerializer):
    employer = serializers.CharField(source="employer.name", read_only=True)
    employer_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = JobOpening
        fields = ["id", "title", "employer_id", "employer"]
        read_only_fields = fields


class StageChangeSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True)

    class Meta:
        model = StageChange
        fields = ["from_stage", "to_stage", "reason_code", "reason_text", "by", "at"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)
    opening = OpeningRefSerializer(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "applicant",
            "opening",
            "stage",
            "reason_code",
            "reason_text",
            "stage_changed_at",
            "reported_start_date",
            "documents_seen_on",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class ReferralDetailSerializer(ReferralSerializer):
    history = StageChangeSerializer(source="stage_changes", many=True, read_only=True)

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "history"]
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer):
    applicant = ApplicantReferenceField(help_text=_("The person's reference code."))
    opening = serializers.PrimaryKeyRelatedField(
        queryset=JobOpening.objects.none(), help_text=_("Opening id.")
    )
    note = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["opening"].queryset = JobOpening.objects.visible_to(  # type: ignore[attr-defined]
                request.user
            ).select_related("employer")


class ReferralMoveSerializer(serializers.Serializer):
    stage = ServiceChoiceField(choices=Stage.choices)
    version = serializers.IntegerField(
        help_text=_(
            "The version you read: if someone moved the card since, nothing changes and you are told."
        )
    )
    reason_code = ServiceChoiceField(choices=ReasonCode.choices, required=False, allow_blank=True)
    reason_text = serializers.CharField(required=False, allow_blank=True)
    start_date = PlausibleDateField(
        required=False, allow_null=True, help_text=_("With a reported hire: the day the job starts.")
    )
    documents_seen_on = PlausibleDateField(
        required=False,
        allow_null=True,
        help_text=_(
            "Required with a reported hire: the day the employer saw the residence card and designation "
            "paper itself (not in the future, not after the start date)."
        ),
    )


class ConfirmHireSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    start_date = PlausibleDateField(required=False, allow_null=True)
    contract_end = PlausibleDateField(required=False, allow_null=True)
    probation_end = PlausibleDateField(required=False, allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    daily_hours = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    wage = serializers.IntegerField(required=False)
    wage_unit = ServiceChoiceField(choices=WageUnit.choices, required=False)
    employment_insurance = serializers.BooleanField(
        required=False, allow_null=True, help_text=_("Leave out to have it worked out from the hours.")
    )


class ConfirmedSerializer(serializers.Serializer):
    placement = PlacementSerializer()
    withdrawn = serializers.IntegerField(
        help_text=_("The person's other open referrals, withdrawn as “placed elsewhere”.")
    )
    opening_filled = serializers.BooleanField()


@extend_schema_view(
    list=extend_schema(summary="Referrals of the people whose case you may read"),
    retrieve=extend_schema(summary="One referral with its stage history"),
)
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, JobsViewSet):
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilterSet

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ReferralDetailSerializer if self.action == "retrieve" else ReferralSerializer

    def get_queryset(self) -> QuerySet[Referral]:
        rows = newest_moves_first(referrals_for_list(user=self.request.user), user=self.request.user)
        if self.action == "retrieve":
            rows = rows.prefetch_related(
                Prefetch(
                    "stage_changes", queryset=StageChange.objects.select_related("by").order_by("at", "pk")
                )
            )
        return rows

    def _output(self, pk: int) -> dict[str, Any]:
        return ReferralSerializer(self.visible_after_write(self.get_queryset(), pk)).data

    @extend_schema(
        summary="Propose a person for an open opening",
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(ReferralCreateSerializer)
        with transaction.atomic(), service_errors():
            referral = referral_propose(
                by=self.actor, applicant=data["applicant"], opening=data["opening"], note=data.get("note", "")
            )
            output = self._output(referral.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move a referral to another stage",
        request=ReferralMoveSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def move(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        data = self.parsed_input(ReferralMoveSerializer)
        with transaction.atomic(), service_errors():
            referral_move(by=self.actor, referral=referral, data=data)
            output = self._output(referral.pk)
        return Response(output)

    @extend_schema(
        summary="Confirm a reported hire: the placement, its follow-ups, the other referrals withdrawn",
        request=ConfirmHireSerializer,
        responses={201: ConfirmedSerializer},
    )
    @action(detail=True, methods=["post"], url_path="confirm-hire", filter_backends=[], pagination_class=None)
    def confirm_hire(self, request: Request, pk: str) -> Response:
        referral = self.get_object()
        data = {k: v for k, v in self.parsed_input(ConfirmHireSerializer).items() if v is not None}
        with transaction.atomic(), service_errors():
            confirmed = placement_confirm(by=self.actor, referral=referral, data=data)
            placement = self.visible_after_write(
                placement_queryset(self.request.user), confirmed.placement.pk
            )
            output = {
                "placement": PlacementSerializer(placement).data,
                "withdrawn": confirmed.withdrawn,
                "opening_filled": confirmed.opening_filled,
            }
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The referral's messages with the employer, oldest first",
        responses=MessageSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Send a message to the employer's portal users (plain text)",
        request=MessageInputSerializer,
        responses={201: MessageSerializer},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], serializer_class=MessageSerializer)
    def messages(self, request: Request, pk: str) -> Response:
        """Readers of the referral see the thread; those who may write the referral post (else 403)."""
        referral = self.get_object()
        if request.method == "POST":
            data = self.parsed_input(MessageInputSerializer)
            with transaction.atomic(), service_errors():
                message = referral_message_post(by=self.actor, referral=referral, body=data["body"])
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        referral_messages_mark_read(by=self.actor, referral=referral)
        page = self.paginate_queryset(thread_messages(referral))
        return self.get_paginated_response(MessageSerializer(page, many=True).data)


# --- Interviews -----------------------------------------------------------------------------------------


class InterviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Interview
        fields = ["id", "referral", *INTERVIEW_FIELDS, "created_at"]
        read_only_fields = fields


class InterviewUpdateSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    link = serializers.CharField(required=False, allow_blank=True, max_length=200)
    interpreter_needed = serializers.BooleanField(required=False)
    interpreter_language = serializers.CharField(required=False, allow_blank=True, max_length=60)
    outcome = ServiceChoiceField(choices=InterviewOutcome.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class InterviewCreateSerializer(InterviewUpdateSerializer):
    referral = serializers.PrimaryKeyRelatedField(
        queryset=Referral.objects.none(), help_text=_("Referral id.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["referral"].queryset = Referral.objects.visible_to(  # type: ignore[attr-defined]
                request.user
            )


@extend_schema_view(
    list=extend_schema(summary="Interviews of the referrals you may read"),
    retrieve=extend_schema(summary="One interview"),
)
class InterviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, JobsViewSet):
    serializer_class = InterviewSerializer

    def get_queryset(self) -> QuerySet[Interview]:
        return Interview.objects.visible_to(self.request.user).order_by("-starts_at", "-pk")

    def _output(self, pk: int) -> dict[str, Any]:
        return InterviewSerializer(self.visible_after_write(self.get_queryset(), pk)).data

    @extend_schema(
        summary="Record an interview", request=InterviewCreateSerializer, responses={201: InterviewSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(InterviewCreateSerializer)
        referral = data.pop("referral")
        with transaction.atomic(), service_errors():
            interview = interview_save(by=self.actor, referral=referral, data=data)
            output = self._output(interview.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an interview (its outcome, time or place)",
        request=InterviewUpdateSerializer,
        responses={200: InterviewSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        interview = self.get_object()
        data = self.parsed_input(InterviewUpdateSerializer)
        merged = {key: getattr(interview, key) for key in INTERVIEW_FIELDS} | data
        with transaction.atomic(), service_errors():
            interview_save(by=self.actor, referral=interview.referral, data=merged, interview=interview)
            output = self._output(interview.pk)
        return Response(output)
