"""The reports API: GET /api/v1/reports/ (the reports the user may read) and /api/v1/reports/{key}/ (its
figures and the chart's series, with the page's filters as query parameters; a bad filter is a 400 naming
the field, with the page's message). Employer users and reports a trainer may not read: 403."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.permissions import IsAuthenticatedMember
from casework.roles import Role
from reports.forms.filters import FILTER_NAMES, ReportFilterForm
from reports.selectors.catalogue import REPORTS, reports_for


class ReportSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    filters = serializers.ListField(
        child=serializers.CharField(), help_text="The filters besides the period."
    )


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()


class BarSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.FloatField()


class ReportResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    filters = serializers.DictField(child=serializers.CharField(), help_text="The filters applied.")
    unit = serializers.CharField()
    figures = FigureSerializer(many=True)
    series = BarSerializer(many=True, source="bars")
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))


FILTER_PARAMETERS = [
    OpenApiParameter(
        "start", OpenApiTypes.DATE, description="First day of the period (default: 12 months ago)."
    ),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day of the period (default: today)."),
    OpenApiParameter("team", OpenApiTypes.INT, description="A team id (supervisors: a team they lead)."),
    OpenApiParameter("nationality", OpenApiTypes.STR, description="A country code (ISO 3166-1 alpha-2)."),
    OpenApiParameter("prefecture", OpenApiTypes.STR, description="A prefecture code (01–47)."),
    OpenApiParameter("course", OpenApiTypes.INT, description="A course id."),
    OpenApiParameter("employer", OpenApiTypes.INT, description="An employer id."),
    OpenApiParameter("industry", OpenApiTypes.STR, description="An industry code."),
]


class ReportPermission(IsAuthenticatedMember):
    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        user = request.user
        if not (
            user.is_superuser
            or user.has_role(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER)
        ):
            raise PermissionDenied
        return True


class ReportViewSet(viewsets.ViewSet):
    permission_classes = [ReportPermission]
    lookup_field = "key"
    lookup_value_regex = "[a-z_]+"

    @extend_schema(responses=ReportSerializer(many=True))
    def list(self, request: Request) -> Response:
        rows = [
            {
                "key": spec.key,
                "title": str(spec.title),
                "description": str(spec.description),
                "filters": list(spec.filters),
            }
            for spec in reports_for(request.user)
        ]
        return Response(ReportSerializer(rows, many=True).data)

    @extend_schema(parameters=FILTER_PARAMETERS, responses=ReportResultSerializer)
    def retrieve(self, request: Request, key: str | None = None) -> Response:
        spec = REPORTS.get(key or "")
        if spec is None:
            raise Http404
        if not spec.readable_by(request.user):
            raise PermissionDenied
        form = ReportFilterForm(request.query_params, user=request.user, spec=spec)
        unknown = set(request.query_params) - {"start", "end", *FILTER_NAMES, "format"}
        errors: dict[str, Any] = {name: [gettext("Unknown filter.")] for name in sorted(unknown)}
        if not form.is_valid():
            errors.update(
                {name: [str(message) for message in messages] for name, messages in form.errors.items()}
            )
        if errors:
            raise serializers.ValidationError(errors)
        filters = form.filters()
        result = spec.run(user=request.user, filters=filters)
        applied = {
            name: value
            for name, value in filters.as_query().items()
            if name in ("start", "end", *form.fields)
        }
        data = {
            "key": result.key,
            "title": result.title,
            "filters": applied,
            "unit": result.unit,
            "figures": result.figures,
            "bars": result.bars,
            "columns": result.columns,
            "rows": result.rows,
        }
        return Response(ReportResultSerializer(data).data)
