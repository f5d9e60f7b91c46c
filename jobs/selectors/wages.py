"""The minimum-wage table as the rules read it: rows of a prefecture, passed to jobs.rules."""

from __future__ import annotations

from jobs.models import MinimumWage
from jobs.rules import WageRate


def rates_for(prefecture: str) -> list[WageRate]:
    """Every dated row of one prefecture (one query; a few rows a year)."""
    return [
        WageRate(prefecture, yen, since, approximate)
        for yen, since, approximate in MinimumWage.objects.filter(prefecture=prefecture)
        .order_by("effective_from")
        .values_list("yen_per_hour", "effective_from", "approximate")
    ]


def all_rates() -> list[WageRate]:
    """The whole table (47 prefectures × a few years): for checking many placements at once."""
    return [
        WageRate(prefecture, yen, since, approximate)
        for prefecture, yen, since, approximate in MinimumWage.objects.order_by(
            "prefecture", "effective_from"
        ).values_list("prefecture", "yen_per_hour", "effective_from", "approximate")
    ]
