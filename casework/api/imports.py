"""The imports API (issue 18), the same steps as the import pages through the same services:

- ``GET /api/v1/import-kinds/`` what the user may import: each kind's fields (with the header names
  Tobira recognises), targets, status field and decisions;
- ``POST /api/v1/imports/`` (multipart: kind, target, file) uploads a file → 201 with the proposed mapping;
- ``POST …/{id}/sheet/`` {sheet}; ``GET …/{id}/status-labels/`` the status column's labels with proposals;
  ``POST …/{id}/mapping/`` {columns, statuses} saves the mapping;
- ``POST …/{id}/check/`` queues the dry run (202); ``GET …/{id}/`` its status and progress;
  ``GET …/{id}/rows/?show=errors|duplicates|valid|all`` the rows' verdicts (paginated);
- ``POST …/{id}/decisions/`` {decisions: {row: skip|create|update}}; ``POST …/{id}/start/`` {mode} (202);
- ``POST …/{id}/undo/``.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.permissions import IsAuthenticatedMember
from casework.models import Import, ImportRow, User
from casework.selectors import imports as selectors
from casework.services import imports as services
from casework.services.importers import importer_for, importers_for


def _by(request: Request) -> User:
    return cast(User, request.user)  # ImporterPermission let only signed-in members through


class ImporterPermission(IsAuthenticatedMember):
    """Whoever may use at least one importer (DESIGN.md's matrix, row "imports"); employer users none."""

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and bool(importers_for(request.user))


class ImportSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True, help_text=_("Rows done, in percent."))
    undo_until = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Import
        fields = [
            "id",
            "kind",
            "target",
            "target_label",
            "file_name",
            "file_hash",
            "file_size",
            "file_format",
            "encoding",
            "sheets",
            "sheet",
            "headers",
            "header_row",
            "mapping",
            "status",
            "mode",
            "rows_total",
            "rows_done",
            "percent",
            "rows_valid",
            "rows_error",
            "rows_duplicate",
            "created_count",
            "updated_count",
            "skipped_count",
            "failed_count",
            "error",
            "created",
            "created_by",
            "checked_at",
            "started_at",
            "finished_at",
            "undo_until",
            "undone_at",
        ]
        read_only_fields = fields


class ImportRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRow
        fields = [
            "number",
            "label",
            "verdict",
            "errors",
            "notes",
            "candidates",
            "same_as_row",
            "decision",
            "outcome",
        ]
        read_only_fields = fields


class UploadSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("What to import: a kind from /api/v1/import-kinds/."))
    target = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)


class SheetSerializer(serializers.Serializer):
    sheet = serializers.CharField()


class MappingSerializer(serializers.Serializer):
    columns = serializers.DictField(child=serializers.CharField(allow_blank=True))
    statuses = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )


class DecisionsSerializer(serializers.Serializer):
    decisions = serializers.DictField(child=serializers.CharField())

    def validate_decisions(self, value: dict[str, str]) -> dict[int, str]:
        try:
            return {int(number): decision for number, decision in value.items()}
        except ValueError as exc:
            raise serializers.ValidationError(_("Give each decision by its row number.")) from exc


class StartSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=Import.Mode.choices)


class StatusLabelSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.CharField(
        allow_blank=True, help_text=_("The saved or proposed status kind; empty: map it.")
    )


class ImportFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    required = serializers.BooleanField()  # type: ignore[assignment]
    aliases = serializers.ListField(child=serializers.CharField())


class ImportKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    description = serializers.CharField()
    fields = ImportFieldSerializer(many=True)  # type: ignore[assignment]
    target_label = serializers.CharField(allow_blank=True)
    targets = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()), allow_null=True
    )
    status_field = serializers.CharField(allow_null=True)
    grid = serializers.BooleanField()
    decisions = serializers.ListField(child=serializers.CharField())


@extend_schema_view(list=extend_schema(summary="What you may import, with the columns Tobira takes"))
class ImportKindViewSet(viewsets.ViewSet):
    permission_classes = [ImporterPermission]
    serializer_class = ImportKindSerializer

    def list(self, request: Request) -> Response:
        kinds = [
            {
                "kind": importer.kind,
                "label": str(importer.label),
                "description": str(importer.description),
                "fields": [
                    {"key": f.key, "label": str(f.label), "required": f.required, "aliases": list(f.aliases)}
                    for f in importer.fields
                ],
                "target_label": str(importer.target_label),
                "targets": [list(choice) for choice in importer.targets(request.user)]
                if importer.targets
                else None,
                "status_field": importer.status_field,
                "grid": importer.grid,
                "decisions": list(importer.decisions),
            }
            for importer in importers_for(request.user)
        ]
        return Response(ImportKindSerializer(kinds, many=True).data)


ACCEPTED = OpenApiResponse(ImportSerializer, description=_("Queued: poll the import for its progress."))


