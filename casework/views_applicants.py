"""Applicant pages: list, registration with the duplicate check, the applicant page, legal records.

Views are thin: a form checks the input, one service writes, its ValidationError lands on the form
and its PermissionDenied becomes a 403. Reads go through selectors and visible_to(): an applicant
outside it is a 404, a visible but read-only one is a 403 for every write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from casework import crypto, names, panels, selectors, services, timeline, views_audit, views_consent
from casework.access import role_required
from casework.audit import log_access
from casework.filtersets import ApplicantFilterSet
from casework.forms_applicants import (
    GENDER_SUGGESTIONS,
    PREFECTURES,
    ApplicantEditForm,
    ApplicantRegistrationForm,
    BulkReassignForm,
    HouseholdMemberForm,
    LegalStatusPeriodEditForm,
    LegalStatusPeriodForm,
    ProcedureEventForm,
    ReassignForm,
    RefugeeProcedureForm,
    ReportingObligationForm,
    WorkPermissionForm,
    apply_service_error,
    country_choices,
    error_codes,
    status_kind_choices,
)
from casework.models import (
    AccessLogEntry,
    Applicant,
    DuplicateCheck,
    LegalStatusPeriod,
    RefugeeProcedure,
)
from casework.roles import Role
from casework.typing import AuthenticatedRequest

PAGE_SIZE = 25
staff_required = role_required(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)
reassigner_required = role_required(Role.SUPERVISOR, Role.ADMINISTRATOR)

SORT_LABELS = [
    ("name", gettext_lazy("Name, A to Z")),
    ("-name", gettext_lazy("Name, Z to A")),
    ("reference", gettext_lazy("Reference code")),
    ("-reference", gettext_lazy("Reference code, newest first")),
    ("deadline", gettext_lazy("Status period ends, soonest first")),
    ("-deadline", gettext_lazy("Status period ends, latest first")),
    ("intake", gettext_lazy("Intake date, oldest first")),
    ("-intake", gettext_lazy("Intake date, newest first")),
    ("stage", gettext_lazy("Case stage")),
]


def _is_administrator(user) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or user.is_superuser


def _can_edit(user, applicant: Applicant) -> bool:
    return Applicant.objects.editable_by(user).filter(pk=applicant.pk).exists()


def _can_reassign(user, applicant: Applicant) -> bool:
    if _is_administrator(user):
        return True
    return user.has_role(Role.SUPERVISOR) and user.led_teams.filter(pk=applicant.team_id).exists()


def _visible_applicant(user, reference_code: str) -> Applicant:
    return get_object_or_404(
        Applicant.objects.visible_to(user).select_related("team", "caseworker"), reference_code=reference_code
    )


def _editable_applicant(user, reference_code: str) -> Applicant:
    """The applicant for a write: 404 when the user cannot see it, 403 when they may only read it."""
    applicant = _visible_applicant(user, reference_code)
    if not _can_edit(user, applicant):
        raise PermissionDenied
    return applicant


def _detail_url(applicant: Applicant, anchor: str = "") -> str:
    url = reverse("applicant_detail", kwargs={"reference_code": applicant.reference_code})
    return f"{url}#{anchor}" if anchor else url


# --- List ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRow:
    applicant: Applicant
    legal: selectors.LegalSummary
    selectable: bool


@staff_required
def applicant_list(request: AuthenticatedRequest) -> HttpResponse:
    return _render_list(request, request.GET)


def _render_list(
    request: AuthenticatedRequest, params: QueryDict, *, bulk_form: BulkReassignForm | None = None
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    base = selectors.applicants_for_list(user=user, day=today)
    filterset = ApplicantFilterSet(params, queryset=base, request=request)
    # Labels in the language of the request (the FilterSet's choices are built once, in English).
    filterset.form.fields["nationality"].choices = country_choices()[1:]
    filterset.form.fields["status_kind"].choices = status_kind_choices()
    filterset.form.fields["sort"].choices = SORT_LABELS
    filterset.form.label_suffix = ""
    filterset.form.fields["may_work_now"].widget = forms.Select(
        choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
    )
    queryset = filterset.qs if filterset.is_valid() else base.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(params.get("page"))

    can_bulk = _is_administrator(user) or user.has_role(Role.SUPERVISOR)
    led_team_ids: set[int] = set()
    if can_bulk and not _is_administrator(user):
        led_team_ids = set(user.led_teams.values_list("pk", flat=True))
    rows = [
        ListRow(
            applicant=applicant,
            legal=selectors.legal_summary_from_annotations(applicant, today),
            selectable=can_bulk and (_is_administrator(user) or applicant.team_id in led_team_ids),
        )
        for applicant in page.object_list
    ]
    if can_bulk and bulk_form is None:
        bulk_form = BulkReassignForm(user=user, prefix="bulk", initial={"next": request.get_full_path()})
    selected: set[str] = set()
    if bulk_form is not None and isinstance(bulk_form.data, QueryDict):
        selected = set(bulk_form.data.getlist("bulk-applicants"))
    return render(
        request,
        "casework/applicants/list.html",
        {
            "filter_form": filterset.form,
            "page_obj": page,
            "rows": rows,
            "query": params,
            "current_sort": params.get("sort", ""),
            "bulk_form": bulk_form,
            "can_bulk": can_bulk and any(row.selectable for row in rows),
            "selected": selected,
        },
    )


def _list_params_from(next_url: str, request: AuthenticatedRequest) -> tuple[str, QueryDict]:
    list_url = reverse("applicant_list")
    allowed = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
    if not next_url or not allowed or urlsplit(next_url).path != list_url:
        return list_url, QueryDict()
    return next_url, QueryDict(urlsplit(next_url).query)


@reassigner_required
@require_POST
def applicant_bulk_reassign(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = BulkReassignForm(request.POST, user=user, prefix="bulk")
    next_url, params = _list_params_from(request.POST.get("bulk-next", ""), request)
    if form.is_valid():
        try:
            moved = services.applicants_reassign(
                by=user,
                applicants=list(form.cleaned_data["applicants"]),
                team=form.cleaned_data["team"],
                caseworker=form.cleaned_data["caseworker"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d case moved to %(team)s.", "%(count)d cases moved to %(team)s.", moved)
                % {"count": moved, "team": form.cleaned_data["team"]},
            )
            return redirect(next_url)
    return _render_list(request, params, bulk_form=form)


# --- Registration and the duplicate check ----------------------------------------------------------------


@staff_required
def applicant_register(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if request.method != "POST":
        return _render_register(request, ApplicantRegistrationForm(user=user), None)
    form = ApplicantRegistrationForm(request.POST, user=user)
    check = selectors.duplicate_check_of(user=user, pk=request.POST.get("check"))
    action = request.POST.get("action", "")
    if check is not None and check.registered_id:
        # A second click on "register": the person is already there.
        messages.info(request, _("This person was already registered."))
        registered = get_object_or_404(Applicant.objects.visible_to(user), pk=check.registered_id)
        return redirect(_detail_url(registered))
    if check is not None and action.partition(":")[0] in ("open", "ask"):
        return _decide_match(request, form, check, action)
    if not form.is_valid():
        return _render_register(request, form, check)
    if action == "register" and check is not None and _check_fits(check, form):
        return _register(request, form, check)
    cleaned = form.cleaned_data
    check = services.duplicate_check_run(
        by=user,
        family_name=cleaned["family_name"],
        given_name=cleaned["given_name"],
        name_katakana=cleaned["name_katakana"],
        date_of_birth=cleaned.get("date_of_birth"),
        nationality=cleaned["nationality"],
        card_number=cleaned["card_number"],
    )
    if not check.found:  # type: ignore[attr-defined]
        return _register(request, form, check)
    return _render_register(request, form, check)


def _check_fits(check: DuplicateCheck, form: ApplicantRegistrationForm) -> bool:
    """Whether the recorded check was run on what the form holds now (else it must run again)."""
    cleaned = form.cleaned_data
    born = cleaned.get("date_of_birth")
    card = cleaned.get("card_number") or ""
    return (
        check.name_key == names.name_key([cleaned["family_name"], cleaned["given_name"]])
        and check.birth_year == (born.year if isinstance(born, date) else None)
        and check.nationality == (cleaned["nationality"] or "").upper()
        and check.card_hash == (crypto.lookup_hash(card) if card else "")
    )


def _register(
    request: AuthenticatedRequest, form: ApplicantRegistrationForm, check: DuplicateCheck
) -> HttpResponse:
    data = form.profile_data()
    if data["intake_date"] is None:
        del data["intake_date"]  # the service's default: today
    try:
        applicant = services.applicant_register(
            by=request.user,
            data=data,
            aliases=form.cleaned_data["aliases"],
            team=form.cleaned_data.get("team"),
            caseworker=form.cleaned_data.get("caseworker"),
            duplicate_check=check,
        )
    except ValidationError as error:
        apply_service_error(form, error)
        return _render_register(request, form, check)
    messages.success(
        request,
        _("%(name)s is registered as %(reference)s.")
        % {"name": applicant.display_name, "reference": applicant.reference_code},
    )
    return redirect(_detail_url(applicant))


def _decide_match(
    request: AuthenticatedRequest, form: ApplicantRegistrationForm, check: DuplicateCheck, action: str
) -> HttpResponse:
    user = request.user
    kind, _sep, raw_pk = action.partition(":")
    match = next((c for c in selectors.duplicate_check_candidates(check=check) if str(c.pk) == raw_pk), None)
    if match is None:
        raise Http404
    if kind == "open":
        applicant = get_object_or_404(Applicant.objects.visible_to(user), pk=match.pk)
        services.duplicate_check_decide(
            by=user, check=check, decision=DuplicateCheck.Decision.OPENED_MATCH, chosen=applicant
        )
        return redirect(_detail_url(applicant))
    # The match may be outside the user's caseload: only the check links to it.
    chosen = check.matches.only("pk").get(pk=match.pk)
    services.duplicate_check_decide(
        by=user, check=check, decision=DuplicateCheck.Decision.ASKED_CASEWORKER, chosen=chosen
    )
    if match.caseworker:
        text = _(
            "Ask %(caseworker)s, the caseworker of %(reference)s, whether this is the same person. "
            "Nothing has been registered; what you typed is kept below."
        ) % {"caseworker": match.caseworker, "reference": match.reference_code}
    else:
        text = _(
            "%(reference)s has no caseworker at the moment: ask the supervisors of its team whether this "
            "is the same person. Nothing has been registered; what you typed is kept below."
        ) % {"reference": match.reference_code}
    messages.info(request, text)
    form.is_valid()
    return _render_register(request, form, check)


def _render_register(
    request: AuthenticatedRequest, form: ApplicantRegistrationForm, check: DuplicateCheck | None
) -> HttpResponse:
    candidates = selectors.duplicate_check_candidates(check=check) if check is not None else []
    visible = set(
        Applicant.objects.visible_to(request.user)
        .filter(pk__in=[c.pk for c in candidates])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "casework/applicants/register.html",
        {
            "form": form,
            "check": check if candidates else None,
            "candidates": [(candidate, candidate.pk in visible) for candidate in candidates],
            "gender_suggestions": GENDER_SUGGESTIONS,
            "prefectures": PREFECTURES,
        },
    )


# --- Edit and reassign -----------------------------------------------------------------------------------


@staff_required
def applicant_edit(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    user = request.user
    applicant = _editable_applicant(user, reference_code)
    stale = False
    if request.method == "POST":
        form = ApplicantEditForm(request.POST)
        if form.is_valid():
            try:
                services.applicant_update(
                    by=user,
                    applicant=applicant,
                    data=form.profile_data(),
                    expected_version=form.cleaned_data["version"],
                    aliases=form.cleaned_data["aliases"],
                )
            except ValidationError as error:
                stale = getattr(error, "code", None) == "stale"
                apply_service_error(form, error)
            else:
                messages.success(request, _("The profile is saved."))
                return redirect(_detail_url(applicant))
    else:
        form = ApplicantEditForm(
            initial={**ApplicantEditForm.initial_for(applicant), "version": applicant.version}
        )
    return render(
        request,
        "casework/applicants/edit.html",
        {
            "applicant": applicant,
            "form": form,
            "stale": stale,
            "gender_suggestions": GENDER_SUGGESTIONS,
            "prefectures": PREFECTURES,
        },
        status=409 if stale else 200,
    )


@reassigner_required
def applicant_reassign(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    user = request.user
    applicant = _visible_applicant(user, reference_code)
    if not _can_reassign(user, applicant):
        raise PermissionDenied
    form = ReassignForm(
        request.POST or None,
        user=user,
        initial={"team": applicant.team_id, "caseworker": applicant.caseworker_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.applicants_reassign(
                by=user,
                applicants=[applicant],
                team=form.cleaned_data["team"],
                caseworker=form.cleaned_data["caseworker"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The case is reassigned."))
            return redirect(_detail_url(applicant))
    return render(request, "casework/applicants/reassign.html", {"applicant": applicant, "form": form})


# --- The applicant page ----------------------------------------------------------------------------------

SECTION_TEMPLATES = {
    "periods": "casework/applicants/sections/periods.html",
    "work": "casework/applicants/sections/work.html",
    "reporting": "casework/applicants/sections/reporting.html",
    "procedures": "casework/applicants/sections/procedures.html",
    "household": "casework/applicants/sections/household.html",
}
# Sections whose change moves the header's current status and "may work today".
SECTIONS_IN_HEADER = {"periods", "work"}


@dataclass(frozen=True)
class ProcedureRow:
    procedure: RefugeeProcedure
    appeal: selectors.AppealStatus | None
    event_form: forms.Form | None


def _record_forms(applicant: Applicant, bound: dict[str, forms.Form]) -> dict[str, forms.Form]:
    next_ordinal = max((p.ordinal for p in applicant.procedures.all()), default=0) + 1
    return {
        "periods": bound.get("periods") or LegalStatusPeriodForm(prefix="period"),
        "work": bound.get("work") or WorkPermissionForm(prefix="work"),
        "reporting": bound.get("reporting") or ReportingObligationForm(prefix="reporting"),
        "procedures": bound.get("procedures")
        or RefugeeProcedureForm(prefix="procedure", initial={"ordinal": next_ordinal}),
        "household": bound.get("household") or HouseholdMemberForm(prefix="household"),
    }


def _detail_context(
    request: AuthenticatedRequest,
    applicant: Applicant,
    *,
    bound: dict[str, forms.Form] | None = None,
    notice: str = "",
) -> dict[str, Any]:
    """Everything the page and its sections show, derived from the prefetched rows (no queries)."""
    user = request.user
    today = timezone.localdate()
    bound = bound or {}
    can_edit = _can_edit(user, applicant)
    periods = list(applicant.periods.all())
    permissions = list(applicant.work_permissions.all())
    current = selectors.current_period(periods, today)
    lawful_until = current.lawful_stay_until if current else None
    record_forms = _record_forms(applicant, bound) if can_edit else {}
    procedures = [
        ProcedureRow(
            procedure=procedure,
            appeal=selectors.appeal_status(procedure, today),
            event_form=(
                bound.get(f"event-{procedure.pk}") or ProcedureEventForm(prefix=f"event-{procedure.pk}")
            )
            if can_edit
            else None,
        )
        for procedure in applicant.procedures.all()
    ]
    return {
        "applicant": applicant,
        "today": today,
        "can_edit": can_edit,
        "can_show_card": can_edit,
        "can_see_legal": applicant.__dict__.get("legal_visible", False),
        "current_period": current,
        "lawful_until": lawful_until,
        "lawful_days_left": (lawful_until - today).days if lawful_until else None,
        "renewal_pending": bool(current and current.renewal_filed_on and not current.renewal_decided_on),
        "may_work_today": selectors.may_work_on(periods, permissions, today),
        "periods": periods,
        "timeline": timeline.timeline_svg(periods, today=today),
        "gaps": timeline.gaps_between(periods, today),
        "work_permissions": [(permission, permission.covers(today)) for permission in permissions],
        "reporting": [
            (obligation, (obligation.next_report_date - today).days)
            for obligation in applicant.reporting_obligations.all()
        ],
        "procedures": procedures,
        "forms": record_forms,
        "notice": notice,
        "status_kinds": status_kind_choices(),
    }


@staff_required
def applicant_detail(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    user = request.user
    applicant = get_object_or_404(selectors.applicant_detail_queryset(user), reference_code=reference_code)
    context = _detail_context(request, applicant)
    context["can_reassign"] = _can_reassign(user, applicant)
    context["panels"] = panels.render_panels("applicant", request=request, applicant=applicant)
    log_access(
        actor=user,
        kind=AccessLogEntry.Kind.APPLICANT_VIEW,
        applicant_id=applicant.pk,
        object_label=applicant.reference_code,
    )
    context.update(
        views_audit.applicant_audit_context(
            request, applicant, can_edit=context["can_edit"], can_read_access_log=context["can_reassign"]
        )
    )
    context.update(views_consent.applicant_page_context(request, applicant, can_edit=context["can_edit"]))
    return render(request, "casework/applicants/detail.html", context)


def _render_section(
    request: AuthenticatedRequest,
    reference_code: str,
    section: str,
    *,
    bound: dict[str, forms.Form] | None = None,
    notice: str = "",
) -> HttpResponse:
    applicant = get_object_or_404(
        selectors.applicant_detail_queryset(request.user), reference_code=reference_code
    )
    context = _detail_context(request, applicant, bound=bound, notice=notice)
    html = render_to_string(SECTION_TEMPLATES[section], context, request=request)
    if section in SECTIONS_IN_HEADER and not bound:
        html += render_to_string(
            "casework/applicants/legal_summary.html", {**context, "oob": True}, request=request
        )
    return HttpResponse(html)


def _add_record(
    request: AuthenticatedRequest,
    reference_code: str,
    *,
    section: str,
    form_key: str,
    make_form: Callable[[QueryDict | None], forms.Form],
    save: Callable[[forms.Form, Applicant], object],
    on_error: Callable[[forms.Form, ValidationError], None] | None = None,
    title: str,
    done: str,
    applicant: Applicant | None = None,
) -> HttpResponse:
    """Add one legal record: in place with htmx (the section comes back), or as a plain form post."""
    applicant = applicant or _editable_applicant(request.user, reference_code)
    form = make_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(form, applicant)
        except ValidationError as error:
            apply_service_error(form, error)
            if on_error is not None:
                on_error(form, error)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return _render_section(request, reference_code, section, notice=done)
            messages.success(request, done)
            return redirect(_detail_url(applicant, section))
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        return _render_section(request, reference_code, section, bound={form_key: form})
    return render(
        request,
        "casework/applicants/record_form.html",
        {"applicant": applicant, "form": form, "title": title, "section": section},
    )


def _show_card_confirm(form: forms.Form, error: ValidationError) -> None:
    if "card_conflict" in error_codes(error, "card_number"):
        form.show_card_confirm = True  # type: ignore[attr-defined]


@staff_required
def period_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    def save(form, applicant):
        return services.legal_period_record(
            by=request.user,
            applicant=applicant,
            data=form.period_data(),
            card_number=form.cleaned_data["card_number"],
            confirm_card_conflict=form.cleaned_data["confirm_card_conflict"],
            end_current=form.cleaned_data["end_current"],
        )

    return _add_record(
        request,
        reference_code,
        section="periods",
        form_key="periods",
        make_form=lambda data: LegalStatusPeriodForm(data, prefix="period"),
        save=save,
        on_error=_show_card_confirm,
        title=_("Add a status period"),
        done=_("The status period is added."),
    )


@staff_required
def work_permission_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    return _add_record(
        request,
        reference_code,
        section="work",
        form_key="work",
        make_form=lambda data: WorkPermissionForm(data, prefix="work"),
        save=lambda form, applicant: services.work_permission_record(
            by=request.user, applicant=applicant, data=form.cleaned_data
        ),
        title=_("Add a work permission"),
        done=_("The work permission is added."),
    )


@staff_required
def reporting_obligation_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    return _add_record(
        request,
        reference_code,
        section="reporting",
        form_key="reporting",
        make_form=lambda data: ReportingObligationForm(data, prefix="reporting"),
        save=lambda form, applicant: services.reporting_obligation_record(
            by=request.user, applicant=applicant, data=form.cleaned_data
        ),
        title=_("Add a reporting obligation"),
        done=_("The reporting obligation is added."),
    )


@staff_required
def procedure_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    return _add_record(
        request,
        reference_code,
        section="procedures",
        form_key="procedures",
        make_form=lambda data: RefugeeProcedureForm(data, prefix="procedure"),
        save=lambda form, applicant: services.procedure_record(
            by=request.user, applicant=applicant, data=form.cleaned_data
        ),
        title=_("Add a refugee status application"),
        done=_("The application is added."),
    )


@staff_required
def procedure_event_add(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    applicant = _editable_applicant(request.user, reference_code)
    procedure = get_object_or_404(
        RefugeeProcedure.objects.visible_to(request.user), pk=pk, applicant=applicant
    )
    prefix = f"event-{procedure.pk}"
    return _add_record(
        request,
        reference_code,
        section="procedures",
        form_key=prefix,
        make_form=lambda data: ProcedureEventForm(data, prefix=prefix),
        save=lambda form, _applicant: services.procedure_event_record(
            by=request.user, procedure=procedure, data=form.cleaned_data
        ),
        title=_("Add an event to application %(number)d") % {"number": procedure.ordinal},
        done=_("The event is added."),
        applicant=applicant,
    )


@staff_required
def household_member_add(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    def save(form, applicant):
        data = dict(form.cleaned_data)
        reference = (data.pop("linked_reference") or "").strip().upper()
        data["linked_applicant"] = None
        if reference:
            data["linked_applicant"] = (
                Applicant.objects.visible_to(request.user).filter(reference_code=reference).first()
            )
            if data["linked_applicant"] is None:
                raise ValidationError(
                    {"linked_reference": _("You have no access to a person with this reference code.")}
                )
        return services.household_member_add(by=request.user, applicant=applicant, data=data)

    return _add_record(
        request,
        reference_code,
        section="household",
        form_key="household",
        make_form=lambda data: HouseholdMemberForm(data, prefix="household"),
        save=save,
        title=_("Add a household member"),
        done=_("The household member is added."),
    )


# --- One period: edit, delete, the full card number -------------------------------------------------------


def _period_of(user, applicant: Applicant, pk: int) -> LegalStatusPeriod:
    return get_object_or_404(LegalStatusPeriod.objects.visible_to(user), pk=pk, applicant=applicant)


@staff_required
def period_edit(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    user = request.user
    applicant = _editable_applicant(user, reference_code)
    period = _period_of(user, applicant, pk)
    form = LegalStatusPeriodEditForm(
        request.POST if request.method == "POST" else None, period=period, prefix="period"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_period_update(
                by=user,
                period=period,
                data=form.period_data(),
                card_number=form.card_number_for_service(),
                confirm_card_conflict=form.cleaned_data["confirm_card_conflict"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
            _show_card_confirm(form, error)
        else:
            messages.success(request, _("The status period is saved."))
            return redirect(_detail_url(applicant, "periods"))
    return render(
        request,
        "casework/applicants/period_edit.html",
        {"applicant": applicant, "period": period, "form": form},
    )


@staff_required
def period_delete(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    user = request.user
    applicant = _editable_applicant(user, reference_code)
    period = _period_of(user, applicant, pk)
    if request.method == "POST":
        services.legal_period_delete(by=user, period=period)
        messages.success(request, _("The status period is deleted."))
        return redirect(_detail_url(applicant, "periods"))
    return render(
        request, "casework/applicants/period_delete.html", {"applicant": applicant, "period": period}
    )


@staff_required
def period_card_number(request: AuthenticatedRequest, reference_code: str, pk: int) -> HttpResponse:
    """The full residence card number, on an explicit request, for those who may change the case."""
    user = request.user
    applicant = _editable_applicant(user, reference_code)
    period = _period_of(user, applicant, pk)
    template = (
        "casework/applicants/card_number_cell.html"
        if request.htmx  # type: ignore[attr-defined]
        else "casework/applicants/card_number.html"
    )
    log_access(
        actor=user,
        kind=AccessLogEntry.Kind.CARD_NUMBER_VIEW,
        applicant_id=applicant.pk,
        object_label=str(period),
        detail={"period": period.pk},
    )
    response = render(request, template, {"applicant": applicant, "period": period})
    add_never_cache_headers(response)
    return response
