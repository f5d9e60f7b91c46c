"""The exports API: POST /api/v1/exports/ {table, format, filters} starts an export of a list (a small
one is written at once: 201 with its download URL; a large one runs as a task: 202 with its id; the
same one already running: 409), GET /api/v1/exports/{id}/ its status and progress, GET …/download/ the
file (its maker's, for 24 hours)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.permissions import IsAuthenticatedMember
from casework.api.records import DownloadNegotiation
from casework.roles import Role
from reports.models import Export
from reports.services import exports as services
from reports.services.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

EXPORTER_ROLES = (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER)


class ExporterPermission(IsAuthenticatedMember):
    """DESIGN.md "reports, exports": staff; employer users none. Each table narrows it to its list's roles."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return super().has_permission(request, view) and bool(
            user.is_superuser or user.has_role(*EXPORTER_ROLES)
        )


class ExportSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True, help_text=_("Rows written, in percent."))
    download_url = serializers.SerializerMethodField(
        help_text=_("Where the file is downloaded, once it is done and for 24 hours; null until then.")
    )

    class Meta:
        model = Export
        fields = [
            "id",
            "table",
            "format",
            "filters",
            "status",
            "rows_done",
            "rows_total",
            "percent",
            "row_count",
            "error",
            "created",
            "expires_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, export: Export) -> str | None:
        now = self.context.get("now") or timezone.now()
        if export.status != Export.Status.DONE or not export.file or export.expires_at <= now:
            return None
        return reverse("export-download", kwargs={"pk": export.pk})


class ExportRequestSerializer(serializers.Serializer):
    table = serializers.CharField(help_text=_("The table's key, e.g. applicants, courses, placements."))
    format = serializers.ChoiceField(choices=Export.Format.choices)
    filters = serializers.DictField(
        required=False,
        default=dict,
        child=serializers.JSONField(),
        help_text=_("The list's filters, as on its page: a value or a list of values per filter."),
    )


class ExportConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    export = ExportSerializer()


BINARY = OpenApiResponse(OpenApiTypes.BINARY, description=_("The file, as an attachment."))


@extend_schema_view(
    list=extend_schema(summary="Your exports, newest first"),
    retrieve=extend_schema(summary="One of your exports: its status and progress"),
)
class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ExportSerializer
    permission_classes = [ExporterPermission]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Export]:
        return Export.objects.visible_to(self.request.user).order_by("-created", "-pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(
        summary="Start an export of a list (with its filters)",
        request=ExportRequestSerializer,
        responses={
            201: OpenApiResponse(ExportSerializer, description=_("Small: written at once, with its URL.")),
            202: OpenApiResponse(ExportSerializer, description=_("Large: queued; poll its status.")),
            409: OpenApiResponse(ExportConflictSerializer, description=_("The same export is running.")),
        },
    )
    def create(self, request: Request) -> Response:
        data = ExportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        filters = {
            str(name): [str(item) for item in value] if isinstance(value, list) else str(value)
            for name, value in values["filters"].items()
            if value is not None
        }
        with service_errors():
            plan = services.export_plan(
                by=request.user, table_key=values["table"], fmt=values["format"], params=filters
            )
            if plan.small:
                export = services.export_write_now(by=request.user, plan=plan, through="api")
                return Response(self.get_serializer(export).data, status=status.HTTP_201_CREATED)
            queued = services.export_queue(by=request.user, plan=plan)
        body = self.get_serializer(queued.export).data
        if not queued.created:
            detail = _("This export is already being written: follow its progress.")
            return Response({"detail": str(detail), "export": body}, status=status.HTTP_409_CONFLICT)
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The export's file (its maker's only, for 24 hours; otherwise 404)",
        responses={(200, CSV_CONTENT_TYPE.split(";")[0]): BINARY, (200, XLSX_CONTENT_TYPE): BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="download",
        url_name="download",
        content_negotiation_class=DownloadNegotiation,
    )
    def download(self, request: Request, pk: str) -> FileResponse:
        export = Export.objects.visible_to(request.user).downloadable().filter(pk=pk).first()
        if export is None:
            raise NotFound
        try:
            handle = export.file.open("rb")
        except FileNotFoundError as missing:
            raise NotFound from missing
        content_type = XLSX_CONTENT_TYPE if export.format == "xlsx" else CSV_CONTENT_TYPE
        response = FileResponse(
            handle, as_attachment=True, filename=export.filename, content_type=content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
