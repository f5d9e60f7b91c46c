"""Reminder endpoints: the user's own notifications, acting on reminders, and the deadlines ahead.

- /api/v1/notifications/: the signed-in user's notifications about people they may see (filters
  kind, due_from, due_to, state); POST {id}/read/ and read-all/ mark them read.
- /api/v1/reminders/: reminders the user may act on (notified of, own caseload, led teams; all for
  administrators); POST {id}/acknowledge/, {id}/snooze/ {"until": "YYYY-MM-DD"}, {id}/task/. Anyone
  else's reminder is a 404; trainers and employer users get 403 on every POST.
- /api/v1/deadlines/: the live deadlines of the next `days` (default 90) days of the people whose
  legal records the user may read. Read-only.

Each list runs a fixed number of queries whatever its size: the page, its count, and one query for
the deadline states of the page (deadlines: one query per deadline source).
"""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework import services
from casework.api.base import CaseRecordViewSet
from casework.api.errors import service_errors
from casework.api.fields import ApplicantReferenceField, PlausibleDateField, UserRefSerializer
from casework.api.permissions import IsAuthenticatedMember
from casework.api.records import TaskSerializer
from casework.filtersets.reminders import NotificationFilterSet, ReminderFilterSet
from casework.models import DeadlineState, Notification, Reminder, User
from casework.selectors import reminders as selectors
from casework.templatetags.reminder_tags import reminder_offset_label

MAX_DAYS = 366


class DeadlineStatusSerializer(serializers.Serializer):
    """What people did about a deadline: acknowledged (by anyone), snoozed until."""

    acknowledged = serializers.BooleanField(read_only=True)
    acknowledged_at = serializers.DateTimeField(read_only=True, allow_null=True)
    acknowledged_by = UserRefSerializer(read_only=True, allow_null=True)
    snoozed_until = serializers.DateField(read_only=True, allow_null=True)


def _status(state: DeadlineState | None) -> dict[str, Any]:
    return {
        "acknowledged": bool(state and state.acknowledged_at),
        "acknowledged_at": state.acknowledged_at if state else None,
        "acknowledged_by": state.acknowledged_by if state else None,
        "snoozed_until": state.snoozed_until if state else None,
    }


class ReminderSerializer(serializers.ModelSerializer):
    applicant = ApplicantReferenceField(read_only=True)
    applicant_name = serializers.CharField(source="applicant.display_name", read_only=True)
    kind = serializers.CharField(source="source_kind", read_only=True, help_text=_("The deadline kind."))
    kind_label = serializers.SerializerMethodField()
    offset = serializers.CharField(
        read_only=True,
        help_text=_('Days relative to the deadline ("-30", "+45", "0"), or "on_record" or "overdue".'),
    )
    offset_label = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()

    class Meta:
        model = Reminder
        fields = [
            "id",
            "applicant",
            "applicant_name",
            "kind",
            "kind_label",
            "deadline_date",
            "offset",
            "offset_label",
            "due_on",
            "urgent",
            "state",
            "delivered_at",
            "deadline",
        ]
        read_only_fields = fields

    def get_kind_label(self, reminder: Reminder) -> str:
        return selectors.kind_label(reminder.source_kind)

    def get_offset_label(self, reminder: Reminder) -> str:
        return reminder_offset_label(reminder)

    @extend_schema_field(DeadlineStatusSerializer)
    def get_deadline(self, reminder: Reminder) -> dict[str, Any]:
        states = self.context.get("deadline_states")
        if states is None:
            states = selectors.deadline_states([selectors.deadline_key(reminder)])
        return DeadlineStatusSerializer(_status(states.get(selectors.deadline_key(reminder)))).data


class NotificationSerializer(serializers.ModelSerializer):
    reminder = ReminderSerializer(read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "purpose", "created_at", "read_at", "is_read", "reminder"]
        read_only_fields = fields

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class SnoozeSerializer(serializers.Serializer):
    until = PlausibleDateField(
        required=False,
        allow_null=True,
        help_text=_(
            "Pause escalation until this day: after today, the day before the deadline at the latest."
        ),
    )


# A task made from a reminder is shown as the tasks endpoint shows it (one schema component).


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True, help_text=_("How many notifications were marked read."))


def _actor(request: Request) -> User:
    """The signed-in member (IsAuthenticatedMember has let only them in)."""
    return cast(User, request.user)


def _page_states(rows: list[Any]) -> dict[selectors.DeadlineKey, DeadlineState]:
    return selectors.deadline_states(
        selectors.deadline_key(row.reminder if isinstance(row, Notification) else row) for row in rows
    )


