"""Casework pages: the home page of each role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
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
        "is_administrator": user.has_role(Role.ADMINISTRATOR) or user.is_superuser,
        "is_supervisor": user.has_role(Role.SUPERVISOR),
        "is_caseworker": user.has_role(Role.CASEWORKER),
        "is_trainer": user.has_role(Role.TRAINER),
    }
    context["assignment_gap"] = selectors.assignment_gap(user=user)
    if context["is_administrator"]:
        context["overview"] = selectors.organisation_overview(user=user)
    if context["is_supervisor"]:
        context["led_teams"] = list(selectors.teams_led_by(user=user))
    if context["is_caseworker"] or context["is_trainer"]:
        context["my_team"] = selectors.team_of(user=user)
    # Sections other apps add to the home page (learning: a trainer's sessions today).
    context["panels"] = render_panels("home", request=request)
    return render(request, "casework/home.html", context)
