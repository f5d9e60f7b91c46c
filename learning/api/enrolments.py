"""API of enrolments: /api/v1/enrollments/ (+drop, +complete); enrolling answers with the waiting-list place."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.fields import max_length
from casework.api.pagination import CappedCountPagination
from casework.api.permissions import may_write_cases
from learning import selectors, services
from learning.api.base import REFERENCE_HELP, LearnerSerializer, LearningViewSet, renamed_errors
from learning.filtersets.enrolments import EnrollmentFilterSet
from learning.models import (
    Enrollment,
)


class EnrollmentSerializer(serializers.ModelSerializer):
    applicant = LearnerSerializer(read_only=True)
    course_name = serializers.CharField(source="course.name", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "course",
            "course_name",
            "applicant",
            "status",
            "enrolled_on",
            "ended_on",
            "drop_reason",
            "created_at",
        ]
        read_only_fields = fields


class EnrolResultSerializer(EnrollmentSerializer):
    waitlisted = serializers.BooleanField(read_only=True)
    position = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("Place on the waiting list (1 = next); null if enrolled."),
    )
    message = serializers.CharField(read_only=True)

    class Meta(EnrollmentSerializer.Meta):
        fields = [*EnrollmentSerializer.Meta.fields, "waitlisted", "position", "message"]
        read_only_fields = fields


class EnrolSerializer(serializers.Serializer):
    course = serializers.IntegerField(help_text=_("The course's id."))
    applicant = serializers.CharField(max_length=20, help_text=REFERENCE_HELP)


class DropSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Enrollment, "drop_reason")
    )


class DropResultSerializer(serializers.Serializer):
    enrollment = EnrollmentSerializer(read_only=True)
    promoted = EnrollmentSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Who moved up from the waiting list into the freed place (if you may see them)."),
    )


def _enrol_message(result: services.EnrolResult) -> str:
    if result.waitlisted:
        return gettext_now("The course is full: %(name)s is on the waiting list, number %(position)s.") % {
            "name": result.enrollment.applicant.display_name,
            "position": result.position,
        }
    return gettext_now("%(name)s is enrolled.") % {"name": result.enrollment.applicant.display_name}


@extend_schema_view(
    list=extend_schema(summary="Enrolments of the people you may see in learning"),
    retrieve=extend_schema(summary="One enrolment"),
)
class EnrollmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LearningViewSet):
    """Enrolments: caseworkers and supervisors enrol the people they may change (a full course puts
    them on its waiting list), drop them out with a reason (the first waiting moves up) or complete."""

    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilterSet
    http_method_names = ["get", "post", "head", "options"]

    pagination_class = CappedCountPagination

    def get_queryset(self) -> QuerySet[Enrollment]:
        # Course by course, in the order people enrolled: the course foreign key's index serves it, where
        # the model's order (course dates, then the person's name) sorted every visible enrolment (issue 14).
        return selectors.enrollments_visible(user=self.actor).order_by("course_id", "pk")

    def _output(self, pk: int) -> dict[str, Any]:
        return EnrollmentSerializer(self.visible_after_write(self.get_queryset(), pk)).data

    @extend_schema(
        summary="Enrol a person (a full course: the waiting list, with the position)",
        request=EnrolSerializer,
        responses={201: EnrolResultSerializer},
    )
    def create(self, request: Request) -> Response:
        if not may_write_cases(self.actor):
            raise PermissionDenied
        data = self.parsed_input(EnrolSerializer)
        course = self.course_or_404(data["course"])
        applicant = self.learner_or_404(data["applicant"])
        with transaction.atomic(), service_errors():
            result = services.enrollment_enrol(by=self.actor, course=course, applicant=applicant)
            output = self._output(result.enrollment.pk)
        output.update(waitlisted=result.waitlisted, position=result.position, message=_enrol_message(result))
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record that the learner left the course, with the reason; the first waiting moves up",
        request=DropSerializer,
        responses={200: DropResultSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def drop(self, request: Request, pk: str) -> Response:
        enrollment = self.get_object()
        data = self.parsed_input(DropSerializer)
        with transaction.atomic(), renamed_errors({"drop_reason": "reason"}):
            promoted = services.enrollment_drop(
                by=self.actor, enrollment=enrollment, reason=data.get("reason", "")
            )
            output = self._output(enrollment.pk)
        shown = self.get_queryset().filter(pk=promoted.pk).first() if promoted else None
        return Response(
            {"enrollment": output, "promoted": EnrollmentSerializer(shown).data if shown else None}
        )

    @extend_schema(summary="Mark the course completed for the learner", request=None)
    @action(detail=True, methods=["post"], filterset_class=None)
    def complete(self, request: Request, pk: str) -> Response:
        enrollment = self.get_object()
        with transaction.atomic(), service_errors():
            services.enrollment_complete(by=self.actor, enrollment=enrollment)
            output = self._output(enrollment.pk)
        return Response(output)
