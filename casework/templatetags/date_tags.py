"""Dates for people: "in 3 years 10 months (2030-09-27)", "tomorrow", "overdue by 3 days", in the reader's
language, and every date on a page also machine-readable in a <time> element.

The phrase is a pure function of two dates (``distance_phrase``, ``date_phrase``) so that its boundaries
are tested without a clock; the tags only choose the reference day and the urgency style.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

register = template.Library()

# A deadline this close (or closer) is urgent: the same 14 days as LegalSummary.is_urgent.
URGENT_DAYS = 14
# Below two whole months a distance is said in days ("in 45 days"): months would hide weeks that matter.
DAYS_UNTIL_MONTHS = 2

ISO_DATE = "Y-m-d"
ISO_DATETIME = "Y-m-d H:i"

# Tabler badge colours for the urgency of a date (the days-left classes stay for the project's styles).
URGENCY_CLASSES = {
    "overdue": "days-left overdue badge bg-red-lt text-red text-wrap",
    "urgent": "days-left urgent badge bg-orange-lt text-orange text-wrap",
    "": "days-left",
}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, kept inside the month (January 31 + 1 month = February 28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months_between(earlier: date, later: date) -> int:
    """How many whole calendar months fit from ``earlier`` to ``later`` (``later`` ≥ ``earlier``)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    while months > 0 and add_months(earlier, months) > later:
        months -= 1
    return max(months, 0)


def _amount(earlier: date, later: date) -> str:
    """'12 days', '2 months', '1 year', '3 years 10 months': the distance, rounded down."""
    days = (later - earlier).days
    months = whole_months_between(earlier, later)
    if months < DAYS_UNTIL_MONTHS:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    years, months = divmod(months, 12)
    year_text = ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    month_text = ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    if not years:
        return month_text
    if not months:
        return year_text
    return pgettext("years and months of a distance", "%(years)s %(months)s") % {
        "years": year_text,
        "months": month_text,
    }


def distance_phrase(target: date, today: date, *, overdue: bool = False) -> str:
    """How far ``target`` is from ``today``: 'today', 'tomorrow', 'yesterday', 'in 12 days',
    'in 3 years 10 months', '3 days ago' — or, for something due, 'overdue by 3 days'."""
    days = (target - today).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days == -1 and not overdue:
        return _("yesterday")
    if days > 0:
        return _("in %(distance)s") % {"distance": _amount(today, target)}
    if overdue:
        return _("overdue by %(distance)s") % {"distance": _amount(target, today)}
    return _("%(distance)s ago") % {"distance": _amount(target, today)}


def date_phrase(target: date, today: date, *, overdue: bool = False) -> str:
    """The distance with the date itself: 'in 3 years 10 months (2030-09-27)'."""
    return _("%(distance)s (%(date)s)") % {
        "distance": distance_phrase(target, today, overdue=overdue),
        "date": target.isoformat(),
    }


def urgency(days: int, *, urgent_days: int = URGENT_DAYS) -> str:
    """'overdue' (past), 'urgent' (today up to ``urgent_days``) or '' (later)."""
    if days < 0:
        return "overdue"
    if days <= urgent_days:
        return "urgent"
    return ""


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.simple_tag
def relative_date(
    value: date | datetime | None,
    days_left: int | None = None,
    *,
    overdue: bool = False,
    urgent_days: int = URGENT_DAYS,
    plain: bool = False,
    with_date: bool = True,
) -> SafeString | str:
    """<time datetime="2030-09-27">in 3 years 10 months (2030-09-27)</time>, styled by urgency.

    ``days_left`` is the distance the page's selector computed (its reference day wins over the clock,
    so the phrase and the urgency agree with the rest of the page); without it, today in Tokyo.
    ``overdue`` says 'overdue by 3 days' instead of '3 days ago' (for something that was due);
    ``plain`` renders no urgency style (a date in the past that is not a deadline); ``with_date=False``
    leaves the date out of the text where the sentence already says it.
    """
    if value is None or value == "":
        return ""
    target = _as_date(value)
    today = timezone.localdate() if days_left is None else date.fromordinal(target.toordinal() - days_left)
    days = (target - today).days
    css = URGENCY_CLASSES["" if plain else urgency(days, urgent_days=urgent_days)]
    text = (
        date_phrase(target, today, overdue=overdue)
        if with_date
        else distance_phrase(target, today, overdue=overdue)
    )
    return format_html('<time class="{}" datetime="{}">{}</time>', css, target.isoformat(), text)


@register.filter
def as_time(value: date | datetime | None, format_string: str | None = None) -> SafeString | str:
    """A date or a moment in a <time> element: the text as before (2026-12-05, or 2026-12-05 13:50 in
    Tokyo), the ISO value in ``datetime`` for machines. Empty for None, so ``|default:"—"`` still works."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return format_html(
            '<time datetime="{}">{}</time>',
            moment.isoformat(timespec="seconds"),
            formats.date_format(moment, format_string or ISO_DATETIME),
        )
    if not isinstance(value, date):
        return str(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(),
        formats.date_format(value, format_string or ISO_DATE),
    )


@register.filter
def day_heading(day: date | datetime | None) -> str:
    """A day as a heading in the reader's language: "Saturday, 5 December 2026", "2026年12月5日（土曜日）"."""
    if day is None or day == "":
        return ""
    # Translators: Django date-format letters for a day heading (l weekday, j day, F month name,
    # n month number, Y year). Japanese: "Y年n月j日（l）".
    return formats.date_format(_as_date(day), _("l, j F Y"))
