"""The panel registry: other apps add sections to casework pages without casework importing them.

An app registers a panel in its AppConfig.ready(); the applicant page renders every registered panel
server-side (so it reads without JavaScript and its query count includes the panels). A panel's
`context` gets the applicant (with casework's prefetches) and the user, and returns the template
context, or None to hide the panel for that user.
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


_PANELS: dict[str, dict[str, Panel]] = {"applicant": {}}


def register_panel(page: str, panel: Panel) -> None:
    _PANELS.setdefault(page, {})[panel.key] = panel


def unregister_panel(page: str, key: str) -> None:
    _PANELS.get(page, {}).pop(key, None)


def panels_for(page: str) -> list[Panel]:
    return sorted(_PANELS.get(page, {}).values(), key=lambda panel: (panel.order, panel.key))


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


def render_panels(page: str, *, request, **objects: Any) -> list[RenderedPanel]:
    rendered = []
    for panel in panels_for(page):
        context = panel.context(user=request.user, **objects)
        if context is None:
            continue
        html = render_to_string(panel.template, {**objects, **context}, request=request)
        rendered.append(RenderedPanel(key=panel.key, title=str(panel.title), html=mark_safe(html)))  # noqa: S308
    return rendered
