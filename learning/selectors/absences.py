"""The absence-streak deadline source: a learner absent from several sessions in a row (one query).

A streak is the absences of one enrolment since its last non-absent mark. Present and late end a
streak; so does an excused absence (the learner told the course, so nobody needs chasing: it is not an
absence and it resets the count). Unmarked sessions and cancelled sessions neither count nor break it.
When a streak reaches settings.LEARNING_ABSENCE_STREAK absences (default 3) the learner's caseworker
is reminded once: the deadline is keyed by the enrolment and the date of the streak's FIRST absence, so
it stays the same while the streak grows, disappears when the learner comes again (the engine cancels
what is still pending), and a later streak has a new first date, so a new reminder.

Live only for enrolments still "enrolled" in courses whose term ended no more than the grace period
ago; that filter comes first, so the query reads the attendance of current courses only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, Count, F, Max, Min, Q, When, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.deadlines.registry import Deadline
from learning import rules
from learning.models import Attendance, AttendanceStatus, Enrollment, EnrollmentStatus

# A streak is a signal, not a date that can pass: no "overdue" reminder is ever made for it.
NEVER_OVERDUE_DAYS = 3650
OFFSETS = (0,)
ENDS_A_STREAK = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED)


def _held_before(today: date) -> datetime:
    """Sessions held by the end of `today` (Asia/Tokyo)."""
    return datetime.combine(today + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


def absence_streaks(
    *,
    today: date,
    grace_days: int,
    source_ids=None,
    applicants=None,
    streak: int | None = None,
    due_between=None,  # the registry's window hint, not needed: one query reads the streaks whatever it is
) -> Iterator[Deadline]:
    """One deadline per enrolment whose current streak of absences is long enough (one query).

    The marks of current enrolments (held, not cancelled sessions) are read once: a window gives each
    row its enrolment's last non-absent mark, the absences after it are the streak; the outer query
    counts them per enrolment. (A correlated subquery per absent row read each enrolment's marks again
    for every absence: 3 s at 1,000,000 attendance rows on PostgreSQL, against a fraction of that.)
    """
    length = streak or absence_streak_length()
    held_before = _held_before(today)
    marks = Attendance.objects.filter(
        enrollment__status=EnrollmentStatus.ENROLLED,
        enrollment__course__ends_on__gte=today - timedelta(days=grace_days),
        session__cancelled=False,
        session__starts_at__lt=held_before,
    )
    if source_ids is not None:
        marks = marks.filter(enrollment_id__in=source_ids)
    if applicants is not None:
        marks = marks.filter(enrollment__applicant_id__in=applicants.values("pk"))
    in_streak = (
        marks.annotate(
            since=Window(
                Max(Case(When(status__in=ENDS_A_STREAK, then=F("session__starts_at")))),
                partition_by=[F("enrollment_id")],
            )
        )
        # After the last non-absent mark every mark is an absence (no status filter here: it would
        # be applied before the window, which must see every mark).
        .filter(Q(since__isnull=True) | Q(since__lt=F("session__starts_at")))
        .order_by()
        .values("pk")
    )
    rows = (
        marks.filter(pk__in=in_streak, status=AttendanceStatus.ABSENT)
        .order_by()
        .values("enrollment_id", "enrollment__applicant_id", "enrollment__applicant__organisation_id")
        .annotate(absences=Count("pk"), first_absence=Min("session__starts_at"))
        .filter(absences__gte=length)
        .values_list(
            "enrollment_id",
            "enrollment__applicant_id",
            "enrollment__applicant__organisation_id",
            "first_absence",
        )
    )
    for enrollment_id, applicant_id, organisation_id, first_absence in rows:
        first_day = timezone.localtime(first_absence).date()
        yield Deadline(
            source_id=enrollment_id,
            applicant_id=applicant_id,
            organisation_id=organisation_id,
            deadline_date=first_day,
            offsets=OFFSETS,
            overdue_after=first_day + timedelta(days=NEVER_OVERDUE_DAYS),
        )


def describe_enrolments(source_ids: list[int]) -> dict[int, str]:
    """Which course a streak is in, for the inbox (one query). Course names are no case data."""
    rows = Enrollment.objects.filter(pk__in=source_ids).order_by().values_list("pk", "course__name")
    return {pk: _("Course: %(course)s") % {"course": name} for pk, name in rows}


def absence_streak_length() -> int:
    """Absences in a row that remind a learner's caseworker (settings.LEARNING_ABSENCE_STREAK)."""
    return int(getattr(settings, "LEARNING_ABSENCE_STREAK", rules.ABSENCE_STREAK_DEFAULT))
