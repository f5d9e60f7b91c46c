"""The portal's candidates: the employer's referrals (list) and one candidate's share packet.

Every read goes through jobs.selectors.partner (the employer's own referrals from "shared" on) and every
packet through jobs.selectors.packets (built from the current consent at each request); every packet
shown is in the access log. Another employer's referral, or one not shared yet, is a 404 like an id that
does not exist.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jobs.forms.partner_candidates import CandidateFilterForm
from jobs.selectors.packets import share_packets
from jobs.selectors.partner import PartnerAccess, partner_openings, partner_referrals
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


@partner_view()
def partner_candidate(request: HttpRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    referral = partner_referrals(request.user).select_related("applicant", "opening").filter(pk=pk).first()
    if referral is None:
        raise Http404
    packets = share_packets([referral])
    log_packet_reads(user=request.user, access=access, referrals=[referral], packets=packets, door="portal")
    return render(
        request,
        "jobs/partner/candidate_detail.html",
        partner_context(request, access, referral=referral, packet=packet_display(packets.get(referral.pk))),
    )
