"""The applicants endpoint: list, detail, register (with the duplicate check), update, reassign.

Applicants are addressed by reference code (/api/v1/applicants/A-2026-00042/): it is what
caseworkers write on paper and say on the phone, it never changes, and unlike the primary key it
does not reveal how many people the organisation has registered.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from casework import rules, selectors, services
from casework.api.base import CaseRecordViewSet
from casework.api.errors import service_errors
from casework.api.fields import (
    ApplicantReferenceField,
    LanguageSerializer,
    LanguagesJSONField,
    PlausibleDateField,
    ServiceChoiceField,
    StringListJSONField,
    TeamInputField,
    TeamRefSerializer,
    UserInputField,
    UserRefSerializer,
    max_length,
)
from casework.filtersets.applicants import ApplicantFilterSet
from casework.models import (
    AccessLogEntry,
    Alias,
    Applicant,
    BirthDatePrecision,
    CaseStage,
    DuplicateCheck,
    HouseholdMember,
    codes_of,
)

# --- Output ---------------------------------------------------------------------------------------------


def legal_summary(applicant: Applicant, context: dict[str, Any]) -> selectors.LegalSummary:
    """Today's legal summary of a row: computed for the whole page by the list, or from the detail's
    prefetched rows (selectors.legal_summary either way: the header's and the list's computation)."""
    page = context.get("legal_summaries")
    if page is not None and applicant.pk in page:
        return page[applicant.pk]
    if not applicant.__dict__.get("legal_visible", True):
        return selectors.HIDDEN_SUMMARY
    day = context.get("today") or timezone.localdate()
    return selectors.legal_summary(list(applicant.periods.all()), list(applicant.work_permissions.all()), day)


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alias
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class HouseholdMemberSerializer(serializers.ModelSerializer):
    linked_applicant: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="reference_code", read_only=True, allow_null=True
    )

    class Meta:
        model = HouseholdMember
        fields = ["id", "name", "relation", "birth_year", "schooling", "linked_applicant"]
        read_only_fields = fields


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class StoredCodesField(serializers.Field):
    """An availability field stored as ",code,code," (casework.models.stored_codes), read as a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: str) -> list[str]:
        return codes_of(value)


