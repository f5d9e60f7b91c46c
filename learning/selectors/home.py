"""Reads of learning's home panels: a trainer's absence streaks and courses ending soon, the classes of a
caseworker's (or a supervisor's teams') people today and this week.

Each starts from visible_to(user) and runs a fixed number of queries whatever the number of learners.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from casework.models import User
from casework.selectors.home import caseload
from learning.models import Course, Enrollment, EnrollmentStatus, Session
from learning.selectors.absences import absence_streaks

HOME_ROWS = 8
COURSES_ENDING_DAYS = 14


def _taught(user: User) -> QuerySet:
    return Course.trainers.through.objects.filter(user_id=user.pk).values("course_id")


@dataclass(frozen=True)
class Streak:
    enrollment: Enrollment
    since: date  # the first absence of the streak


def trainer_absence_streaks(*, user: User, today: date | None = None) -> list[Streak]:
    """Learners of the user's own courses absent from several sessions in a row (the absence-streak
    deadline source's answer, limited to those courses), the longest-running streak first (two queries)."""
    today = today or timezone.localdate()
    enrolments = Enrollment.objects.visible_to(user).filter(course_id__in=_taught(user))
    found = {
        deadline.source_id: deadline.deadline_date
        for deadline in absence_streaks(
            today=today, grace_days=settings.REMINDER_GRACE_DAYS, source_ids=enrolments.values("pk")
        )
    }
    rows = enrolments.filter(pk__in=list(found)).select_related("applicant", "course")
    streaks = [Streak(row, found[row.pk]) for row in rows]
    return sorted(streaks, key=lambda streak: (streak.since, streak.enrollment.pk))[:HOME_ROWS]


def courses_ending(*, user: User, today: date | None = None, days: int = COURSES_ENDING_DAYS) -> list[Course]:
    """The user's own courses whose term ends within `days` (one query), soonest first, with learners."""
    today = today or timezone.localdate()
    return list(
        Course.objects.visible_to(user)
        .filter(pk__in=_taught(user), ends_on__gte=today, ends_on__lte=today + timedelta(days=days))
        .annotate(learner_count=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED)))
        .order_by("ends_on", "name", "pk")[:HOME_ROWS]
    )


@dataclass(frozen=True)
class ClassRow:
    session: Session
    people_count: int  # of the caseload's people enrolled in its course


@dataclass(frozen=True)
class PeopleClasses:
    today: list[ClassRow]
    week: list[ClassRow]  # the rest of this week (to Sunday), today's excluded
    week_total: int


def classes_of_people(*, user: User, scope: str, today: date | None = None) -> PeopleClasses:
    """Sessions today and this week of the courses the caseload's people are enrolled in, each with how
    many of them it holds (three queries: the sessions, their count, the people per course)."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    zone = timezone.get_current_timezone()
    start = datetime.combine(today, time.min, tzinfo=zone)  # what is left of the week, today included
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=zone)
    people = caseload(user=user, scope=scope).values("pk")
    theirs = Enrollment.objects.filter(status=EnrollmentStatus.ENROLLED, applicant__in=people)
    sessions = Session.objects.visible_to(user).filter(
        cancelled=False, starts_at__gte=start, starts_at__lt=end, course__in=theirs.values("course_id")
    )
    rows = list(sessions.select_related("course").order_by("starts_at", "pk")[: HOME_ROWS * 2])
    total = sessions.count()
    # How many of the people each course holds: one grouped query for the week's courses (a count joined
    # into the sessions' query multiplied its rows by the enrolments).
    counts = dict(
        theirs.filter(course_id__in=sessions.values("course_id"))
        .order_by()
        .values_list("course_id")
        .annotate(n=Count("pk"))
    )
    shown = [ClassRow(row, counts.get(row.course_id, 0)) for row in rows]
    todays = [row for row in shown if timezone.localtime(row.session.starts_at).date() == today]
    others = [row for row in shown if timezone.localtime(row.session.starts_at).date() != today]
    return PeopleClasses(todays, others, total)
