"""Serializers of learning's API: output shapes, and input parsers that leave the domain to the services.

Of a learner every response gives the reference code and the name only (what a trainer may read);
never a legal or case field. Input serializers parse types (a date is a date, a number a number) and
answer 400 naming the field when they cannot; what the domain says about a value is the services'.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.api.fields import PlausibleDateField, ServiceChoiceField, UserRefSerializer, max_length
from learning.models import (
    Assessment,
    AssessmentFramework,
    Attendance,
    AttendanceStatus,
    Course,
    CourseFormat,
    CourseKind,
    Enrollment,
    Session,
)
from learning.rules import CEFR_CHOICES

REFERENCE_HELP = _("The learner's reference code.")


class LearnerSerializer(serializers.Serializer):
    """A learner as everyone in learning sees them: reference code and name, nothing of the case."""

    reference_code = serializers.CharField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


# --- Courses ---------------------------------------------------------------------------------------------


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


# --- Sessions --------------------------------------------------------------------------------------------


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


# --- Enrolments ------------------------------------------------------------------------------------------


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


# --- Attendance ------------------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    course = serializers.IntegerField(source="session.course_id", read_only=True)
    session_starts_at = serializers.DateTimeField(source="session.starts_at", read_only=True)
    applicant = LearnerSerializer(source="enrollment.applicant", read_only=True)
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "session",
            "session_starts_at",
            "course",
            "enrollment",
            "applicant",
            "status",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class AttendanceCreateSerializer(serializers.Serializer):
    session = serializers.IntegerField(help_text=_("The session's id."))
    enrollment = serializers.IntegerField(help_text=_("The enrolment's id."))
    status = ServiceChoiceField(choices=AttendanceStatus.choices)


# --- Assessments -----------------------------------------------------------------------------------------


@extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
class SkillScoresField(serializers.Field):
    """Scores per JLPT section: a JSON object, or (in a multipart form) the same object as a string."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            if not data.strip():
                return {}
            try:
                data = json.loads(data)
            except ValueError as error:
                raise serializers.ValidationError(_("Send the section scores as a JSON object.")) from error
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Send the section scores as a JSON object."))
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class CertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    original_name = serializers.CharField(read_only=True)
    download_url = serializers.CharField(read_only=True)


class AssessmentSerializer(serializers.ModelSerializer):
    applicant = LearnerSerializer(read_only=True)
    recorded_by = UserRefSerializer(read_only=True)
    skill_scores = SkillScoresField(read_only=True)
    cefr_level = serializers.CharField(
        read_only=True, help_text=_("The CEFR level derived for comparison; empty when none applies.")
    )
    level = serializers.CharField(
        read_only=True, help_text=_("The level as shown: N3, A2.2, J2, B1 (normalised).")
    )
    certificate = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "applicant",
            "framework",
            "level",
            "score",
            "skill_scores",
            "passed",
            "cefr_level",
            "assessed_on",
            "course",
            "certificate",
            "notes",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CertificateSerializer(allow_null=True))
    def get_certificate(self, assessment: Assessment) -> dict[str, Any] | None:
        if assessment.certificate_id is None:
            return None
        return {
            "id": assessment.certificate_id,
            "original_name": assessment.certificate.original_name if assessment.certificate else "",
            "download_url": reverse("assessment-certificate", kwargs={"pk": assessment.pk}),
        }


class AssessmentFieldsSerializer(serializers.Serializer):
    """The fields of a result, shared by recording one and correcting one."""

    framework = ServiceChoiceField(choices=AssessmentFramework.choices, required=False)
    level = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("JLPT: N5 to N1; placement test and trainer's judgement: A1 to C2; others: left out."),
    )
    score = serializers.IntegerField(required=False, allow_null=True)
    skill_scores = SkillScoresField(required=False)
    assessed_on = PlausibleDateField(required=False)
    course = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The course's id; null for none.")
    )
    notes = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Assessment, "notes")
    )


class AssessmentCreateSerializer(AssessmentFieldsSerializer):
    applicant = serializers.CharField(max_length=20, help_text=REFERENCE_HELP)
    assessed_on = PlausibleDateField(required=False, allow_null=True)
    certificate = serializers.FileField(
        required=False,
        allow_null=True,
        allow_empty_file=True,
        use_url=False,
        help_text=_("The certificate or score report: a PDF, JPEG or PNG file of at most 10 MB."),
    )


class AssessmentUpdateSerializer(AssessmentFieldsSerializer):
    """A correction: the fields sent replace the stored ones; the result is checked again as a whole
    and its CEFR level derived again. The person and the certificate stay as they are."""


class CurrentLevelQuerySerializer(serializers.Serializer):
    applicant = serializers.CharField(max_length=20, help_text=REFERENCE_HELP)


class CurrentLevelSerializer(serializers.Serializer):
    applicant = serializers.CharField(read_only=True)
    cefr = serializers.CharField(read_only=True, allow_null=True)
    framework = serializers.CharField(read_only=True, allow_null=True)
    # The metaclass takes declared fields off the class, so this does not shadow Field.source at runtime.
    source = serializers.CharField(  # type: ignore[assignment]
        read_only=True, allow_null=True, help_text=_("The framework's name.")
    )
    level = serializers.CharField(read_only=True, allow_null=True)
    assessed_on = serializers.DateField(read_only=True, allow_null=True)
    assessment = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("The assessment the level comes from.")
    )