class ApplicantSerializer(serializers.ModelSerializer):
    """An applicant with today's legal summary (derived, read-only; computed in the selectors)."""

    team = TeamRefSerializer(read_only=True)
    caseworker = UserRefSerializer(read_only=True, allow_null=True)
    display_name = serializers.CharField(read_only=True)
    nationality = serializers.CharField(read_only=True, help_text=_("ISO 3166 code, empty when unknown."))
    birth_year = serializers.IntegerField(read_only=True, allow_null=True)
    birth_date_is_approximate = serializers.BooleanField(read_only=True)
    birth_date_display = serializers.CharField(read_only=True)
    languages = LanguageSerializer(many=True, read_only=True)
    skills = serializers.ListField(child=serializers.CharField(), read_only=True)
    aliases = AliasSerializer(many=True, read_only=True)
    household = HouseholdMemberSerializer(many=True, read_only=True)
    current_status_kind = serializers.ChoiceField(
        source="legal_summary.kind", choices=rules.STATUS_KIND_CHOICES, read_only=True, allow_null=True
    )
    current_status_label = serializers.CharField(source="legal_summary.kind_label", read_only=True)
    lawful_stay_until = serializers.DateField(
        source="legal_summary.lawful_until", read_only=True, allow_null=True
    )
    days_left = serializers.IntegerField(source="legal_summary.days_left", read_only=True, allow_null=True)
    renewal_window_opens = serializers.DateField(
        source="legal_summary.renewal_window_opens", read_only=True, allow_null=True
    )
    renewal_pending = serializers.BooleanField(
        source="legal_summary.renewal_pending", read_only=True, allow_null=True
    )
    may_work_today = serializers.BooleanField(
        source="legal_summary.may_work",
        read_only=True,
        allow_null=True,
        help_text=_("Null, like the other legal fields, when legal_records_visible is false."),
    )
    legal_records_visible = serializers.SerializerMethodField(
        help_text=_(
            "False for a teammate's shared case: legal records are for its caseworker and supervisors."
        )
    )
    available_days = StoredCodesField(help_text=_("Weekday codes: mon … sun."))
    available_shifts = StoredCodesField(help_text=_("Shift codes: day, evening, night."))
    commute_prefectures = StoredCodesField(help_text=_("Prefecture codes (JIS, “13” is Tokyo)."))

    class Meta:
        model = Applicant
        fields = [
            "id",
            "reference_code",
            "family_name",
            "given_name",
            "display_name",
            "name_native",
            "name_katakana",
            "date_of_birth",
            "birth_date_precision",
            "birth_year",
            "birth_date_is_approximate",
            "birth_date_display",
            "gender",
            "nationality",
            "languages",
            "phone",
            "email",
            "prefecture",
            "city",
            "education",
            "work_history",
            "skills",
            "intake_date",
            "case_stage",
            "available_from",
            "hours_per_week_wanted",
            "available_days",
            "available_shifts",
            "commute_prefectures",
            "team",
            "caseworker",
            "aliases",
            "household",
            "current_status_kind",
            "current_status_label",
            "lawful_stay_until",
            "days_left",
            "renewal_window_opens",
            "renewal_pending",
            "may_work_today",
            "legal_records_visible",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_legal_records_visible(self, instance: Applicant) -> bool:
        return not instance.legal_summary.hidden  # type: ignore[attr-defined]

    def to_representation(self, instance: Applicant) -> dict[str, Any]:
        instance.legal_summary = legal_summary(instance, self.context)  # type: ignore[attr-defined]
        data = super().to_representation(instance)
        if instance.legal_summary.hidden:  # type: ignore[attr-defined]
            data["may_work_today"] = None
            data["renewal_pending"] = None
        return data


# --- Input ----------------------------------------------------------------------------------------------


class ApplicantProfileInputSerializer(serializers.Serializer):
    """The profile fields a person may set; values are parsed here and judged by the service."""

    family_name = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Applicant, "family_name")
    )
    given_name = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Applicant, "given_name")
    )
    name_native = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Applicant, "name_native")
    )
    name_katakana = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Applicant, "name_katakana")
    )
    date_of_birth = PlausibleDateField(
        required=False,
        allow_null=True,
        help_text=_("When only the year or month is known, enter the first day and set the precision."),
    )
    birth_date_precision = ServiceChoiceField(choices=BirthDatePrecision.choices, required=False)
    gender = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Applicant, "gender")
    )
    nationality = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("ISO 3166 code, such as LK or MM.")
    )
    languages = LanguagesJSONField(required=False)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=max_length(Applicant, "phone"))
    email = serializers.EmailField(
        required=False, allow_blank=True, max_length=max_length(Applicant, "email")
    )
    prefecture = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Applicant, "prefecture")
    )
    city = serializers.CharField(required=False, allow_blank=True, max_length=max_length(Applicant, "city"))
    education = serializers.CharField(required=False, allow_blank=True)
    work_history = serializers.CharField(required=False, allow_blank=True)
    skills = StringListJSONField(required=False)
    intake_date = PlausibleDateField(required=False)
    case_stage = ServiceChoiceField(choices=CaseStage.choices, required=False)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=max_length(Alias, "name"), allow_blank=True),
        required=False,
        help_text=_("Other spellings and former names; on update the list replaces the current one."),
    )
    available_from = PlausibleDateField(
        required=False, allow_null=True, help_text=_("The first day the person can start work.")
    )
    hours_per_week_wanted = serializers.IntegerField(required=False, allow_null=True)
    available_days = StringListJSONField(required=False, help_text=_("Weekday codes: mon … sun."))
    available_shifts = StringListJSONField(required=False, help_text=_("Shift codes: day, evening, night."))
    commute_prefectures = StringListJSONField(
        required=False, help_text=_("Prefectures the person can commute to: JIS codes or names.")
    )


class ApplicantCreateSerializer(ApplicantProfileInputSerializer):
    team = TeamInputField(
        required=False,
        allow_null=True,
        help_text=_("Supervisors and administrators choose; a caseworker registers into their own caseload."),
    )
    caseworker = UserInputField(required=False, allow_null=True)
    duplicate_check = serializers.PrimaryKeyRelatedField(
        queryset=DuplicateCheck.objects.none(),
        required=False,
        allow_null=True,
        help_text=_(
            "The id of the duplicate check run before: registering records the decision “new person”."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only the caller's own, still undecided checks.
            field = self.fields["duplicate_check"]
            field.queryset = DuplicateCheck.objects.filter(  # type: ignore[attr-defined]
                checked_by=request.user, decision=DuplicateCheck.Decision.PENDING
            )


class ApplicantUpdateSerializer(ApplicantProfileInputSerializer):
    version = serializers.IntegerField(
        help_text=_("Required: the version you read. If someone saved since, the update is refused with 409.")
    )


class DuplicateCheckInputSerializer(serializers.Serializer):
    family_name = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Applicant, "family_name")
    )
    given_name = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Applicant, "given_name")
    )
    name_katakana = serializers.CharField(
        required=False, allow_blank=True, max_length=max_length(Applicant, "name_katakana")
    )
    date_of_birth = PlausibleDateField(required=False, allow_null=True)
    nationality = serializers.CharField(required=False, allow_blank=True, max_length=100)
    card_number = serializers.CharField(required=False, allow_blank=True, max_length=40)


class DuplicateMatchSerializer(serializers.Serializer):
    """All that may be shown of a possible match outside one's caseload (DESIGN.md)."""

    reference_code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    birth_year = serializers.IntegerField(read_only=True, allow_null=True)
    caseworker = serializers.CharField(read_only=True)


class DuplicateCheckResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Send it as duplicate_check when registering."))
    matches = DuplicateMatchSerializer(many=True, read_only=True)


