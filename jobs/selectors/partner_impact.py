"""The partner impact page's figures, for the portal and the partner API alike: one employer's placements,
retention at 3 / 6 / 12 months against the programme's (every employer of the organisation, as an
aggregate only) and the time to fill its openings. Aggregates only: no person's data, no other
employer's figure; each figure with fewer than MIN_PLACEMENTS_SHOWN placements behind it is hidden
(None), so neither door can show it, and the programme's figure also when the other employers' part of it
is that small or is one employer's (it could be had by subtraction). A fixed number of queries whatever the data.

What stands behind each figure: the placements count and the by-month chart, the employer's
placements; a retention rate, the placements whose outcome at the mark is known (retained + left, see
jobs.selectors.outcomes); the time to fill, the filled openings (each through its first hire).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from casework.rules import add_months
from jobs.models import Placement
from jobs.rules import MIN_PLACEMENTS_SHOWN, RETENTION_MONTHS, figure_shown, programme_shown
from jobs.selectors.outcomes import (
    MonthCount,
    Quartiles,
    Retention,
    placements_by_month,
    retention,
    time_to_fill,
)
from jobs.selectors.partner import PartnerAccess, partner_openings, partner_placements

CHART_MONTHS = 12  # the by-month chart: this month and the eleven before


@dataclass(frozen=True)
class RetentionComparison:
    months: int
    employer: Retention | None  # None: hidden (fewer than MIN_PLACEMENTS_SHOWN behind it)
    programme: Retention | None


@dataclass(frozen=True)
class Impact:
    as_of: date
    placements: int | None  # the employer's placements, all time (None: hidden)
    by_month: list[MonthCount] | None  # the last CHART_MONTHS months (None: hidden)
    retention: list[RetentionComparison]
    time_to_fill: Quartiles | None
    minimum: int = MIN_PLACEMENTS_SHOWN


def last_months(as_of: date, count: int = CHART_MONTHS) -> list[date]:
    """The first days of the `count` months up to and including as_of's, oldest first."""
    this_month = date(as_of.year, as_of.month, 1)
    return [add_months(this_month, -back) for back in range(count - 1, -1, -1)]


def _shown(figure: Retention) -> Retention | None:
    return figure if figure_shown(figure.known) else None


def partner_impact(user, *, access: PartnerAccess | None = None, as_of: date | None = None) -> Impact | None:
    """The impact figures of the user's employer (None: no portal access). `access`: the request's
    partner_access(user), when the caller has it (saves looking the membership up again)."""
    placements = partner_placements(user, access=access)
    if placements.query.is_empty():
        return None
    as_of = as_of or timezone.localdate()
    total = placements.count()
    by_month = placements_by_month(placements, months=last_months(as_of)) if figure_shown(total) else None
    ours = retention(placements, as_of=as_of, months=RETENTION_MONTHS)
    # The programme: every employer of the organisation (the user's: a membership never crosses it).
    everyone = Placement.objects.filter(opening__employer__organisation_id=user.organisation_id)
    theirs = retention(everyone, as_of=as_of, months=RETENTION_MONTHS)
    # The programme's figure less the employer's own is the other employers' together: shown only when
    # that part has MIN_PLACEMENTS_SHOWN placements behind it and comes from two employers or more, so
    # no subtraction gives one other employer's figure (complementary suppression).
    others = everyone.exclude(pk__in=placements.values("pk"))
    other_employers = others.values("opening__employer").distinct().count()
    fill = time_to_fill(partner_openings(user, access=access))
    return Impact(
        as_of=as_of,
        placements=total if figure_shown(total) else None,
        by_month=by_month,
        retention=[
            RetentionComparison(
                mine.months,
                _shown(mine),
                all_of_them if programme_shown(all_of_them.known - mine.known, other_employers) else None,
            )
            for mine, all_of_them in zip(ours, theirs, strict=True)
        ],
        time_to_fill=fill if figure_shown(fill.count) else None,
    )
