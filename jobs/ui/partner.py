"""The partner portal's frame: who gets in (partner_view) and its sections (PARTNER_SECTIONS).

Every portal page is wrapped by partner_view: signed in, an employer user with a membership of an
employer whose partnership has not ended (ended: a 403 page saying so), and for writes a partnership
that is not paused (read-only). The page gets `partner` (jobs.selectors.partner.PartnerAccess) and
`partner_nav` in its context through partner_context().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.roles import Role
from jobs.models import PartnershipStatus
from jobs.selectors.partner import PartnerAccess, membership_of, partner_access


@dataclass(frozen=True)
class PartnerSection:
    url_name: str
    label: Any
    admin_only: bool = False  # only employer administrators (inviting and removing colleagues)


# The portal's sections in their order; a section whose URL is not routed yet is left out.
PARTNER_SECTIONS: list[PartnerSection] = [PartnerSection("partner_home", _("Home"))]


def register_partner_section(section: PartnerSection) -> None:
    if all(existing.url_name != section.url_name for existing in PARTNER_SECTIONS):
        PARTNER_SECTIONS.append(section)


def partner_context(request: HttpRequest, access: PartnerAccess, **context: Any) -> dict[str, Any]:
    current = request.resolver_match.url_name if request.resolver_match else ""
    nav = []
    for section in PARTNER_SECTIONS:
        if section.admin_only and not access.is_employer_admin:
            continue
        nav.append(
            {"url": reverse(section.url_name), "label": section.label, "current": section.url_name == current}
        )
    return {"partner": access, "partner_nav": nav, **context}


def partner_view(*, write: bool = False, unlinked: bool = False) -> Callable:
    """Wrap a portal view: it is called as view(request, access, *args, **kwargs).

    write=True: refused (403) while the partnership is paused, on every method (the page itself is a
    form for changing something). unlinked=True (the portal's home only): an employer user whose
    account is not linked to an employer yet gets the page with access=None, saying so."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            access = partner_access(request.user)
            if access is None:
                membership = membership_of(request.user)
                if (
                    membership is not None
                    and membership.employer.partnership_status == PartnershipStatus.ENDED
                ):
                    return render(
                        request, "jobs/partner/ended.html", {"employer": membership.employer}, status=403
                    )
                user: Any = request.user  # signed in (login_required)
                if unlinked and membership is None and user.has_role(Role.EMPLOYER):
                    return view(request, None, *args, **kwargs)
                raise PermissionDenied
            if write and access.read_only:
                raise PermissionDenied(_("The partnership is paused: the portal is read-only."))
            return view(request, access, *args, **kwargs)

        return wrapped

    return decorator
