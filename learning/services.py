"""Learning services: every write to courses, sessions, enrolments, attendance and assessments.

Who may write (DESIGN.md, access matrix): courses and sessions: administrators, and trainers their own
courses; enrolments: whoever may change the person (own caseload, led teams, administrators);
attendance: the course's trainers and administrators; assessments: whoever may change the person, and
trainers for the learners of their courses. Anyone else gets PermissionDenied. Bad input raises
ValidationError naming the field; nothing is half-written (each service is one transaction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.models import Applicant, ChangeRecord, Document, User
from casework.roles import Role
from casework.services import document_store
from learning import rules
from learning.models import (
    ATTENDED,
    MARKABLE,
    Assessment,
    AssessmentFramework,
    Attendance,
    AttendanceStatus,
    Course,
    CourseFormat,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from learning.rules import SESSION_MAX_MINUTES, Framework

COURSE_FIELDS = (
    "name",
    "kind",
    "target_level",
    "format",
    "place",
    "description",
    "starts_on",
    "ends_on",
    "capacity",
)
# The earliest test date accepted (the JLPT began in 1984); anything before is a typo.
EARLIEST_ASSESSMENT = date(1984, 1, 1)
# Weekly patterns cover at most this many weeks (a school year), so a typo cannot make thousands of rows.
MAX_PATTERN_WEEKS = 60
__all__ = [
    "ATTENDED",
    "course_create",
    "course_update",
    "course_set_trainers",
    "session_create",
    "session_update",
    "session_cancel",
    "sessions_generate",
    "enrollment_enrol",
    "enrollment_drop",
    "enrollment_complete",
    "attendance_record",
    "attendance_record_bulk",
    "assessment_record",
    "assessment_update",
    "assessment_delete",
    "EnrolResult",
]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _is_admin(user: User) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or user.is_superuser


def _today() -> date:
    return timezone.localdate()


# --- Courses ---------------------------------------------------------------------------------------------


def _clean_course(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned = {key: data.get(key) for key in COURSE_FIELDS}
    for key in ("name", "place", "description", "target_level"):
        cleaned[key] = str(cleaned[key] or "").strip()
    if not cleaned["name"]:
        errors.setdefault("name", []).append(_("Give the course a name."))
    if cleaned["kind"] not in CourseKind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of course."))
    if cleaned["format"] not in CourseFormat.values:
        errors.setdefault("format", []).append(_("Choose online, in person or hybrid."))
    if cleaned["target_level"] and cleaned["target_level"] not in rules.CEFR_LEVELS:
        errors.setdefault("target_level", []).append(_("Choose a CEFR level from A1 to C2."))
    if not isinstance(cleaned["starts_on"], date):
        errors.setdefault("starts_on", []).append(_("Enter the first day of the term."))
    if not isinstance(cleaned["ends_on"], date):
        errors.setdefault("ends_on", []).append(_("Enter the last day of the term."))
    elif isinstance(cleaned["starts_on"], date) and cleaned["ends_on"] < cleaned["starts_on"]:
        errors.setdefault("ends_on", []).append(_("The term cannot end before it starts."))
    capacity = cleaned["capacity"]
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 1 or capacity > 1000:
        errors.setdefault("capacity", []).append(_("Enter the number of places, from 1 to 1000."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_trainers(by: User, trainers: Iterable[User] | None) -> list[User]:
    chosen = list(trainers or [])
    for trainer in chosen:
        if trainer.organisation_id != by.organisation_id or not trainer.has_role(Role.TRAINER):
            raise ValidationError({"trainers": _("Only trainers of your organisation can teach a course.")})
    return chosen


@transaction.atomic
def course_create(*, by: User, data: dict[str, Any], trainers: Iterable[User] | None = None) -> Course:
    """Create a course: administrators (choosing its trainers), or a trainer (who then teaches it)."""
    _require(_is_admin(by) or by.has_role(Role.TRAINER))
    cleaned = _clean_course(data)
    chosen = _clean_trainers(by, trainers)
    if not _is_admin(by):
        chosen = [by]
    course = Course.objects.create(organisation_id=by.organisation_id, created_by=by, **cleaned)
    course.trainers.set(chosen)
    record_change(actor=by, instance=course, before=None)
    return course


@transaction.atomic
def course_update(*, by: User, course: Course, data: dict[str, Any]) -> Course:
    """Change a course's details; a term shortened past its sessions is refused (they would fall out)."""
    _require(Course.objects.editable_by(by).filter(pk=course.pk).exists())
    before = snapshot(course)
    current = {key: getattr(course, key) for key in COURSE_FIELDS}
    cleaned = _clean_course({**current, **{k: v for k, v in data.items() if k in COURSE_FIELDS}})
    outside = course.sessions.exclude(
        starts_at__date__gte=cleaned["starts_on"], starts_at__date__lte=cleaned["ends_on"]
    )
    if outside.exists():
        raise ValidationError(
            {"ends_on": _("Sessions lie outside these term dates; move or delete them first.")}
        )
    for key, value in cleaned.items():
        setattr(course, key, value)
    course.save()
    record_change(actor=by, instance=course, before=before)
    return course


