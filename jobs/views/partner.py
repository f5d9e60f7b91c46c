"""Partner portal pages for employer users: every page through ui.partner.partner_view, every read
through jobs.selectors.partner (the employer's own objects only)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from jobs.selectors.partner import PartnerAccess
from jobs.selectors.partner_home import partner_home as home_summary
from jobs.selectors.partner_impact import partner_impact as impact_figures
from jobs.ui.impact import impact_view
from jobs.ui.partner import partner_context, partner_view


def _candidate_pages() -> bool:
    """Whether the portal's candidate page exists (it is built separately): the home links to it then."""
    try:
        reverse("partner_candidate", args=[1])
    except NoReverseMatch:
        return False
    return True


@partner_view(unlinked=True)
def partner_home(request: HttpRequest, access: PartnerAccess | None) -> HttpResponse:
    if access is None:  # an employer account not linked to an employer yet
        return render(request, "jobs/partner/unlinked.html", {})
    return render(
        request,
        "jobs/partner_home.html",
        partner_context(request, access, home=home_summary(request.user), candidate_pages=_candidate_pages()),
    )


@partner_view()
def partner_impact(request: HttpRequest, access: PartnerAccess) -> HttpResponse:
    """Aggregates only: the employer's placements, retention beside the programme's, time to fill."""
    impact = impact_figures(request.user, access=access)
    return render(
        request,
        "jobs/partner/impact.html",
        partner_context(request, access, impact=impact, shown=impact_view(impact) if impact else {}),
    )
