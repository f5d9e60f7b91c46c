"""Time from intake to first placement: median and quartiles in days, computed by the database.

Counts the people whose first placement (at the chosen employer or industry, when filtered) started in
the period; the time is that start date minus the intake date. One query whatever the data.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import DurationField, ExpressionWrapper, F, OuterRef, Subquery
from django.utils.translation import gettext as _

from jobs.models import Placement
from reports.selectors.quantiles import quartiles
from reports.selectors.results import Bar, Figure, ReportResult
from reports.selectors.scope import ReportFilters, people


def _days(value) -> float:
    if isinstance(value, timedelta):
        return value.days + value.seconds / 86400
    return float(value) / 86_400_000_000  # microseconds (a backend returning the raw difference)


def placement_time(*, user, filters: ReportFilters) -> ReportResult:
    placements = Placement.objects.filter(applicant_id=OuterRef("pk"))
    if filters.employer_id is not None:
        placements = placements.filter(opening__employer_id=filters.employer_id)
    if filters.industry:
        placements = placements.filter(opening__employer__industry=filters.industry)
    first = Subquery(placements.order_by("start_date", "pk").values("start_date")[:1])
    placed = (
        people(user, filters)
        .annotate(first_start=first)
        .filter(first_start__gte=filters.start, first_start__lte=filters.end)
    )
    days = ExpressionWrapper(F("first_start") - F("intake_date"), output_field=DurationField())
    found = quartiles(placed, days, as_number=_days).get(None)
    labels = [("q1", _("First quartile")), ("median", _("Median")), ("q3", _("Third quartile"))]
    values = {key: (round(getattr(found, key), 1) if found else None) for key, _label in labels}
    figures = [
        Figure("people", _("People placed for the first time"), found.count if found else 0, _("people"))
    ]
    figures += [Figure(key, label, values[key], _("days")) for key, label in labels]
    bars = [
        Bar(
            key,
            label,
            values[key] or 0,
            _("%(label)s: %(days)s days") % {"label": label, "days": values[key]},
        )
        for key, label in labels
        if found
    ]
    return ReportResult(
        key="placement_time",
        title=_("Time from intake to first placement"),
        unit=_("days"),
        figures=figures,
        bars=bars,
        columns=[_("Figure"), _("Days")],
        rows=[[label, values[key]] for key, label in labels],
        note=_(
            "Quartiles interpolated between the two nearest values; half the people took less than the median."
        ),
    )
