"""The portal's Team section (employer administrators only): colleagues, open invitations, inviting a
colleague, withdrawing an invitation, removing a colleague. While the partnership is paused the page
is read-only (no form, writes refused)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.typing import AuthenticatedRequest
from jobs.forms.memberships import InvitationForm
from jobs.models import EmployerMembership, Invitation
from jobs.selectors.memberships import employer_members, employer_pending_invitations
from jobs.selectors.partner import PartnerAccess
from jobs.services import memberships as services
from jobs.ui.partner import partner_context, partner_view
from jobs.views.base import write


def _admin_only(access: PartnerAccess) -> None:
    if not access.is_employer_admin:
        raise PermissionDenied


@partner_view()
@require_http_methods(["GET", "POST"])
def partner_team(request: AuthenticatedRequest, access: PartnerAccess) -> HttpResponse:
    _admin_only(access)
    if request.method == "POST" and access.read_only:
        raise PermissionDenied(_("The partnership is paused: the portal is read-only."))
    form = InvitationForm(request.POST if request.method == "POST" else None, auto_id="invite_%s")
    if request.method == "POST" and form.is_valid():
        sent = write(
            form,
            lambda: services.invitation_send(
                by=request.user, employer=access.employer, **form.service_data()
            ),
        )
        if sent is not None:
            invitation, _token = sent
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for 7 days.") % {"email": invitation.email},
            )
            return redirect("partner_team")
    return render(
        request,
        "jobs/partner/team.html",
        partner_context(
            request,
            access,
            members=list(employer_members(access.employer)),
            invitations=list(employer_pending_invitations(access.employer)),
            form=form,
        ),
    )


@partner_view(write=True)
@require_POST
def partner_invitation_withdraw(
    request: AuthenticatedRequest, access: PartnerAccess, pk: int
) -> HttpResponse:
    _admin_only(access)
    invitation = get_object_or_404(Invitation.objects.filter(employer=access.employer), pk=pk)
    try:
        services.invitation_withdraw(by=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("partner_team")


@partner_view(write=True)
@require_POST
def partner_member_remove(request: AuthenticatedRequest, access: PartnerAccess, pk: int) -> HttpResponse:
    _admin_only(access)
    membership = get_object_or_404(
        EmployerMembership.objects.filter(employer=access.employer).select_related("user"), pk=pk
    )
    name = membership.user.get_full_name() or membership.user.email
    try:
        services.member_remove(by=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s can no longer use the portal.") % {"name": name})
    return redirect("partner_team")
