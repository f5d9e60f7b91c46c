"""Template helpers of the applicant pages: days left, language levels, form fields."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.models import LanguageLevel
from casework.ui import applicant_page

register = template.Library()

URGENT_DAYS = 14


@register.simple_tag
def days_left(days: int | None) -> SafeString | str:
    """'in 12 days' / 'today' / '3 days ago', marked urgent at 14 days or fewer."""
    if days is None:
        return ""
    if days < 0:
        text = ngettext("%(days)d day ago", "%(days)d days ago", -days) % {"days": -days}
        css = "days-left overdue"
    elif days == 0:
        text, css = _("today"), "days-left urgent"
    else:
        text = ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}
        css = "days-left urgent" if days <= URGENT_DAYS else "days-left"
    return format_html('<span class="{}">{}</span>', css, text)


@register.simple_tag
def applicant_url(reference_code: str, anchor: str = "") -> str:
    """The applicant page on the tab that shows the section `anchor` (`?tab=legal#periods`)."""
    return applicant_page.applicant_url(reference_code, anchor)


@register.filter
def level_label(level: str) -> str:
    try:
        return str(LanguageLevel(level).label)
    except ValueError:
        return level


@register.filter
def ordinal_label(number: int) -> str:
    if number == 1:
        return _("1st application")
    if number == 2:
        return _("2nd application")
    if number == 3:
        return _("3rd application")
    return _("Application no. %(number)d") % {"number": number}
