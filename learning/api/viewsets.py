"""Courses, sessions, enrolments, attendance and assessments under /api/v1/.

- Every queryset starts from ``visible_to(request.user)`` (or a learning selector that does): what a
  user may not see is a 404, lists hold only what they may see. Employer users see nothing here.
- Every write calls one service of learning.services inside ``service_errors()``: its ValidationError
  is a 400 naming the field with the page's message, PermissionDenied a 403; nothing is half-written.
- A learner appears as reference code and name only, whoever asks (trainers may read no more).
- Lists run a fixed number of queries whatever the page size (select_related / prefetch / annotate).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.base import CaseRecordViewSet
from casework.api.errors import service_errors
from casework.api.permissions import IsAuthenticatedMember, may_write_cases
from casework.api.records import DOWNLOAD_RESPONSES, DownloadNegotiation
from casework.downloads import document_download_response
from casework.models import Applicant, User
from casework.roles import STAFF_ROLES
from learning import selectors, services
from learning.api.serializers import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    AssessmentUpdateSerializer,
    AttendanceCreateSerializer,
    AttendanceSerializer,
    AttendanceSheetSerializer,
    BulkMarksSerializer,
    CancelSerializer,
    CourseInputSerializer,
    CourseSerializer,
    CurrentLevelQuerySerializer,
    CurrentLevelSerializer,
    DropResultSerializer,
    DropSerializer,
    EnrollmentSerializer,
    EnrolResultSerializer,
    EnrolSerializer,
    GenerateSessionsSerializer,
    SessionCreateSerializer,
    SessionSerializer,
    SessionUpdateSerializer,
)
from learning.filtersets import (
    AssessmentFilterSet,
    AttendanceFilterSet,
    CourseFilterSet,
    EnrollmentFilterSet,
    SessionFilterSet,
)
from learning.models import (
    MARKABLE,
    Assessment,
    Attendance,
    Course,
    Enrollment,
    Session,
)

NO_COURSE = _("You have no access to a course with this id.")
NO_SESSION = _("You have no access to a session with this id.")
NO_LEARNER = _("You have no access to a person with this reference code.")


class LearningPermission(IsAuthenticatedMember):
    """Reads are filtered by visible_to(); writes need a staff role before any input is read (employer
    users get 403); for staff the service decides per record (403), visibility first (404)."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user.is_superuser or user.has_role(*STAFF_ROLES))


