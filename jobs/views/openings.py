"""Opening pages: the list, the forms (the minimum-wage message beside the wage), and an opening's page with
the matching list and the pipeline board (cards move with htmx, or with a plain form without JavaScript)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.models import Applicant
from casework.typing import AuthenticatedRequest
from jobs import rules
from jobs.filtersets.openings import JobOpeningFilterSet
from jobs.forms.openings import OpeningApproveForm, OpeningForm, OpeningReturnForm, opening_initial
from jobs.forms.referrals import MoveForm, ProposeForm
from jobs.models import Employer, JobOpening, OpeningStatus, ReasonCode, Referral, Stage
from jobs.selectors.matching import REASONS, match_rows, matching, probation_end_of
from jobs.selectors.openings import opening_for_page, openings_for_list, pipeline_board
from jobs.services import openings as services
from jobs.services.referrals import consent_for, referral_move, referral_propose
from jobs.ui.board import board_columns, reason_labels
from jobs.views.base import PAGE_SIZE, is_htmx, jobs_staff, safe_next, write


@jobs_staff
def opening_list(request: AuthenticatedRequest) -> HttpResponse:
    base = openings_for_list(user=request.user).order_by("-start_date", "pk")
    filterset = JobOpeningFilterSet(request.GET, queryset=base, request=request)
    filterset.form.label_suffix = ""
    queryset = filterset.qs if filterset.is_valid() else base.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/opening_list.html", {"page": page, "filter_form": filterset.form})


def _opening(request: AuthenticatedRequest, pk: int) -> JobOpening:
    opening = opening_for_page(user=request.user, pk=pk)
    if opening is None:
        raise Http404
    return opening


def _wage_messages(form: OpeningForm) -> tuple[str | None, str | None]:
    """The minimum-wage refusal and warning for the form's values (shown beside the wage field)."""
    try:
        cleaned = services.clean_opening(form.service_data())
    except Exception:  # noqa: BLE001 — other fields are wrong: their own messages say so
        return None, None
    return services.wage_problem(cleaned)


@jobs_staff
def opening_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    opening = _opening(request, pk)
    rows = matching(user=user, opening=opening)
    shown = request.GET.get("show", "")
    reason = request.GET.get("reason", "")
    if shown in ("eligible", "ineligible"):  # an annotation of matching(), not a model field
        rows = rows.filter(**{"eligible": shown == "eligible"})
    if reason in REASONS:
        rows = rows.filter(**{reason: False})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    editable = set(
        Applicant.objects.editable_by(user).filter(pk__in=[a.pk for a in page]).values_list("pk", flat=True)
    )
    cleaned = {key: getattr(opening, key) for key in services.OPENING_FIELDS}
    refusal, warning = services.wage_problem(cleaned)
    can_edit = JobOpening.objects.editable_by(user).filter(pk=opening.pk).exists()
    reviewing = can_edit and opening.status == OpeningStatus.SUBMITTED
    return render(
        request,
        "jobs/opening_detail.html",
        {
            "opening": opening,
            "can_edit": can_edit,
            "return_form": OpeningReturnForm(initial={"version": opening.version}) if reviewing else None,
            "page": page,
            "rows": match_rows(list(page), opening=opening),
            "editable": editable,
            "reason_labels": reason_labels(),
            "reason_choices": [(key, reason_labels()[key]) for key in REASONS],
            "shown": shown,
            "reason": reason,
            "probation_end": probation_end_of(opening),
            "wage_refusal": refusal,
            "wage_warning": warning,
            **_board_context(request, opening),
        },
    )


def _board_context(
    request: AuthenticatedRequest,
    opening: JobOpening,
    errors: dict[int, tuple[list[str], bool]] | None = None,
) -> dict[str, Any]:
    user = request.user
    board = pipeline_board(user=user, opening=opening)
    movable = set(Referral.objects.editable_by(user).filter(opening=opening).values_list("pk", flat=True))
    return {
        "columns": board_columns(board, movable=movable, errors=errors or {}),
        "opening": opening,
        "move_reasons": ReasonCode.choices,
    }


@jobs_staff
@require_http_methods(["GET", "POST"])
def opening_add(request: AuthenticatedRequest) -> HttpResponse:
    chosen = request.GET.get("employer") or request.POST.get("employer") or ""
    if not chosen.isdigit():  # an opening is added from its employer's page
        messages.info(request, _("Choose the employer first: openings are added from the employer's page."))
        return redirect("jobs:employer_list")
    employer = get_object_or_404(Employer.objects.editable_by(request.user), pk=int(chosen))
    form = OpeningForm(
        request.POST if request.method == "POST" else None, initial={"status": "draft", "places": 1}
    )
    refusal = warning = None
    if request.method == "POST" and form.is_valid():
        refusal, warning = _wage_messages(form)
        opening = write(
            form,
            lambda: services.opening_create(by=request.user, employer=employer, data=form.service_data()),
        )
        if opening is not None:
            messages.success(request, _("Opening saved."))
            if refusal:
                messages.warning(request, refusal)
            return redirect("jobs:opening_detail", opening.pk)
    return render(
        request,
        "jobs/opening_form.html",
        {
            "form": form,
            "employer": employer,
            "opening": None,
            "wage_refusal": refusal,
            "wage_warning": warning,
        },
    )


