"""Writes to courses and their sessions: administrators, and trainers their own courses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.models import User
from casework.roles import Role
from learning import rules
from learning.models import (
    Course,
    CourseFormat,
    CourseKind,
    Session,
)
from learning.rules import SESSION_MAX_MINUTES
from learning.services.base import is_admin, require

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


# Weekly patterns cover at most this many weeks (a school year), so a typo cannot make thousands of rows.
MAX_PATTERN_WEEKS = 60


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
    require(is_admin(by) or by.has_role(Role.TRAINER))
    cleaned = _clean_course(data)
    chosen = _clean_trainers(by, trainers)
    if not is_admin(by):
        chosen = [by]
    course = Course.objects.create(organisation_id=by.organisation_id, created_by=by, **cleaned)
    course.trainers.set(chosen)
    record_change(actor=by, instance=course, before=None)
    return course


@transaction.atomic
def course_update(*, by: User, course: Course, data: dict[str, Any]) -> Course:
    """Change a course's details; a term shortened past its sessions is refused (they would fall out)."""
    require(Course.objects.editable_by(by).filter(pk=course.pk).exists())
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
    require(is_admin(by) and course.organisation_id == by.organisation_id)
    course.trainers.set(_clean_trainers(by, trainers))
    return course


def require_course_editable(by: User, course: Course) -> None:
    require(Course.objects.editable_by(by).filter(pk=course.pk).exists())


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
    require_course_editable(by, course)
    cleaned = _clean_session(course, starts_at, duration_minutes, topic)
    if course.sessions.filter(starts_at=cleaned["starts_at"]).exists():
        raise ValidationError({"starts_at": _("This course already has a session at that time.")})
    session = Session.objects.create(course=course, **cleaned)
    record_change(actor=by, instance=session, before=None)
    return session


@transaction.atomic
def session_update(*, by: User, session: Session, data: dict[str, Any]) -> Session:
    require_course_editable(by, session.course)
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
    """Cancel a session (it stays on the list, struck out); attendance cannot be taken for it.

    Only before it starts: a session that took place is corrected (time, topic, attendance), never
    cancelled, so its marks and the attendance rates built on them stay true.
    """
    require_course_editable(by, session.course)
    if session.has_started:
        raise ValidationError(
            {
                "session": _(
                    "This session has already begun, so it cannot be cancelled. Correct its time or topic, "
                    "or its attendance, instead."
                )
            },
            code="started",
        )
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
    require_course_editable(by, course)
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
