"""Enrolments with a waiting list: whoever may change the person enrols them; a drop-out frees a place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.models import Applicant, User
from learning.models import (
    Course,
    Enrollment,
    EnrollmentStatus,
)
from learning.services.base import local_today, require


@dataclass(frozen=True)
class EnrolResult:
    enrollment: Enrollment
    waitlisted: bool
    position: int | None = None  # on the waiting list, 1 = next


def _waitlist_position(enrollment: Enrollment) -> int:
    return (
        Enrollment.objects.filter(
            course_id=enrollment.course_id,
            status=EnrollmentStatus.WAITLISTED,
            created_at__lte=enrollment.created_at,
        )
        .exclude(pk=enrollment.pk, created_at=enrollment.created_at)
        .count()
        + 1
    )


@transaction.atomic
def enrollment_enrol(
    *, by: User, course: Course, applicant: Applicant, on: date | None = None
) -> EnrolResult:
    """Enrol a person of one's caseload; when the course is full they go on its waiting list.

    The course row is locked so two caseworkers taking the last place at once cannot both get it.
    The same person twice is refused; someone who dropped out may be enrolled again.
    """
    require(
        Applicant.objects.editable_by(by).filter(pk=applicant.pk).exists()
        and Course.objects.visible_to(by).filter(pk=course.pk).exists()
    )
    course = Course.objects.select_for_update().get(pk=course.pk)
    today = on or local_today()
    if course.ends_on < today:
        raise ValidationError({"course": _("This course's term has ended; choose a current course.")})
    existing = Enrollment.objects.filter(course=course, applicant=applicant).first()
    if existing and existing.status != EnrollmentStatus.DROPPED:
        raise ValidationError(
            {
                "applicant": _("%(name)s is already in this course (%(status)s).")
                % {"name": str(applicant), "status": existing.get_status_display()}
            }
        )
    taken = course.enrollments.filter(status=EnrollmentStatus.ENROLLED).count()
    status = EnrollmentStatus.ENROLLED if taken < course.capacity else EnrollmentStatus.WAITLISTED
    if existing:
        before = snapshot(existing)
        existing.status, existing.drop_reason, existing.ended_on = status, "", None
        existing.enrolled_on, existing.enrolled_by = today, by
        # The waiting list is ordered by created_at: someone coming back queues behind those waiting.
        existing.created_at = timezone.now()
        existing.save()
        enrollment = existing
    else:
        before = None
        enrollment = Enrollment.objects.create(
            course=course, applicant=applicant, status=status, enrolled_on=today, enrolled_by=by
        )
    record_change(actor=by, instance=enrollment, before=before, applicant_id=applicant.pk)
    waitlisted = status == EnrollmentStatus.WAITLISTED
    return EnrolResult(enrollment, waitlisted, _waitlist_position(enrollment) if waitlisted else None)


def _promote_from_waitlist(by: User, course: Course) -> Enrollment | None:
    taken = course.enrollments.filter(status=EnrollmentStatus.ENROLLED).count()
    if taken >= course.capacity:
        return None
    first = course.enrollments.filter(status=EnrollmentStatus.WAITLISTED).order_by("created_at", "pk").first()
    if first is None:
        return None
    before = snapshot(first)
    first.status = EnrollmentStatus.ENROLLED
    first.enrolled_on = local_today()
    first.save(update_fields=["status", "enrolled_on", "updated_at"])
    record_change(actor=by, instance=first, before=before, applicant_id=first.applicant_id)
    return first


@transaction.atomic
def enrollment_drop(
    *, by: User, enrollment: Enrollment, reason: str, on: date | None = None
) -> Enrollment | None:
    """Record that a learner dropped out (or left the waiting list), with the reason; the freed place
    goes to the first person on the waiting list. Returns the enrolment promoted, if any."""
    require(Enrollment.objects.enrollable_by(by).filter(pk=enrollment.pk).exists())
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"drop_reason": _("Say why the learner is leaving the course.")})
    if enrollment.status in (EnrollmentStatus.DROPPED, EnrollmentStatus.COMPLETED):
        raise ValidationError({"status": _("This enrolment has already ended.")})
    course = Course.objects.select_for_update().get(pk=enrollment.course_id)
    before = snapshot(enrollment)
    enrollment.status = EnrollmentStatus.DROPPED
    enrollment.drop_reason = reason[:300]
    enrollment.ended_on = on or local_today()
    enrollment.save()
    record_change(actor=by, instance=enrollment, before=before, applicant_id=enrollment.applicant_id)
    return _promote_from_waitlist(by, course)


@transaction.atomic
def enrollment_complete(*, by: User, enrollment: Enrollment, on: date | None = None) -> Enrollment:
    """Mark a course completed for a learner: their caseworker, the course's trainers, administrators."""
    require(
        Enrollment.objects.enrollable_by(by).filter(pk=enrollment.pk).exists()
        or Course.objects.editable_by(by).filter(pk=enrollment.course_id).exists()
    )
    if enrollment.status != EnrollmentStatus.ENROLLED:
        raise ValidationError({"status": _("Only an enrolled learner can complete the course.")})
    if enrollment.course.starts_on > (on or local_today()):
        raise ValidationError({"status": _("The course has not started yet; nobody can complete it.")})
    before = snapshot(enrollment)
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.ended_on = on or local_today()
    enrollment.save()
    record_change(actor=by, instance=enrollment, before=before, applicant_id=enrollment.applicant_id)
    return enrollment
