"""Reads of enrolments: those a user sees, who may be enrolled in a course, whose enrolment a user may change."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from casework.models import Applicant, CaseStage, User
from learning.models import (
    Course,
    Enrollment,
    EnrollmentStatus,
)


def enrollments_visible(*, user) -> QuerySet[Enrollment]:
    return Enrollment.objects.visible_to(user).select_related("course", "applicant")


# The enrol form offers at most this many people in its list; beyond, it asks for a reference code.
ENROL_CHOICES_LIMIT = 300


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
