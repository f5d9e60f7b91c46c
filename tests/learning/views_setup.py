"""Helpers of the course, attendance and enrolment page tests (their fixtures are in conftest.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from learning.models import Attendance, AttendanceStatus, EnrollmentStatus
from tests.learning.factories import EnrollmentFactory, SessionFactory, at

HTMX = {"HTTP_HX_REQUEST": "true"}


def today():
    return timezone.localdate()


def future_session(course):
    return SessionFactory(course=course, starts_at=at(today() + timedelta(days=7), 18))


def marks_of(session) -> dict[int, str]:
    return dict(Attendance.objects.filter(session=session).values_list("enrollment_id", "status"))


def learners(course, count: int, *, team, caseworker=None, status=EnrollmentStatus.ENROLLED):
    from tests.casework.applicant_factories import bulk_applicants

    people = bulk_applicants(count, team=team, caseworker=caseworker)
    return [
        EnrollmentFactory(course=course, applicant=person, status=status, enrolled_by=course.created_by)
        for person in people
    ]


__all__ = ["AttendanceStatus", "HTMX", "future_session", "learners", "marks_of", "today"]
