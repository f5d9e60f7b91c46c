"""The portal's candidates: the employer's referrals (list) and one candidate's share packet.

Every read goes through jobs.selectors.partner (the employer's own referrals from "shared" on) and every
packet through jobs.selectors.packets (built from the current consent at each request); every packet
shown is in the access log. Another employer's referral, or one not shared yet, is a 404 like an id that
does not exist.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.forms.base import apply_service_error
from casework.models import User
from casework.typing import AuthenticatedRequest
from jobs.forms.messages import MessageForm
from jobs.forms.partner_candidates import CandidateFilterForm
from jobs.forms.proposals import OfferForm, OutcomeForm, PartnerHireReportForm, ProposalForm
from jobs.models import MessageSide, Referral
from jobs.selectors.messages import partner_thread_referral, thread_messages
from jobs.selectors.packets import share_packets
from jobs.selectors.partner import PartnerAccess, partner_openings, partner_referrals
from jobs.selectors.proposals import partner_interviews, partner_proposals
from jobs.services.messages import referral_message_post, referral_messages_mark_read
from jobs.services.offers import hire_report_record, interview_outcome_record, offer_record
from jobs.services.packets import log_packet_reads
from jobs.services.proposals import interview_proposal_withdraw, interview_propose
from jobs.ui.candidate_actions import candidate_actions
from jobs.ui.packets import packet_display
from jobs.ui.partner import partner_context, partner_view
from jobs.views.base import PAGE_SIZE, write


@partner_view()
def partner_candidates(request: HttpRequest, access: PartnerAccess) -> HttpResponse:
    form = CandidateFilterForm(request.GET or None, openings=partner_openings(request.user))
    referrals = (
        partner_referrals(request.user)
        .select_related("applicant", "opening")
        .order_by("-stage_changed_at", "-pk")
    )
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["opening"] is not None:
                referrals = referrals.filter(opening=form.cleaned_data["opening"])
            if form.cleaned_data["stage"]:
                referrals = referrals.filter(stage=form.cleaned_data["stage"])
        else:
            referrals = referrals.none()
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    packets = share_packets(rows)
    log_packet_reads(user=request.user, access=access, referrals=rows, packets=packets, door="portal")
    candidates = [(referral, packet_display(packets.get(referral.pk))) for referral in rows]
    return render(
        request,
        "jobs/partner/candidate_list.html",
        partner_context(request, access, page=page, candidates=candidates, filter_form=form),
    )


@partner_view()
def partner_candidate(request: HttpRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    referral = partner_referrals(request.user).select_related("applicant", "opening").filter(pk=pk).first()
    if referral is None:
        raise Http404
    return candidate_page(request, access, referral)


def candidate_page(
    request: HttpRequest,
    access: PartnerAccess,
    referral: Referral,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    """The candidate's page: the packet, the interview/offer/hire actions and the message thread (also
    after a refused form, with its errors)."""
    message_form: MessageForm | None = forms.pop("message_form", None)
    packets = share_packets([referral])
    raw_packet = packets.get(referral.pk)
    log_packet_reads(user=request.user, access=access, referrals=[referral], packets=packets, door="portal")
    packet = packet_display(raw_packet)
    context: dict[str, Any] = {
        "referral": referral,
        "packet": packet,
        "thread_shown": False,
        **candidate_actions(request.user, access, referral, packet=packet, **forms),
    }
    if (
        raw_packet is not None
        and partner_thread_referral(request.user, referral.pk, packet=raw_packet) is not None
    ):
        thread = list(thread_messages(referral))  # read first: what is new shows as new on this visit
        if message_form is None:  # a failed send shows the thread as it was; a plain visit marks it read
            referral_messages_mark_read(by=cast(User, request.user), referral=referral)
        context.update(
            thread_shown=True,
            thread=thread,
            viewer_side=MessageSide.EMPLOYER,
            message_form=message_form or MessageForm(),
            message_action=""
            if access.read_only
            else reverse("partner_candidate_message", args=[referral.pk]),
            message_note=_("The partnership is paused: you can read the messages but not send one.")
            if access.read_only
            else "",
        )
    return render(
        request,
        "jobs/partner/candidate_detail.html",
        partner_context(request, access, **context),
        status=status,
    )


@partner_view(write=True)
@require_http_methods(["GET", "POST"])
def partner_candidate_message(request: HttpRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    """Send a message to the caseworker side (the form is on the candidate page; a GET goes there)."""
    referral = partner_thread_referral(request.user, pk)
    if referral is None:
        raise Http404
    page = reverse("partner_candidate", args=[referral.pk])
    if request.method == "GET":
        return redirect(page + "#messages")
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                referral_message_post(
                    by=cast(User, request.user), referral=referral, body=form.cleaned_data["body"]
                )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Message sent. The caseworker will see it on the referral."))
            return redirect(page + "#messages")
    return candidate_page(request, access, referral, message_form=form)


# --- Interviews, outcomes, offers and hire reports from the portal (POST only) --------------------------
# Each form posts here; on success back to the candidate's page, refused: the page again with the form's
# messages beside its fields (400). Another employer's referral, proposal or interview is a 404; while the
# partnership is paused, the page comes back refused (403) saying so.


def _own_referral(request: AuthenticatedRequest, pk: int) -> Referral:
    referral = partner_referrals(request.user).select_related("applicant", "opening").filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def _read_only(request: AuthenticatedRequest, access: PartnerAccess, referral: Referral) -> HttpResponse:
    messages.error(request, _("The partnership is paused: the portal is read-only."))
    return candidate_page(request, access, referral, status=403)


def _done(request: AuthenticatedRequest, referral: Referral, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("partner_candidate", referral.pk)


def _referral_form(
    request: AuthenticatedRequest,
    access: PartnerAccess,
    pk: int,
    *,
    form_class: Any,
    form_key: str,
    service: Any,
    done: str,
) -> HttpResponse:
    """One of the candidate page's forms on the referral itself (propose an interview, record an offer,
    report a hire): the employer's own referral or 404, refused while paused, the service's messages
    beside the fields (400), else back to the page."""
    referral = _own_referral(request, pk)
    if access.read_only:
        return _read_only(request, access, referral)
    form = form_class(request.POST)
    if form.is_valid() and write(
        form, lambda: service(by=request.user, referral=referral, data=form.service_data())
    ):
        return _done(request, referral, done)
    return candidate_page(request, access, referral, status=400, **{form_key: form})


@partner_view()
@require_POST
def partner_interview_propose(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    return _referral_form(
        request,
        access,
        pk,
        form_class=ProposalForm,
        form_key="proposal_form",
        service=interview_propose,
        done=_("Interview proposed: the candidate's caseworker confirms a time."),
    )


@partner_view()
@require_POST
def partner_proposal_withdraw(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    proposal = get_object_or_404(partner_proposals(request.user).select_related("referral"), pk=pk)
    referral = _own_referral(request, proposal.referral_id)
    if access.read_only:
        return _read_only(request, access, referral)
    try:
        with transaction.atomic():
            interview_proposal_withdraw(by=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("partner_candidate", referral.pk)
    return _done(request, referral, _("Proposal withdrawn."))


@partner_view()
@require_POST
def partner_interview_outcome(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    interview = get_object_or_404(partner_interviews(request.user).select_related("referral"), pk=pk)
    referral = _own_referral(request, interview.referral_id)
    if access.read_only:
        return _read_only(request, access, referral)
    form = OutcomeForm(request.POST, prefix=f"outcome-{interview.pk}")
    if form.is_valid() and write(
        form,
        lambda: interview_outcome_record(
            by=request.user, interview=interview, outcome=form.cleaned_data["outcome"]
        ),
    ):
        return _done(request, referral, _("Outcome recorded."))
    return candidate_page(request, access, referral, status=400, **{f"outcome_{interview.pk}": form})


@partner_view()
@require_POST
def partner_offer(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    return _referral_form(
        request,
        access,
        pk,
        form_class=OfferForm,
        form_key="offer_form",
        service=offer_record,
        done=_("Offer recorded."),
    )


@partner_view()
@require_POST
def partner_hire_report(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    return _referral_form(
        request,
        access,
        pk,
        form_class=PartnerHireReportForm,
        form_key="hire_form",
        service=hire_report_record,
        done=_("Hire reported: the candidate's caseworker confirms it."),
    )
