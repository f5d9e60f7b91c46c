"""Template helpers of the applicant pages: days left (see date_tags), language levels, form fields."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from casework.models import LanguageLevel
from casework.templatetags.date_tags import relative_date
from casework.ui import applicant_page

register = template.Library()


@register.simple_tag
def days_left(days: int | None) -> SafeString | str:
    """The distance of a date N days from today, as people say it (kept for templates that have only the
    number; prefer ``{% relative_date day days_left %}`` from date_tags, which knows the date)."""
    if days is None:
        return ""
    return relative_date(timezone.localdate() + timedelta(days=days), days)


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
