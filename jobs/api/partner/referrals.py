"""/api/v1/partner/referrals/: the employer's referrals, each with its share packet (list and one).

The rows come from jobs.selectors.partner.partner_referrals (the employer's own, from "shared" on) and
their packets from jobs.selectors.packets.share_packets, the same builder as the portal's pages; every
packet returned is in the access log. The serializer declares exactly the packet's keys (the schema shows
them, under the partner tag); a key the packet does not hold is absent from the response, never null.
There is no ?fields=, ?expand=, ?ordering= or ?search=: the order is always newest move first.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.models import User
from jobs.api.messages import MessageInputSerializer, MessageSerializer
from jobs.api.partner.base import PARTNER_TAG, PartnerViewSet
from jobs.models import Referral, Stage
from jobs.selectors.messages import partner_thread_referral, thread_messages
from jobs.selectors.packets import share_packets
from jobs.selectors.partner import partner_referrals
from jobs.services.messages import referral_message_post, referral_messages_mark_read
from jobs.services.packets import log_packet_reads

BIGGEST_ID = 2**63 - 1


class PacketLevelSerializer(serializers.Serializer):
    cefr = serializers.CharField()
    framework = serializers.CharField()
    level = serializers.CharField(allow_blank=True)
    assessed_on = serializers.DateField()


class PacketLanguageSerializer(serializers.Serializer):
    language = serializers.CharField()
    level = serializers.CharField(allow_blank=True, required=False)


class PacketAvailabilitySerializer(serializers.Serializer):
    earliest_start = serializers.DateField(allow_null=True)
    hours_per_week = serializers.IntegerField(allow_null=True)
    days = serializers.ListField(child=serializers.CharField())
    shifts = serializers.ListField(child=serializers.CharField())
    prefectures = serializers.ListField(child=serializers.CharField(), help_text="Prefecture codes (JIS).")


class PacketDocumentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()


class PacketFollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.IntegerField()
    due_on = serializers.DateField()
    recorded = serializers.BooleanField()


class SharePacketSerializer(serializers.Serializer):
    """The share packet (jobs.selectors.packets): only the keys the packet holds are in a response."""

    reference_code = serializers.CharField()
    given_name = serializers.CharField(required=False)
    family_name = serializers.CharField(required=False, help_text="From the interview stage on.")
    japanese_level = PacketLevelSerializer(required=False, allow_null=True)
    skills = serializers.ListField(child=serializers.CharField(), required=False)
    languages = PacketLanguageSerializer(many=True, required=False)
    availability = PacketAvailabilitySerializer(required=False)
    may_work_until = serializers.DateField(required=False, allow_null=True)
    right_to_work_checked_on = serializers.DateField(
        required=False, help_text="The day the organisation saw the residence card and designation paper."
    )
    employer_must_check = serializers.CharField(required=False)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    nationality = serializers.CharField(required=False, allow_blank=True)
    work_history = serializers.CharField(required=False, allow_blank=True)
    education = serializers.CharField(required=False, allow_blank=True)
    documents = PacketDocumentSerializer(many=True, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    follow_ups = PacketFollowUpSerializer(many=True, required=False)

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name not in instance:
                continue
            value = instance[name]
            shown[name] = None if value is None else field.to_representation(value)
        return shown


class PartnerReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    opening = serializers.IntegerField(source="opening_id")
    opening_title = serializers.CharField(source="opening.title")
    stage = serializers.ChoiceField(choices=Stage.choices)
    stage_changed_at = serializers.DateTimeField()
    packet = serializers.SerializerMethodField()

    @extend_schema_field(SharePacketSerializer(allow_null=True))
    def get_packet(self, referral: Referral) -> dict[str, Any] | None:
        packet = self.context["packets"].get(referral.pk)
        return None if packet is None else SharePacketSerializer(packet).data


@extend_schema(tags=[PARTNER_TAG])
class PartnerReferralViewSet(PartnerViewSet):
    """The employer's referrals with their share packets (null: the person's consent is not current)."""

    serializer_class = PartnerReferralSerializer
    http_method_names = ["get", "post", "head", "options"]  # POST: only the messages route
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return (
            partner_referrals(self.request.user)
            .select_related("opening")
            .order_by("-stage_changed_at", "-pk")
        )

    def _rows(self, referrals: list[Referral]) -> Any:
        packets = share_packets(referrals)
        log_packet_reads(
            user=self.request.user, access=self.partner, referrals=referrals, packets=packets, door="api"
        )
        return PartnerReferralSerializer(referrals, many=True, context={"packets": packets}).data

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._rows(list(page or [])))

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        number = int(pk or 0)
        referral = self.get_queryset().filter(pk=number).first() if number <= BIGGEST_ID else None
        if referral is None:
            raise NotFound
        return Response(self._rows([referral])[0])

    @extend_schema(
        methods=["GET"],
        summary="The referral's messages with the caseworker side, oldest first (they are marked read)",
        responses=MessageSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Send a message to the caseworker side (plain text)",
        request=MessageInputSerializer,
        responses={201: MessageSerializer},
    )
    @action(detail=True, methods=["get", "post"], serializer_class=MessageSerializer)
    def messages(self, request: Request, pk: str | None = None) -> Response:
        """A 404 for another employer's referral, one not shared, closed, or whose packet is not shown."""
        number = int(pk or 0)
        referral = partner_thread_referral(request.user, number) if number <= BIGGEST_ID else None
        if referral is None:
            raise NotFound
        if request.method == "POST":
            serializer = MessageInputSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            with transaction.atomic(), service_errors():
                message = referral_message_post(
                    by=cast(User, request.user), referral=referral, body=serializer.validated_data["body"]
                )
            return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
        referral_messages_mark_read(by=cast(User, request.user), referral=referral)
        page = self.paginate_queryset(thread_messages(referral))
        return self.get_paginated_response(MessageSerializer(page, many=True).data)