@extend_schema_view(
    list=extend_schema(summary="Your imports (an administrator: the organisation's), newest first"),
    retrieve=extend_schema(summary="One import: its step, progress and counts"),
)
class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ImportSerializer
    permission_classes = [ImporterPermission]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Import]:
        return selectors.imports_for_list(user=self.request.user)

    def _import(self, pk: Any) -> Import:
        imp = selectors.import_of(user=self.request.user, pk=pk)
        if imp is None:
            raise NotFound
        return imp

    def _step(self, pk: Any, body: type[serializers.Serializer] | None, call, code: int = status.HTTP_200_OK):
        """An import's step: its body checked by `body`, then `call(imp, values)` through the service."""
        imp = self._import(pk)
        values: dict[str, Any] = {}
        if body is not None:
            data = body(data=self.request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
        with service_errors():
            call(imp, values)
        return self._answer(imp, code)

    def _answer(self, imp: Import, code: int = status.HTTP_200_OK) -> Response:
        imp.refresh_from_db()
        return Response(ImportSerializer(imp).data, status=code)

    @extend_schema(
        summary="Upload a CSV or XLSX file (≤ 10 MB) for an import",
        request={"multipart/form-data": UploadSerializer},
        responses={201: ImportSerializer},
    )
    def create(self, request: Request) -> Response:
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        importer = importer_for(values["kind"])
        if importer is not None and not importer.may_import(request.user):
            raise PermissionDenied
        with service_errors():
            imp = services.import_upload(
                by=_by(request),
                kind=values["kind"],
                upload=values.get("file"),
                target=values.get("target", ""),
            )
        return self._answer(imp, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Choose the sheet of an XLSX file", request=SheetSerializer, responses={200: ImportSerializer}
    )
    @action(detail=True, methods=["post"], url_path="sheet", url_name="sheet")
    def sheet(self, request: Request, pk: str) -> Response:
        return self._step(
            pk,
            SheetSerializer,
            lambda imp, values: services.import_choose_sheet(by=_by(request), imp=imp, sheet=values["sheet"]),
        )

    @extend_schema(
        summary="The status column's labels, each with its saved or proposed status kind",
        responses={200: StatusLabelSerializer(many=True)},
    )
    # Not paginated: the labels of one column, all at once (the description said a page).
    @action(
        detail=True,
        methods=["get"],
        url_path="status-labels",
        url_name="status-labels",
        pagination_class=None,
    )
    def status_labels(self, request: Request, pk: str) -> Response:
        labels, kinds = services.status_proposals(by=_by(request), imp=self._import(pk))
        return Response([{"label": label, "kind": kinds.get(label, "")} for label in labels])

    @extend_schema(
        summary="Map the file's columns (and status labels)",
        request=MappingSerializer,
        responses={200: ImportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="mapping", url_name="mapping")
    def mapping(self, request: Request, pk: str) -> Response:
        return self._step(
            pk,
            MappingSerializer,
            lambda imp, values: services.import_map(
                by=_by(request), imp=imp, columns=values["columns"], statuses=values["statuses"]
            ),
        )

    @extend_schema(summary="Run the dry run (in the background)", request=None, responses={202: ACCEPTED})
    @action(detail=True, methods=["post"], url_path="check", url_name="check")
    def check(self, request: Request, pk: str) -> Response:
        return self._step(
            pk,
            None,
            lambda imp, values: services.import_check_start(by=_by(request), imp=imp),
            status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        summary="The rows' verdicts: errors, duplicates, decisions, outcomes",
        parameters=[OpenApiParameter("show", str, enum=["errors", "duplicates", "valid", "notes", "all"])],
        responses={200: ImportRowSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], url_path="rows", url_name="rows")
    def rows(self, request: Request, pk: str) -> Response:
        imp = self._import(pk)
        show = request.query_params.get("show", "all")
        if show not in (*selectors.ROW_FILTERS, "all", ""):
            raise serializers.ValidationError(
                {"show": [_("Choose errors, duplicates, valid, notes or all.")]}
            )
        page = self.paginate_queryset(selectors.import_rows(imp=imp, show=show or "all"))
        return self.get_paginated_response(ImportRowSerializer(page, many=True).data)

    @extend_schema(
        summary="Decide about duplicate rows", request=DecisionsSerializer, responses={200: ImportSerializer}
    )
    @action(detail=True, methods=["post"], url_path="decisions", url_name="decisions")
    def decisions(self, request: Request, pk: str) -> Response:
        return self._step(
            pk,
            DecisionsSerializer,
            lambda imp, values: services.import_decide(
                by=_by(request), imp=imp, decisions=values["decisions"]
            ),
        )

    @extend_schema(
        summary="Import (in the background): all or nothing, or the valid rows",
        request=StartSerializer,
        responses={202: ACCEPTED},
    )
    @action(detail=True, methods=["post"], url_path="start", url_name="start")
    def start(self, request: Request, pk: str) -> Response:
        return self._step(
            pk,
            StartSerializer,
            lambda imp, values: services.import_start(by=_by(request), imp=imp, mode=values["mode"]),
            status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        summary="Undo the import (within 24 hours, if nothing it created was changed since)",
        request=None,
        responses={200: ImportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="undo", url_name="undo")
    def undo(self, request: Request, pk: str) -> Response:
        return self._step(pk, None, lambda imp, values: services.import_undo(by=_by(request), imp=imp))
