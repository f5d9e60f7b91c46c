"""Template filters for reminders: what the deadline is and how far it is, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.deadlines import registry
from casework.models.reminders import ON_RECORD, OVERDUE

register = template.Library()


@register.filter
def reminder_kind_label(reminder) -> str:
    try:
        return str(registry.source(reminder.source_kind).label)
    except KeyError:
        return reminder.source_kind


@register.filter
def reminder_offset_label(reminder) -> str:
    offset = reminder.offset if hasattr(reminder, "offset") else str(reminder)
    if offset == ON_RECORD:
        return _("just recorded")
    if offset == OVERDUE:
        return _("overdue")
    days = int(offset)
    if days < 0:
        return ngettext("%(days)d day before", "%(days)d days before", -days) % {"days": -days}
    if days > 0:
        return ngettext("%(days)d day after", "%(days)d days after", days) % {"days": days}
    return _("on the day")


@register.simple_tag
def deadlines_chart(rows, *, today, days: int):
    """The deadlines-per-week SVG chart of some deadline rows (casework/deadlines/chart.py), for a page
    assembled from panels (the home page's deadlines panel)."""
    from casework.deadlines.chart import deadlines_chart_svg, deadlines_per_week

    return deadlines_chart_svg(deadlines_per_week(rows, today=today, days=days), days=days)