@contextmanager
def renamed_errors(names: dict[str, str]) -> Iterator[None]:
    """service_errors() with the service's field names mapped to the API's input names."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            error = DjangoValidationError(
                {names.get(field, field): errors for field, errors in error.error_dict.items()}
            )
        with service_errors():
            raise error from None


class LearningViewSet(CaseRecordViewSet):
    permission_classes = [LearningPermission]

    def course_or_404(self, pk: int) -> Course:
        course = Course.objects.visible_to(self.actor).filter(pk=pk).first()
        if course is None:
            raise NotFound(NO_COURSE)
        return course

    def learner_or_404(self, reference_code: str) -> Applicant:
        """A person the user may read: their caseload (Applicant.visible_to) or, for trainers, a learner
        of their courses (whom they reach through learning only)."""
        code = reference_code.strip().upper()
        user = self.actor
        applicant = (
            Applicant.objects.filter(reference_code=code, organisation_id=user.organisation_id)
            .filter(
                Q(pk__in=Applicant.objects.visible_to(user).values("pk"))
                | Q(pk__in=Enrollment.objects.visible_to(user).values("applicant_id"))
            )
            .first()
        )
        if applicant is None:
            raise NotFound(NO_LEARNER)
        return applicant


# --- Courses ---------------------------------------------------------------------------------------------


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


# --- Sessions --------------------------------------------------------------------------------------------


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


# --- Enrolments ------------------------------------------------------------------------------------------


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

    def get_queryset(self) -> QuerySet[Enrollment]:
        return selectors.enrollments_visible(user=self.actor)

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


# --- Attendance ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Attendance marks of the learners you may see"),
    retrieve=extend_schema(summary="One attendance mark"),
)
class AttendanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LearningViewSet):
    """Attendance: read by whoever sees the learner; marked by the course's trainers and administrators.
    Marking a learner again for the same session changes the one mark (200), never adds a row."""

    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Attendance]:
        # Ordered by the unique index's columns: Meta.ordering follows the related models' orderings and
        # made PostgreSQL sort every visible row (1,000,000 at bench scale: 1.3–2.9 s instead of ms).
        return (
            Attendance.objects.visible_to(self.actor)
            .select_related("session", "enrollment__applicant", "recorded_by")
            .order_by("session_id", "enrollment_id")
        )

    @extend_schema(
        summary="Mark one learner for one session (201 the first time, 200 when it changes the mark)",
        request=AttendanceCreateSerializer,
        responses={201: AttendanceSerializer, 200: AttendanceSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(AttendanceCreateSerializer)
        session = (
            Session.objects.visible_to(self.actor).select_related("course").filter(pk=data["session"]).first()
        )
        if session is None:
            raise NotFound(NO_SESSION)
        enrollment = (
            Enrollment.objects.visible_to(self.actor)
            .select_related("applicant")
            .filter(pk=data["enrollment"])
            .first()
        )
        if enrollment is None:
            raise ApiValidationError(
                {"enrollment": [gettext_now("This learner is not enrolled in this course.")]}
            )
        existed = Attendance.objects.filter(session=session, enrollment=enrollment).exists()
        with transaction.atomic(), service_errors():
            mark = services.attendance_record(
                by=self.actor, session=session, enrollment=enrollment, status=data["status"]
            )
            output = AttendanceSerializer(self.visible_after_write(self.get_queryset(), mark.pk)).data
        return Response(output, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


# --- Assessments -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Language results of the people you may see in learning"),
    retrieve=extend_schema(summary="One language result, with its derived CEFR level"),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LearningViewSet):
    """Language results (JLPT, JFT-Basic, BJT, placement test, trainer's CEFR judgement), the CEFR level
    derived by learning.rules. Recorded, corrected (PATCH) and deleted by whoever may change the person
    and by their trainers."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Assessment]:
        return Assessment.objects.visible_to(self.actor).select_related(
            "applicant", "recorded_by", "certificate"
        )

    @extend_schema(
        summary="Record a result (JSON, or multipart/form-data with the certificate file)",
        request={
            "application/json": AssessmentCreateSerializer,
            "multipart/form-data": AssessmentCreateSerializer,
        },
        responses={201: AssessmentSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(AssessmentCreateSerializer)
        applicant = self.learner_or_404(data["applicant"])
        course = None
        if data.get("course") is not None:
            course = Course.objects.visible_to(self.actor).filter(pk=data["course"]).first()
            if course is None:
                raise ApiValidationError({"course": [gettext_now("Choose one of your courses.")]})
        assessment = None
        try:
            with transaction.atomic(), service_errors():
                assessment = services.assessment_record(
                    by=self.actor,
                    applicant=applicant,
                    framework=data.get("framework", ""),
                    assessed_on=data.get("assessed_on"),  # type: ignore[arg-type]  # the service names it
                    level=data.get("level", ""),
                    score=data.get("score"),
                    skill_scores=data.get("skill_scores"),
                    course=course,
                    certificate=data.get("certificate"),
                    notes=data.get("notes", ""),
                )
                output = AssessmentSerializer(
                    self.visible_after_write(self.get_queryset(), assessment.pk)
                ).data
        except BaseException:
            # The rows go with the transaction; a certificate file already stored must go too.
            if assessment is not None and assessment.certificate is not None:
                document = assessment.certificate
                document.file.storage.delete(document.file.name)
            raise
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct a result: the fields sent replace the stored ones; the CEFR level is derived again",
        request=AssessmentUpdateSerializer,
        responses={200: AssessmentSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        assessment = self.get_object()
        data = self.parsed_input(AssessmentUpdateSerializer)
        if "course" in data:
            course_id = data["course"]
            if course_id is None:
                data["course"] = None
            elif course_id == assessment.course_id:
                data["course"] = assessment.course  # kept, even where the user cannot see it
            else:
                data["course"] = Course.objects.visible_to(self.actor).filter(pk=course_id).first()
                if data["course"] is None:
                    raise ApiValidationError({"course": [gettext_now("Choose one of your courses.")]})
        with transaction.atomic(), service_errors():
            services.assessment_update(by=self.actor, assessment=assessment, data=data)
            output = AssessmentSerializer(self.visible_after_write(self.get_queryset(), assessment.pk)).data
        return Response(output)

    @extend_schema(
        summary="Delete a result entered by mistake (its certificate stays with the person's documents)",
        responses={204: None},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        assessment = self.get_object()
        with service_errors():
            services.assessment_delete(by=self.actor, assessment=assessment)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Download the result's certificate (written to the access log)",
        responses=DOWNLOAD_RESPONSES,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="certificate",
        url_name="certificate",
        filter_backends=[],
        content_negotiation_class=DownloadNegotiation,
    )
    def certificate(self, request: Request, pk: str) -> FileResponse:
        assessment = self.get_object()
        if assessment.certificate is None:
            raise NotFound(_("No certificate is stored for this result."))
        return document_download_response(user=self.actor, document=assessment.certificate, through="api")

    @extend_schema(
        summary="A person's current assessed level: the most recent result with a CEFR level "
        "(on one date: official test, then placement test, then trainer); all null when none",
        parameters=[CurrentLevelQuerySerializer],
        responses={200: CurrentLevelSerializer},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="current-level",
        url_name="current-level",
        filterset_class=None,
        filter_backends=[],
        pagination_class=None,
    )
    def current_level(self, request: Request) -> Response:
        query = CurrentLevelQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        applicant = self.learner_or_404(query.validated_data["applicant"])
        level = selectors.current_assessed_level(user=self.actor, applicant_id=applicant.pk)
        body: dict[str, Any] = {"applicant": applicant.reference_code}
        if level is None:
            body.update(cefr=None, framework=None, source=None, level=None, assessed_on=None, assessment=None)
        else:
            body.update(
                cefr=level.cefr,
                framework=level.framework,
                source=level.source,
                level=level.level,
                assessed_on=level.assessed_on,
                assessment=level.assessment_id,
            )
        return Response(CurrentLevelSerializer(body).data)


__all__ = [
    "AssessmentViewSet",
    "AttendanceViewSet",
    "CourseViewSet",
    "EnrollmentViewSet",
    "SessionViewSet",
]
