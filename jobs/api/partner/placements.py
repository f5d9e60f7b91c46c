"""The partner API's placed workers, follow-up confirmations, notification filing and notifications.

/api/v1/partner/placements/ (list, one; POST {id}/notification/), /api/v1/partner/follow-ups/{id}/confirm/
(POST) and /api/v1/partner/notifications/ (list; POST {id}/read/, POST read-all/): the same selectors
(jobs.selectors.partner, jobs.selectors.partner_workers: the ONE share-packet builder), services and
messages as the portal's Workers and Notifications pages. Another employer's placement, follow-up or
notification is a 404 like an id that does not exist; a paused partnership is read-only.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.models import User
from jobs.api.partner.base import PARTNER_TAG, PartnerViewSet
from jobs.api.partner.referrals import PacketFollowUpSerializer
from jobs.models import (
    Difficulty,
    FollowUp,
    LeavingReason,
    Placement,
    PortalNotification,
    PortalNotificationKind,
    Referral,
    WageUnit,
)
from jobs.selectors.partner import partner_notifications
from jobs.selectors.partner_workers import partner_follow_ups, partner_placement_list, worker_views
from jobs.services.packets import log_packet_reads
from jobs.services.partner_workers import (
    placement_notification_file,
    portal_notification_mark_read,
    portal_notifications_mark_all_read,
)
from jobs.services.placements import follow_up_record

BIGGEST_ID = 2**63 - 1


def _number(pk: str | None) -> int:
    number = int(pk or 0)
    if number > BIGGEST_ID:
        raise NotFound
    return number


class PlacementPacketSerializer(serializers.Serializer):
    """The share packet of a placed worker: "may_work_until" only while the person's consent is current."""

    reference_code = serializers.CharField()
    given_name = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    follow_ups = PacketFollowUpSerializer(many=True)
    may_work_until = serializers.DateField(required=False, allow_null=True)

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name in instance:
                value = instance[name]
                shown[name] = None if value is None else field.to_representation(value)
        return shown


class EmploymentNoticeSerializer(serializers.Serializer):
    hire_due_on = serializers.DateField()
    hire_filed_on = serializers.DateField(allow_null=True)
    leaving_due_on = serializers.DateField(allow_null=True, help_text="Once the person has left.")
    leaving_filed_on = serializers.DateField(allow_null=True)


class EmploymentSerializer(serializers.Serializer):
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1)
    daily_hours = serializers.DecimalField(max_digits=4, decimal_places=2)
    wage = serializers.IntegerField()
    wage_unit = serializers.ChoiceField(choices=WageUnit.choices)
    employment_insurance = serializers.BooleanField()
    ended_on = serializers.DateField(allow_null=True)
    leaving_reason = serializers.CharField(allow_blank=True)
    notification = EmploymentNoticeSerializer()


class PartnerPlacementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    opening_title = serializers.CharField()
    packet = PlacementPacketSerializer()
    employment = serializers.SerializerMethodField()

    @extend_schema_field(EmploymentSerializer(allow_null=True))
    def get_employment(self, view: dict[str, Any]) -> dict[str, Any] | None:
        employment = view["employment"]
        return None if employment is None else EmploymentSerializer(employment).data


class FollowUpConfirmInputSerializer(serializers.Serializer):
    still_employed = serializers.BooleanField(required=False, allow_null=True, default=None)
    left_on = serializers.DateField(required=False, allow_null=True)
    leaving_reason = serializers.ChoiceField(choices=LeavingReason.choices, required=False, allow_blank=True)
    difficulties = serializers.ListField(
        child=serializers.ChoiceField(choices=Difficulty.choices), required=False
    )
    difficulty_note = serializers.CharField(required=False, allow_blank=True)


class FollowUpConfirmedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    month = serializers.IntegerField()
    due_on = serializers.DateField()
    outcome = serializers.CharField()
    leaving_reason = serializers.CharField(allow_blank=True)
    difficulties = serializers.ListField(child=serializers.ChoiceField(choices=Difficulty.choices))
    difficulty_note = serializers.CharField(allow_blank=True)


class NotificationFilingInputSerializer(serializers.Serializer):
    hire_notification_filed_on = serializers.DateField(required=False, allow_null=True)
    leaving_notification_filed_on = serializers.DateField(required=False, allow_null=True)


class PortalNotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PortalNotificationKind.choices)
    placement = serializers.IntegerField(source="placement_id", allow_null=True)
    referral = serializers.IntegerField(source="referral_id", allow_null=True)
    day = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread.")


def _actor(request: Request) -> User:
    return cast(User, request.user)


@extend_schema(tags=[PARTNER_TAG])
class PartnerPlacementViewSet(PartnerViewSet):
    """The employer's placed workers (newest start first), each with its share packet and, while the
    person's consent is current, the employment details and the employment notification."""

    serializer_class = PartnerPlacementSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Placement]:
        return partner_placement_list(self.request.user)

    def _rows(self, placements: list[Placement]) -> Any:
        views = worker_views(placements)
        log_packet_reads(
            user=self.request.user,
            access=self.partner,
            referrals=[
                Referral(pk=v["referral_id"], applicant_id=v["placement"].applicant_id) for v in views
            ],
            packets={v["referral_id"]: v["packet"] for v in views},
            door="api",
        )
        return PartnerPlacementSerializer(views, many=True).data

    def _one(self, pk: str | None) -> Placement:
        placement = self.get_queryset().filter(pk=_number(pk)).first()
        if placement is None:
            raise NotFound
        return placement

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._rows(list(page or [])))

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(self._rows([self._one(pk)])[0])

    @extend_schema(
        summary="Record the day you filed the employment notification (hire, leaving)",
        request=NotificationFilingInputSerializer,
        responses={200: PartnerPlacementSerializer},
    )
    @action(detail=True, methods=["post"])
    def notification(self, request: Request, pk: str | None = None) -> Response:
        placement = self._one(pk)
        incoming = NotificationFilingInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        with transaction.atomic(), service_errors():
            placement_notification_file(
                by=_actor(request), placement=placement, data=dict(incoming.validated_data)
            )
        return Response(self._rows([self._one(pk)])[0])


@extend_schema(tags=[PARTNER_TAG])
class PartnerFollowUpViewSet(PartnerViewSet):
    """Confirm a follow-up of one of your placed workers: still employed? (yes/no; if no, the day they
    left and why), difficulties from the fixed list and in your words."""

    serializer_class = FollowUpConfirmInputSerializer
    http_method_names = ["post", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[FollowUp]:
        return partner_follow_ups(self.request.user)

    @extend_schema(
        summary="Confirm a follow-up",
        request=FollowUpConfirmInputSerializer,
        responses={200: FollowUpConfirmedSerializer},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        follow_up = self.get_queryset().filter(pk=_number(pk)).first()
        if follow_up is None:
            raise NotFound
        incoming = FollowUpConfirmInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        with transaction.atomic(), service_errors():
            saved = follow_up_record(
                by=_actor(request),
                placement=follow_up.placement,
                month=follow_up.month,
                data=dict(incoming.validated_data),
            )
        return Response(
            FollowUpConfirmedSerializer(
                {
                    "id": saved.pk,
                    "month": saved.month,
                    "due_on": saved.due_on,
                    "outcome": saved.outcome,
                    "leaving_reason": saved.leaving_reason,
                    "difficulties": list(saved.difficulties.values_list("code", flat=True)),
                    "difficulty_note": saved.difficulty_note,
                }
            ).data
        )


@extend_schema(tags=[PARTNER_TAG])
class PartnerNotificationViewSet(PartnerViewSet):
    """Your portal notifications, newest first; mark one, or all, read (for all your colleagues)."""

    serializer_class = PortalNotificationSerializer
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[PortalNotification]:
        return partner_notifications(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PortalNotificationSerializer(list(page or []), many=True).data)

    @extend_schema(
        summary="Mark a notification read", request=None, responses={200: PortalNotificationSerializer}
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = self.get_queryset().filter(pk=_number(pk)).first()
        if notification is None:
            raise NotFound
        notification = portal_notification_mark_read(by=_actor(request), notification=notification)
        return Response(PortalNotificationSerializer(notification).data)

    @extend_schema(
        summary="Mark all notifications read",
        request=None,
        responses={200: MarkedReadSerializer},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": portal_notifications_mark_all_read(by=_actor(request))})
