"""The legal status timeline of one person, drawn as server-side SVG from prefetched periods.

One bar per period (class "period-bar", data-period-id), the special period after a filed renewal
as a lighter extension, the renewal window shaded, days without any lawful stay between periods (and
since the last one) in red (class "gap"), today as a line, and a year/month axis. Colours live in
tobira.css; the SVG carries only geometry and classes (the CSP forbids inline styles).
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

from casework import rules
from casework.models import LegalStatusPeriod

WIDTH = 800
LEFT, RIGHT = 8, 8
BAR_Y, BAR_HEIGHT = 26, 26
AXIS_Y = 64
# Month names on the first row under the axis, years on a row of their own: they never collide ("2026ep").
MONTH_ROW_Y, YEAR_ROW_Y = AXIS_Y + 18, AXIS_Y + 33
HEIGHT = 104
OPEN_END_DAYS = 180  # how far an indefinite period is drawn past today


@dataclass(frozen=True)
class Gap:
    first_day: date
    last_day: date | None  # None: still no status today

    @property
    def days(self) -> int | None:
        return (self.last_day - self.first_day).days + 1 if self.last_day else None


def _text(day: date | None) -> str:
    return formats.date_format(day, "Y-m-d") if day else "…"


def lawful_end(period: LegalStatusPeriod) -> date | None:
    """The last lawful day the period gives: its end, or later within the special period."""
    return period.lawful_stay_until or period.end_date


def gaps_between(periods: Sequence[LegalStatusPeriod], today: date) -> list[Gap]:
    """Days covered by no period (nor a special period) between consecutive periods, and since the last."""
    ordered = sorted(periods, key=lambda p: p.start_date)
    gaps: list[Gap] = []
    covered_until: date | None = None
    open_ended = False
    for period in ordered:
        if covered_until is not None and period.start_date > covered_until + timedelta(days=1):
            gaps.append(Gap(covered_until + timedelta(days=1), period.start_date - timedelta(days=1)))
        end = lawful_end(period)
        if end is None:
            open_ended = True
        elif covered_until is None or end > covered_until:
            covered_until = end
    if ordered and not open_ended and covered_until is not None and covered_until < today:
        gaps.append(Gap(covered_until + timedelta(days=1), None))
    return gaps


class _Scale:
    def __init__(self, first: date, last: date) -> None:
        self.first, self.last = first, last
        self.days = max((last - first).days, 1)

    def x(self, day: date) -> float:
        return round(LEFT + (day - self.first).days / self.days * (WIDTH - LEFT - RIGHT), 1)


def _month_starts(first: date, last: date) -> list[date]:
    day = date(first.year, first.month, 1)
    if day < first:
        day = rules.add_months(day, 1)
    months = []
    while day <= last:
        months.append(day)
        day = rules.add_months(day, 1)
    return months


def _axis(scale: _Scale) -> list[str]:
    parts = [
        f'<line class="axis" x1="{LEFT}" y1="{AXIS_Y}" x2="{WIDTH - RIGHT}" y2="{AXIS_Y}"/>',
    ]
    months = _month_starts(scale.first, scale.last)
    label_months = scale.days <= 550
    show_month_ticks = scale.days <= 5 * 366
    years = [m for m in months if m.month == 1]
    year_step = max(1, len(years) // 12)
    for month in months:
        x = scale.x(month)
        if month.month == 1:
            parts.append(f'<line class="tick tick-year" x1="{x}" y1="{AXIS_Y}" x2="{x}" y2="{AXIS_Y + 8}"/>')
            if (month.year - years[0].year) % year_step == 0:
                parts.append(
                    f'<text class="tick-label tick-label-year" x="{x}" y="{YEAR_ROW_Y}">{month.year}</text>'
                )
        elif show_month_ticks:
            parts.append(f'<line class="tick" x1="{x}" y1="{AXIS_Y}" x2="{x}" y2="{AXIS_Y + 4}"/>')
            if label_months:
                label = escape(formats.date_format(month, "M"))
                parts.append(f'<text class="tick-label" x="{x}" y="{MONTH_ROW_Y}">{label}</text>')
    if not years:
        # Within one calendar year: name the year once at the left.
        parts.append(
            f'<text class="tick-label tick-label-year" x="{LEFT}" y="{YEAR_ROW_Y}" '
            f'text-anchor="start">{scale.first.year}</text>'
        )
    return parts


def timeline_svg(periods: Sequence[LegalStatusPeriod], *, today: date) -> SafeString:
    """The timeline as an inline <svg>, or an empty string when there is no period."""
    ordered = sorted(periods, key=lambda p: p.start_date)
    if not ordered:
        return mark_safe("")  # noqa: S308
    ends = [lawful_end(p) for p in ordered]
    first = min(ordered[0].start_date, today)
    last = max([today, *(end for end in ends if end is not None)])
    if any(end is None for end in ends):
        last = max(last, today + timedelta(days=OPEN_END_DAYS))
    pad = max(15, ((last - first).days) // 25)
    scale = _Scale(first - timedelta(days=pad), last + timedelta(days=pad))
    gaps = gaps_between(ordered, today)

    parts: list[str] = [
        "<defs>"
        '<pattern id="renewal-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect class="hatch-back" width="6" height="6"/>'
        '<line class="hatch-line" x1="0" y1="0" x2="0" y2="6"/></pattern>'
        "</defs>"
    ]
    title = _("Legal status timeline")
    summary = ngettext(
        "%(count)d status period from %(first)s to %(last)s",
        "%(count)d status periods from %(first)s to %(last)s",
        len(ordered),
    ) % {
        "count": len(ordered),
        "first": _text(ordered[0].start_date),
        "last": _text(max((e for e in ends if e), default=None)) if all(ends) else _("no end"),
    }
    if gaps:
        summary += "; " + ngettext(
            "%(count)d gap without status", "%(count)d gaps without status", len(gaps)
        ) % {"count": len(gaps)}
    summary += "; " + _("today is %(today)s") % {"today": _text(today)}
    parts.append(f"<title>{escape(title)}: {escape(summary)}</title>")

    for period in ordered:
        x1 = scale.x(period.start_date)
        end = period.end_date or scale.last
        x2 = max(scale.x(end + timedelta(days=1)), x1 + 2)
        classes = ["period-bar", f"kind-{period.status_kind}"]
        if period.grants_work:
            classes.append("grants-work")
        if period.end_date is None:
            classes.append("open-ended")
        label = _("%(kind)s: %(start)s to %(end)s") % {
            "kind": period.kind_label,
            "start": _text(period.start_date),
            "end": _text(period.end_date) if period.end_date else _("indefinite"),
        }
        parts.append(
            f'<rect class="{" ".join(classes)}" data-period-id="{period.pk}" x="{x1}" y="{BAR_Y}" '
            f'width="{round(x2 - x1, 1)}" height="{BAR_HEIGHT}" rx="3"><title>{escape(label)}</title></rect>'
        )
        until = period.lawful_stay_until
        if period.end_date and until and until > period.end_date:
            sx1, sx2 = scale.x(period.end_date + timedelta(days=1)), scale.x(until + timedelta(days=1))
            text = _("Renewal filed: lawfully staying until %(until)s at the latest") % {
                "until": _text(until)
            }
            parts.append(
                f'<rect class="special-period" x="{sx1}" y="{BAR_Y + 4}" width="{round(sx2 - sx1, 1)}" '
                f'height="{BAR_HEIGHT - 8}"><title>{escape(text)}</title></rect>'
            )
        opens = period.renewal_window_opens
        if period.end_date and opens and period.end_date >= today and opens <= period.end_date:
            wx1, wx2 = scale.x(opens), scale.x(period.end_date + timedelta(days=1))
            text = _("Renewal window: from %(opens)s to %(end)s") % {
                "opens": _text(opens),
                "end": _text(period.end_date),
            }
            parts.append(
                f'<rect class="renewal-window" x="{wx1}" y="{BAR_Y - 6}" width="{round(wx2 - wx1, 1)}" '
                f'height="5"><title>{escape(text)}</title></rect>'
            )

    for gap in gaps:
        gx1 = scale.x(gap.first_day)
        gx2 = scale.x((gap.last_day or today) + timedelta(days=1))
        if gap.last_day is None:
            text = _("No status since %(first)s") % {"first": _text(gap.first_day)}
        else:
            text = ngettext(
                "Gap without status: %(first)s to %(last)s (%(days)d day)",
                "Gap without status: %(first)s to %(last)s (%(days)d days)",
                gap.days or 0,
            ) % {"first": _text(gap.first_day), "last": _text(gap.last_day), "days": gap.days}
        parts.append(
            f'<rect class="gap" x="{gx1}" y="{BAR_Y}" width="{max(round(gx2 - gx1, 1), 2)}" '
            f'height="{BAR_HEIGHT}"><title>{escape(text)}</title></rect>'
        )

    tx = scale.x(today)
    today_text = _("Today")
    parts.append(
        f'<line class="today" x1="{tx}" y1="{BAR_Y - 14}" x2="{tx}" y2="{AXIS_Y}">'
        f"<title>{escape(today_text)}: {escape(_text(today))}</title></line>"
    )
    parts.append(f'<text class="today-label" x="{tx}" y="{BAR_Y - 16}">{escape(today_text)}</text>')
    parts.extend(_axis(scale))

    aria = f"{title}: {summary}"
    svg = (
        f'<svg class="timeline" role="img" aria-label="{escape(aria)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped
