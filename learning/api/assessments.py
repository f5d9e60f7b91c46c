"""API of language results: /api/v1/assessments/ (JSON or multipart with a certificate; +certificate,
+current-level).
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.fields import PlausibleDateField, ServiceChoiceField, UserRefSerializer, max_length
from casework.api.records import DOWNLOAD_RESPONSES, DownloadNegotiation
from casework.downloads import document_download_response
from learning import selectors, services
from learning.api.base import REFERENCE_HELP, LearnerSerializer, LearningViewSet
from learning.filtersets.assessments import AssessmentFilterSet
from learning.models import (
    Assessment,
    AssessmentFramework,
    Course,
)


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