@transaction.atomic
def course_set_trainers(*, by: User, course: Course, trainers: Iterable[User]) -> Course:
    """Administrators choose who teaches a course."""
    _require(_is_admin(by) and course.organisation_id == by.organisation_id)
    course.trainers.set(_clean_trainers(by, trainers))
    return course


# --- Sessions --------------------------------------------------------------------------------------------


def _require_course_editable(by: User, course: Course) -> None:
    _require(Course.objects.editable_by(by).filter(pk=course.pk).exists())


def _check_length(duration_minutes: Any, errors: dict[str, list[str]]) -> None:
    """A session's length, the same for one session and for a weekly pattern."""
    if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= SESSION_MAX_MINUTES:
        errors.setdefault("duration_minutes", []).append(
            _("Enter the length in minutes, from 1 to %(max)d.") % {"max": SESSION_MAX_MINUTES}
        )


def _clean_session(course: Course, starts_at: Any, duration_minutes: Any, topic: Any) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if not isinstance(starts_at, datetime):
        errors.setdefault("starts_at", []).append(_("Enter the day and time the session starts."))
    else:
        if timezone.is_naive(starts_at):
            starts_at = timezone.make_aware(starts_at)
        day = timezone.localtime(starts_at).date()
        if not course.starts_on <= day <= course.ends_on:
            errors.setdefault("starts_at", []).append(
                _("The session must fall within the course's term (%(start)s to %(end)s).")
                % {"start": course.starts_on.isoformat(), "end": course.ends_on.isoformat()}
            )
    _check_length(duration_minutes, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "topic": str(topic or "").strip()[:200],
    }


@transaction.atomic
def session_create(
    *, by: User, course: Course, starts_at: datetime, duration_minutes: int = 90, topic: str = ""
) -> Session:
    """Add one session to a course, within its term; a second session at the same time is refused."""
    _require_course_editable(by, course)
    cleaned = _clean_session(course, starts_at, duration_minutes, topic)
    if course.sessions.filter(starts_at=cleaned["starts_at"]).exists():
        raise ValidationError({"starts_at": _("This course already has a session at that time.")})
    session = Session.objects.create(course=course, **cleaned)
    record_change(actor=by, instance=session, before=None)
    return session


@transaction.atomic
def session_update(*, by: User, session: Session, data: dict[str, Any]) -> Session:
    _require_course_editable(by, session.course)
    before = snapshot(session)
    cleaned = _clean_session(
        session.course,
        data.get("starts_at", session.starts_at),
        data.get("duration_minutes", session.duration_minutes),
        data.get("topic", session.topic),
    )
    clash = session.course.sessions.filter(starts_at=cleaned["starts_at"]).exclude(pk=session.pk)
    if clash.exists():
        raise ValidationError({"starts_at": _("This course already has a session at that time.")})
    for key, value in cleaned.items():
        setattr(session, key, value)
    session.save()
    record_change(actor=by, instance=session, before=before)
    return session


@transaction.atomic
def session_cancel(*, by: User, session: Session, reason: str = "") -> Session:
    """Cancel a session (it stays on the list, struck out); attendance cannot be taken for it."""
    _require_course_editable(by, session.course)
    before = snapshot(session)
    session.cancelled = True
    session.cancel_reason = str(reason or "").strip()[:200]
    session.save(update_fields=["cancelled", "cancel_reason"])
    record_change(actor=by, instance=session, before=before)
    return session


