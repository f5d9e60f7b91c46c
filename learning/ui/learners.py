"""What a person's learning looks like to a user: the applicant-page panel and the learner page.

`learner_overview` reads, through the learning querysets' visible_to, the person's enrolments (with
waiting-list positions), attendance figures, assessments, current level and hours attended for the
progress chart, in a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from casework.models import Applicant
from learning.models import (
    ATTENDED,
    Assessment,
    Attendance,
    Course,
    Enrollment,
    EnrollmentStatus,
)
from learning.selectors.assessments import AssessedLevel, current_assessed_level
from learning.selectors.attendance import AttendanceFigures, attendance_figures
from learning.selectors.courses import courses_visible
from learning.ui import chart


@dataclass(frozen=True)
class EnrolmentRow:
    enrollment: Enrollment
    figures: AttendanceFigures
    waitlist_position: int | None

    @property
    def course(self) -> Course:
        return self.enrollment.course


@dataclass
class LearnerOverview:
    applicant: Applicant
    level: AssessedLevel | None
    enrolments: list[EnrolmentRow]
    assessments: list[Assessment]
    chart: chart.ProgressChart
    enrollable_courses: list[Course] = field(default_factory=list)

    @property
    def hours_attended(self) -> float:
        return self.chart.steps[-1].hours if self.chart.steps else 0.0


def _waitlist_position() -> Subquery:
    ahead = (
        Enrollment.objects.filter(course_id=OuterRef("course_id"), status=EnrollmentStatus.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("course_id")
        .annotate(ahead=Count("pk"))
        .values("ahead")
    )
    return Subquery(ahead)


def _enrolments(user, applicant: Applicant) -> list[EnrolmentRow]:
    rows = list(
        Enrollment.objects.visible_to(user)
        .filter(applicant_id=applicant.pk)
        .select_related("course")
        .annotate(waitlist_ahead=_waitlist_position())
        .order_by("-course__starts_on", "course__name", "pk")
    )
    figures = attendance_figures(row.pk for row in rows)
    return [
        EnrolmentRow(
            enrollment=row,
            figures=figures.get(row.pk, AttendanceFigures()),
            waitlist_position=(
                (row.waitlist_ahead or 0) + 1  # type: ignore[attr-defined]
                if row.status == EnrollmentStatus.WAITLISTED
                else None
            ),
        )
        for row in rows
    ]


def _minutes_by_day(user, applicant: Applicant) -> list[tuple[date, int]]:
    """Minutes attended per session day (Asia/Tokyo), in the courses whose attendance the user sees."""
    rows = (
        Attendance.objects.visible_to(user)
        .filter(enrollment__applicant_id=applicant.pk, status__in=ATTENDED, session__cancelled=False)
        .annotate(day=TruncDate("session__starts_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(minutes=Sum("session__duration_minutes"))
        .values_list("day", "minutes")
    )
    return sorted((day, minutes or 0) for day, minutes in rows)


def _points(assessments: list[Assessment]) -> list[chart.LevelPoint]:
    return [
        chart.LevelPoint(
            assessment_id=row.pk,
            assessed_on=row.assessed_on,
            cefr=row.cefr_level,
            framework=row.framework,
            framework_label=str(row.get_framework_display()),
            level=row.level,
        )
        for row in assessments
        if row.cefr_level
    ]


def enrollable_courses(user, applicant: Applicant, today: date) -> list[Course]:
    """Current and upcoming courses the user can see that the person is not in (a dropped enrolment
    may be renewed), with their places taken (one query)."""
    taken = Enrollment.objects.filter(applicant_id=applicant.pk).exclude(status=EnrollmentStatus.DROPPED)
    return list(
        courses_visible(user=user)
        .filter(ends_on__gte=today)
        .exclude(pk__in=taken.values("course_id"))
        .order_by("starts_on", "name", "pk")
    )


def learner_overview(*, user, applicant: Applicant, today: date | None = None) -> LearnerOverview:
    """Everything the panel and the learner page show of one person's learning (six queries)."""
    today = today or timezone.localdate()
    enrolments = _enrolments(user, applicant)
    assessments = list(
        Assessment.objects.visible_to(user)
        .filter(applicant_id=applicant.pk)
        .select_related("course", "certificate")
        .order_by("-assessed_on", "-pk")
    )
    level = current_assessed_level(user=user, applicant_id=applicant.pk)
    progress = chart.progress_chart(_points(assessments), _minutes_by_day(user, applicant), today=today)
    return LearnerOverview(
        applicant=applicant, level=level, enrolments=enrolments, assessments=assessments, chart=progress
    )


def applicant_panel_context(*, user, applicant: Applicant, **_objects: Any) -> dict[str, Any] | None:
    """The learning panel on the applicant page, for users who may see (and change) the person's
    learning data: the assigned caseworker, the team's supervisors, administrators. A teammate reading
    a shared case sees no panel (learning data follows the case records, not the shared profile)."""
    if not Applicant.objects.editable_by(user).filter(pk=applicant.pk).exists():
        return None
    today = timezone.localdate()
    overview = learner_overview(user=user, applicant=applicant, today=today)
    overview.enrollable_courses = enrollable_courses(user, applicant, today)
    next_url = reverse("applicant_detail", kwargs={"reference_code": applicant.reference_code})
    try:
        enrol_url = reverse("learning:enrol")
    except NoReverseMatch:  # the enrolment view lives in learning/views/enrolments.py
        enrol_url = ""
    return {
        "learning": overview,
        "learning_next": f"{next_url}?tab=learning#panel-learning",
        "can_record_assessment": True,
        "can_change_assessments": True,  # the same people (editable_by): links per row, no query each
        "enrol_url": enrol_url,
    }
