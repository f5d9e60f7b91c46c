"""The partner portal's openings: the employer's list, one opening, propose one, change one (it is then
submitted again for staff to approve) and close one. Every read goes through
jobs.selectors.partner.partner_openings, so another employer's opening is a 404 like a missing id; the
write pages are refused (403) while the partnership is paused."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework.typing import AuthenticatedRequest
from jobs.forms.openings import opening_initial
from jobs.forms.partner_openings import PartnerOpeningForm, VersionForm
from jobs.models import JobOpening, OpeningStatus
from jobs.selectors.partner import PartnerAccess, partner_openings
from jobs.services import openings as services
from jobs.ui.partner import partner_context, partner_view
from jobs.views.base import PAGE_SIZE, write


def _opening(request: AuthenticatedRequest, pk: int) -> JobOpening:
    return get_object_or_404(partner_openings(request.user), pk=pk)


@partner_view()
def partner_opening_list(request: AuthenticatedRequest, access: PartnerAccess) -> HttpResponse:
    openings = partner_openings(request.user).order_by("-start_date", "title", "pk")
    status = request.GET.get("status", "")
    if status in OpeningStatus.values:
        openings = openings.filter(status=status)
    else:
        status = ""
    page = Paginator(openings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/partner/openings.html",
        partner_context(request, access, page=page, status=status, status_choices=OpeningStatus.choices),
    )


@partner_view()
def partner_opening_detail(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    opening = _opening(request, pk)
    return render(
        request,
        "jobs/partner/opening.html",
        partner_context(
            request,
            access,
            opening=opening,
            can_edit=not access.read_only and opening.status in services.PARTNER_EDITABLE,
            can_close=not access.read_only and opening.status in services.PARTNER_CLOSABLE,
        ),
    )


@partner_view(write=True)
@require_http_methods(["GET", "POST"])
def partner_opening_add(request: AuthenticatedRequest, access: PartnerAccess) -> HttpResponse:
    form = PartnerOpeningForm(request.POST if request.method == "POST" else None, initial={"places": 1})
    if request.method == "POST" and form.is_valid():
        opening = write(
            form, lambda: services.partner_opening_create(by=request.user, data=form.service_data())
        )
        if opening is not None:
            messages.success(
                request, _("Opening submitted: our staff will review it before it is shown to candidates.")
            )
            return redirect("partner_opening", opening.pk)
    return render(
        request, "jobs/partner/opening_form.html", partner_context(request, access, form=form, opening=None)
    )


@partner_view(write=True)
@require_http_methods(["GET", "POST"])
def partner_opening_edit(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    opening = _opening(request, pk)
    if opening.status not in services.PARTNER_EDITABLE:
        messages.error(request, _("This opening can no longer be changed."))
        return redirect("partner_opening", opening.pk)
    form = PartnerOpeningForm(
        request.POST if request.method == "POST" else None, initial=opening_initial(opening)
    )
    if request.method == "POST" and form.is_valid():
        saved = write(
            form,
            lambda: services.partner_opening_update(
                by=request.user,
                opening=opening,
                data=form.service_data(),
                version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(
                request, _("Opening submitted: our staff will review it before it is shown to candidates.")
            )
            return redirect("partner_opening", opening.pk)
    return render(
        request,
        "jobs/partner/opening_form.html",
        partner_context(request, access, form=form, opening=opening),
    )


@partner_view(write=True)
@require_http_methods(["GET", "POST"])
def partner_opening_close(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    opening = _opening(request, pk)
    form = VersionForm(
        request.POST if request.method == "POST" else None, initial={"version": opening.version}
    )
    if request.method == "POST" and form.is_valid():
        closed = write(
            form,
            lambda: services.partner_opening_close(
                by=request.user, opening=opening, version=form.cleaned_data["version"]
            ),
        )
        if closed is not None:
            messages.success(request, _("Opening closed."))
            return redirect("partner_opening", opening.pk)
    return render(
        request,
        "jobs/partner/opening_close.html",
        partner_context(
            request,
            access,
            form=form,
            opening=opening,
            can_close=opening.status in services.PARTNER_CLOSABLE,
        ),
    )
