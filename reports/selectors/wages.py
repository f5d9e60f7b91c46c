"""Wage and hours at placement against the prefecture's minimum wage on the start date.

For the placements that started in the period: the base wage as yen an hour (jobs.rules.hourly_equivalent,
in SQL: a daily wage ÷ daily hours, a monthly wage ÷ (weekly hours × 52 ÷ 12)), the minimum wage of the
workplace's prefecture in force on the start date (jobs.MinimumWage), their ratio, and the hours a week;
quartiles by the database. Three queries.
"""

from __future__ import annotations

from django.db.models import Case, Count, F, FloatField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from jobs.models import MinimumWage
from jobs.rules import DAILY, MONTHLY, MONTHS_A_YEAR, WEEKS_A_YEAR
from reports.rules import WAGE_BANDS
from reports.selectors.quantiles import quartiles_of_each
from reports.selectors.results import Bar, Figure, ReportResult
from reports.selectors.retention import placements_in_scope
from reports.selectors.scope import ReportFilters


def _float(name: str):
    return Cast(F(name), FloatField())


def hourly_wage():
    return Case(
        When(wage_unit=DAILY, then=_float("wage") / _float("daily_hours")),
        When(
            wage_unit=MONTHLY,
            then=_float("wage")
            * Value(float(MONTHS_A_YEAR))
            / (_float("hours_per_week") * Value(float(WEEKS_A_YEAR))),
        ),
        default=_float("wage"),
        output_field=FloatField(),
    )


def minimum_wage_on_start() -> Subquery:
    """The minimum wage of the workplace's prefecture in force on the start date (the newest rate from on or
    before it). Aggregates over it run on the inner query's column (Django wraps a query whose aggregates
    refer to a subquery), so it is looked up once per placement."""
    return Subquery(
        MinimumWage.objects.filter(
            prefecture=OuterRef("opening__prefecture"), effective_from__lte=OuterRef("start_date")
        )
        .order_by("-effective_from")
        .values("yen_per_hour")[:1],
        output_field=FloatField(),
    )


def wages(*, user, filters: ReportFilters) -> ReportResult:
    minimum = minimum_wage_on_start()
    rows = (
        placements_in_scope(user, filters)
        .filter(start_date__gte=filters.start, start_date__lte=filters.end)
        .annotate(hourly=hourly_wage(), minimum=minimum)
        .annotate(ratio=F("hourly") / F("minimum"))
    )
    band_counts = rows.aggregate(
        placements=Count("pk"),
        no_minimum=Count("pk", filter=Q(minimum__isnull=True)),
        **{
            key: Count(
                "pk",
                filter=(Q(ratio__gte=low) if low is not None else Q())
                & (Q(ratio__lt=high) if high is not None else Q())
                & Q(minimum__isnull=False),
            )
            for key, low, high in WAGE_BANDS
        },
    )
    # One scan for the three figures; the share of the minimum wage only where a minimum wage is known.
    found = quartiles_of_each(rows, {"wage": F("hourly"), "hours": _float("hours_per_week")})
    wage, hours = found["wage"], found["hours"]
    ratio = quartiles_of_each(rows.filter(minimum__isnull=False), {"ratio": F("ratio") * Value(100.0)})[
        "ratio"
    ]

    def three(found):
        return [round(getattr(found, name), 1) if found else None for name in ("q1", "median", "q3")]

    band_labels = {
        "below": _("Below the minimum wage"),
        "to110": _("Up to 10% above it"),
        "to125": _("10% to 25% above it"),
        # xgettext:no-python-format
        "over125": _("25% or more above it"),
    }
    bars = [
        Bar(key, str(band_labels[key]), band_counts[key], f"{band_labels[key]}: {band_counts[key]}")
        for key, _low, _high in WAGE_BANDS
    ]
    figures = [
        Figure("placements", _("Placements started"), band_counts["placements"]),
        Figure("below_minimum", _("Below the minimum wage"), band_counts["below"]),
        Figure("median_hourly", _("Median wage an hour (yen)"), three(wage)[1]),
        Figure("median_ratio", _("Median wage as a share of the minimum wage"), three(ratio)[1], "%"),
        Figure("median_hours", _("Median hours a week"), three(hours)[1]),
    ]
    return ReportResult(
        key="wages",
        title=_("Wage and hours at placement"),
        unit=_("placements"),
        figures=figures,
        bars=bars,
        columns=[_("Figure"), _("First quartile"), _("Median"), _("Third quartile")],
        rows=[
            [_("Wage an hour (yen)"), *three(wage)],
            [_("Share of the minimum wage (%)"), *three(ratio)],
            [_("Hours a week"), *three(hours)],
        ],
        note=_(
            "Base wage only, as yen an hour; the minimum wage of the workplace's prefecture on the start date."
        ),
    )
