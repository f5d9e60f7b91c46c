"""The panel registry: other apps add sections to casework pages without casework importing them.

An app registers a panel in its AppConfig.ready(); the applicant page renders the panels of the tab it
shows (`Panel.tab`: "overview", "legal", "learning", "employment", "documents", "notes", "history")
server-side, so it reads without JavaScript and its query count includes them; the panels of the other
tabs are not computed. A panel's `context` gets the applicant (with the shown tab's prefetches) and the
user, and returns the template context, or None to hide the panel for that user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Any  # a lazy translation
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100
    tab: str = "overview"  # the applicant page's tab it belongs to (pages without tabs ignore it)


_PANELS: dict[str, dict[str, Panel]] = {"applicant": {}}


def register_panel(page: str, panel: Panel) -> None:
    _PANELS.setdefault(page, {})[panel.key] = panel


def unregister_panel(page: str, key: str) -> None:
    _PANELS.get(page, {}).pop(key, None)


def panels_for(page: str, *, tab: str | None = None) -> list[Panel]:
    """The panels of a page, in order; of one tab only when `tab` is given."""
    return sorted(
        (panel for panel in _PANELS.get(page, {}).values() if tab is None or panel.tab == tab),
        key=lambda panel: (panel.order, panel.key),
    )


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    title: str
    html: SafeString


@dataclass(frozen=True)
class NavItem:
    """A link another app adds to the main navigation, shown to users holding any of `roles`."""

    key: str
    label: str | Any  # a lazy translation
    url_name: str
    roles: tuple[str, ...]
    order: int = 100
    icon: str = ""  # a name in the icon sprite (scripts/build_icons.py)


_NAV: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    _NAV[item.key] = item


def nav_items_for(user) -> list[NavItem]:
    return sorted(
        (item for item in _NAV.values() if user.has_role(*item.roles) or user.is_superuser),
        key=lambda item: (item.order, item.key),
    )


def render_panels(page: str, *, request, tab: str | None = None, **objects: Any) -> list[RenderedPanel]:
    """Render the panels of a page (of one of its tabs): only theirs run their context's queries."""
    rendered = []
    for panel in panels_for(page, tab=tab):
        context = panel.context(user=request.user, **objects)
        if context is None:
            continue
        html = render_to_string(panel.template, {**objects, **context}, request=request)
        rendered.append(RenderedPanel(key=panel.key, title=str(panel.title), html=mark_safe(html)))  # noqa: S308
    return rendered