class ReassignInputSerializer(serializers.Serializer):
    applicants = serializers.ListField(
        child=ApplicantReferenceField(), required=False, help_text=_("Reference codes of the cases to move.")
    )
    team = TeamInputField()
    caseworker = UserInputField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReassignResultSerializer(serializers.Serializer):
    reassigned = serializers.IntegerField(read_only=True)


# --- Endpoint -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Applicants visible to you, with today's legal summary"),
    retrieve=extend_schema(summary="One applicant"),
)
class ApplicantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseRecordViewSet):
    """Applicants, addressed by reference code. No DELETE: records are closed, not removed."""

    serializer_class = ApplicantSerializer
    filterset_class = ApplicantFilterSet
    lookup_field = "reference_code"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9-]*"
    http_method_names = ["get", "post", "patch", "head", "options"]
    access_log_kind = AccessLogEntry.Kind.APPLICANT_VIEW

    def get_queryset(self) -> QuerySet[Applicant]:
        user = self.request.user
        if self.action == "list":
            return selectors.applicants_for_list(user=user).prefetch_related(
                "aliases",
                Prefetch(
                    "household",
                    queryset=HouseholdMember.objects.select_related("linked_applicant").order_by("pk"),
                ),
            )
        if self.action == "partial_update":
            return Applicant.objects.visible_to(user)
        return selectors.applicant_detail_queryset(user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_serializer(self, *args: Any, **kwargs: Any):
        if kwargs.get("many") and args:
            # A page of the list: every row's legal summary in two queries, as the HTML list does.
            rows = list(args[0])
            context = self.get_serializer_context()
            context["legal_summaries"] = selectors.legal_summaries(
                rows, user=self.request.user, day=context["today"]
            )
            return self.get_serializer_class()(rows, *args[1:], context=context, **kwargs)
        return super().get_serializer(*args, **kwargs)

    def _output(self, pk: int) -> dict[str, Any]:
        applicant = self.visible_after_write(selectors.applicant_detail_queryset(self.request.user), pk)
        return ApplicantSerializer(applicant, context=self.get_serializer_context()).data

    @extend_schema(
        summary="Register a person",
        request=ApplicantCreateSerializer,
        responses={201: ApplicantSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parsed_input(ApplicantCreateSerializer)
        aliases = data.pop("aliases", None)
        team = data.pop("team", None)
        caseworker = data.pop("caseworker", None)
        duplicate_check = data.pop("duplicate_check", None)
        with transaction.atomic(), service_errors():
            applicant = services.applicant_register(
                by=self.actor,
                data=data,
                aliases=aliases,
                team=team,
                caseworker=caseworker,
                duplicate_check=duplicate_check,
            )
            output = self._output(applicant.pk)
        return Response(output, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a person's profile",
        description=(
            "Send `version` as read. If someone saved the record since, nothing is saved and the "
            "answer is 409 Conflict with the service's message in `detail`: read the record again."
        ),
        request=ApplicantUpdateSerializer,
        responses={
            200: ApplicantSerializer,
            409: OpenApiResponse(description="Someone else saved the record after you read it."),
        },
    )
    def partial_update(self, request: Request, reference_code: str) -> Response:
        applicant = self.get_object()
        data = self.parsed_input(ApplicantUpdateSerializer)
        version = data.pop("version")
        aliases = data.pop("aliases", None)
        with transaction.atomic(), service_errors():
            services.applicant_update(
                by=self.actor, applicant=applicant, data=data, expected_version=version, aliases=aliases
            )
            output = self._output(applicant.pk)
        return Response(output)

    @extend_schema(
        summary="Look for possible duplicates before registering",
        description=(
            "Searches the whole organisation (the one sanctioned exception to visible_to) and records "
            "that the check ran. Matches show only reference code, name, birth year and caseworker."
        ),
        request=DuplicateCheckInputSerializer,
        responses={200: DuplicateCheckResultSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="duplicate-check",
        url_name="duplicate-check",
        filter_backends=[],
        pagination_class=None,
    )
    def duplicate_check(self, request: Request) -> Response:
        data = self.parsed_input(DuplicateCheckInputSerializer)
        with service_errors():
            check = services.duplicate_check_run(by=self.actor, **data)
        result = {"id": check.pk, "matches": check.found}  # type: ignore[attr-defined]
        return Response(DuplicateCheckResultSerializer(result).data)

    @extend_schema(
        summary="Move cases to a team and caseworker (supervisors and administrators)",
        request=ReassignInputSerializer,
        responses={200: ReassignResultSerializer},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def reassign(self, request: Request) -> Response:
        data = self.parsed_input(ReassignInputSerializer)
        # The same case named twice is moved once.
        applicants = list({applicant.pk: applicant for applicant in data.get("applicants", [])}.values())
        with service_errors():
            count = services.applicants_reassign(
                by=self.actor,
                applicants=applicants,
                team=data["team"],
                caseworker=data.get("caseworker"),
                reason=data.get("reason", ""),
            )
        return Response(ReassignResultSerializer({"reassigned": count}).data)
