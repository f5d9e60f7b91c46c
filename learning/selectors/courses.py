"""Reads for the course and teaching pages: courses a user sees or teaches, today's sessions, the roster.

Each function takes the user it reads for and starts from `visible_to(user)`; each runs a fixed number
of queries whatever the number of learners or sessions (the pages assert it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework.models import User
from learning.models import (
    MARKABLE,
    Attendance,
    Course,
    Enrollment,
    EnrollmentStatus,
    Session,
)


def courses_visible(*, user, filters: dict | None = None) -> QuerySet[Course]:
    """Courses the user may read, with their places taken and waiting list counted (one query)."""
    rows = Course.objects.visible_to(user).annotate(
        enrolled_count=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED)),
        waitlisted_count=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)),
    )
    if filters:
        rows = rows.filter(**filters)
    return rows.order_by("-starts_on", "name", "pk")  # an aggregate drops Meta.ordering


def learner_order() -> tuple[str, ...]:
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
        .order_by(*learner_order())
    )
    roster = Roster()
    for row in rows:
        getattr(roster, row.status).append(row)
    roster.waitlisted.sort(key=lambda row: (row.created_at, row.pk))
    roster.dropped.sort(key=lambda row: (row.ended_on or date.min, row.pk), reverse=True)
    return roster
