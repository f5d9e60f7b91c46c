"""Casework pages: the home page of each role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_otp import user_has_device

from casework import selectors
from casework.roles import Role
from casework.typing import AuthenticatedRequest
from casework.ui.panels import render_panels


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.has_role(Role.EMPLOYER) and not user.is_staff_role:
        return redirect("partner_home")
    context: dict[str, object] = {
        "two_factor_on": user_has_device(user, confirmed=True),
        "assignment_gap": selectors.assignment_gap(user=user),
        # Every section is a panel (casework/ui/home.py, and learning's and jobs' from their apps.py):
        # each hides itself for a role it does not serve.
        "panels": render_panels("home", request=request),
    }
    return render(request, "casework/home.html", context)


def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: a phone can add Tobira to its home screen (public, like the icons)."""
    icons = [
        {"src": static("casework/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("casework/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("casework/icons/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    manifest = {
        "name": "Tobira",
        "short_name": "Tobira",
        "description": str(_("Case management for refugee applicants' path to work in Japan.")),
        "lang": get_language(),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f8fb",
        "theme_color": "#1d3d6b",
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the app shell when the shell can be drawn; the plain page when that fails too.

    The shell's context (navigation, the reminder bell) reads the database, which may be the very
    thing that failed: then the page is rendered without a request, as Django's own handler does.
    """
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - the error page must never fail
        return HttpResponseServerError(get_template("500.html").render())
