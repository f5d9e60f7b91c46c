"""Learning selectors: every read of courses, attendance and language levels starts here, for a user.

`current_assessed_level` / `assessed_levels` are what jobs uses for a person's Japanese level
(DESIGN.md: jobs → learning through learning.selectors).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber

from learning.models import (
    ATTENDED,
    Assessment,
    AssessmentFramework,
    Attendance,
    AttendanceStatus,
    Course,
    Enrollment,
    EnrollmentStatus,
)
from learning.rules import Framework


@dataclass(frozen=True)
class AssessedLevel:
    """A person's current assessed level: the CEFR level, and where it comes from (source and date)."""

    cefr: str
    framework: str
    level: str
    assessed_on: date
    assessment_id: int

    @property
    def source(self) -> str:
        return str(AssessmentFramework(self.framework).label)

    @property
    def is_official(self) -> bool:
        return self.framework in Framework.OFFICIAL

    def __str__(self) -> str:
        shown = (
            f"{self.source} {self.level}".strip() if self.level and self.level != self.cefr else self.source
        )
        return f"{self.cefr} ({shown}, {self.assessed_on.isoformat()})"


def _precedence() -> Case:
    return Case(
        *[When(framework=name, then=Value(rank)) for name, rank in Framework.PRECEDENCE.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


# Most recent first; on the same date an official test, then a placement test, then a trainer's
# judgement; then the one recorded last.
LEVEL_ORDER = (F("assessed_on").desc(), F("precedence").desc(), F("pk").desc())


def _to_level(row: dict) -> AssessedLevel:
    return AssessedLevel(
        cefr=row["cefr_level"],
        framework=row["framework"],
        level=row["level"],
        assessed_on=row["assessed_on"],
        assessment_id=row["pk"],
    )


_LEVEL_FIELDS = ("pk", "applicant_id", "framework", "level", "cefr_level", "assessed_on")


def current_assessed_level(*, user, applicant_id: int) -> AssessedLevel | None:
    """The person's current assessed level, or None when no result has a CEFR level (one query)."""
    row = (
        Assessment.objects.visible_to(user)
        .filter(applicant_id=applicant_id)
        .exclude(cefr_level="")
        .annotate(precedence=_precedence())
        .order_by(*LEVEL_ORDER)
        .values(*_LEVEL_FIELDS)
        .first()
    )
    return _to_level(row) if row else None


def assessed_levels(*, user, applicant_ids: Iterable[int]) -> dict[int, AssessedLevel]:
    """Current assessed levels of many people in one query (for lists: matching, candidates)."""
    ids = list(applicant_ids)
    if not ids:
        return {}
    rows = (
        Assessment.objects.visible_to(user)
        .filter(applicant_id__in=ids)
        .exclude(cefr_level="")
        .annotate(precedence=_precedence())
        .annotate(rank=Window(RowNumber(), partition_by=[F("applicant_id")], order_by=list(LEVEL_ORDER)))
        .filter(rank=1)
        .values(*_LEVEL_FIELDS)
    )
    return {row["applicant_id"]: _to_level(row) for row in rows}


# --- Courses and attendance figures ------------------------------------------------------------------


def courses_visible(*, user, filters: dict | None = None) -> QuerySet[Course]:
    """Courses the user may read, with their places taken and waiting list counted (one query)."""
    rows = Course.objects.visible_to(user).annotate(
        enrolled_count=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED)),
        waitlisted_count=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)),
    )
    if filters:
        rows = rows.filter(**filters)
    return rows.order_by("-starts_on", "name", "pk")  # an aggregate drops Meta.ordering


@dataclass(frozen=True)
class AttendanceFigures:
    """Marks of one enrolment: attended = present + late; the rate leaves excused absences out."""

    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0
    minutes_attended: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def counted(self) -> int:
        return self.present + self.late + self.absent

    @property
    def rate(self) -> float | None:
        """Share of counted sessions attended (0–1), None before any is counted."""
        return self.attended / self.counted if self.counted else None

    @property
    def rate_percent(self) -> int | None:
        return round(self.rate * 100) if self.rate is not None else None

    @property
    def hours_attended(self) -> float:
        return round(self.minutes_attended / 60, 1)


def attendance_figures(enrollment_ids: Iterable[int]) -> dict[int, AttendanceFigures]:
    """Figures for many enrolments in one query. Callers pass ids they read through visible_to."""
    ids = list(enrollment_ids)
    if not ids:
        return {}
    counts = {
        status: Count("pk", filter=Q(status=status))
        for status in (
            AttendanceStatus.PRESENT,
            AttendanceStatus.LATE,
            AttendanceStatus.EXCUSED,
            AttendanceStatus.ABSENT,
        )
    }
    rows = (
        Attendance.objects.filter(enrollment_id__in=ids, session__cancelled=False)
        .values("enrollment_id")
        .annotate(
            **{str(status): count for status, count in counts.items()},
            minutes=Sum("session__duration_minutes", filter=Q(status__in=ATTENDED)),
        )
        .order_by()
    )
    return {
        row["enrollment_id"]: AttendanceFigures(
            present=row["present"],
            late=row["late"],
            excused=row["excused"],
            absent=row["absent"],
            minutes_attended=row["minutes"] or 0,
        )
        for row in rows
    }


def enrollments_visible(*, user) -> QuerySet[Enrollment]:
    return Enrollment.objects.visible_to(user).select_related("course", "applicant")
