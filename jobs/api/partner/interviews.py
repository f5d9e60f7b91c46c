"""The partner API's interviews, offers and hire reports: /api/v1/partner/interview-proposals/ (propose,
list, withdraw), /interviews/ (list, one, record the outcome), /offers/ and /hire-reports/ (record one, list yours).

The same services and messages as the portal's candidate page (jobs.services.proposals, .offers); every
read through jobs.selectors.partner (and .proposals on it), so another employer's referral, proposal or
interview is a 404 like an id that does not exist. A paused partnership is read-only (PartnerPermission).
The responses carry no person's data beyond the referral's id: the person is in the share packet
(/api/v1/partner/referrals/).
"""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.fields import ServiceChoiceField
from casework.models import User
from jobs.api.partner.base import PARTNER_TAG, PartnerViewSet
from jobs.models import (
    MAX_SLOTS,
    EmploymentTerms,
    Interview,
    InterviewProposal,
    ProposalSlot,
    Referral,
    TermsKind,
    WageUnit,
)
from jobs.selectors.partner import partner_referrals
from jobs.selectors.proposals import partner_interviews, partner_proposals, partner_terms
from jobs.services.offers import (
    PORTAL_OUTCOMES,
    hire_report_record,
    interview_outcome_record,
    offer_record,
)
from jobs.services.proposals import interview_proposal_withdraw, interview_propose

BIGGEST_ID = 2**63 - 1


class PartnerWriteViewSet(PartnerViewSet):
    """A partner viewset whose writes name one of the employer's referrals in their input."""

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)

    def parsed(self, serializer: type[serializers.Serializer]) -> dict[str, Any]:
        parsed = serializer(data=self.request.data)
        parsed.is_valid(raise_exception=True)
        return dict(parsed.validated_data)

    def own_referral(self, pk: int) -> Referral:
        """The employer's referral named in the input: another employer's (or none) is a 404."""
        referral = partner_referrals(self.request.user).filter(pk=pk).first() if pk <= BIGGEST_ID else None
        if referral is None:
            raise Http404
        return referral


class ReferralIdField(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("The referral's id (one of yours: another is a 404)."))
        super().__init__(min_value=1, **kwargs)


# --- Interview proposals ---------------------------------------------------------------------------------


class ProposalSlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalSlot
        fields = ["id", "starts_at"]
        read_only_fields = fields


class PartnerProposalSerializer(serializers.ModelSerializer):
    slots = ProposalSlotSerializer(many=True, read_only=True)
    interview = serializers.IntegerField(source="interview_id", allow_null=True, read_only=True)

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
            "proposed_at",
            "decided_at",
        ]
        read_only_fields = fields


