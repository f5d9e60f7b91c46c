"""Template context: the navigation that fits the signed-in user's roles, for the app shell.

The sidebar (base.html) shows `nav_items` — the work — and, under them, `nav_admin_items` — the
organisation's settings. Other apps add their pages through the navigation registry
(casework/ui/panels.py: `register_nav_item`), casework imports none of them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.browser_sessions import session_remaining
from casework.roles import Role
from casework.selectors.reminders import UnreadBell
from casework.ui.panels import nav_items_for

# Who has an importer (issue 18): each importer narrows it (a trainer: attendance of their own courses).
IMPORT_ROLES = (Role.CASEWORKER, Role.SUPERVISOR, Role.TRAINER, Role.ADMINISTRATOR)


def _item(label, url_name: str, icon: str, name: str | None = None) -> dict[str, str]:
    return {"label": str(label), "url": reverse(url_name), "name": name or url_name, "icon": icon}


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    items: list[dict[str, str]] = []
    admin_items: list[dict[str, str]] = []
    bell: UnreadBell | None = None  # the unread count: one query, only when a template shows it
    can_search = False
    if user is not None and user.is_authenticated and not user.is_service_account:
        if user.has_role(Role.EMPLOYER) and not user.is_staff_role:
            items.append(_item(_("Partner portal"), "partner_home", "building"))
        else:
            items.append(_item(_("Home"), "home", "home"))
        if user.has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR) or user.is_superuser:
            items.append(_item(_("People"), "applicant_list", "users"))
            items.append(_item(_("Deadlines"), "deadlines_ahead", "calendar-due"))
            items.append(_item(_("My tasks"), "my_tasks", "checklist"))
            bell = UnreadBell(user)
            can_search = True
        for extra in nav_items_for(user):  # other apps' pages (learning: courses), casework imports none
            items.append(_item(extra.label, extra.url_name, extra.icon or "chevron-right", extra.key))
        if user.has_role(*IMPORT_ROLES) or user.is_superuser:  # spreadsheets into Tobira (no query here)
            admin_items.append(_item(_("Import"), "import_list", "file-import"))
        if user.is_staff_role:
            admin_items.append(_item(_("API"), "api-docs", "api"))
        if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
            admin_items.append(_item(_("Service accounts"), "service_accounts", "key"))
            admin_items.append(_item(_("Administration"), "admin:index", "settings", "admin"))
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    return {
        "nav_items": items,
        "nav_admin_items": admin_items,
        "nav_current": current,
        "bell": bell,
        "can_search": can_search,
    }


def session_expiry(request: HttpRequest) -> dict[str, object]:
    """For the shell's expiry warning (shell.js): seconds left, when to warn, where to keep the session."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return {}
    return {
        "session_expiry": {
            "remaining": session_remaining(session),
            "warning": settings.SESSION_EXPIRY_WARNING,
            "warning_minutes": max(1, round(settings.SESSION_EXPIRY_WARNING / 60)),
            "keep_alive_url": reverse("session_keep_alive"),
        }
    }
