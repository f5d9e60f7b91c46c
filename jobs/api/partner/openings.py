"""The partner API's openings: an employer user's own openings, as on the portal's pages and through the
same services (jobs.services.openings.partner_opening_*): a new or changed opening is submitted for staff
to approve; the minimum-wage rule refuses one below the minimum with the same message. The employer is
never read from the input (it is the partner's own), and another employer's opening is a 404 like an id
that does not exist."""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.models import User
from jobs.api.openings import JobOpeningUpdateSerializer
from jobs.api.partner.base import PARTNER_TAG, PartnerViewSet
from jobs.models import JobOpening
from jobs.selectors.partner import partner_openings
from jobs.services.openings import (
    OPENING_FIELDS,
    partner_opening_close,
    partner_opening_create,
    partner_opening_update,
)


class PartnerOpeningSerializer(serializers.ModelSerializer):
    required_skills = serializers.ListField(child=serializers.CharField(), read_only=True)
    status_note = serializers.CharField(
        read_only=True, help_text=_("When staff returned the opening: their reason.")
    )

    class Meta:
        model = JobOpening
        fields = ["id", *OPENING_FIELDS, "status", "status_note", "version", "created_at", "updated_at"]
        read_only_fields = fields


class PartnerOpeningInputSerializer(JobOpeningUpdateSerializer):
    """The opening's fields; no status (it is submitted), no employer (it is yours)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["status"]
        del self.fields["status_note"]


class PartnerOpeningChangeSerializer(PartnerOpeningInputSerializer):
    version = serializers.IntegerField(
        required=False,
        help_text=_("The version you read: if someone saved since, nothing is changed and you are told."),
    )


class PartnerVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        help_text=_("The version you read: if someone saved since, nothing is changed and you are told."),
    )


@extend_schema_view(
    list=extend_schema(summary="Your employer's job openings, every status", tags=[PARTNER_TAG]),
    retrieve=extend_schema(summary="One of your job openings", tags=[PARTNER_TAG]),
)
class PartnerOpeningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartnerViewSet):
    serializer_class = PartnerOpeningSerializer

    def get_queryset(self) -> QuerySet[JobOpening]:
        return partner_openings(self.request.user).order_by("-start_date", "title", "pk")

    def _input(self, serializer: type[serializers.Serializer]) -> dict[str, Any]:
        parsed = serializer(data=self.request.data)
        parsed.is_valid(raise_exception=True)
        return dict(parsed.validated_data)

    def _output(self, pk: int) -> dict[str, Any]:
        return PartnerOpeningSerializer(self.get_queryset().get(pk=pk)).data

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)

    @extend_schema(
        summary="Propose a job opening: it is submitted for our staff to approve",
        request=PartnerOpeningInputSerializer,
        responses={201: PartnerOpeningSerializer},
        tags=[PARTNER_TAG],
    )
    def create(self, request: Request) -> Response:
        data = self._input(PartnerOpeningInputSerializer)
        with transaction.atomic(), service_errors():
            opening = partner_opening_create(by=self.actor, data=data)
            output = self._output(opening.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change one of your openings: it is submitted again (send the version you read)",
        request=PartnerOpeningChangeSerializer,
        responses={200: PartnerOpeningSerializer},
        tags=[PARTNER_TAG],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        opening = self.get_object()
        data = self._input(PartnerOpeningChangeSerializer)
        version = data.pop("version", None)
        with transaction.atomic(), service_errors():
            partner_opening_update(by=self.actor, opening=opening, data=data, version=version)
            output = self._output(opening.pk)
        return Response(output)

    @extend_schema(
        summary="Close one of your openings",
        request=PartnerVersionSerializer,
        responses={200: PartnerOpeningSerializer},
        tags=[PARTNER_TAG],
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        opening = self.get_object()
        data = self._input(PartnerVersionSerializer)
        with transaction.atomic(), service_errors():
            partner_opening_close(by=self.actor, opening=opening, version=data.get("version"))
            output = self._output(opening.pk)
        return Response(output)
