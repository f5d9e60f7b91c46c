"""The reports: their keys, titles, which filters apply, who may read them, and the function computing each.

Casework staff (administrators, supervisors, caseworkers) read every report over their scope; trainers
read attendance and language progress over their own courses only (DESIGN.md, "reports, exports");
employer users read none (the partner impact page is theirs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.roles import Role
from reports.selectors.attendance import attendance
from reports.selectors.deadlines import deadlines
from reports.selectors.funnel import funnel
from reports.selectors.language import language
from reports.selectors.leaving import leaving
from reports.selectors.placement_time import placement_time
from reports.selectors.results import ReportResult
from reports.selectors.retention import retention
from reports.selectors.scope import ReportFilters, may_report_on_people
from reports.selectors.wages import wages

PERSON_FILTERS = ("team", "nationality", "prefecture")


@dataclass(frozen=True)
class ReportSpec:
    key: str
    title: str | Promise
    description: str | Promise
    filters: tuple[str, ...]  # besides the period
    compute: Callable[..., ReportResult]
    for_trainers: bool = False

    def readable_by(self, user) -> bool:
        if may_report_on_people(user):
            return True
        return self.for_trainers and user.has_role(Role.TRAINER)

    def run(self, *, user, filters: ReportFilters) -> ReportResult:
        return self.compute(user=user, filters=filters)


REPORTS: dict[str, ReportSpec] = {
    spec.key: spec
    for spec in (
        ReportSpec(
            "funnel",
            _("Intake to placement"),
            _("People reaching intake, job-ready, a first referral and placement in the period."),
            PERSON_FILTERS,
            funnel,
        ),
        ReportSpec(
            "placement_time",
            _("Time from intake to first placement"),
            _("Median and quartiles of the days from intake to a first placement started in the period."),
            (*PERSON_FILTERS, "employer", "industry"),
            placement_time,
        ),
        ReportSpec(
            "retention",
            _("Retention at 3, 6 and 12 months"),
            _(
                "Placements started in the period: still working at 3, 6 and 12 months, left, or still within the window."
            ),
            (*PERSON_FILTERS, "employer", "industry"),
            retention,
        ),
        ReportSpec(
            "leaving",
            _("Reasons for leaving and difficulties"),
            _(
                "Coded reasons of the placements that ended in the period, and difficulties employers named at follow-ups."
            ),
            (*PERSON_FILTERS, "employer", "industry"),
            leaving,
        ),
        ReportSpec(
            "wages",
            _("Wage and hours at placement"),
            _(
                "Wages an hour and hours a week of the placements started in the period, against the minimum wage."
            ),
            (*PERSON_FILTERS, "employer", "industry"),
            wages,
        ),
        ReportSpec(
            "language",
            _("Language progress by course"),
            _("Median CEFR steps per 100 attended hours, by course."),
            (*PERSON_FILTERS, "course"),
            language,
            for_trainers=True,
        ),
        ReportSpec(
            "attendance",
            _("Attendance rate by course"),
            _("Present or late marks out of all marks recorded for the sessions of the period."),
            (*PERSON_FILTERS, "course"),
            attendance,
            for_trainers=True,
        ),
        ReportSpec(
            "deadlines",
            _("Deadlines met and missed, reminders"),
            _(
                "Status periods that ended in the period with or without a renewal, and reminders acknowledged."
            ),
            PERSON_FILTERS,
            deadlines,
        ),
    )
}


def reports_for(user) -> list[ReportSpec]:
    """The reports this user may read, in the catalogue's order."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [spec for spec in REPORTS.values() if spec.readable_by(user)]
