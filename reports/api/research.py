"""The research export's API: POST makes an export (the XLSX, or a 400 saying why), GET lists releases."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request

from casework.api.errors import service_errors
from casework.api.permissions import IsAuthenticatedMember
from casework.models import User
from reports import rules
from reports.models import ResearchRelease
from reports.selectors.research import may_export_research, releases_for_list
from reports.services.research import XLSX_CONTENT_TYPE, research_export_create


class ResearchExportPermission(IsAuthenticatedMember):
    """Supervisors and administrators; caseworkers, trainers and employer users get 403."""

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and may_export_research(request.user)


class ResearchReleaseSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)
    team = serializers.IntegerField(source="team_id", read_only=True, allow_null=True)
    item_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=list(rules.ITEM_CATEGORIES)), read_only=True
    )

    class Meta:
        model = ResearchRelease
        fields = [
            "id",
            "created_at",
            "created_by",
            "recipient",
            "k_requested",
            "k_met",
            "row_count",
            "item_categories",
            "team",
            "intake_from",
            "intake_to",
        ]
        read_only_fields = fields


class ResearchExportInputSerializer(serializers.Serializer):
    recipient = serializers.CharField(
        max_length=200, help_text=_("Who receives the file: the research partner and the person responsible.")
    )
    # Bounds are the service's question (its message names the organisation's minimum).
    k = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("At least RESEARCH_EXPORT_K (5).")
    )
    team = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("A team id (supervisors: a team they lead); none: all.")
    )
    intake_from = serializers.DateField(required=False, allow_null=True)
    intake_to = serializers.DateField(required=False, allow_null=True)


@extend_schema_view(
    list=extend_schema(
        summary="Research releases (supervisors: theirs and their teams'; administrators: all)"
    ),
)
class ResearchExportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The anonymised research export: POST makes one and answers the workbook; GET lists the releases."""

    permission_classes = [ResearchExportPermission]
    serializer_class = ResearchReleaseSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[ResearchRelease]:
        return releases_for_list(user=self.request.user)

    @extend_schema(
        summary="Make an anonymised research export",
        description=(
            "Only people with a current research consent; birth years in five-year bands, dates as months; "
            "nationality and prefecture generalised to 'other' to reach k. Answers the XLSX workbook (data, "
            "data dictionary, release) or 400 saying why it was refused (k not reachable, a team you do "
            "not lead, a bad period)."
        ),
        request=ResearchExportInputSerializer,
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            400: OpenApiResponse(description="Refused: the reason, keyed by field or non_field_errors."),
        },
    )
    def create(self, request: Request) -> HttpResponse:
        serializer = ResearchExportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            export = research_export_create(
                by=cast(User, request.user),
                recipient=data["recipient"],
                k=data.get("k"),
                team_id=data.get("team"),
                intake_from=data.get("intake_from"),
                intake_to=data.get("intake_to"),
            )
        response = HttpResponse(export.content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store"
        response["X-Research-Release"] = str(export.release.pk)
        return response
