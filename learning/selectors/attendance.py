"""Reads of attendance: rates and hours per enrolment, the session sheet and the course's matrix.

Each function runs a fixed number of queries whatever the number of learners or sessions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Count,
    Q,
    Sum,
)

from casework.models import User
from learning.models import (
    ATTENDED,
    MARKABLE,
    Attendance,
    AttendanceStatus,
    Enrollment,
    Session,
)
from learning.selectors.courses import learner_order


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


@dataclass
class SheetRow:
    """One learner on a session's attendance screen, with the mark saved so far (None: not yet)."""

    enrollment: Enrollment
    status: str | None = None
    chosen: str | None = None  # a mark sent but not saved (the plain form had an error)

    @property
    def checked(self) -> str | None:
        return self.chosen or self.status

    @property
    def status_label(self) -> str:
        return str(AttendanceStatus(self.status).label) if self.status in AttendanceStatus.values else ""


def session_for_sheet(*, user: User, pk: int) -> Session | None:
    return Session.objects.visible_to(user).select_related("course").filter(pk=pk).first()


def attendance_sheet(*, user: User, session: Session, enrollment_id: int | None = None) -> list[SheetRow]:
    """Every enrolled (or completed) learner of the session's course the user may see, in name order,
    with their mark for this session: two queries for 5 or 500 learners."""
    enrollments = (
        Enrollment.objects.visible_to(user)
        .filter(course_id=session.course_id, status__in=MARKABLE)
        .select_related("applicant")
        .order_by(*learner_order())
    )
    marks = Attendance.objects.visible_to(user).filter(session_id=session.pk)
    if enrollment_id is not None:
        enrollments = enrollments.filter(pk=enrollment_id)
        marks = marks.filter(enrollment_id=enrollment_id)
    rows = list(enrollments)
    if not rows:
        return []
    saved = dict(marks.values_list("enrollment_id", "status"))
    return [SheetRow(enrollment=row, status=saved.get(row.pk)) for row in rows]


@dataclass
class MatrixRow:
    enrollment: Enrollment
    cells: list[str | None]  # per session, in the order of Matrix.sessions
    figures: AttendanceFigures


@dataclass
class SessionCount:
    session: Session
    counts: dict[str, int]

    @property
    def attended(self) -> int:
        return self.counts.get(AttendanceStatus.PRESENT, 0) + self.counts.get(AttendanceStatus.LATE, 0)

    @property
    def marked(self) -> int:
        return sum(self.counts.values())


@dataclass
class Matrix:
    sessions: list[Session]
    rows: list[MatrixRow]
    totals: list[SessionCount]


def attendance_matrix(*, user: User, sessions: list[Session], learners: list[Enrollment]) -> Matrix:
    """Learners × sessions with each mark, per-learner rate and hours, per-session counts.

    `sessions` and `learners` come from the page (read through visible_to); two queries in all.
    """
    ids = [row.pk for row in learners]
    session_ids = [session.pk for session in sessions]
    marks: dict[tuple[int, int], str] = {}
    if ids and session_ids:
        course_ids = {session.course_id for session in sessions}
        for enrollment_id, session_id, status in (
            Attendance.objects.visible_to(user)
            .filter(session__course_id__in=course_ids)
            .values_list("enrollment_id", "session_id", "status")
        ):
            marks[(enrollment_id, session_id)] = status
    figures = attendance_figures(ids)
    rows = [
        MatrixRow(
            enrollment=row,
            cells=[marks.get((row.pk, session_id)) for session_id in session_ids],
            figures=figures.get(row.pk, AttendanceFigures()),
        )
        for row in learners
    ]
    visible = set(ids)
    per_session: dict[int, Counter[str]] = {session_id: Counter() for session_id in session_ids}
    for (enrollment_id, session_id), status in marks.items():
        if enrollment_id in visible and session_id in per_session:
            per_session[session_id][status] += 1
    totals = [SessionCount(session=session, counts=dict(per_session[session.pk])) for session in sessions]
    return Matrix(sessions=sessions, rows=rows, totals=totals)
