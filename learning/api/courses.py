"""API of courses and sessions: /api/v1/courses/ (+generate-sessions), /api/v1/sessions/ (+cancel, and a
session's attendance sheet: GET, and POST to mark many learners at once, all or nothing).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.fields import PlausibleDateField, ServiceChoiceField, UserRefSerializer, max_length
from casework.models import User
from learning import selectors, services
from learning.api.base import LearnerSerializer, LearningViewSet
from learning.filtersets.courses import CourseFilterSet, SessionFilterSet
from learning.models import (
    MARKABLE,
    Attendance,
    AttendanceStatus,
    Course,
    CourseFormat,
    CourseKind,
    Enrollment,
    Session,
)
from learning.rules import CEFR_CHOICES


class CourseSerializer(serializers.ModelSerializer):
    trainers = UserRefSerializer(many=True, read_only=True)
    enrolled_count = serializers.IntegerField(read_only=True, help_text=_("Places taken."))
    waitlisted_count = serializers.IntegerField(read_only=True, help_text=_("People on the waiting list."))
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "name",
            "kind",
            "target_level",
            "format",
            "place",
            "description",
            "trainers",
            "starts_on",
            "ends_on",
            "capacity",
            "enrolled_count",
            "waitlisted_count",
            "places_left",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_places_left(self, course: Course) -> int:
        return max(course.capacity - getattr(course, "enrolled_count", 0), 0)


class CourseInputSerializer(serializers.Serializer):
    """Every field optional here: on create the service names what is missing, as the page does."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=max_length(Course, "name"))
    kind = ServiceChoiceField(choices=CourseKind.choices, required=False)
    target_level = ServiceChoiceField(choices=CEFR_CHOICES, required=False, allow_blank=True)
    format = ServiceChoiceField(choices=CourseFormat.choices, required=False)
    place = serializers.CharField(required=False, allow_blank=True, max_length=max_length(Course, "place"))
    description = serializers.CharField(required=False, allow_blank=True)
    starts_on = PlausibleDateField(required=False, allow_null=True)
    ends_on = PlausibleDateField(required=False, allow_null=True)
    capacity = serializers.IntegerField(required=False, allow_null=True)
    trainers = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=_("User ids of the trainers (administrators choose; a trainer teaches what they create)."),
    )


class GenerateSessionsSerializer(serializers.Serializer):
    weekdays = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=True,
        help_text=_("Days of the week, 0 = Monday … 6 = Sunday."),
    )
    start_time = serializers.TimeField(help_text=_("The time sessions start (Asia/Tokyo)."))
    duration_minutes = serializers.IntegerField(required=False, default=90)
    first_day = PlausibleDateField(
        required=False, allow_null=True, help_text=_("The term's start if left out.")
    )
    last_day = PlausibleDateField(required=False, allow_null=True, help_text=_("The term's end if left out."))
    topic = serializers.CharField(required=False, allow_blank=True, max_length=max_length(Session, "topic"))


class SessionSerializer(serializers.ModelSerializer):
    course_name = serializers.CharField(source="course.name", read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "course",
            "course_name",
            "starts_at",
            "duration_minutes",
            "topic",
            "cancelled",
            "cancel_reason",
        ]
        read_only_fields = fields


class SessionUpdateSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(required=False)
    topic = serializers.CharField(required=False, allow_blank=True, max_length=max_length(Session, "topic"))


class SessionCreateSerializer(SessionUpdateSerializer):
    course = serializers.IntegerField(help_text=_("The course's id."))
    starts_at = serializers.DateTimeField(required=False, allow_null=True)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Session, "cancel_reason")
    )


class SheetRowSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="pk", read_only=True)
    applicant = LearnerSerializer(read_only=True)
    enrollment_status = serializers.CharField(source="status", read_only=True)
    status = serializers.ChoiceField(
        choices=AttendanceStatus.choices,
        source="mark_status",
        read_only=True,
        allow_null=True,
        help_text=_("The current mark, or null when none is recorded."),
    )


class AttendanceSheetSerializer(serializers.Serializer):
    session = SessionSerializer(read_only=True)
    learners = SheetRowSerializer(many=True, read_only=True)


class MarkSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(help_text=_("The enrolment's id."))
    status = ServiceChoiceField(choices=AttendanceStatus.choices)


class BulkMarksSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True, allow_empty=True)


