"""Retention at 3, 6 and 12 months of the placements that started in the period, as of the period's end.

Reuses jobs.selectors.outcomes.retention (the partner impact page's definition): a placement whose mark
is still ahead is "still within the window", never counted as left; one whose window ended with nothing
recorded is "not confirmed"; the rate is retained ÷ (retained + left). One query.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jobs.models import Placement
from jobs.selectors.outcomes import retention as retention_at_marks
from reports.selectors.results import Bar, Figure, ReportResult
from reports.selectors.scope import ReportFilters, narrower_than_visible, people


def placements_in_scope(user, filters: ReportFilters) -> QuerySet[Placement]:
    """Placements of the people a user reports on, at the chosen employer or industry (not yet by period)."""
    rows = Placement.objects.visible_to(user)
    if narrower_than_visible(user, filters):  # Placement.visible_to is the whole report scope otherwise
        rows = rows.filter(applicant_id__in=people(user, filters).values("pk"))
    if filters.employer_id is not None:
        rows = rows.filter(opening__employer_id=filters.employer_id)
    if filters.industry:
        rows = rows.filter(opening__employer__industry=filters.industry)
    return rows


def retention(*, user, filters: ReportFilters) -> ReportResult:
    started = placements_in_scope(user, filters).filter(
        start_date__gte=filters.start, start_date__lte=filters.end
    )
    marks = retention_at_marks(started, as_of=filters.end)
    rows = []
    figures = []
    bars = []
    for mark in marks:
        rate = round(float(mark.rate) * 100, 1) if mark.rate is not None else None
        label = _("%(months)d months") % {"months": mark.months}
        rows.append([label, mark.retained, mark.left, mark.unconfirmed, mark.within_window, rate])
        figures.append(
            Figure(
                f"rate_{mark.months}", _("Retained at %(months)d months") % {"months": mark.months}, rate, "%"
            )
        )
        bars.append(
            Bar(
                str(mark.months),
                label,
                rate or 0,
                _(
                    "%(label)s: %(rate)s%% retained (%(retained)d of %(known)d known; %(within)d still within the window)"
                )
                % {
                    "label": label,
                    "rate": rate if rate is not None else "—",
                    "retained": mark.retained,
                    "known": mark.known,
                    "within": mark.within_window,
                },
            )
        )
    return ReportResult(
        key="retention",
        title=_("Retention at 3, 6 and 12 months"),
        unit="%",
        figures=figures,
        bars=bars,
        columns=[
            _("Mark"),
            _("Retained"),
            _("Left"),
            _("Not confirmed"),
            _("Still within the window"),
            _("Retained (%)"),
        ],
        rows=rows,
        note=_("Placements started in the period, as of its last day; the rate is over the outcomes known."),
    )
