"""Interview proposals for staff: the times employers proposed from the portal, and confirming one (the
interview is recorded, the employer told) or declining with a reason.

Proposals of the referrals the user may read; confirming and declining need the right to write the
referral (the person's caseworker, their supervisor, an administrator: Referral.objects.editable_by),
else 403. Employer users get 403 on every route (the staff API's door); their side is the partner API.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from jobs.api.base import JobsViewSet
from jobs.filtersets.proposals import InterviewProposalFilterSet
from jobs.models import InterviewProposal, ProposalSlot
from jobs.services.proposals import interview_proposal_confirm, interview_proposal_decline


class SlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalSlot
        fields = ["id", "starts_at"]
        read_only_fields = fields


class InterviewProposalSerializer(serializers.ModelSerializer):
    slots = SlotSerializer(many=True, read_only=True)

    class Meta:
        model = InterviewProposal
        fields = [
            "id",
            "referral",
            "status",
            "slots",
            "place",
            "link",
            "interpreter_needed",
            "interpreter_language",
            "note",
            "decline_reason",
            "interview",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class ConfirmSlotSerializer(serializers.Serializer):
    slot = serializers.IntegerField(help_text=_("The id of one of the proposal's times."))


class DeclineSerializer(serializers.Serializer):
    decline_reason = serializers.CharField(allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="Interview proposals of the referrals you may read"),
    retrieve=extend_schema(summary="One interview proposal"),
)
class InterviewProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, JobsViewSet):
    serializer_class = InterviewProposalSerializer
    filterset_class = InterviewProposalFilterSet

    def get_queryset(self) -> QuerySet[InterviewProposal]:
        return (
            InterviewProposal.objects.visible_to(self.request.user)
            .prefetch_related(Prefetch("slots", queryset=ProposalSlot.objects.order_by("starts_at", "pk")))
            .order_by("-proposed_at", "-pk")
        )

    def _output(self, pk: int) -> dict[str, Any]:
        return InterviewProposalSerializer(self.visible_after_write(self.get_queryset(), pk)).data

    @extend_schema(
        summary="Confirm one of the proposed times: the interview is recorded and the employer told",
        request=ConfirmSlotSerializer,
        responses={200: InterviewProposalSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def confirm(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        data = self.parsed_input(ConfirmSlotSerializer)
        with transaction.atomic(), service_errors():
            interview_proposal_confirm(by=self.actor, proposal=proposal, slot=data["slot"])
            output = self._output(proposal.pk)
        return Response(output)

    @extend_schema(
        summary="Decline a proposal, saying why",
        request=DeclineSerializer,
        responses={200: InterviewProposalSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def decline(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        data = self.parsed_input(DeclineSerializer)
        with transaction.atomic(), service_errors():
            interview_proposal_decline(by=self.actor, proposal=proposal, reason=data["decline_reason"])
            output = self._output(proposal.pk)
        return Response(output)
