"""Reasons for leaving and employer-reported difficulties, both coded.

Reasons: placements that ended in the period, by their coded reason (jobs' LeavingReason). Difficulties:
the codes named at follow-ups recorded in the period (FollowUpDifficulty), one per follow-up and code.
Two queries.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from jobs.models import FollowUpDifficulty
from jobs.models.placements import Difficulty, LeavingReason
from reports.selectors.results import Bar, Figure, ReportResult
from reports.selectors.retention import placements_in_scope
from reports.selectors.scope import ReportFilters


def leaving(*, user, filters: ReportFilters) -> ReportResult:
    placements = placements_in_scope(user, filters)
    reasons = dict(
        placements.filter(ended_on__gte=filters.start, ended_on__lte=filters.end)
        .order_by()
        .values_list("leaving_reason")
        .annotate(n=Count("pk"))
        .values_list("leaving_reason", "n")
    )
    difficulties = dict(
        FollowUpDifficulty.objects.filter(
            follow_up__placement__in=placements.values("pk"),
            follow_up__recorded_at__gte=filters.since,
            follow_up__recorded_at__lt=filters.until,
        )
        .order_by()
        .values_list("code")
        .annotate(n=Count("pk"))
        .values_list("code", "n")
    )
    reason_label, difficulty_label = _("Reason for leaving"), _("Difficulty")
    rows = []
    bars = []
    labels = dict(LeavingReason.choices)
    for code in [*LeavingReason.values, ""]:
        count = reasons.get(code, 0)
        if count:
            label = str(labels.get(code, _("Not recorded")))
            rows.append([reason_label, label, count])
            bars.append(Bar(f"reason:{code or 'none'}", label, count, f"{reason_label}: {label}: {count}"))
    labels = dict(Difficulty.choices)
    for code in Difficulty.values:
        count = difficulties.get(code, 0)
        if count:
            label = str(labels[code])
            rows.append([difficulty_label, label, count])
            bars.append(
                Bar(
                    f"difficulty:{code}",
                    f"{label} ({difficulty_label.lower()})",
                    count,
                    f"{difficulty_label}: {label}: {count}",
                )
            )
    figures = [
        Figure("left", _("Placements ended"), sum(reasons.values())),
        Figure("difficulties", _("Difficulties named by employers"), sum(difficulties.values())),
    ]
    return ReportResult(
        key="leaving",
        title=_("Reasons for leaving and difficulties"),
        unit=_("count"),
        figures=figures,
        bars=bars,
        columns=[_("Kind"), _("Code"), _("Count")],
        rows=rows,
    )
