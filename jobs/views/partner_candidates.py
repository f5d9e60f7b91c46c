"""The portal's candidates: the employer's referrals (list) and one candidate's share packet and messages.

Every read goes through jobs.selectors.partner (the employer's own referrals from "shared" on) and every
packet through jobs.selectors.packets (built from the current consent at each request); every packet
shown is in the access log. Another employer's referral, or one not shared yet, is a 404 like an id that
does not exist. The message thread is there while the employer has the candidate in hand and the packet
shows (jobs.selectors.messages.partner_thread_referral); read-only while the partnership is paused.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework.forms.base import apply_service_error
from casework.models import User
from jobs.forms.messages import MessageForm
from jobs.forms.partner_candidates import CandidateFilterForm
from jobs.models import MessageSide, Referral
from jobs.selectors.messages import partner_thread_referral, thread_messages
from jobs.selectors.packets import share_packets
from jobs.selectors.partner import PartnerAccess, partner_openings, partner_referrals
from jobs.services.messages import referral_message_post, referral_messages_mark_read
from jobs.services.packets import log_packet_reads
from jobs.ui.packets import packet_display
from jobs.ui.partner import partner_context, partner_view
from jobs.views.base import PAGE_SIZE


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


def _candidate_page(
    request: HttpRequest, access: PartnerAccess, referral: Referral, form: MessageForm | None = None
) -> HttpResponse:
    packets = share_packets([referral])
    packet = packets.get(referral.pk)
    log_packet_reads(user=request.user, access=access, referrals=[referral], packets=packets, door="portal")
    context: dict[str, Any] = {"referral": referral, "packet": packet_display(packet), "thread_shown": False}
    if packet is not None and partner_thread_referral(request.user, referral.pk, packet=packet) is not None:
        thread = list(thread_messages(referral))  # read first: what is new shows as new on this visit
        if form is None:  # a failed send shows the thread as it was; a plain visit marks it read
            referral_messages_mark_read(by=cast(User, request.user), referral=referral)
        context.update(
            thread_shown=True,
            thread=thread,
            viewer_side=MessageSide.EMPLOYER,
            message_form=form or MessageForm(),
            message_action=""
            if access.read_only
            else reverse("partner_candidate_message", args=[referral.pk]),
            message_note=_("The partnership is paused: you can read the messages but not send one.")
            if access.read_only
            else "",
        )
    return render(request, "jobs/partner/candidate_detail.html", partner_context(request, access, **context))


@partner_view()
def partner_candidate(request: HttpRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    referral = partner_referrals(request.user).select_related("applicant", "opening").filter(pk=pk).first()
    if referral is None:
        raise Http404
    return _candidate_page(request, access, referral)


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
    return _candidate_page(request, access, referral, form=form)
