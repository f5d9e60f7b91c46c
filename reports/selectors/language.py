"""Language progress: median CEFR steps per 100 attended hours, by course.

Per enrolment in the scope (learning's Enrollment.visible_to: a trainer's courses, a caseworker's
caseload, a supervisor's teams, the organisation): the CEFR steps between the person's first and last
assessments with a CEFR level in the period (A1 → B1 is 2 steps; learning.rules' CEFR table), per 100
hours attended in that course in the period (present or late, by session length). Enrolments with fewer
than two such assessments or no hours attended are not counted. Quartiles per course by the database;
two queries.
"""

from __future__ import annotations

from django.db.models import Case, F, FloatField, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from learning.models import Assessment, Attendance, Course, Enrollment
from learning.models.attendance import ATTENDED
from learning.rules import CEFR_LEVELS, cefr_rank
from reports.selectors.quantiles import quartiles
from reports.selectors.results import Bar, Figure, ReportResult
from reports.selectors.scope import ReportFilters, person_filtered


def _rank() -> Case:
    return Case(
        *[When(cefr_level=level, then=Value(cefr_rank(level))) for level in CEFR_LEVELS],
        default=Value(0),
        output_field=IntegerField(),
    )


def language(*, user, filters: ReportFilters) -> ReportResult:
    assessed = Assessment.objects.filter(
        applicant_id=OuterRef("applicant_id"),
        cefr_level__in=CEFR_LEVELS,
        assessed_on__gte=filters.start,
        assessed_on__lte=filters.end,
    ).annotate(rank=_rank())
    minutes = (
        Attendance.objects.filter(
            enrollment_id=OuterRef("pk"),
            status__in=ATTENDED,
            session__cancelled=False,
            session__starts_at__gte=filters.since,
            session__starts_at__lt=filters.until,
        )
        .order_by()
        .values("enrollment_id")
        .annotate(total=Sum("session__duration_minutes"))
        .values("total")
    )
    enrolments: QuerySet = Enrollment.objects.visible_to(user)
    enrolments = person_filtered(enrolments, filters, prefix="applicant__")
    if filters.course_id is not None:
        enrolments = enrolments.filter(course_id=filters.course_id)
    measured = (
        enrolments.annotate(
            minutes=Subquery(minutes, output_field=IntegerField()),
            first_id=Subquery(assessed.order_by("assessed_on", "pk").values("pk")[:1]),
            last_id=Subquery(assessed.order_by("-assessed_on", "-pk").values("pk")[:1]),
            first_rank=Subquery(assessed.order_by("assessed_on", "pk").values("rank")[:1]),
            last_rank=Subquery(assessed.order_by("-assessed_on", "-pk").values("rank")[:1]),
        )
        .filter(minutes__gt=0, first_id__isnull=False)
        .exclude(first_id=F("last_id"))
    )
    steps = (
        Cast(F("last_rank") - F("first_rank"), FloatField())
        * Value(6000.0)
        / Cast(F("minutes"), FloatField())
    )
    by_course = quartiles(measured, steps, group="course_id")
    names = dict(Course.objects.filter(pk__in=list(by_course)).values_list("pk", "name"))
    ordered = sorted(by_course.items(), key=lambda item: (names.get(item[0], ""), item[0]))
    rows = [
        [
            names.get(course_id, ""),
            found.count,
            round(found.q1, 2),
            round(found.median, 2),
            round(found.q3, 2),
        ]
        for course_id, found in ordered
    ]
    bars = [
        Bar(
            str(course_id),
            names.get(course_id, ""),
            round(found.median, 2),
            _("%(course)s: median %(median)s CEFR steps per 100 hours (%(count)d learners)")
            % {"course": names.get(course_id, ""), "median": round(found.median, 2), "count": found.count},
        )
        for course_id, found in ordered
    ]
    figures = [
        Figure(
            "learners",
            _("Learners with a measured progress"),
            sum(found.count for found in by_course.values()),
        ),
        Figure("courses", _("Courses"), len(by_course)),
    ]
    return ReportResult(
        key="language",
        title=_("Language progress by course"),
        unit=_("CEFR steps per 100 hours"),
        figures=figures,
        bars=bars,
        columns=[_("Course"), _("Learners"), _("First quartile"), _("Median"), _("Third quartile")],
        rows=rows,
        note=_("CEFR steps between the first and last assessments of the period, per 100 hours attended."),
    )