# --- Notifications --------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Your notifications, newest first"))
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    permission_classes = [IsAuthenticatedMember]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.notifications_for(user=_actor(self.request))

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page) if page is not None else []
        context = {**self.get_serializer_context(), "deadline_states": _page_states(rows)}
        return self.get_paginated_response(NotificationSerializer(rows, many=True, context=context).data)

    @extend_schema(
        summary="Mark one of your notifications read", request=None, responses=NotificationSerializer
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notification = self.get_object()
        services.notification_mark_read(by=_actor(request), notification=notification)
        return Response(NotificationSerializer(notification, context=self.get_serializer_context()).data)

    @extend_schema(summary="Mark all your notifications read", request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None)
    def read_all(self, request: Request) -> Response:
        return Response({"marked": services.notifications_mark_all_read(by=_actor(request))})


# --- Reminders you may act on ---------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(summary="Reminders you may act on, latest first"))
class ReminderViewSet(mixins.ListModelMixin, CaseRecordViewSet):
    serializer_class = ReminderSerializer
    filterset_class = ReminderFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.reminders_for_api(user=self.actor)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page) if page is not None else []
        context = {**self.get_serializer_context(), "deadline_states": _page_states(rows)}
        return self.get_paginated_response(ReminderSerializer(rows, many=True, context=context).data)

    def _output(self, reminder: Reminder) -> dict[str, Any]:
        return ReminderSerializer(reminder, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Acknowledge the reminder's deadline (for everyone); marks your notifications of it read",
        request=None,
        responses=ReminderSerializer,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def acknowledge(self, request: Request, pk: str) -> Response:
        reminder = self.get_object()
        with service_errors():
            services.deadline_acknowledge(by=self.actor, reminder=reminder)
        return Response(self._output(reminder))

    @extend_schema(
        summary="Pause escalation of the reminder's deadline until a day (T-1 at the latest)",
        request=SnoozeSerializer,
        responses={
            200: ReminderSerializer,
            400: OpenApiResponse(description="The date is refused; see `until`."),
        },
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def snooze(self, request: Request, pk: str) -> Response:
        reminder = self.get_object()
        data = self.parsed_input(SnoozeSerializer)
        with service_errors():
            services.deadline_snooze(
                by=self.actor, reminder=reminder, until=data.get("until"), today=timezone.localdate()
            )
        return Response(self._output(reminder))

    @extend_schema(
        summary="Create a task from the reminder: for its applicant, due on the deadline, assigned to you",
        request=None,
        responses={201: TaskSerializer, 200: TaskSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def task(self, request: Request, pk: str) -> Response:
        reminder = self.get_object()
        with transaction.atomic(), service_errors():
            task, created = services.task_from_reminder(by=self.actor, reminder=reminder)
        data = TaskSerializer(task, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- Deadlines ahead ------------------------------------------------------------------------------------


class DeadlineQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_DAYS,
        default=selectors.DEADLINES_AHEAD_DAYS,
        help_text=_("How many days ahead, from today (1 to 366; 90 when left out)."),
    )
    kind = serializers.CharField(required=False, allow_blank=True, help_text=_("Only this deadline kind."))


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(read_only=True)
    source_id = serializers.IntegerField(read_only=True, help_text=_("The record the deadline comes from."))
    applicant = serializers.CharField(source="applicant.reference_code", read_only=True)
    applicant_name = serializers.CharField(source="applicant.display_name", read_only=True)
    deadline_date = serializers.DateField(read_only=True, help_text=_("The deadline as reminders name it."))
    due_date = serializers.DateField(
        read_only=True,
        help_text=_(
            "The day that matters: the deadline, or for a pending renewal the end of the special period."
        ),
    )
    days_left = serializers.IntegerField(read_only=True)
    acknowledged = serializers.BooleanField(read_only=True)


@extend_schema_view(
    list=extend_schema(
        summary="Deadlines of the next days (90 by default), soonest first",
        parameters=[DeadlineQuerySerializer],
    )
)
class DeadlineViewSet(viewsets.GenericViewSet):
    serializer_class = DeadlineSerializer
    permission_classes = [IsAuthenticatedMember]
    filter_backends: list[Any] = []

    def list(self, request: Request) -> Response:
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        kind = query.validated_data.get("kind") or None
        if kind is not None and kind not in dict(selectors.kind_choices()):
            raise serializers.ValidationError(
                {"kind": [_("Unknown deadline kind: %(kind)s.") % {"kind": kind}]}
            )
        rows = selectors.deadlines_ahead(user=_actor(request), days=query.validated_data["days"], kind=kind)
        page: list[selectors.DeadlineAhead] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        shown = selectors.with_details(list(page) if page is not None else [], user=_actor(request))
        return self.get_paginated_response(DeadlineSerializer(shown, many=True).data)
