"""Attendance rate by course: present or late marks out of all marks recorded for sessions in the period.

Starts from learning's Attendance.visible_to(user): a trainer's own courses, a caseworker's own caseload,
a supervisor's led teams, the organisation for administrators. Cancelled sessions do not count. One query.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from learning.models import Attendance
from learning.models.attendance import ATTENDED
from reports.selectors.results import Bar, Figure, ReportResult, percent
from reports.selectors.scope import ReportFilters, person_filtered


def attendance(*, user, filters: ReportFilters) -> ReportResult:
    marks: QuerySet = Attendance.objects.visible_to(user).filter(
        session__starts_at__gte=filters.since, session__starts_at__lt=filters.until, session__cancelled=False
    )
    marks = person_filtered(marks, filters, prefix="enrollment__applicant__")
    if filters.course_id is not None:
        marks = marks.filter(session__course_id=filters.course_id)
    courses = list(
        marks.values("session__course_id", "session__course__name")
        .annotate(total=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED)))
        .order_by("session__course__name", "session__course_id")
    )
    total = sum(course["total"] for course in courses)
    attended = sum(course["attended"] for course in courses)
    figures = [
        Figure("marks", _("Attendance marks recorded"), total),
        Figure("rate", _("Attendance rate, all courses"), percent(attended, total), "%"),
    ]
    bars = [
        Bar(
            str(course["session__course_id"]),
            course["session__course__name"],
            percent(course["attended"], course["total"]) or 0,
            _("%(course)s: %(rate)s%% attended")
            % {
                "course": course["session__course__name"],
                "rate": percent(course["attended"], course["total"]),
            },
        )
        for course in courses
    ]
    return ReportResult(
        key="attendance",
        title=_("Attendance rate by course"),
        unit="%",
        figures=figures,
        bars=bars,
        columns=[_("Course"), _("Marks recorded"), _("Present or late"), _("Attendance rate (%)")],
        rows=[
            [c["session__course__name"], c["total"], c["attended"], percent(c["attended"], c["total"])]
            for c in courses
        ],
    )
