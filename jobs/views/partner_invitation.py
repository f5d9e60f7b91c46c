"""Accepting an invitation to the partner portal (/partner/invitation/<token>/), for people not signed
in yet. A link that cannot be used (used, expired, withdrawn, partnership ended, unknown) gets a page
saying so, with status 410 or 404 and no detail about anyone else's account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework.forms.base import apply_service_error
from jobs.forms.memberships import AcceptInvitationForm
from jobs.services import memberships as services


@never_cache
@require_http_methods(["GET", "POST"])
def partner_invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationUnusable as refusal:
        return _unusable(request, refusal)
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                membership = services.invitation_accept(
                    token=token,
                    password=form.cleaned_data["password"],
                    password_again=form.cleaned_data["password_again"],
                )
        except services.InvitationUnusable as refusal:
            return _unusable(request, refusal)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "Welcome to the partner portal. Sign in next time with your e-mail address and "
                        "this password. We recommend turning on two-factor sign-in:"
                    ),
                    reverse("account_security"),
                    _("Account and security"),
                ),
            )
            return redirect("partner_home")
    return render(
        request,
        "jobs/partner/invitation_accept.html",
        {"form": form, "employer": invitation.employer, "invitation": invitation},
    )


def _unusable(request: HttpRequest, refusal: services.InvitationUnusable) -> HttpResponse:
    status = 404 if refusal.invitation is None else 410
    return render(
        request, "jobs/partner/invitation_unusable.html", {"message": refusal.message}, status=status
    )
