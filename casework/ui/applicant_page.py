"""The applicant page's tabs: their keys and labels, which tab shows which section, and their URLs.

Each tab is a URL of its own (`?tab=legal`); the writes on the page land back on the tab that shows
the section they changed (`?tab=legal#periods`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

DEFAULT_TAB = "overview"

TAB_LABELS: dict[str, Any] = {
    "overview": _("Overview"),
    "legal": _("Legal status"),
    "learning": _("Learning"),
    "employment": _("Employment"),
    "documents": _("Documents"),
    "notes": _("Notes & tasks"),
    "history": _("History"),
}

# The tab that shows each section of the page (the anchors the writes land back on).
SECTION_TABS = {
    "profile": "overview",
    "household": "overview",
    "consent": "overview",
    "sensitive": "overview",
    "next-tasks": "overview",
    "periods": "legal",
    "work": "legal",
    "right-to-work": "legal",
    "reporting": "legal",
    "procedures": "legal",
    "panel-learning": "learning",
    "documents": "documents",
    "notes": "notes",
    "tasks": "notes",
    "assignments": "history",
    "history": "history",
    "access-log": "history",
}


def tab_from(value: str | None) -> str:
    """The tab a request asks for; an unknown or missing value is the overview (a stale or mistyped
    link still shows the person rather than an error page that suggests the person is gone)."""
    return value if value in TAB_LABELS else DEFAULT_TAB


def section_tab(section: str) -> str:
    return SECTION_TABS.get(section, DEFAULT_TAB)


def applicant_url(reference_code: str, anchor: str = "", *, tab: str = "") -> str:
    """The applicant page; with an anchor, on the tab that shows that section (`?tab=legal#periods`)."""
    url = reverse("applicant_detail", kwargs={"reference_code": reference_code})
    tab = tab or (section_tab(anchor) if anchor else "")
    if tab:
        url = f"{url}?{urlencode({'tab': tab})}"
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True)
class TabLink:
    key: str
    label: str
    url: str
    current: bool


def tab_links(reference_code: str, current: str) -> list[TabLink]:
    return [
        TabLink(key=key, label=str(label), url=applicant_url(reference_code, tab=key), current=key == current)
        for key, label in TAB_LABELS.items()
    ]
