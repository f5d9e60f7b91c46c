"""Referral pages: the list, a referral's page (stage history, interviews, report and confirm a hire)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from casework.typing import AuthenticatedRequest
from jobs.filtersets.referrals import ReferralFilterSet
from jobs.forms.messages import MessageForm
from jobs.forms.proposals import ConfirmSlotForm, DeclineProposalForm
from jobs.forms.referrals import ConfirmForm, HireReportForm, InterviewForm
from jobs.models import Interview, MessageSide, Referral, Stage
from jobs.selectors.messages import thread_messages, thread_open
from jobs.selectors.proposals import last_hire_terms, staff_proposal, staff_proposals
from jobs.selectors.referrals import newest_moves_first, referral_for_page, referrals_for_list
from jobs.services.messages import referral_message_post, referral_messages_mark_read
from jobs.services.placements import may_confirm, placement_confirm
from jobs.services.proposals import interview_proposal_confirm, interview_proposal_decline
from jobs.services.referrals import INTERVIEW_FIELDS, interview_save, referral_move
from jobs.views.base import PAGE_SIZE, jobs_staff, write


@jobs_staff
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    base = newest_moves_first(referrals_for_list(user=request.user), user=request.user)
    filterset = ReferralFilterSet(request.GET, queryset=base, request=request)
    filterset.form.label_suffix = ""
    queryset = filterset.qs if filterset.is_valid() else base.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/referral_list.html", {"page": page, "filter_form": filterset.form})


def _referral(request: AuthenticatedRequest, pk: int) -> Referral:
    referral = referral_for_page(user=request.user, pk=pk)
    if referral is None:
        raise Http404
    return referral


def _editable(request: AuthenticatedRequest, pk: int) -> Referral:
    referral = _referral(request, pk)
    if not Referral.objects.editable_by(request.user).filter(pk=pk).exists():
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return referral


def _thread(request: AuthenticatedRequest, referral: Referral, can_edit: bool, form) -> dict:
    """The Messages section of the referral's history: read-only for staff who may only read it."""
    thread = list(thread_messages(referral))  # read first: what is new shows as new on this visit
    if form is None and can_edit:
        referral_messages_mark_read(by=request.user, referral=referral)
    writable = can_edit and thread_open(referral)
    if writable:
        note = ""
    elif not can_edit:
        note = _("You can read this thread; the person's caseworker or their supervisor answers it.")
    elif referral.stage in (Stage.PROPOSED, Stage.CONSENT_RECORDED):
        note = _("The thread opens when the referral is shared with the employer.")
    else:
        note = _("This referral is closed: the thread is kept, and no new message can be sent.")
    return {
        "thread": thread,
        "viewer_side": MessageSide.ORGANISATION,
        "message_form": form or MessageForm(),
        "message_action": reverse("jobs:referral_message", args=[referral.pk]) if writable else "",
        "message_note": note,
    }


def _page(request: AuthenticatedRequest, referral: Referral, **forms) -> HttpResponse:
    user = request.user
    can_edit = Referral.objects.editable_by(user).filter(pk=referral.pk).exists()
    opening = referral.opening
    terms = last_hire_terms(referral)  # what the employer reported from the portal, if it did
    context = {
        **_thread(request, referral, can_edit, forms.get("message_form")),
        "proposals": staff_proposals(user=user, referral=referral),
        "decline_form": forms.get("decline_form") or DeclineProposalForm(),
        "declining": forms.get("declining"),
        "referral": referral,
        "can_edit": can_edit,
        "can_confirm": can_edit
        and referral.stage == Stage.HIRE_REPORTED
        and may_confirm(user, referral.applicant),
        "interview_form": forms.get("interview_form") or InterviewForm(),
        "report_form": forms.get("report_form")
        or HireReportForm(
            initial={
                "stage": Stage.HIRE_REPORTED,
                "version": referral.version,
                "start_date": referral.reported_start_date or opening.start_date,
            }
        ),
        "confirm_form": forms.get("confirm_form")
        or ConfirmForm(
            initial={
                "start_date": referral.reported_start_date or opening.start_date,
                "hours_per_week": terms.hours_per_week if terms else opening.hours_per_week,
                "daily_hours": (terms.daily_hours or opening.daily_hours) if terms else opening.daily_hours,
                "wage": terms.wage if terms else opening.wage,
                "wage_unit": terms.wage_unit if terms else opening.wage_unit,
                "version": referral.version,
            }
        ),
        "open": referral.stage not in (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN),
    }
    return render(request, "jobs/referral_detail.html", context)


