"""Template context: the navigation that fits the signed-in user's roles."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.roles import Role
from casework.selectors.reminders import UnreadBell
from casework.ui.panels import nav_items_for


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    items: list[dict[str, str]] = []
    bell: UnreadBell | None = None  # the unread count: one query, only when a template shows it
    if user is not None and user.is_authenticated and not user.is_service_account:
        if user.has_role(Role.EMPLOYER) and not user.is_staff_role:
            items.append(
                {"label": str(_("Partner portal")), "url": reverse("partner_home"), "name": "partner_home"}
            )
        else:
            items.append({"label": str(_("Home")), "url": reverse("home"), "name": "home"})
        if user.has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR) or user.is_superuser:
            items.append(
                {"label": str(_("Applicants")), "url": reverse("applicant_list"), "name": "applicant_list"}
            )
            items.append({"label": str(_("My tasks")), "url": reverse("my_tasks"), "name": "my_tasks"})
            items.append(
                {"label": str(_("Deadlines")), "url": reverse("deadlines_ahead"), "name": "deadlines_ahead"}
            )
            bell = UnreadBell(user)
        for extra in nav_items_for(user):  # other apps' pages (learning: courses), casework imports none
            items.append({"label": str(extra.label), "url": reverse(extra.url_name), "name": extra.key})
        if user.is_staff_role:
            items.append({"label": str(_("API")), "url": reverse("api-docs"), "name": "api-docs"})
        if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
            items.append(
                {
                    "label": str(_("Service accounts")),
                    "url": reverse("service_accounts"),
                    "name": "service_accounts",
                }
            )
            items.append({"label": str(_("Administration")), "url": reverse("admin:index"), "name": "admin"})
        items.append(
            {"label": str(_("Account")), "url": reverse("account_security"), "name": "account_security"}
        )
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    return {"nav_items": items, "nav_current": current, "bell": bell}