class PartnerProposalInputSerializer(serializers.Serializer):
    referral = ReferralIdField()
    slots = serializers.ListField(
        child=serializers.DateTimeField(),
        allow_empty=True,
        max_length=MAX_SLOTS,
        help_text=_("One to three times, in the future."),
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    link = serializers.CharField(required=False, allow_blank=True, max_length=200)
    interpreter_needed = serializers.BooleanField(required=False)
    interpreter_language = serializers.CharField(required=False, allow_blank=True, max_length=60)
    note = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="Your interview proposals", tags=[PARTNER_TAG]),
    retrieve=extend_schema(summary="One of your interview proposals", tags=[PARTNER_TAG]),
)
class PartnerProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerWriteViewSet):
    serializer_class = PartnerProposalSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[InterviewProposal]:
        return partner_proposals(self.request.user)

    def _output(self, pk: int) -> dict[str, Any]:
        return PartnerProposalSerializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(
        summary="Propose an interview: one to three times; the candidate's caseworker confirms one",
        request=PartnerProposalInputSerializer,
        responses={201: PartnerProposalSerializer},
        tags=[PARTNER_TAG],
    )
    def create(self, request: Request) -> Response:
        data = self.parsed(PartnerProposalInputSerializer)
        referral = self.own_referral(data.pop("referral"))
        with transaction.atomic(), service_errors():
            proposal = interview_propose(by=self.actor, referral=referral, data=data)
            output = self._output(proposal.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw your proposal while it waits",
        request=None,
        responses={200: PartnerProposalSerializer},
        tags=[PARTNER_TAG],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        with transaction.atomic(), service_errors():
            interview_proposal_withdraw(by=self.actor, proposal=proposal)
            output = self._output(proposal.pk)
        return Response(output)


# --- Interviews and their outcome --------------------------------------------------------------------------


class PartnerInterviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Interview
        fields = [
            "id",
            "referral",
            "starts_at",
            "place",
            "link",
            "interpreter_needed",
            "interpreter_language",
            "outcome",
        ]
        read_only_fields = fields


class PartnerOutcomeSerializer(serializers.Serializer):
    outcome = ServiceChoiceField(
        choices=[(value.value, value.label) for value in PORTAL_OUTCOMES],
        help_text=_("passed, not_passed or no_show."),
    )


@extend_schema_view(
    list=extend_schema(summary="Interviews of your candidates", tags=[PARTNER_TAG]),
    retrieve=extend_schema(summary="One interview", tags=[PARTNER_TAG]),
)
class PartnerInterviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerWriteViewSet):
    serializer_class = PartnerInterviewSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Interview]:
        return partner_interviews(self.request.user)

    @extend_schema(
        summary="Record how an interview went",
        request=PartnerOutcomeSerializer,
        responses={200: PartnerInterviewSerializer},
        tags=[PARTNER_TAG],
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        interview = self.get_object()
        data = self.parsed(PartnerOutcomeSerializer)
        with transaction.atomic(), service_errors():
            interview_outcome_record(by=self.actor, interview=interview, outcome=data["outcome"])
            output = PartnerInterviewSerializer(self.get_queryset().get(pk=interview.pk)).data
        return Response(output)


# --- Offers and hire reports --------------------------------------------------------------------------------


class PartnerTermsSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(source="referral.stage", read_only=True)

    class Meta:
        model = EmploymentTerms
        fields = [
            "id",
            "referral",
            "kind",
            "stage",
            "start_date",
            "hours_per_week",
            "daily_hours",
            "wage",
            "wage_unit",
            "recorded_at",
        ]
        read_only_fields = fields


class PartnerOfferInputSerializer(serializers.Serializer):
    referral = ReferralIdField()
    start_date = serializers.DateField(required=False, allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    daily_hours = serializers.DecimalField(max_digits=4, decimal_places=2, required=False, allow_null=True)
    wage = serializers.IntegerField(required=False, help_text=_("The base wage in yen."))
    wage_unit = ServiceChoiceField(choices=WageUnit.choices, required=False)


class PartnerHireReportInputSerializer(PartnerOfferInputSerializer):
    documents_seen_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("The day you saw the residence card and designation paper yourself (required)."),
    )


class _TermsViewSet(mixins.ListModelMixin, PartnerWriteViewSet):
    serializer_class = PartnerTermsSerializer
    http_method_names = ["get", "post", "head", "options"]
    input_serializer: type[serializers.Serializer]
    kind: str

    def get_queryset(self) -> QuerySet[EmploymentTerms]:
        return partner_terms(self.request.user, kind=self.kind)

    def _record(self, service: Any) -> Response:
        data = self.parsed(self.input_serializer)
        referral = self.own_referral(data.pop("referral"))
        data = {key: value for key, value in data.items() if value is not None}
        with transaction.atomic(), service_errors():
            terms = service(by=self.actor, referral=referral, data=data)
            output = PartnerTermsSerializer(self.get_queryset().get(pk=terms.pk)).data
        return Response(output, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="The offers you recorded", tags=[PARTNER_TAG]))
class PartnerOfferViewSet(_TermsViewSet):
    input_serializer = PartnerOfferInputSerializer
    kind = TermsKind.OFFER

    @extend_schema(
        summary="Record an offer: the candidate moves to “offer” (wage at least the minimum wage)",
        request=PartnerOfferInputSerializer,
        responses={201: PartnerTermsSerializer},
        tags=[PARTNER_TAG],
    )
    def create(self, request: Request) -> Response:
        return self._record(offer_record)


@extend_schema_view(list=extend_schema(summary="The hires you reported", tags=[PARTNER_TAG]))
class PartnerHireReportViewSet(_TermsViewSet):
    input_serializer = PartnerHireReportInputSerializer
    kind = TermsKind.HIRE_REPORT

    @extend_schema(
        summary="Report a hire: the candidate's caseworker confirms it into a placement",
        request=PartnerHireReportInputSerializer,
        responses={201: PartnerTermsSerializer},
        tags=[PARTNER_TAG],
    )
    def create(self, request: Request) -> Response:
        return self._record(hire_report_record)
