"""Reads for the course, teaching and attendance pages: the roster, the matrix, the session sheet.

Each function takes the user it reads for and starts from `visible_to(user)`; each runs a fixed number
of queries whatever the number of learners or sessions (the pages assert it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework.models import Applicant, CaseStage, User
from learning.models import (
    MARKABLE,
    Attendance,
    AttendanceStatus,
    Course,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from learning.selectors import AttendanceFigures, attendance_figures, courses_visible

# The enrol form offers at most this many people in its list; beyond, it asks for a reference code.
ENROL_CHOICES_LIMIT = 300


def _learner_order() -> tuple[str, ...]:
    return ("applicant__family_name", "applicant__given_name", "pk")


def _markable_count() -> Coalesce:
    rows = (
        Enrollment.objects.filter(course_id=OuterRef("course_id"), status__in=MARKABLE)
        .order_by()
        .values("course_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _marked_count() -> Coalesce:
    rows = (
        Attendance.objects.filter(session_id=OuterRef("pk"), enrollment__status__in=MARKABLE)
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


# --- Trainer pages ------------------------------------------------------------------------------------


def courses_taught(*, user: User, today: date | None = None) -> QuerySet[Course]:
    """The courses this user teaches: running and upcoming first (by start), then ended ones, each with
    places taken, waiting list and the next session that is not cancelled (one query)."""
    today = today or timezone.localdate()
    next_session = (
        Session.objects.filter(course_id=OuterRef("pk"), cancelled=False, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return (
        courses_visible(user=user)
        .filter(pk__in=Course.trainers.through.objects.filter(user_id=user.pk).values("course_id"))
        .annotate(
            next_session_at=Subquery(next_session),
            has_ended=Case(
                When(ends_on__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .order_by("has_ended", "starts_on", "name", "pk")
    )


def sessions_today(*, user: User, today: date | None = None) -> QuerySet[Session]:
    """Today's sessions of the courses this user teaches, with learners to mark and marks taken."""
    today = today or timezone.localdate()
    taught = Course.trainers.through.objects.filter(user_id=user.pk).values("course_id")
    return (
        Session.objects.visible_to(user)
        .filter(course_id__in=taught, starts_at__date=today)
        .select_related("course")
        .annotate(learner_count=_markable_count(), marked_count=_marked_count())
        .order_by("starts_at", "pk")
    )


# --- The attendance screen -----------------------------------------------------------------------------


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
        .order_by(*_learner_order())
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


# --- The course page ------------------------------------------------------------------------------------


def course_for_page(*, user: User, pk: int) -> Course | None:
    return (
        courses_visible(user=user)
        .filter(pk=pk)
        .prefetch_related(Prefetch("trainers", queryset=User.objects.order_by("last_name", "first_name")))
        .first()
    )


@dataclass
class Roster:
    enrolled: list[Enrollment] = field(default_factory=list)
    waitlisted: list[Enrollment] = field(default_factory=list)
    completed: list[Enrollment] = field(default_factory=list)
    dropped: list[Enrollment] = field(default_factory=list)

    @property
    def everyone(self) -> list[Enrollment]:
        return [*self.enrolled, *self.completed, *self.dropped, *self.waitlisted]

    def __len__(self) -> int:
        return len(self.everyone)


def course_roster(*, user: User, course: Course) -> Roster:
    """The course's learners the user may see, by status; the waiting list in its order (one query)."""
    rows = (
        Enrollment.objects.visible_to(user)
        .filter(course_id=course.pk)
        .select_related("applicant")
        .order_by(*_learner_order())
    )
    roster = Roster()
    for row in rows:
        getattr(roster, row.status).append(row)
    roster.waitlisted.sort(key=lambda row: (row.created_at, row.pk))
    roster.dropped.sort(key=lambda row: (row.ended_on or date.min, row.pk), reverse=True)
    return roster


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


def enrol_candidates(*, user: User, course: Course) -> tuple[list[Applicant], bool]:
    """People the user may enrol in the course: those they may change, case not closed, not already in
    it (someone who dropped out may come back). Returns (people, more): `more` when the list was cut."""
    already = Enrollment.objects.filter(course_id=course.pk).exclude(status=EnrollmentStatus.DROPPED)
    rows = list(
        Applicant.objects.editable_by(user)
        .exclude(case_stage=CaseStage.CLOSED)
        .exclude(pk__in=already.values("applicant_id"))
        .order_by("family_name", "given_name", "pk")
        .only("pk", "reference_code", "family_name", "given_name")[: ENROL_CHOICES_LIMIT + 1]
    )
    return rows[:ENROL_CHOICES_LIMIT], len(rows) > ENROL_CHOICES_LIMIT


def enrollment_ids_changeable(*, user: User, course: Course) -> set[int]:
    """Enrolments of the course the user may drop or complete as the person's caseworker (one query)."""
    return set(
        Enrollment.objects.enrollable_by(user).filter(course_id=course.pk).values_list("pk", flat=True)
    )


__all__ = [
    "ENROL_CHOICES_LIMIT",
    "Matrix",
    "MatrixRow",
    "Roster",
    "SessionCount",
    "SheetRow",
    "attendance_matrix",
    "attendance_sheet",
    "course_for_page",
    "course_roster",
    "courses_taught",
    "enrol_candidates",
    "enrollment_ids_changeable",
    "session_for_sheet",
    "sessions_today",
]
