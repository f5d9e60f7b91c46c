"""Employers and their contact people: list, read, add, change (caseworkers, supervisors, administrators).

The contact people come with the employer (``contacts``); ``POST /employers/{id}/contacts/`` adds one
(and a new main contact takes over from the previous one, as on the page).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.fields import ServiceChoiceField, max_length
from jobs.api.base import JobsViewSet
from jobs.filtersets.employers import EmployerFilterSet
from jobs.models import Employer, EmployerContact, Industry, PartnershipStatus, SizeBand
from jobs.selectors.employers import employers_for_list
from jobs.services.employers import employer_contact_save, employer_create, employer_update


class EmployerContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerContact
        fields = ["id", "name", "role", "email", "phone", "is_primary"]
        read_only_fields = fields


class EmployerSerializer(serializers.ModelSerializer):
    contacts = EmployerContactSerializer(many=True, read_only=True)
    open_openings = serializers.IntegerField(read_only=True, help_text=_("Openings open now."))
    placements_total = serializers.IntegerField(read_only=True)
    placements_running = serializers.IntegerField(
        read_only=True, help_text=_("People placed there who still work there.")
    )

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "name_kana",
            "industry",
            "prefecture",
            "address",
            "size_band",
            "partnership_status",
            "notes",
            "contacts",
            "open_openings",
            "placements_total",
            "placements_running",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EmployerUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=max_length(Employer, "name"))
    name_kana = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Employer, "name_kana")
    )
    industry = ServiceChoiceField(choices=Industry.choices, required=False)
    prefecture = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("JIS code (“13” is Tokyo) or the prefecture's name."),
    )
    address = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Employer, "address")
    )
    size_band = ServiceChoiceField(choices=SizeBand.choices, required=False, allow_blank=True)
    partnership_status = ServiceChoiceField(choices=PartnershipStatus.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class EmployerCreateSerializer(EmployerUpdateSerializer):
    name = serializers.CharField(allow_blank=True, max_length=max_length(Employer, "name"))
    industry = ServiceChoiceField(choices=Industry.choices)
    prefecture = serializers.CharField(
        allow_blank=True, max_length=20, help_text=_("JIS code (“13” is Tokyo) or the prefecture's name.")
    )


class EmployerContactInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, max_length=max_length(EmployerContact, "name"))
    role = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(EmployerContact, "role")
    )
    # The service checks the address, so the message is the page's.
    email = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(EmployerContact, "email")
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(EmployerContact, "phone")
    )
    is_primary = serializers.BooleanField(required=False, default=False)


@extend_schema_view(
    list=extend_schema(summary="Employers of your organisation (staff only)"),
    retrieve=extend_schema(summary="One employer with its contact people"),
)
class EmployerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, JobsViewSet):
    """Partner employers. Trainers see none; employer users may not use this staff API."""

    serializer_class = EmployerSerializer
    filterset_class = EmployerFilterSet

    def get_queryset(self) -> QuerySet[Employer]:
        return (
            employers_for_list(user=self.request.user)
            .prefetch_related(
                Prefetch("contacts", queryset=EmployerContact.objects.order_by("-is_primary", "name", "pk"))
            )
            .order_by("name", "pk")
        )

    def _output(self, pk: int) -> dict[str, Any]:
        return EmployerSerializer(self.visible_after_write(self.get_queryset(), pk)).data

    @extend_schema(
        summary="Add an employer", request=EmployerCreateSerializer, responses={201: EmployerSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(EmployerCreateSerializer)
        with transaction.atomic(), service_errors():
            employer = employer_create(by=self.actor, data=data)
            output = self._output(employer.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an employer (the fields sent)",
        request=EmployerUpdateSerializer,
        responses={200: EmployerSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        employer = self.get_object()
        data = self.parsed_input(EmployerUpdateSerializer)
        with transaction.atomic(), service_errors():
            employer_update(by=self.actor, employer=employer, data=data)
            output = self._output(employer.pk)
        return Response(output)

    @extend_schema(
        summary="Add a contact person to an employer",
        request=EmployerContactInputSerializer,
        responses={201: EmployerContactSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def contacts(self, request: Request, pk: str) -> Response:
        employer = self.get_object()
        data = self.parsed_input(EmployerContactInputSerializer)
        with transaction.atomic(), service_errors():
            contact = employer_contact_save(by=self.actor, employer=employer, data=data)
        return Response(EmployerContactSerializer(contact).data, status=status.HTTP_201_CREATED)
