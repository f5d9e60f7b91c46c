"""The base of casework's record viewsets: visible_to() reads, service writes, filters on lists only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.permissions import CaseRecordPermission
from casework.audit import log_access, log_listed, record_label
from casework.models import User


class CaseRecordViewSet(viewsets.GenericViewSet):
    """Shared behaviour of the casework viewsets.

    - The queryset (get_queryset) always starts from Model.objects.visible_to(request.user): what a user
      may not see answers 404, and lists hold only what they may see.
    - Writes go through one service each (inside ``service_errors()``), never through serializer.save().
    - PUT is not offered: PATCH sends the fields that change, the service merges.
    - The FilterSet applies to lists only; a query string on a detail URL or an action is ignored.
    - A viewset with ``access_log_kind`` writes one access-log entry for every record read one at a time
      (GET on the detail URL); its applicant comes from ``applicant_id`` or ``procedure.applicant_id``.
    - Every list page writes one ``list_view`` access-log entry per person it returned (``logs_lists``;
      a viewset that logs its list reads under a stronger kind of its own turns it off).
    """

    permission_classes = [CaseRecordPermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    access_log_kind: str = ""
    logs_lists = True

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if self.action == "list" and self.logs_lists:
            records = list(page) if page is not None else list(queryset)
            log_listed(actor=self.request.user, records=records, via="api", listing=self.basename or "")
        return page

    def get_object(self) -> Any:
        found = super().get_object()
        if self.access_log_kind and self.action == "retrieve":
            applicant_id = getattr(found, "applicant_id", None)
            is_applicant = found._meta.label_lower == "casework.applicant"
            log_access(
                actor=self.request.user,
                kind=self.access_log_kind,
                applicant_id=found.pk if is_applicant else applicant_id,
                object_label=found.reference_code if is_applicant else record_label(found),
                detail={"via": "api"}
                if is_applicant
                else {"via": "api", "record": found._meta.label_lower, "id": found.pk},
            )
        return found

    def parsed_input(self, input_serializer: type[serializers.Serializer]) -> dict[str, Any]:
        """The request body parsed by the action's input serializer; a 400 naming the fields if it fails.

        serializer_class stays the output serializer (lists, details, responses, the browsable API).
        """
        serializer = input_serializer(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @property
    def actor(self) -> User:
        """The signed-in user the services act for (the permission class has let only members in)."""
        return cast(User, self.request.user)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def visible_after_write(self, queryset: QuerySet[Any], pk: Any) -> Model:
        """Re-read what was written through the user's own door (NetBox's post-write re-check).

        Call it inside the write's transaction: if the user could not see the result, nothing is kept.
        """
        found = queryset.filter(pk=pk).first()
        if found is None:
            raise PermissionDenied
        return found

    def create_for_applicant(
        self, input_serializer: type[serializers.Serializer], record: Callable[[Any, dict[str, Any]], Model]
    ) -> Response:
        """Parse the body, call the service for the named applicant, answer 201 with what the user sees."""
        data = self.parsed_input(input_serializer)
        applicant = data.pop("applicant")
        with transaction.atomic(), service_errors():
            created = record(applicant, data)
            output = self.get_serializer(self.visible_after_write(self.get_queryset(), created.pk)).data
        return Response(output, status=status.HTTP_201_CREATED)