@extend_schema_view(
    list=extend_schema(summary="Courses you may read (trainers: the ones you teach)"),
    retrieve=extend_schema(summary="One course, with places taken and the waiting list counted"),
)
class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LearningViewSet):
    """Courses: every staff role reads them (trainers their own); administrators and trainers create
    and change them (the service decides which)."""

    serializer_class = CourseSerializer
    filterset_class = CourseFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Course]:
        return selectors.courses_visible(user=self.actor).prefetch_related("trainers")

    def _output(self, pk: int) -> dict[str, Any]:
        return CourseSerializer(self.visible_after_write(self.get_queryset(), pk)).data

    def _trainers(self, ids: list[int] | None) -> list[User] | None:
        if ids is None:
            return None
        found = list(User.objects.filter(pk__in=ids, organisation_id=self.actor.organisation_id))
        if len(found) != len(set(ids)):
            raise ApiValidationError(
                {"trainers": [gettext_now("Only trainers of your organisation can teach a course.")]}
            )
        return found

    @extend_schema(
        summary="Create a course", request=CourseInputSerializer, responses={201: CourseSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(CourseInputSerializer)
        trainers = self._trainers(data.pop("trainers", None))
        with transaction.atomic(), service_errors():
            course = services.course_create(by=self.actor, data=data, trainers=trainers)
            output = self._output(course.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a course (trainers: only administrators choose them)",
        request=CourseInputSerializer,
        responses={200: CourseSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        course = self.get_object()
        data = self.parsed_input(CourseInputSerializer)
        trainers = self._trainers(data.pop("trainers", None))
        with transaction.atomic(), service_errors():
            if data or trainers is None:  # an empty PATCH still asks whether the user may change it
                services.course_update(by=self.actor, course=course, data=data)
            if trainers is not None:
                services.course_set_trainers(by=self.actor, course=course, trainers=trainers)
            output = self._output(course.pk)
        return Response(output)

    @extend_schema(
        summary="Add the sessions of a weekly pattern (times already taken are left alone)",
        request=GenerateSessionsSerializer,
        responses={
            201: SessionSerializer(many=True),
            400: OpenApiResponse(description="The pattern is refused, or makes no session."),
        },
    )
    @action(detail=True, methods=["post"], url_path="generate-sessions", filterset_class=None)
    def generate_sessions(self, request: Request, pk: str) -> Response:
        course = self.get_object()
        data = self.parsed_input(GenerateSessionsSerializer)
        with transaction.atomic(), service_errors():
            created = services.sessions_generate(
                by=self.actor,
                course=course,
                weekdays=data["weekdays"],
                start_time=data["start_time"],
                duration_minutes=data.get("duration_minutes", 90),
                first_day=data.get("first_day"),
                last_day=data.get("last_day"),
                topic=data.get("topic", ""),
            )
        rows = Session.objects.filter(pk__in=[s.pk for s in created]).select_related("course")
        return Response(SessionSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Sessions of the courses you may read"),
    retrieve=extend_schema(summary="One session"),
)
class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LearningViewSet):
    """Sessions: read with their course; added, changed and cancelled by the course's trainers and
    administrators. attendance/ is the one screen per session: the sheet, and marks for many at once."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Session]:
        return Session.objects.visible_to(self.actor).select_related("course")

    def _output(self, pk: int) -> dict[str, Any]:
        return SessionSerializer(self.visible_after_write(self.get_queryset(), pk)).data

    @extend_schema(
        summary="Add a session", request=SessionCreateSerializer, responses={201: SessionSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(SessionCreateSerializer)
        course = self.course_or_404(data["course"])
        with transaction.atomic(), service_errors():
            session = services.session_create(
                by=self.actor,
                course=course,
                starts_at=data.get("starts_at"),  # type: ignore[arg-type]  # the service names it if missing
                duration_minutes=data.get("duration_minutes", 90),
                topic=data.get("topic", ""),
            )
            output = self._output(session.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Move or change a session", request=SessionUpdateSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        session = self.get_object()
        data = self.parsed_input(SessionUpdateSerializer)
        with transaction.atomic(), service_errors():
            services.session_update(by=self.actor, session=session, data=data)
            output = self._output(session.pk)
        return Response(output)

    @extend_schema(summary="Cancel a session (no attendance is taken for it)", request=CancelSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request: Request, pk: str) -> Response:
        session = self.get_object()
        data = self.parsed_input(CancelSerializer)
        with transaction.atomic(), service_errors():
            services.session_cancel(by=self.actor, session=session, reason=data.get("reason", ""))
            output = self._output(session.pk)
        return Response(output)

    def _sheet(self, session: Session) -> dict[str, Any]:
        """Every learner of the course the user may see who is enrolled (or was marked for this
        session), with the current mark or null: two queries whatever the class size."""
        marked = Attendance.objects.filter(session=session).values("enrollment_id")
        learners = list(
            Enrollment.objects.visible_to(self.actor)
            .filter(course_id=session.course_id)
            .filter(Q(status__in=MARKABLE) | Q(pk__in=marked))
            .select_related("applicant")
            .order_by("applicant__family_name", "applicant__given_name", "pk")
        )
        marks = dict(
            Attendance.objects.filter(
                session=session, enrollment_id__in=[e.pk for e in learners]
            ).values_list("enrollment_id", "status")
        )
        for enrollment in learners:
            enrollment.mark_status = marks.get(enrollment.pk)  # type: ignore[attr-defined]
        return AttendanceSheetSerializer({"session": session, "learners": learners}).data

    @extend_schema(
        methods=["GET"],
        summary="The attendance sheet: every enrolled learner with the current mark (or null)",
        responses={200: AttendanceSheetSerializer},
    )
    @extend_schema(
        methods=["POST"],
        summary="Mark many learners of the session at once: all or nothing; a repeat updates the mark",
        request=BulkMarksSerializer,
        responses={
            200: AttendanceSheetSerializer,
            400: OpenApiResponse(description="Nothing was saved; see `marks` or `session`."),
        },
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, filter_backends=[])
    def attendance(self, request: Request, pk: str) -> Response:
        session = self.get_object()
        if request.method == "POST":
            data = self.parsed_input(BulkMarksSerializer)
            marks = [(mark["enrollment"], mark["status"]) for mark in data["marks"]]
            with transaction.atomic(), service_errors():
                services.attendance_record_bulk(by=self.actor, session=session, marks=marks)
        return Response(self._sheet(session))
