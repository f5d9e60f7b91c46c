"""The deadlines ahead as a server-side SVG bar chart: one bar per week that has deadlines.

Geometry and class names only (colours live in tobira.css: the CSP forbids inline styles). The chart
is an image with a text alternative (role="img", aria-label); each bar has a <title> for pointer
users; the list next to it holds the same information for everyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 32, 8, 18, 40


class Dated(Protocol):
    """A deadline row as the chart counts it (selectors.reminders.DeadlineAhead)."""

    @property
    def due_date(self) -> date: ...

    @property
    def is_urgent(self) -> bool: ...


@dataclass(frozen=True)
class WeekCount:
    start: date  # a Monday
    count: int
    urgent: int  # of which within the escalation distance (7 days)


def deadlines_per_week(rows: Iterable[Dated], *, today: date, days: int) -> list[WeekCount]:
    """Every week (Monday to Sunday) from today's to the one of today + days, with its count."""
    first = today - timedelta(days=today.weekday())
    last = today + timedelta(days=days)
    weeks = ((last - first).days // 7) + 1
    counts = [0] * weeks
    urgent = [0] * weeks
    for row in rows:
        index = (row.due_date - first).days // 7
        if 0 <= index < weeks:
            counts[index] += 1
            urgent[index] += row.is_urgent
    return [WeekCount(first + timedelta(weeks=i), counts[i], urgent[i]) for i in range(weeks)]


def _day(day: date) -> str:
    return formats.date_format(day, "Y-m-d")


def _short(day: date) -> str:
    return formats.date_format(day, "n/j")


def chart_summary(weeks: Sequence[WeekCount], *, days: int) -> str:
    total = sum(week.count for week in weeks)
    text = ngettext(
        "Deadlines per week, next %(days)d days: %(count)d deadline",
        "Deadlines per week, next %(days)d days: %(count)d deadlines",
        total,
    ) % {"days": days, "count": total}
    if total:
        busiest = max(weeks, key=lambda week: week.count)
        text += "; " + _("the most (%(count)d) in the week of %(week)s") % {
            "count": busiest.count,
            "week": _day(busiest.start),
        }
    return text


def deadlines_chart_svg(weeks: Sequence[WeekCount], *, days: int) -> SafeString:
    """The chart as an inline <svg>; weeks without deadlines have an axis label but no bar."""
    if not weeks:
        return mark_safe("")  # noqa: S308
    top_count = max([week.count for week in weeks] + [1])
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(weeks)
    bar_width = round(slot * 0.7, 1)
    baseline = HEIGHT - BOTTOM
    parts = [
        f'<line class="axis" x1="{LEFT}" y1="{baseline}" x2="{WIDTH - RIGHT}" y2="{baseline}"/>',
        f'<line class="gridline" x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}"/>',
        f'<text class="axis-label" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top_count}</text>',
        f'<text class="axis-label" x="{LEFT - 6}" y="{baseline + 4}" text-anchor="end">0</text>',
    ]
    label_every = 1 if len(weeks) <= 16 else 2
    for index, week in enumerate(weeks):
        x = LEFT + index * slot
        centre = round(x + slot / 2, 1)
        if index % label_every == 0:
            parts.append(
                f'<text class="week-label" x="{centre}" y="{baseline + 16}" text-anchor="middle">'
                f"{escape(_short(week.start))}</text>"
            )
        if not week.count:
            continue
        height = round(week.count / top_count * plot_height, 1)
        classes = "week-bar has-urgent" if week.urgent else "week-bar"
        title = ngettext(
            "Week of %(week)s: %(count)d deadline",
            "Week of %(week)s: %(count)d deadlines",
            week.count,
        ) % {"week": _day(week.start), "count": week.count}
        if week.urgent:
            title += " " + ngettext("(%(count)d within 7 days)", "(%(count)d within 7 days)", week.urgent) % {
                "count": week.urgent
            }
        parts.append(
            f'<rect class="{classes}" data-week="{week.start.isoformat()}" data-count="{week.count}" '
            f'x="{round(x + (slot - bar_width) / 2, 1)}" y="{round(baseline - height, 1)}" '
            f'width="{bar_width}" height="{height}"><title>{escape(title)}</title></rect>'
        )
        parts.append(
            f'<text class="bar-value" x="{centre}" y="{round(baseline - height - 4, 1)}" '
            f'text-anchor="middle">{week.count}</text>'
        )
    summary = chart_summary(weeks, days=days)
    svg = (
        f'<svg class="deadline-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(summary)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(summary)}</title>{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text part is escaped above
