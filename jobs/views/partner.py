"""Partner portal pages for employer users: every page through ui.partner.partner_view, every read
through jobs.selectors.partner (the employer's own objects only)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jobs.selectors.partner import PartnerAccess
from jobs.ui.partner import partner_context, partner_view


@partner_view(unlinked=True)
def partner_home(request: HttpRequest, access: PartnerAccess | None) -> HttpResponse:
    if access is None:  # an employer account not linked to an employer yet
        return render(request, "jobs/partner/unlinked.html", {})
    return render(request, "jobs/partner_home.html", partner_context(request, access))
