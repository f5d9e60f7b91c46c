"""Staff pages for an employer's portal users (the "Portal users" card of the employer page): invite
someone, withdraw an open invitation, remove a portal user. Supervisors and administrators only (the
service checks again); caseworkers see the card's list on the employer page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.typing import AuthenticatedRequest
from jobs.forms.memberships import ApiAccountForm, InvitationForm
from jobs.models import Employer, EmployerMembership, Invitation
from jobs.selectors.employers import employer_for_page
from jobs.services import memberships as services
from jobs.services.tokens import employer_api_account_create, may_create_api_account
from jobs.views.base import jobs_staff, write


def _managed_employer(request: AuthenticatedRequest, pk: int) -> Employer:
    employer = employer_for_page(user=request.user, pk=pk)
    if employer is None:
        raise Http404
    if not services.is_org_staff_manager(request.user, employer):
        raise PermissionDenied
    return employer


@jobs_staff
@require_http_methods(["GET", "POST"])
def invitation_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The invite form (also inline on the employer page, which posts here); errors are shown here."""
    employer = _managed_employer(request, pk)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sent = write(
            form,
            lambda: services.invitation_send(by=request.user, employer=employer, **form.service_data()),
        )
        if sent is not None:
            invitation, _token = sent
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for 7 days.") % {"email": invitation.email},
            )
            return redirect("jobs:employer_detail", employer.pk)
    return render(request, "jobs/invitation_form.html", {"form": form, "employer": employer})


@jobs_staff
@require_POST
def invitation_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("employer").filter(
            employer__organisation_id=request.user.organisation_id
        ),
        pk=pk,
    )
    employer = _managed_employer(request, invitation.employer_id)
    try:
        services.invitation_withdraw(by=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("jobs:employer_detail", employer.pk)


@jobs_staff
@require_POST
def member_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        EmployerMembership.objects.select_related("employer", "user").filter(
            employer__organisation_id=request.user.organisation_id
        ),
        pk=pk,
    )
    employer = _managed_employer(request, membership.employer_id)
    name = membership.user.get_full_name() or membership.user.email
    try:
        services.member_remove(by=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s can no longer use the portal.") % {"name": name})
    return redirect("jobs:employer_detail", employer.pk)


@jobs_staff
@require_http_methods(["GET", "POST"])
def api_account_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An API service account for the employer (administrators): the token is shown once, in the answer."""
    employer = employer_for_page(user=request.user, pk=pk)
    if employer is None:
        raise Http404
    if not may_create_api_account(request.user, employer):
        raise PermissionDenied
    form = ApiAccountForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "employer": employer}
    if request.method == "POST" and form.is_valid():
        created = write(
            form,
            lambda: employer_api_account_create(
                by=request.user, employer=employer, username=form.cleaned_data["username"]
            ),
        )
        if created is not None:
            context["new_account"], context["new_token"] = created
    return render(request, "jobs/api_account_form.html", context)


__all__ = ["api_account_add", "invitation_add", "invitation_withdraw", "member_remove"]