@transaction.atomic
def sessions_generate(
    *,
    by: User,
    course: Course,
    weekdays: Iterable[int],
    start_time: time,
    duration_minutes: int = 90,
    first_day: date | None = None,
    last_day: date | None = None,
    topic: str = "",
) -> list[Session]:
    """Sessions on the chosen weekdays (0 = Monday) at one time, for the term or part of it.

    Times already taken by a session of the course are left alone. A pattern that makes no session
    (no weekday, or days that never fall in the range) is refused with a message saying why.
    """
    _require_course_editable(by, course)
    days = sorted({int(day) for day in weekdays})
    errors: dict[str, list[str]] = {}
    if not days or any(not 0 <= day <= 6 for day in days):
        errors.setdefault("weekdays", []).append(_("Choose at least one day of the week."))
    if not isinstance(start_time, time):
        errors.setdefault("start_time", []).append(_("Enter the time sessions start."))
    _check_length(duration_minutes, errors)
    first = first_day or course.starts_on
    last = last_day or course.ends_on
    if first < course.starts_on or last > course.ends_on:
        errors.setdefault("first_day", []).append(
            _("The pattern must fall within the course's term (%(start)s to %(end)s).")
            % {"start": course.starts_on.isoformat(), "end": course.ends_on.isoformat()}
        )
    elif last < first:
        errors.setdefault("last_day", []).append(_("The last day cannot come before the first."))
    elif (last - first).days > MAX_PATTERN_WEEKS * 7:
        errors.setdefault("last_day", []).append(
            _("A pattern can cover at most %(weeks)d weeks.") % {"weeks": MAX_PATTERN_WEEKS}
        )
    if errors:
        raise ValidationError(errors)
    zone = timezone.get_current_timezone()
    wanted = []
    day = first
    while day <= last:
        if day.weekday() in days:
            wanted.append(datetime.combine(day, start_time, tzinfo=zone))
        day += timedelta(days=1)
    if not wanted:
        raise ValidationError(
            {
                "weekdays": _("No session falls on those days between %(first)s and %(last)s.")
                % {"first": first.isoformat(), "last": last.isoformat()}
            }
        )
    taken = set(course.sessions.filter(starts_at__in=wanted).values_list("starts_at", flat=True))
    new = [
        Session(course=course, starts_at=at, duration_minutes=duration_minutes, topic=str(topic or "")[:200])
        for at in wanted
        if at not in taken
    ]
    if not new:
        raise ValidationError({"weekdays": _("Every one of those sessions exists already.")})
    Session.objects.bulk_create(new)
    for session in new:  # each session in the history, as session_create records it
        record_change(actor=by, instance=session, before=None)
    return new


# --- Enrolments ------------------------------------------------------------------------------------------


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
    _require(
        Applicant.objects.editable_by(by).filter(pk=applicant.pk).exists()
        and Course.objects.visible_to(by).filter(pk=course.pk).exists()
    )
    course = Course.objects.select_for_update().get(pk=course.pk)
    today = on or _today()
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
    first.enrolled_on = _today()
    first.save(update_fields=["status", "enrolled_on", "updated_at"])
    record_change(actor=by, instance=first, before=before, applicant_id=first.applicant_id)
    return first


@transaction.atomic
def enrollment_drop(
    *, by: User, enrollment: Enrollment, reason: str, on: date | None = None
) -> Enrollment | None:
    """Record that a learner dropped out (or left the waiting list), with the reason; the freed place
    goes to the first person on the waiting list. Returns the enrolment promoted, if any."""
    _require(Enrollment.objects.enrollable_by(by).filter(pk=enrollment.pk).exists())
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"drop_reason": _("Say why the learner is leaving the course.")})
    if enrollment.status in (EnrollmentStatus.DROPPED, EnrollmentStatus.COMPLETED):
        raise ValidationError({"status": _("This enrolment has already ended.")})
    course = Course.objects.select_for_update().get(pk=enrollment.course_id)
    before = snapshot(enrollment)
    enrollment.status = EnrollmentStatus.DROPPED
    enrollment.drop_reason = reason[:300]
    enrollment.ended_on = on or _today()
    enrollment.save()
    record_change(actor=by, instance=enrollment, before=before, applicant_id=enrollment.applicant_id)
    return _promote_from_waitlist(by, course)


@transaction.atomic
def enrollment_complete(*, by: User, enrollment: Enrollment, on: date | None = None) -> Enrollment:
    """Mark a course completed for a learner: their caseworker, the course's trainers, administrators."""
    _require(
        Enrollment.objects.enrollable_by(by).filter(pk=enrollment.pk).exists()
        or Course.objects.editable_by(by).filter(pk=enrollment.course_id).exists()
    )
    if enrollment.status != EnrollmentStatus.ENROLLED:
        raise ValidationError({"status": _("Only an enrolled learner can complete the course.")})
    if enrollment.course.starts_on > (on or _today()):
        raise ValidationError({"status": _("The course has not started yet; nobody can complete it.")})
    before = snapshot(enrollment)
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.ended_on = on or _today()
    enrollment.save()
    record_change(actor=by, instance=enrollment, before=before, applicant_id=enrollment.applicant_id)
    return enrollment