@jobs_staff
def referral_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _page(request, _referral(request, pk))


@jobs_staff
@require_http_methods(["GET", "POST"])
def interview_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = _editable(request, pk)
    form = InterviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        saved = write(
            form, lambda: interview_save(by=request.user, referral=referral, data=form.service_data())
        )
        if saved is not None:
            messages.success(request, _("Interview recorded."))
            return redirect("jobs:referral_detail", referral.pk)
    return render(
        request, "jobs/interview_form.html", {"form": form, "referral": referral, "interview": None}
    )


@jobs_staff
@require_http_methods(["GET", "POST"])
def interview_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(
        Interview.objects.filter(referral__in=Referral.objects.visible_to(request.user)), pk=pk
    )
    referral = _editable(request, interview.referral_id)
    initial = {key: getattr(interview, key) for key in INTERVIEW_FIELDS}
    form = InterviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: interview_save(
                by=request.user, referral=referral, data=form.service_data(), interview=interview
            ),
        )
        if saved is not None:
            messages.success(request, _("Interview saved."))
            return redirect("jobs:referral_detail", referral.pk)
    return render(
        request, "jobs/interview_form.html", {"form": form, "referral": referral, "interview": interview}
    )


@jobs_staff
@require_POST
def hire_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = _editable(request, pk)
    form = HireReportForm(request.POST)
    if form.is_valid():
        data = {**form.service_data(), "stage": Stage.HIRE_REPORTED}
        if write(form, lambda: referral_move(by=request.user, referral=referral, data=data)) is not None:
            messages.success(request, _("Hire reported: the person's caseworker confirms it."))
            return redirect("jobs:referral_detail", referral.pk)
    return _page(request, _referral(request, pk), report_form=form)


@jobs_staff
@require_POST
def hire_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = _editable(request, pk)
    if not may_confirm(request.user, referral.applicant):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = ConfirmForm(request.POST)
    if form.is_valid():
        confirmed = write(
            form, lambda: placement_confirm(by=request.user, referral=referral, data=form.service_data())
        )
        if confirmed is not None:
            text = _("Hire confirmed: the placement and its follow-ups are recorded.")
            if confirmed.withdrawn:
                text += " " + ngettext(
                    "%(count)d other referral of this person was withdrawn.",
                    "%(count)d other referrals of this person were withdrawn.",
                    confirmed.withdrawn,
                ) % {"count": confirmed.withdrawn}
            messages.success(request, text)
            return redirect("jobs:referral_detail", referral.pk)
    return _page(request, _referral(request, pk), confirm_form=form)


@jobs_staff
@require_http_methods(["GET", "POST"])
def referral_message(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Send a message to the employer (the form is in the referral page's history; a GET goes there)."""
    referral = _referral(request, pk)
    page = reverse("jobs:referral_detail", args=[referral.pk]) + "#messages"
    if request.method == "GET":
        return redirect(page)
    referral = _editable(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        sent = write(
            form,
            lambda: referral_message_post(by=request.user, referral=referral, body=form.cleaned_data["body"]),
        )
        if sent is not None:
            messages.success(request, _("Message sent. The employer is told in their next e-mail summary."))
            return redirect(page)
    return _page(request, _referral(request, pk), message_form=form)


def _proposal(request: AuthenticatedRequest, pk: int):
    proposal = staff_proposal(user=request.user, pk=pk)
    if proposal is None:
        raise Http404
    _editable(request, proposal.referral_id)
    return proposal


@jobs_staff
@require_POST
def proposal_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Confirm one of the times an employer proposed: the interview is recorded, the employer told."""
    proposal = _proposal(request, pk)
    form = ConfirmSlotForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                interview_proposal_confirm(by=request.user, proposal=proposal, slot=form.cleaned_data["slot"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Interview confirmed: the employer is told by e-mail."))
    return redirect("jobs:referral_detail", proposal.referral_id)


@jobs_staff
@require_POST
def proposal_decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    form = DeclineProposalForm(request.POST)
    if form.is_valid() and write(
        form,
        lambda: interview_proposal_decline(
            by=request.user, proposal=proposal, reason=form.cleaned_data["decline_reason"]
        ),
    ):
        messages.success(request, _("Proposal declined."))
        return redirect("jobs:referral_detail", proposal.referral_id)
    response = _page(
        request, _referral(request, proposal.referral_id), decline_form=form, declining=proposal.pk
    )
    response.status_code = 400
    return response
