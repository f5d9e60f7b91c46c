"""Job openings: list, read, add, change (status included, with the version read), and the matching list.

``GET /openings/{id}/matching/`` is the opening page's matching list as data: every active person the
user may see, eligible first, each with the reasons that fail (jobs.selectors.matching). Filters:
``?eligible=true`` (only the eligible), ``?reason=level_ok`` (only those failing that reason).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.errors import service_errors
from casework.api.fields import PlausibleDateField, ServiceChoiceField, max_length
from jobs.api.base import JobsViewSet
from jobs.filtersets.openings import JobOpeningFilterSet
from jobs.models import ContractType, Employer, JobOpening, OpeningStatus, ShiftPattern, WageUnit
from jobs.selectors.matching import REASONS, match_rows, matching
from jobs.selectors.openings import openings_for_list
from jobs.services.openings import (
    OPENING_FIELDS,
    opening_approve,
    opening_create,
    opening_return,
    opening_update,
)
from learning.rules import CEFR_CHOICES

MATCH_REASONS = (*REASONS, "referred")


class EmployerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employer
        fields = ["id", "name"]
        read_only_fields = fields


class JobOpeningSerializer(serializers.ModelSerializer):
    employer = EmployerRefSerializer(read_only=True)
    required_skills = serializers.ListField(child=serializers.CharField(), read_only=True)
    referrals_open = serializers.IntegerField(read_only=True)
    placements_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = JobOpening
        fields = [
            "id",
            "employer",
            *OPENING_FIELDS,
            "status",
            "status_note",
            "referrals_open",
            "placements_count",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class JobOpeningUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(JobOpening, "title")
    )
    description = serializers.CharField(required=False, allow_blank=True)
    prefecture = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("JIS code (“13” is Tokyo) or the prefecture's name."),
    )
    address = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(JobOpening, "address")
    )
    # Any number parses; the service says which are allowed (more than 0, at most 80 or 24).
    hours_per_week = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    daily_hours = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    shift_pattern = ServiceChoiceField(choices=ShiftPattern.choices, required=False)
    wage = serializers.IntegerField(required=False, help_text=_("The base wage in yen."))
    wage_unit = ServiceChoiceField(choices=WageUnit.choices, required=False)
    contract_type = ServiceChoiceField(choices=ContractType.choices, required=False)
    start_date = PlausibleDateField(required=False)
    probation_months = serializers.IntegerField(required=False, allow_null=True)
    required_level = ServiceChoiceField(choices=CEFR_CHOICES, required=False, allow_blank=True)
    required_skills = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=30
    )
    places = serializers.IntegerField(required=False)
    status = ServiceChoiceField(choices=OpeningStatus.choices, required=False)
    status_note = serializers.CharField(required=False, allow_blank=True)


class JobOpeningChangeSerializer(JobOpeningUpdateSerializer):
    version = serializers.IntegerField(
        required=False,
        help_text=_("The version you read: if someone saved since, nothing is changed and you are told."),
    )


class JobOpeningCreateSerializer(JobOpeningUpdateSerializer):
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Employer.objects.none(), help_text=_("Employer id.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["employer"].queryset = Employer.objects.visible_to(  # type: ignore[attr-defined]
                request.user
            )


class JobOpeningApproveSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        help_text=_("The version you read: if someone saved since, nothing is changed and you are told."),
    )


class JobOpeningReturnSerializer(JobOpeningApproveSerializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Why it is returned: the employer reads it. Required.")
    )


class MatchRowSerializer(serializers.Serializer):
    reference_code = serializers.CharField(source="applicant.reference_code")
    family_name = serializers.CharField(source="applicant.family_name")
    given_name = serializers.CharField(source="applicant.given_name")
    display_name = serializers.CharField(source="applicant.display_name")
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=MATCH_REASONS),
        help_text=_("The conditions this person does not meet (empty when eligible)."),
    )
    level = serializers.CharField(help_text=_("The current assessed Japanese level (CEFR), empty when none."))
    legal_known = serializers.BooleanField(
        help_text=_("False when you may not read the person's legal records: “may work” is then unknown.")
    )
    works_until = serializers.DateField(
        allow_null=True,
        help_text=_("A warning: the person may work only until this day, before the probation ends."),
    )


class MatchPagination(PageNumberPagination):
    page_size = 25


@extend_schema_view(
    list=extend_schema(summary="Job openings of your organisation's employers (staff only)"),
    retrieve=extend_schema(summary="One job opening"),
)
class JobOpeningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, JobsViewSet):
    serializer_class = JobOpeningSerializer
    filterset_class = JobOpeningFilterSet

    def get_queryset(self) -> QuerySet[JobOpening]:
        return openings_for_list(user=self.request.user).order_by("-start_date", "title", "pk")

    def _output(self, pk: int) -> dict[str, Any]:
        return JobOpeningSerializer(self.visible_after_write(self.get_queryset(), pk)).data

    @extend_schema(
        summary="Add a job opening (a draft, or open when the wage is at least the minimum wage)",
        request=JobOpeningCreateSerializer,
        responses={201: JobOpeningSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(JobOpeningCreateSerializer)
        employer = data.pop("employer")
        with transaction.atomic(), service_errors():
            opening = opening_create(by=self.actor, employer=employer, data=data)
            output = self._output(opening.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a job opening or its status (send the version you read)",
        request=JobOpeningChangeSerializer,
        responses={200: JobOpeningSerializer},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        opening = self.get_object()
        data = self.parsed_input(JobOpeningChangeSerializer)
        version = data.pop("version", None)
        with transaction.atomic(), service_errors():
            opening_update(by=self.actor, opening=opening, data=data, version=version)
            output = self._output(opening.pk)
        return Response(output)

    @extend_schema(
        summary="Approve an opening the employer submitted: it opens (the minimum-wage rule applies)",
        request=JobOpeningApproveSerializer,
        responses={200: JobOpeningSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request: Request, pk: str) -> Response:
        opening = self.get_object()
        data = self.parsed_input(JobOpeningApproveSerializer)
        with transaction.atomic(), service_errors():
            opening_approve(by=self.actor, opening=opening, version=data.get("version"))
            output = self._output(opening.pk)
        return Response(output)

    @extend_schema(
        summary="Return an opening the employer submitted, with the reason they will read",
        request=JobOpeningReturnSerializer,
        responses={200: JobOpeningSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return", filter_backends=[])
    def return_(self, request: Request, pk: str) -> Response:
        opening = self.get_object()
        data = self.parsed_input(JobOpeningReturnSerializer)
        with transaction.atomic(), service_errors():
            opening_return(
                by=self.actor, opening=opening, reason=data.get("reason", ""), version=data.get("version")
            )
            output = self._output(opening.pk)
        return Response(output)

    @extend_schema(
        summary="The matching list: every active person you may see, eligible first, with the reasons",
        parameters=[
            OpenApiParameter("eligible", OpenApiTypes.BOOL, description=_("true: only the eligible.")),
            OpenApiParameter(
                "reason",
                OpenApiTypes.STR,
                enum=list(MATCH_REASONS),
                description=_("Only the people who fail this condition."),
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses={200: MatchRowSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=MatchPagination)
    def matching(self, request: Request, pk: str) -> Response:
        opening = self.get_object()
        rows = matching(user=request.user, opening=opening)
        eligible = request.query_params.get("eligible", "").strip().lower()
        if eligible in ("true", "1", "yes"):
            rows = rows.filter(**{"eligible": True})  # an annotation (dict: django-stubs cannot see it)
        elif eligible in ("false", "0", "no"):
            rows = rows.filter(**{"eligible": False})
        elif eligible:
            raise ValidationError({"eligible": [_("Use true or false.")]})
        reason = request.query_params.get("reason", "").strip()
        if reason:
            if reason not in MATCH_REASONS:
                raise ValidationError(
                    {"reason": [_("Choose one of: %(reasons)s.") % {"reasons": ", ".join(MATCH_REASONS)}]}
                )
            rows = rows.filter(**{reason: reason == "referred"})
        page = self.paginate_queryset(rows)
        assert page is not None
        data = MatchRowSerializer(match_rows(list(page), opening=opening), many=True).data
        return self.get_paginated_response(data)
