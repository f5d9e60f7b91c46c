"""A person's language progress as server-side SVG: assessed CEFR level over time against hours attended.

x: time (months); left axis: CEFR A1…C2, one marker per assessment that has a CEFR level (shape by
framework, official tests filled) joined by a line; right axis: cumulative hours attended (present and
late marks × session length, by session date) as a step line over a light area. Geometry and class
names only (colours live in tobira.css: the CSP forbids inline styles). The chart is an image with a
title and a description (role="img"); the page shows the same data as a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework import rules as casework_rules
from learning.rules import CEFR_LEVELS, Framework, cefr_rank

WIDTH, HEIGHT = 720, 250
LEFT, RIGHT, TOP, BOTTOM = 40, 52, 22, 40
MARKER = 6  # half the marker's size

# Marker shape per framework (the legend under the chart names them).
SHAPES = {
    Framework.JLPT: "circle",
    Framework.JFT_BASIC: "square",
    Framework.PLACEMENT: "diamond",
    Framework.TRAINER: "triangle",
}


@dataclass(frozen=True)
class LevelPoint:
    """One assessment with a CEFR level, as drawn."""

    assessment_id: int
    assessed_on: date
    cefr: str
    framework: str
    framework_label: str
    level: str

    @property
    def is_official(self) -> bool:
        return self.framework in Framework.OFFICIAL

    @property
    def shape(self) -> str:
        return SHAPES.get(self.framework, "circle")


@dataclass(frozen=True)
class HoursStep:
    """Hours attended up to and including a day (cumulative)."""

    day: date
    hours: float


@dataclass(frozen=True)
class ProgressChart:
    svg: SafeString
    points: list[LevelPoint]
    steps: list[HoursStep]
    summary: str

    @property
    def is_empty(self) -> bool:
        return not self.points and not self.steps


def cumulative_hours(minutes_by_day: Sequence[tuple[date, int]]) -> list[HoursStep]:
    steps: list[HoursStep] = []
    total = 0
    for day, minutes in sorted(minutes_by_day):
        total += minutes or 0
        steps.append(HoursStep(day, round(total / 60, 1)))
    return steps


def _day(day: date) -> str:
    return formats.date_format(day, "Y-m-d")


def _hours_top(hours: float) -> int:
    for top in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if hours <= top:
            return top
    return int(hours) + 1


class _Scale:
    def __init__(self, first: date, last: date, hours_top: int) -> None:
        self.first, self.last = first, last
        self.days = max((last - first).days, 1)
        self.hours_top = hours_top
        self.bottom = HEIGHT - BOTTOM

    def x(self, day: date) -> float:
        return round(LEFT + (day - self.first).days / self.days * (WIDTH - LEFT - RIGHT), 1)

    def y_level(self, cefr: str) -> float:
        # A1 at the first row above the axis, C2 at the top.
        step = (self.bottom - TOP) / len(CEFR_LEVELS)
        return round(self.bottom - (cefr_rank(cefr) - 0.5) * step, 1)

    def y_hours(self, hours: float) -> float:
        return round(self.bottom - hours / self.hours_top * (self.bottom - TOP), 1)


def _month_starts(first: date, last: date) -> list[date]:
    day = date(first.year, first.month, 1)
    if day < first:
        day = casework_rules.add_months(day, 1)
    months = []
    while day <= last:
        months.append(day)
        day = casework_rules.add_months(day, 1)
    return months


def _time_axis(scale: _Scale) -> list[str]:
    bottom = scale.bottom
    parts = [f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}"/>']
    months = _month_starts(scale.first, scale.last)
    every = max(1, -(-len(months) // 12))  # at most 12 month labels
    for index, month in enumerate(months):
        x = scale.x(month)
        parts.append(f'<line class="tick" x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 4}"/>')
        if index % every == 0:
            label = month.strftime("%Y") if month.month == 1 else formats.date_format(month, "M")
            css = "tick-label tick-label-year" if month.month == 1 else "tick-label"
            parts.append(
                f'<text class="{css}" x="{x}" y="{bottom + 16}" text-anchor="middle">{escape(label)}</text>'
            )
    if not any(month.month == 1 for month in months):
        parts.append(
            f'<text class="tick-label tick-label-year" x="{LEFT}" y="{bottom + 30}" '
            f'text-anchor="start">{scale.first.year}</text>'
        )
    return parts


def _level_axis(scale: _Scale) -> list[str]:
    parts = [f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{scale.bottom}"/>']
    for level in CEFR_LEVELS:
        y = scale.y_level(level)
        parts.append(f'<line class="gridline" x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}"/>')
        parts.append(
            f'<text class="axis-label level-label" x="{LEFT - 6}" y="{y + 4}" text-anchor="end">{level}</text>'
        )
    return parts


def _hours_axis(scale: _Scale) -> list[str]:
    x = WIDTH - RIGHT
    parts = [f'<line class="axis axis-hours" x1="{x}" y1="{TOP}" x2="{x}" y2="{scale.bottom}"/>']
    for fraction in (0, 0.5, 1):
        value = round(scale.hours_top * fraction)
        y = scale.y_hours(value)
        parts.append(f'<line class="tick" x1="{x}" y1="{y}" x2="{x + 4}" y2="{y}"/>')
        parts.append(
            f'<text class="axis-label hours-label" x="{x + 6}" y="{y + 4}" text-anchor="start">{value}</text>'
        )
    unit = escape(_("hours"))
    parts.append(
        f'<text class="axis-label hours-unit" x="{x}" y="{TOP - 6}" text-anchor="middle">{unit}</text>'
    )
    return parts


def _marker(point: LevelPoint, x: float, y: float) -> str:
    classes = f"level-point framework-{point.framework} {'official' if point.is_official else 'unofficial'}"
    label = _("%(date)s: %(framework)s %(level)s, CEFR %(cefr)s") % {
        "date": _day(point.assessed_on),
        "framework": point.framework_label,
        "level": point.level if point.level != point.cefr else "",
        "cefr": point.cefr,
    }
    title = f"<title>{escape(' '.join(label.split()))}</title>"
    data = f'data-assessment-id="{point.assessment_id}" data-cefr="{point.cefr}"'
    m = MARKER
    if point.shape == "square":
        return (
            f'<rect class="{classes}" {data} x="{x - m + 1}" y="{y - m + 1}" '
            f'width="{2 * m - 2}" height="{2 * m - 2}">{title}</rect>'
        )
    if point.shape == "diamond":
        corners = f"{x},{y - m} {x + m},{y} {x},{y + m} {x - m},{y}"
        return f'<polygon class="{classes}" {data} points="{corners}">{title}</polygon>'
    if point.shape == "triangle":
        corners = f"{x},{y - m} {x + m},{y + m - 1} {x - m},{y + m - 1}"
        return f'<polygon class="{classes}" {data} points="{corners}">{title}</polygon>'
    return f'<circle class="{classes}" {data} cx="{x}" cy="{y}" r="{m - 1}">{title}</circle>'


def chart_summary(points: Sequence[LevelPoint], steps: Sequence[HoursStep]) -> str:
    parts = []
    if points:
        first, last = points[0], points[-1]
        parts.append(
            ngettext(
                "%(count)d assessed level, from %(first)s (%(first_date)s) to %(last)s (%(last_date)s)",
                "%(count)d assessed levels, from %(first)s (%(first_date)s) to %(last)s (%(last_date)s)",
                len(points),
            )
            % {
                "count": len(points),
                "first": first.cefr,
                "first_date": _day(first.assessed_on),
                "last": last.cefr,
                "last_date": _day(last.assessed_on),
            }
        )
    else:
        parts.append(_("no assessed level yet"))
    if steps:
        parts.append(
            _("%(hours)s hours attended by %(date)s")
            % {"hours": steps[-1].hours, "date": _day(steps[-1].day)}
        )
    else:
        parts.append(_("no hours attended yet"))
    return "; ".join(parts)


def progress_chart(
    points: Sequence[LevelPoint],
    minutes_by_day: Sequence[tuple[date, int]],
    *,
    today: date,
    chart_id: str = "progress-chart",
) -> ProgressChart:
    """The chart for one person; an empty SVG (and is_empty) when there is nothing to draw."""
    ordered = sorted(points, key=lambda p: (p.assessed_on, p.assessment_id))
    steps = cumulative_hours(minutes_by_day)
    summary = chart_summary(ordered, steps)
    if not ordered and not steps:
        return ProgressChart(mark_safe(""), [], [], summary)  # noqa: S308
    days = [p.assessed_on for p in ordered] + [s.day for s in steps]
    first, last = min(days), max([today, *days])
    pad = max(10, (last - first).days // 30)
    scale = _Scale(
        first - timedelta(days=pad), last + timedelta(days=pad), _hours_top(steps[-1].hours if steps else 0)
    )

    parts: list[str] = []
    parts.extend(_level_axis(scale))
    parts.extend(_hours_axis(scale))
    parts.extend(_time_axis(scale))
    if steps:
        # A step line: flat until the next session day, then up; carried on to today.
        coords = [(scale.x(scale.first), scale.y_hours(0)), (scale.x(steps[0].day), scale.y_hours(0))]
        previous = 0.0
        for step in steps:
            x = scale.x(step.day)
            coords.append((x, scale.y_hours(previous)))
            coords.append((x, scale.y_hours(step.hours)))
            previous = step.hours
        coords.append((scale.x(max(today, steps[-1].day)), scale.y_hours(previous)))
        line = " ".join(f"{x},{y}" for x, y in coords[1:])
        area = f"{coords[1][0]},{scale.bottom} {line} {coords[-1][0]},{scale.bottom}"
        hours_title = escape(_("Hours attended (right axis)"))
        parts.append(f'<polygon class="hours-area" points="{area}"/>')
        parts.append(
            f'<polyline class="hours-line" data-hours="{steps[-1].hours}" points="{line}">'
            f"<title>{hours_title}: {steps[-1].hours}</title></polyline>"
        )
    if len(ordered) > 1:
        line = " ".join(f"{scale.x(p.assessed_on)},{scale.y_level(p.cefr)}" for p in ordered)
        parts.append(f'<polyline class="level-line" points="{line}"/>')
    for point in ordered:
        parts.append(_marker(point, scale.x(point.assessed_on), scale.y_level(point.cefr)))
    tx = scale.x(today)
    parts.append(
        f'<line class="today" x1="{tx}" y1="{TOP}" x2="{tx}" y2="{scale.bottom}">'
        f"<title>{escape(_('Today'))}: {_day(today)}</title></line>"
    )
    title = _("Language progress")
    svg = (
        f'<svg class="progress-chart" id="{chart_id}" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>{"".join(parts)}</svg>'
    )
    return ProgressChart(mark_safe(svg), ordered, steps, summary)  # noqa: S308 - every text is escaped