@jobs_staff
@require_http_methods(["GET", "POST"])
def opening_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opening = get_object_or_404(
        JobOpening.objects.editable_by(request.user).select_related("employer"), pk=pk
    )
    form = OpeningForm(
        request.POST if request.method == "POST" else None,
        initial=opening_initial(opening),
        current_status=opening.status,
    )
    refusal = warning = None
    if request.method == "POST" and form.is_valid():
        refusal, warning = _wage_messages(form)
        saved = write(
            form,
            lambda: services.opening_update(
                by=request.user,
                opening=opening,
                data=form.service_data(),
                version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Opening saved."))
            if refusal:
                messages.warning(request, refusal)
            return redirect("jobs:opening_detail", opening.pk)
    elif request.method == "GET":
        refusal, warning = services.wage_problem({k: getattr(opening, k) for k in services.OPENING_FIELDS})
    return render(
        request,
        "jobs/opening_form.html",
        {
            "form": form,
            "employer": opening.employer,
            "opening": opening,
            "wage_refusal": refusal,
            "wage_warning": warning,
        },
    )


@jobs_staff
@require_POST
def opening_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Approve an employer's submitted opening: it opens, and matching sees it."""
    opening = get_object_or_404(JobOpening.objects.editable_by(request.user), pk=pk)
    form = OpeningApproveForm(request.POST)
    form.is_valid()
    approved = write(
        form,
        lambda: services.opening_approve(
            by=request.user, opening=opening, version=form.cleaned_data.get("version")
        ),
    )
    if approved is None:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
    else:
        messages.success(request, _("Opening approved: it is open now."))
    return redirect("jobs:opening_detail", opening.pk)


@jobs_staff
@require_http_methods(["GET", "POST"])
def opening_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Return an employer's submitted opening with the reason they will read (the form re-shown if none)."""
    opening = get_object_or_404(
        JobOpening.objects.editable_by(request.user).select_related("employer"), pk=pk
    )
    form = OpeningReturnForm(
        request.POST if request.method == "POST" else None, initial={"version": opening.version}
    )
    if request.method == "POST" and form.is_valid():
        returned = write(
            form,
            lambda: services.opening_return(
                by=request.user,
                opening=opening,
                reason=form.cleaned_data["status_note"],
                version=form.cleaned_data["version"],
            ),
        )
        if returned is not None:
            messages.success(request, _("Opening returned to the employer with your reason."))
            return redirect("jobs:opening_detail", opening.pk)
    return render(request, "jobs/opening_return.html", {"form": form, "opening": opening})


def _lacks_consent(referral: Referral, target: str) -> bool:
    """Whether a refused move was refused for want of a consent to share (the card then links to it)."""
    needs = target in rules.NEEDS_CONSENT or target == Stage.CONSENT_RECORDED
    return needs and not consent_for(referral.applicant, referral.opening, timezone.localdate())


@jobs_staff
@require_POST
def referral_move_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Move a card: htmx gets the board back (the refusal on the card), a plain form a redirect."""
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).select_related("applicant", "opening", "opening__employer"),
        pk=pk,
    )
    opening = referral.opening
    form = MoveForm(request.POST)
    error: list[str] | None = None
    needs_consent = False
    if not Referral.objects.editable_by(request.user).filter(pk=pk).exists():
        error = [_("You may read this referral but not move it.")]
    elif form.is_valid():
        write(form, lambda: referral_move(by=request.user, referral=referral, data=form.service_data()))
    if error is None and form.errors:
        found = [item for items in form.errors.as_data().values() for item in items]
        error = [message for item in found for message in item.messages]
        needs_consent = _lacks_consent(referral, request.POST.get("stage", ""))
    back = safe_next(request, reverse("jobs:opening_detail", args=[opening.pk]) + "#board")
    if is_htmx(request):
        context = _board_context(request, opening, errors={pk: (error, needs_consent)} if error else None)
        return render(request, "jobs/_board.html", context)
    if error:
        for message in error:
            messages.error(request, message)
    else:
        messages.success(request, _("Referral moved."))
    return redirect(back)


@jobs_staff
@require_POST
def referral_propose_view(request: AuthenticatedRequest) -> HttpResponse:
    form = ProposeForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    opening = get_object_or_404(
        JobOpening.objects.visible_to(request.user).select_related("employer"), pk=data.get("opening") or 0
    )
    applicant = get_object_or_404(
        Applicant.objects.visible_to(request.user), reference_code=data.get("applicant") or ""
    )
    back = safe_next(request, reverse("jobs:opening_detail", args=[opening.pk]))
    referral = write(form, lambda: referral_propose(by=request.user, applicant=applicant, opening=opening))
    if referral is None:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
    else:
        messages.success(
            request,
            _("%(person)s proposed for %(title)s.")
            % {"person": applicant.reference_code, "title": opening.title},
        )
    return redirect(back)
