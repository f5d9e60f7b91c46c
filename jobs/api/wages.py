"""The regional minimum wage table: staff read it; administrators add each autumn's rows."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.fields import PlausibleDateField
from jobs.api.base import JobsStaffPermission, JobsViewSet
from jobs.models import MinimumWage
from jobs.services.base import is_admin
from jobs.services.wages import minimum_wage_add


class MinimumWageSerializer(serializers.ModelSerializer):
    class Meta:
        model = MinimumWage
        fields = ["id", "prefecture", "yen_per_hour", "effective_from", "approximate"]
        read_only_fields = fields


class MinimumWageCreateSerializer(serializers.Serializer):
    prefecture = serializers.CharField(
        allow_blank=True, max_length=20, help_text=_("JIS code (“13” is Tokyo) or the prefecture's name.")
    )
    yen_per_hour = serializers.IntegerField()
    effective_from = PlausibleDateField()
    approximate = serializers.BooleanField(required=False, default=False)


class MinimumWagePermission(JobsStaffPermission):
    """Staff read the table (trainers too: it is public data); only administrators add rows."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in ("GET", "HEAD", "OPTIONS") or is_admin(request.user)


@extend_schema_view(
    list=extend_schema(summary="The regional minimum wages, by prefecture, newest first"),
    retrieve=extend_schema(summary="One minimum-wage row"),
)
class MinimumWageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, JobsViewSet):
    serializer_class = MinimumWageSerializer
    permission_classes = [MinimumWagePermission]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[MinimumWage]:
        queryset = MinimumWage.objects.order_by("prefecture", "-effective_from", "pk")
        prefecture = self.request.query_params.get("prefecture") if self.action == "list" else None
        return queryset.filter(prefecture=prefecture) if prefecture else queryset

    @extend_schema(
        summary="Add a minimum-wage row (administrators)",
        request=MinimumWageCreateSerializer,
        responses={201: MinimumWageSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(MinimumWageCreateSerializer)
        with transaction.atomic(), service_errors():
            row = minimum_wage_add(by=self.actor, data=data)
        return Response(MinimumWageSerializer(row).data, status=status.HTTP_201_CREATED)