# --- Attendance ------------------------------------------------------------------------------------------


def _check_session_markable(session: Session, status: str) -> None:
    if session.cancelled:
        raise ValidationError({"session": _("This session was cancelled; no attendance is taken for it.")})
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose present, late, excused or absent.")})
    day = timezone.localtime(session.starts_at).date()
    if day > _today() and status != AttendanceStatus.EXCUSED:
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
    _require_course_editable(by, session.course)
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
    _require_course_editable(by, session.course)
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


# --- Assessments -----------------------------------------------------------------------------------------

# JLPT sections: N1–N3 three sections of 0–60; N4–N5 "language knowledge + reading" 0–120, listening 0–60.
JLPT_SECTIONS = {
    "upper": {"language_knowledge": 60, "reading": 60, "listening": 60},
    "lower": {"language_knowledge_reading": 120, "listening": 60},
}


def jlpt_sections_for(level: str) -> dict[str, int]:
    return JLPT_SECTIONS["lower" if level in ("N4", "N5") else "upper"]


def _clean_skill_scores(framework: str, level: str, score: int | None, raw: Any) -> dict[str, int]:
    if not raw:
        return {}
    if framework != Framework.JLPT or not isinstance(raw, dict):
        raise ValidationError({"skill_scores": _("Scores per skill are kept for the JLPT only.")})
    sections = jlpt_sections_for(level)
    cleaned: dict[str, int] = {}
    for key, value in raw.items():
        if key not in sections:
            raise ValidationError(
                {
                    "skill_scores": _("%(level)s has these sections: %(names)s.")
                    % {"level": level, "names": ", ".join(sections)}
                }
            )
        if value in (None, ""):
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= sections[key]:
            raise ValidationError(
                {
                    "skill_scores": _("The %(section)s score runs from 0 to %(max)d.")
                    % {"section": key, "max": sections[key]}
                }
            )
        cleaned[key] = value
    if cleaned and len(cleaned) == len(sections) and score is not None and sum(cleaned.values()) != score:
        raise ValidationError(
            {
                "skill_scores": _("The section scores add up to %(sum)d, not the total of %(total)d.")
                % {"sum": sum(cleaned.values()), "total": score}
            }
        )
    return cleaned


def assessment_clean(
    *, framework: Any, level: Any, score: Any, skill_scores: Any, assessed_on: Any
) -> dict[str, Any]:
    """Validate and normalise one result; returns the fields to store, CEFR level derived (rules)."""
    if framework not in AssessmentFramework.values:
        raise ValidationError({"framework": _("Choose the test or framework of the result.")})
    if not isinstance(assessed_on, date):
        raise ValidationError({"assessed_on": _("Enter the date of the test.")})
    if assessed_on > _today():
        raise ValidationError({"assessed_on": _("The test date cannot be in the future.")})
    if assessed_on < EARLIEST_ASSESSMENT:
        raise ValidationError({"assessed_on": _("Check the year of the test date.")})
    if score is not None and (not isinstance(score, int) or isinstance(score, bool)):
        raise ValidationError({"score": _("Enter the score as a whole number.")})
    if framework == Framework.JLPT:
        level = rules.normalise_jlpt_level(str(level or ""))
    elif framework in (Framework.PLACEMENT, Framework.TRAINER):
        level = rules.normalise_cefr_level(str(level or ""))
    else:
        level = ""  # JFT-Basic and BJT: the band comes from the score
    rules.check_score(framework, score)
    skills = _clean_skill_scores(framework, level, score, skill_scores)
    derived = rules.assessment_cefr(framework=framework, level=level, score=score, on=assessed_on)
    passed = None
    if framework == Framework.JLPT and score is not None:
        passed = score >= rules.jlpt_pass_mark(level)
    elif framework == Framework.JFT_BASIC and score is not None:
        passed = score >= 200
    return {
        "framework": framework,
        "level": derived.level,
        "score": score,
        "skill_scores": skills,
        "passed": passed,
        "cefr_level": derived.cefr,
        "assessed_on": assessed_on,
    }


def assessment_editable(by: User, applicant: Applicant) -> bool:
    """Caseworkers and supervisors for the people they may change; trainers for their learners."""
    if Applicant.objects.editable_by(by).filter(pk=applicant.pk).exists():
        return True
    return (
        by.has_role(Role.TRAINER)
        and Enrollment.objects.filter(
            applicant=applicant, course__trainers=by, course__organisation_id=by.organisation_id
        ).exists()
    )


