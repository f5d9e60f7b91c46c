"""Applicant pages: the list, registration with the duplicate check, edit, reassignment, the applicant page.

Views are thin: a form checks the input, one service writes, its ValidationError lands on the form
and its PermissionDenied becomes a 403. Reads go through selectors and visible_to(): an applicant
outside it is a 404, a visible but read-only one is a 403 for every write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from casework import crypto, names, selectors, services
from casework.audit import log_listed
from casework.filtersets.applicants import ApplicantFilterSet
from casework.forms.applicants import (
    GENDER_SUGGESTIONS,
    PREFECTURES,
    ApplicantEditForm,
    ApplicantRegistrationForm,
    BulkReassignForm,
    HouseholdMemberForm,
    ReassignForm,
    country_choices,
)
from casework.forms.base import apply_service_error
from casework.forms.legal import (
    status_kind_choices,
)
from casework.models import (
    Applicant,
    DuplicateCheck,
)
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from casework.views.base import (
    detail_url,
    editable_applicant,
    is_administrator,
    may_reassign,
    reassigner_required,
    staff_required,
    visible_applicant,
)
from casework.views.legal import add_record

PAGE_SIZE = 25


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


@dataclass(frozen=True)
class ListRow:
    applicant: Applicant
    legal: selectors.LegalSummary
    selectable: bool


@staff_required
def applicant_list(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        return redirect(_search_url(request.POST))
    return _render_list(request, request.GET)


def _search_url(posted: QueryDict) -> str:
    """The list's address for a posted search: a residence card number becomes its keyed hash.

    The search forms post, so what is typed never travels in an address the browser's history, a proxy or
    the web server's access log keeps; names stay readable in the list's own address (the shipped access
    log format masks ``q``, config/gunicorn.py) but a card number is replaced by ``card=<hash>``.
    """
    params = QueryDict(mutable=True)
    for key, values in posted.lists():
        if key != "csrfmiddlewaretoken" and any(values):
            params.setlist(key, [value for value in values if value])
    card = names.normalise_card_number(params.get("q", ""))
    if names.is_valid_card_number(card):
        del params["q"]
        params["card"] = crypto.lookup_hash(card)
    query = params.urlencode()
    return reverse("applicant_list") + (f"?{query}" if query else "")


@staff_required
def applicant_quick_search(request: AuthenticatedRequest) -> HttpResponse:
    """The top bar's results as you type (htmx, posted); without JavaScript the form opens the full list."""
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "").strip()[:200]
    results = selectors.quick_search(user=request.user, query=query)
    return render(
        request,
        "casework/applicants/_global_search_results.html",
        {"results": results, "query": query, "searched": len(query) >= 2},
    )


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

    can_bulk = is_administrator(user) or user.has_role(Role.SUPERVISOR)
    led_team_ids: set[int] = set()
    if can_bulk and not is_administrator(user):
        led_team_ids = set(user.led_teams.values_list("pk", flat=True))
    summaries = selectors.legal_summaries(page.object_list, user=user, day=today)
    log_listed(actor=user, records=list(page.object_list), via="page", listing="applicant_list")
    rows = [
        ListRow(
            applicant=applicant,
            legal=summaries[applicant.pk],
            selectable=can_bulk and (is_administrator(user) or applicant.team_id in led_team_ids),
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
            # An empty list explains itself when the user's account is the reason (no team, none led).
            "assignment_gap": None if rows else selectors.assignment_gap(user=user),
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
        return redirect(detail_url(registered))
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
    return redirect(detail_url(applicant))


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
        return redirect(detail_url(applicant))
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


@staff_required
def applicant_edit(request: AuthenticatedRequest, reference_code: str) -> HttpResponse:
    user = request.user
    applicant = editable_applicant(user, reference_code)
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
                return redirect(detail_url(applicant))
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
    applicant = visible_applicant(user, reference_code)
    if not may_reassign(user, applicant):
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
            return redirect(detail_url(applicant))
    return render(request, "casework/applicants/reassign.html", {"applicant": applicant, "form": form})


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

    return add_record(
        request,
        reference_code,
        section="household",
        form_key="household",
        make_form=lambda data: HouseholdMemberForm(data, prefix="household"),
        save=save,
        title=_("Add a household member"),
        done=_("The household member is added."),
    )
