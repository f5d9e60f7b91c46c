"""A report's bars as a server-side SVG: one horizontal bar per row, its value at the end.

Geometry and class names only (colours live in tobira.css: the CSP forbids inline styles). The chart is
an image with a title and a description (role="img", aria-labelledby); each bar has a <title>; the page
shows the same numbers in a data table under it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports.selectors.results import Bar, ReportResult

WIDTH = 720
LABEL = 210  # room for the labels left of the bars
RIGHT = 70  # room for the value right of the longest bar
TOP, ROW, BOTTOM = 8, 30, 8
BAR = 18
MAX_LABEL = 30  # characters; longer labels are cut (the table has them in full)


def _value(bar: Bar, unit: str) -> str:
    number = f"{bar.value:g}"
    return f"{number}%" if unit == "%" else number


def chart_description(result: ReportResult) -> str:
    if not result.bars:
        return _("Nothing to show for these filters.")
    return "; ".join(f"{bar.label}: {_value(bar, result.unit)}" for bar in result.bars)


def report_chart_svg(result: ReportResult, *, chart_id: str = "report-chart") -> SafeString:
    """The chart as an inline <svg> (empty bars are drawn as an axis label with 0)."""
    bars: Sequence[Bar] = result.bars
    height = TOP + max(len(bars), 1) * ROW + BOTTOM
    top_value = max([bar.value for bar in bars] + [1])
    if result.unit == "%":
        top_value = max(top_value, 100)
    span = WIDTH - LABEL - RIGHT
    parts = [f'<line class="axis" x1="{LABEL}" y1="{TOP}" x2="{LABEL}" y2="{height - BOTTOM}"/>']
    for index, bar in enumerate(bars):
        y = TOP + index * ROW + (ROW - BAR) / 2
        width = round(max(bar.value, 0) / top_value * span, 1)
        label = bar.label if len(bar.label) <= MAX_LABEL else bar.label[: MAX_LABEL - 1] + "…"
        middle = round(y + BAR / 2 + 4, 1)
        parts.append(
            f'<text class="bar-label" x="{LABEL - 8}" y="{middle}" text-anchor="end">{escape(label)}</text>'
        )
        parts.append(
            f'<rect class="report-bar" data-key="{escape(bar.key)}" data-value="{bar.value:g}" x="{LABEL}" '
            f'y="{y}" width="{width}" height="{BAR}"><title>{escape(bar.text or bar.label)}</title></rect>'
        )
        parts.append(
            f'<text class="bar-value" x="{round(LABEL + width + 6, 1)}" y="{middle}" text-anchor="start">'
            f"{escape(_value(bar, result.unit))}</text>"
        )
    description = chart_description(result)
    svg = (
        f'<svg class="report-chart" id="{chart_id}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(result.title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text part is escaped above