@transaction.atomic
def assessment_record(
    *,
    by: User,
    applicant: Applicant,
    framework: str,
    assessed_on: date,
    level: str = "",
    score: int | None = None,
    skill_scores: dict[str, int] | None = None,
    course: Course | None = None,
    certificate: UploadedFile | None = None,
    notes: str = "",
) -> Assessment:
    """Record a language result (an outside test, a placement test or a trainer's judgement), with its
    certificate stored as the person's document (kind "certificate") when one is given."""
    _require(assessment_editable(by, applicant))
    fields = assessment_clean(
        framework=framework, level=level, score=score, skill_scores=skill_scores, assessed_on=assessed_on
    )
    if course is not None and not Course.objects.visible_to(by).filter(pk=course.pk).exists():
        raise ValidationError({"course": _("Choose one of your courses.")})
    assessment = Assessment(
        applicant=applicant, course=course, notes=str(notes or "").strip()[:300], recorded_by=by, **fields
    )
    assessment.full_clean(exclude=["certificate", "course", "applicant", "recorded_by"])
    if certificate is not None:
        # Stored last: the file is deleted again if the rows cannot be written (document_store).
        assessment.save()
        label = f"{assessment.get_framework_display()} {assessment.level} {assessed_on.isoformat()}".strip()
        document: Document = document_store(
            by=by, applicant=applicant, upload=certificate, kind=Document.Kind.CERTIFICATE, description=label
        )
        assessment.certificate = document
        assessment.save(update_fields=["certificate"])
    else:
        assessment.save()
    record_change(actor=by, instance=assessment, before=None)
    return assessment


# The fields of a result that a correction may change (the certificate is kept as it is).
ASSESSMENT_FIELDS = ("framework", "level", "score", "skill_scores", "assessed_on", "course", "notes")


@transaction.atomic
def assessment_update(*, by: User, assessment: Assessment, data: dict[str, Any]) -> Assessment:
    """Correct a recorded result (a mistyped score, level or date): the keys of `data` among
    ASSESSMENT_FIELDS replace the stored values, the rest stay; the whole result is checked again and
    its CEFR level and pass mark derived again (assessment_clean). Who: as assessment_record. The row
    is locked, so two corrections at once apply one after the other. Returns the saved row."""
    stored = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("applicant", "course")
        .filter(pk=assessment.pk)
        .order_by("pk")
        .first()
    )
    if stored is None:
        raise ValidationError({"assessment": _("This result has been deleted.")})
    _require(assessment_editable(by, stored.applicant))
    before = snapshot(stored)
    merged = {key: data[key] if key in data else getattr(stored, key) for key in ASSESSMENT_FIELDS}
    fields = assessment_clean(
        framework=merged["framework"],
        level=merged["level"],
        score=merged["score"],
        skill_scores=merged["skill_scores"],
        assessed_on=merged["assessed_on"],
    )
    course = merged["course"]
    if course is not None and not isinstance(course, Course):
        raise ValidationError({"course": _("Choose one of your courses.")})
    # A course kept as it was stays even where the user cannot see it (another trainer's course);
    # a course chosen now must be one of the user's.
    if (
        course is not None
        and course.pk != stored.course_id
        and not Course.objects.visible_to(by).filter(pk=course.pk).exists()
    ):
        raise ValidationError({"course": _("Choose one of your courses.")})
    for key, value in fields.items():
        setattr(stored, key, value)
    stored.course = course
    stored.notes = str(merged["notes"] or "").strip()[:300]
    stored.full_clean(exclude=["certificate", "course", "applicant", "recorded_by"])
    stored.save()
    record_change(actor=by, instance=stored, before=before)
    return stored


@transaction.atomic
def assessment_delete(*, by: User, assessment: Assessment) -> None:
    """Delete a result recorded by mistake (who: as assessment_record); the history keeps its values.

    Its certificate is not deleted: the Document stays in the person's documents (it is part of the
    case file)."""
    stored = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .filter(pk=assessment.pk)
        .order_by("pk")
        .first()
    )
    if stored is None:
        raise ValidationError({"assessment": _("This result has been deleted.")})
    _require(assessment_editable(by, stored.applicant))
    record_change(actor=by, instance=stored, before=snapshot(stored), action=ChangeRecord.Action.DELETE)
    stored.delete()


def absence_streak_length() -> int:
    return int(getattr(settings, "LEARNING_ABSENCE_STREAK", rules.ABSENCE_STREAK_DEFAULT))
