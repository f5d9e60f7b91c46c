"""Attendance marks: one per session and enrolment, by the course's trainers and administrators."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import User
from learning.models import (
    MARKABLE,
    Attendance,
    AttendanceStatus,
    Enrollment,
    Session,
)
from learning.services.base import local_today
from learning.services.courses import require_course_editable


def _check_session_markable(session: Session, status: str) -> None:
    if session.cancelled:
        raise ValidationError({"session": _("This session was cancelled; no attendance is taken for it.")})
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose present, late, excused or absent.")})
    day = timezone.localtime(session.starts_at).date()
    if day > local_today() and status != AttendanceStatus.EXCUSED:
        raise ValidationError(
            {
                "session": _(
                    "This session has not taken place yet; only an excused absence can be noted ahead."
                )
            }
        )


def _check_enrollment_markable(session: Session, enrollment: Enrollment) -> None:
    if enrollment.course_id != session.course_id or enrollment.status not in MARKABLE:
        raise ValidationError(
            {
                "enrollment": _("%(name)s is not enrolled in this course.")
                % {"name": str(enrollment.applicant)}
            }
        )


def _upsert(by: User, session: Session, enrollment: Enrollment, status: str) -> Attendance:
    """One row per session and enrolment: the last mark wins; a concurrent first mark is retried."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                mark, created = Attendance.objects.select_for_update().get_or_create(
                    session=session, enrollment=enrollment, defaults={"status": status, "recorded_by": by}
                )
                if not created and (mark.status != status or mark.recorded_by_id != by.pk):
                    mark.status, mark.recorded_by = status, by
                    mark.save(update_fields=["status", "recorded_by", "recorded_at"])
                return mark
        except IntegrityError:
            continue  # another request created the row between our read and insert: update it now
    raise IntegrityError("attendance row could not be written")  # pragma: no cover


@transaction.atomic
def attendance_record(*, by: User, session: Session, enrollment: Enrollment, status: str) -> Attendance:
    """Mark one learner for one session (the course's trainers and administrators)."""
    require_course_editable(by, session.course)
    _check_session_markable(session, status)
    _check_enrollment_markable(session, enrollment)
    return _upsert(by, session, enrollment, status)


def _existing_marks(session: Session, enrollment_ids: list[int]) -> dict[int, Attendance]:
    rows = Attendance.objects.select_for_update().filter(session=session, enrollment_id__in=enrollment_ids)
    return {row.enrollment_id: row for row in rows}


@transaction.atomic
def attendance_record_bulk(
    *, by: User, session: Session, marks: Iterable[tuple[int, str]]
) -> list[Attendance]:
    """Mark many learners of one session at once: all or nothing, errors named per enrolment id."""
    require_course_editable(by, session.course)
    pairs = list(marks)
    if not pairs:
        raise ValidationError({"marks": _("Mark at least one learner.")})
    if session.cancelled:
        raise ValidationError({"session": _("This session was cancelled; no attendance is taken for it.")})
    ids = [enrollment_id for enrollment_id, _status in pairs]
    if len(set(ids)) != len(ids):
        raise ValidationError({"marks": _("Each learner can be marked only once per request.")})
    enrollments = {e.pk: e for e in Enrollment.objects.select_related("applicant").filter(pk__in=ids)}
    errors: list[str] = []
    for enrollment_id, status in pairs:
        enrollment = enrollments.get(enrollment_id)
        try:
            if enrollment is None:
                raise ValidationError(
                    {"enrollment": _("Enrolment %(id)s is not in this course.") % {"id": enrollment_id}}
                )
            _check_session_markable(session, status)
            _check_enrollment_markable(session, enrollment)
        except ValidationError as error:
            errors.extend(f"{enrollment_id}: {message}" for message in error.messages)
    if errors:
        raise ValidationError({"marks": errors})
    existing = _existing_marks(session, ids)
    new, changed = [], []
    for enrollment_id, status in pairs:
        row = existing.get(enrollment_id)
        if row is None:
            new.append(
                Attendance(session=session, enrollment_id=enrollment_id, status=status, recorded_by=by)
            )
        elif row.status != status:
            row.status, row.recorded_by, row.recorded_at = status, by, timezone.now()
            changed.append(row)
    try:
        with transaction.atomic():
            Attendance.objects.bulk_create(new)
    except IntegrityError:
        # Another request marked one of these learners first, between our read and insert: mark each
        # through the single path, which updates the row that is there now (last write wins).
        for row in new:
            _upsert(by, session, enrollments[row.enrollment_id], row.status)
    Attendance.objects.bulk_update(changed, ["status", "recorded_by", "recorded_at"])
    return list(Attendance.objects.filter(session=session, enrollment_id__in=ids))
