"""The portal's Workers section (the employer's placements: "may work until", follow-ups, the employment
notification) and its Notifications page. Every read through jobs.selectors.partner (another employer's
placement, follow-up or notification is a 404 like an id that does not exist); every write through a
service and refused while the partnership is paused (read-only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.typing import AuthenticatedRequest
from jobs.forms.partner_workers import FollowUpConfirmForm, NotificationFilingForm
from jobs.models import Placement, Referral
from jobs.selectors.partner import PartnerAccess, partner_notifications
from jobs.selectors.partner_workers import (
    follow_up_details,
    partner_follow_ups,
    partner_placement_list,
    worker_views,
)
from jobs.services import partner_workers as services
from jobs.services.packets import log_packet_reads
from jobs.services.placements import follow_up_record
from jobs.ui.partner import partner_context, partner_view
from jobs.views.base import PAGE_SIZE, write


def _log(request: AuthenticatedRequest, access: PartnerAccess, views: list[dict]) -> None:
    """The packets shown (reference code, given name, "may work until") are in the access log."""
    log_packet_reads(
        user=request.user,
        access=access,
        referrals=[Referral(pk=v["referral_id"], applicant_id=v["placement"].applicant_id) for v in views],
        packets={v["referral_id"]: v["packet"] for v in views},
        door="portal",
    )


@partner_view()
def partner_workers(request: AuthenticatedRequest, access: PartnerAccess) -> HttpResponse:
    page = Paginator(partner_placement_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    views = worker_views(list(page.object_list))
    _log(request, access, views)
    return render(
        request, "jobs/partner/workers.html", partner_context(request, access, page=page, workers=views)
    )


def _worker_page(
    request: AuthenticatedRequest,
    access: PartnerAccess,
    placement: Placement,
    filing_form: NotificationFilingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    view = worker_views([placement])[0]
    _log(request, access, [view])
    if filing_form is None and view["shared"]:
        notice = view["employment"]["notification"]
        filing_form = NotificationFilingForm(
            initial={
                "hire_notification_filed_on": notice["hire_filed_on"],
                "leaving_notification_filed_on": notice["leaving_filed_on"],
            },
            has_left=placement.ended_on is not None,
        )
    return render(
        request,
        "jobs/partner/worker.html",
        partner_context(
            request,
            access,
            worker=view,
            follow_ups=follow_up_details(placement),
            filing_form=filing_form if view["shared"] else None,
        ),
        status=status,
    )


@partner_view()
def partner_worker(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    placement = get_object_or_404(partner_placement_list(request.user), pk=pk)
    return _worker_page(request, access, placement)


@partner_view(write=True)
@require_POST
def partner_worker_filing(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    placement = get_object_or_404(partner_placement_list(request.user), pk=pk)
    form = NotificationFilingForm(request.POST, has_left=placement.ended_on is not None)
    if form.is_valid():
        saved = write(
            form,
            lambda: services.placement_notification_file(
                by=request.user, placement=placement, data=form.service_data()
            ),
        )
        if saved is not None:
            messages.success(request, _("Filing recorded."))
            return redirect("partner_worker", placement.pk)
    return _worker_page(request, access, placement, filing_form=form, status=400)


@partner_view(write=True)
@require_http_methods(["GET", "POST"])
def partner_follow_up_confirm(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(partner_follow_ups(request.user), pk=pk)
    placement = follow_up.placement
    form = FollowUpConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = write(
                form,
                lambda: follow_up_record(
                    by=request.user, placement=placement, month=follow_up.month, data=form.service_data()
                ),
            )
            if saved is not None:
                messages.success(request, _("Follow-up confirmed. Thank you."))
                return redirect("partner_worker", placement.pk)
        status = 400
    view = worker_views([placement])[0]
    _log(request, access, [view])
    return render(
        request,
        "jobs/partner/follow_up_confirm.html",
        partner_context(request, access, worker=view, follow_up=follow_up, form=form),
        status=status,
    )


@partner_view()
def partner_notification_list(request: AuthenticatedRequest, access: PartnerAccess) -> HttpResponse:
    page = Paginator(partner_notifications(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/partner/notifications.html", partner_context(request, access, page=page))


@partner_view(write=True)
@require_POST
def partner_notification_read(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    notification = partner_notifications(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.portal_notification_mark_read(by=request.user, notification=notification)
    return redirect("partner_notifications")


@partner_view(write=True)
@require_POST
def partner_notifications_read_all(request: AuthenticatedRequest, access: PartnerAccess) -> HttpResponse:
    services.portal_notifications_mark_all_read(by=request.user)
    messages.success(request, _("All notifications marked read."))
    return redirect("partner_notifications")
