"""The partner impact page's charts as server-side SVG: placements by month, and retention at 3 / 6 / 12
months beside the programme's.

Geometry and class names only (colours live in tobira.css: the CSP forbids inline styles). Each chart is
an image (role="img") named by its <title> and described by its <desc>; every bar has a <title> for
pointer users; the page shows the same figures in a table under it for everyone. A hidden figure (None)
draws no bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.selectors.outcomes import Retention
from jobs.selectors.partner_impact import Impact

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 20, 40


@dataclass(frozen=True)
class Series:
    key: str  # a class name suffix: bar-<key>
    label: str
    values: Sequence[float | None]  # one per category; None: not shown (no bar)
    texts: Sequence[str]  # each value as the bar's label says it


def bar_chart_svg(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    top: float,
    top_label: str,
    width: int = WIDTH,
) -> SafeString:
    """Bars grouped by category (one bar per series in each group), from 0 to `top`. A narrower `width`
    (viewBox units) keeps the labels readable on a phone when there are few categories."""
    if not categories:
        return mark_safe("")  # noqa: S308
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    slot = (width - LEFT - RIGHT) / len(categories)
    bar_width = round(slot * 0.7 / len(series), 1)
    parts = [
        f'<line class="axis" x1="{LEFT}" y1="{baseline}" x2="{width - RIGHT}" y2="{baseline}"/>',
        f'<line class="gridline" x1="{LEFT}" y1="{TOP}" x2="{width - RIGHT}" y2="{TOP}"/>',
        f'<text class="axis-label" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{escape(top_label)}</text>',
        f'<text class="axis-label" x="{LEFT - 6}" y="{baseline + 4}" text-anchor="end">0</text>',
    ]
    for index, category in enumerate(categories):
        x = LEFT + index * slot
        centre = round(x + slot / 2, 1)
        parts.append(
            f'<text class="category-label" x="{centre}" y="{baseline + 16}" text-anchor="middle">'
            f"{escape(category)}</text>"
        )
        group_left = x + (slot - bar_width * len(series)) / 2
        for number, line in enumerate(series):
            value = line.values[index]
            if value is None:
                continue
            height = round(min(value, top) / top * plot_height, 1) if top else 0
            bar_x = round(group_left + number * bar_width, 1)
            label = f"{category}, {line.label}: {line.texts[index]}"
            parts.append(
                f'<rect class="bar bar-{line.key}" data-category="{escape(category)}" data-value="{value}" '
                f'x="{bar_x}" y="{round(baseline - height, 1)}" width="{bar_width}" height="{height}">'
                f"<title>{escape(label)}</title></rect>"
            )
            if value:
                parts.append(
                    f'<text class="bar-value" x="{round(bar_x + bar_width / 2, 1)}" '
                    f'y="{round(baseline - height - 4, 1)}" text-anchor="middle">{escape(line.texts[index])}</text>'
                )
    svg = (
        f'<svg class="impact-chart" id="{chart_id}" viewBox="0 0 {width} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text part is escaped above


def percent(rate: Decimal | None) -> str:
    """A rate (0 to 1) as a whole percentage, "—" when there is none."""
    if rate is None:
        return "—"
    return f"{(rate * 100).quantize(Decimal(1))}%"


def placements_chart(impact: Impact) -> SafeString:
    months = impact.by_month or []
    if not months:
        return mark_safe("")  # noqa: S308
    counts = [month.count for month in months]
    total = sum(counts)
    top = max([*counts, 1])
    labels = [formats.date_format(month.month, "Y-m") for month in months]
    description = ngettext(
        "%(count)d placement started in the last %(months)d months, from %(first)s to %(last)s.",
        "%(count)d placements started in the last %(months)d months, from %(first)s to %(last)s.",
        total,
    ) % {"count": total, "months": len(months), "first": labels[0], "last": labels[-1]}
    short = [formats.date_format(month.month, "n") for month in months]
    return bar_chart_svg(
        chart_id="impact-placements-chart",
        title=_("Placements by month of start"),
        description=description,
        categories=short,
        series=[Series("placements", _("Placements"), counts, [str(c) for c in counts])],
        top=top,
        top_label=str(top),
        width=480,
    )


def retention_chart(impact: Impact) -> SafeString:
    rows = impact.retention
    if all(row.employer is None and row.programme is None for row in rows):
        return mark_safe("")  # noqa: S308
    categories = [
        ngettext("%(months)d month", "%(months)d months", row.months) % {"months": row.months} for row in rows
    ]

    def rates(which: str) -> tuple[list[float | None], list[str]]:
        values: list[float | None] = []
        texts: list[str] = []
        for row in rows:
            figure = getattr(row, which)
            rate = figure.rate if figure is not None else None
            values.append(float(rate * 100) if rate is not None else None)
            texts.append(percent(rate) if figure is not None else _("not shown"))
        return values, texts

    ours, our_texts = rates("employer")
    theirs, their_texts = rates("programme")
    described = [
        _("%(mark)s: you %(ours)s, the programme %(theirs)s")
        % {"mark": category, "ours": our_texts[i], "theirs": their_texts[i]}
        for i, category in enumerate(categories)
    ]
    return bar_chart_svg(
        chart_id="impact-retention-chart",
        title=_("Retention: still working at the mark"),
        description="; ".join(described) + ".",
        categories=categories,
        series=[
            Series("employer", _("You"), ours, our_texts),
            Series("programme", _("The programme"), theirs, their_texts),
        ],
        top=100,
        top_label="100%",
        width=360,
    )


def _days(value: Decimal) -> str:
    """Days as the page says them: whole days, or one decimal for a half (interpolated quartiles)."""
    shown = value.quantize(Decimal("0.1"))
    text = formats.number_format(shown, decimal_pos=0 if shown == shown.to_integral() else 1)
    return ngettext("%(days)s day", "%(days)s days", int(shown) if shown == 1 else 2) % {"days": text}


def _cell(figure: Retention | None) -> dict | None:
    if figure is None:
        return None
    return {
        "percent": percent(figure.rate),
        "retained": figure.retained,
        "known": figure.known,
        "unconfirmed": figure.unconfirmed,
        "within_window": figure.within_window,
    }


def impact_view(impact: Impact) -> dict:
    """The page's figures as it shows them (charts, rows, days in words); hidden figures stay None."""
    fill = impact.time_to_fill
    return {
        "placements_chart": placements_chart(impact),
        "retention_chart": retention_chart(impact),
        "retention_rows": [
            {
                "months": row.months,
                "cells": [(_cell(row.employer), "employer"), (_cell(row.programme), "programme")],
            }
            for row in impact.retention
        ],
        "fill": None
        if fill is None or fill.median is None or fill.q1 is None or fill.q3 is None
        else {
            "count": fill.count,
            "median": _days(fill.median),
            "quartiles": _("%(q1)s and %(q3)s") % {"q1": _days(fill.q1), "q3": _days(fill.q3)},
        },
    }
