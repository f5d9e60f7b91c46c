"""The "attendance" importer (issue 18): a course's attendance as trainers keep it, a grid of learners × dates.

One row per learner (named by the name column, the reference-code column or both), one column per class
date. A column whose header reads as a date (`casework.cells.parse_date`, or a month and day such as
"4/1" or "4月1日(水)" that falls once within the course's term) is a class date; every other unmapped
column (a total, a rate, remarks) is ignored. A cell holds a mark (○ × 遅 …, `MARKS`); an empty cell is
no mark and saves nothing.

Decisions made here:
- A date column with no session of the course that day (or only a cancelled one, or several that day)
  is an error on every row that has a mark in that column: saving the row without that mark would lose
  it silently. The column is read once per file (cached in the context); a column whose cells are all
  empty is no error.
- A learner found twice in the file is the same record (row.key = the enrolment).
- An existing mark for (session, enrolment) makes the row a duplicate: skip keeps every existing mark of
  the row (and leaves the row's new marks unsaved, as skip does for any record); update writes the row's
  marks over them.
- Every check of the attendance service is made in parse too (cancelled session, a session still ahead
  only takes "excused", the enrolment's status), so each error names its column; save goes through
  `attendance_record` all the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.cells import Cell, normalise_text, parse_date
from casework.models import User
from casework.names import name_key
from casework.services.importers import (
    SKIP,
    UPDATE,
    Candidate,
    Importer,
    ImportField,
    ParsedRow,
    Saved,
)
from learning.models import MARKABLE, Attendance, AttendanceStatus, Course, Enrollment, Session
from learning.services.attendance import attendance_record
from learning.services.base import local_today

KIND = "attendance"

# What trainers write in a cell, as normalised text (NFKC, case-folded) → the attendance status.
MARKS: dict[str, str] = {
    **dict.fromkeys(
        ("○", "〇", "◯", "o", "出", "出席", "p", "present", "1", "✓", "✔", "レ"), AttendanceStatus.PRESENT
    ),
    **dict.fromkeys(("×", "✕", "✖", "x", "欠", "欠席", "a", "absent", "0"), AttendanceStatus.ABSENT),
    **dict.fromkeys(("遅", "遅刻", "l", "late", "△"), AttendanceStatus.LATE),
    **dict.fromkeys(
        ("e", "excused", "公", "公欠", "届", "届出", "連", "連絡", "連絡あり", "欠席(連絡あり)", "欠(連)"),
        AttendanceStatus.EXCUSED,
    ),
}

FIELDS = (
    ImportField(
        "name",
        gettext_lazy("Learner's name"),
        aliases=("氏名", "名前", "Name", "受講者", "受講者名", "Learner", "学習者", "生徒名"),
        help=gettext_lazy("As recorded in Tobira: Latin letters, own script or katakana."),
    ),
    ImportField(
        "reference_code",
        gettext_lazy("Reference code"),
        aliases=("整理番号", "Reference", "Reference code", "管理番号"),
    ),
)

_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[/.\-月]\s*(\d{1,2})\s*日?\s*(?:\(.{1,3}\))?$")


@dataclass
class _Column:
    """One unmapped column read as a class date: its session, or why its marks cannot be saved."""

    day: date
    session: Session | None = None
    problem: str = ""


@dataclass
class AttendanceContext:
    by: User
    course: Course
    sessions_by_day: dict[date, list[Session]]
    by_reference: dict[str, Enrollment]
    by_name: dict[str, list[Enrollment]]
    columns: dict[str, _Column | None] = field(default_factory=dict)  # header → date column or None
    today: date = field(default_factory=local_today)


def _editable_courses(user):
    """The courses this user may mark attendance for: the attendance service's own rule."""
    return Course.objects.editable_by(user)


def may_import(user) -> bool:
    return _editable_courses(user).exists()


def targets(user) -> list[tuple[str, str]]:
    return [
        (str(course.pk), f"{course.name} ({course.starts_on:%Y-%m-%d} – {course.ends_on:%Y-%m-%d})")
        for course in _editable_courses(user).order_by("-starts_on", "name", "pk")
    ]


def _name_keys(enrollment: Enrollment) -> set[str]:
    person = enrollment.applicant
    keys = {
        name_key([person.family_name, person.given_name]),
        name_key([person.name_native]),
        name_key([person.name_katakana]),
    }
    keys.discard("")
    return keys


def prepare(*, by: User, target, mapping=None) -> AttendanceContext:
    """The course (re-checked: a trainer's own course only), its sessions and enrolments, in bulk."""
    try:
        course = _editable_courses(by).get(pk=int(str(target)))
    except (Course.DoesNotExist, TypeError, ValueError) as error:
        raise PermissionDenied from error
    sessions_by_day: dict[date, list[Session]] = {}
    for session in course.sessions.all():
        sessions_by_day.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    by_reference: dict[str, Enrollment] = {}
    by_name: dict[str, list[Enrollment]] = {}
    for enrollment in Enrollment.objects.filter(course=course).select_related("applicant"):
        by_reference[enrollment.applicant.reference_code.upper()] = enrollment
        for key in _name_keys(enrollment):
            by_name.setdefault(key, []).append(enrollment)
    return AttendanceContext(
        by=by, course=course, sessions_by_day=sessions_by_day, by_reference=by_reference, by_name=by_name
    )


def _header_date(header: str, course: Course) -> date | None:
    """The class date a header names: a full date, or a month and day falling once within the term."""
    try:
        return parse_date(Cell(header))
    except ValueError:
        pass
    match = _MONTH_DAY.match(normalise_text(header))
    if not match:
        return None
    month, day = int(match[1]), int(match[2])
    found = []
    for year in range(course.starts_on.year, course.ends_on.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if course.starts_on <= candidate <= course.ends_on:
            found.append(candidate)
    return found[0] if len(found) == 1 else None


def _column(context: AttendanceContext, header: str) -> _Column | None:
    """The column's date and session, read once per file."""
    if header in context.columns:
        return context.columns[header]
    day = _header_date(header, context.course)
    column = None
    if day is not None:
        column = _Column(day=day)
        sessions = context.sessions_by_day.get(day, [])
        held = [session for session in sessions if not session.cancelled]
        if len(held) == 1:
            column.session = held[0]
        elif len(held) > 1:
            column.problem = _(
                "%(course)s has several sessions on %(day)s; mark them on the course's page."
            ) % {
                "course": context.course.name,
                "day": day.isoformat(),
            }
        elif sessions:
            column.problem = _("The session of %(day)s was cancelled; no attendance is taken for it.") % {
                "day": day.isoformat()
            }
        else:
            column.problem = _("%(course)s has no session on %(day)s.") % {
                "course": context.course.name,
                "day": day.isoformat(),
            }
    context.columns[header] = column
    return column


def _find_learner(context: AttendanceContext, row: ParsedRow) -> Enrollment | None:
    reference_cell = row.values.get("reference_code")
    name_cell = row.values.get("name")
    reference = reference_cell.text().upper() if reference_cell else ""
    name = name_cell.text() if name_cell else ""
    if not reference and not name:
        row.error("name", _("Give the learner's name or reference code."))
        return None
    if reference:
        found = context.by_reference.get(reference)
        if found is None:
            row.error(
                "reference_code",
                _("No learner of this course has the reference code %(code)s.") % {"code": reference},
            )
            return None
        if name and name_key([name]) not in _name_keys(found):
            row.error(
                "name",
                _("The reference code %(code)s is %(person)s, not %(name)s.")
                % {"code": reference, "person": found.applicant.display_name, "name": name},
            )
            return None
    else:
        matches = context.by_name.get(name_key([name]), [])
        if not matches:
            row.error("name", _("No learner of this course is called %(name)s.") % {"name": name})
            return None
        if len(matches) > 1:
            row.error(
                "name",
                _("Several learners of this course are called %(name)s; add their reference codes.")
                % {"name": name},
            )
            return None
        found = matches[0]
    if found.status not in MARKABLE:
        row.error(
            "reference_code" if reference else "name",
            _("%(name)s is not enrolled in this course.") % {"name": found.applicant.display_name},
        )
        return None
    return found


def parse(*, context: AttendanceContext, row: ParsedRow) -> None:
    enrollment = _find_learner(context, row)
    marks: list[tuple[Session, str, str]] = []  # (session, status, column header)
    for header, cell in row.extra.items():
        column = _column(context, header)
        if column is None or cell.empty:
            continue
        text = cell.text().casefold()
        status = MARKS.get(text)
        if status is None:
            row.error(
                header,
                _(
                    "“%(mark)s” in column %(column)s is not a mark Tobira knows: write ○, ×, 遅 or 公欠 (or P, A, L, E)."
                )
                % {"mark": cell.text(), "column": header},
            )
            continue
        if column.problem:
            row.error(
                header, _("Column %(column)s: %(problem)s") % {"column": header, "problem": column.problem}
            )
            continue
        assert column.session is not None
        if column.day > context.today and status != AttendanceStatus.EXCUSED:
            row.error(
                header,
                _(
                    "Column %(column)s: this session has not taken place yet; only an excused absence can be noted ahead."
                )
                % {"column": header},
            )
            continue
        marks.append((column.session, status, header))
    if enrollment is None:
        return
    row.key = enrollment.pk
    row.data = {"enrollment": enrollment, "marks": marks}
    if not marks:
        row.notes.append(_("No marks in this row: nothing to save."))


def _status_label(status: str) -> str:
    return str(AttendanceStatus(status).label)


def find_duplicates(*, context: AttendanceContext, rows: list[ParsedRow]) -> None:
    """Existing marks of the rows' learners for the rows' sessions: one query for the chunk."""
    wanted = [row for row in rows if row.data.get("marks")]
    if not wanted:
        return
    enrollment_ids = {row.data["enrollment"].pk for row in wanted}
    session_ids = {session.pk for row in wanted for session, _status, _header in row.data["marks"]}
    existing = {
        (mark.session_id, mark.enrollment_id): mark
        for mark in Attendance.objects.filter(enrollment_id__in=enrollment_ids, session_id__in=session_ids)
    }
    for row in wanted:
        enrollment = row.data["enrollment"]
        for session, _status, _header in row.data["marks"]:
            mark = existing.get((session.pk, enrollment.pk))
            if mark is not None:
                day = timezone.localtime(session.starts_at).date()
                row.candidates.append(
                    Candidate(
                        pk=mark.pk,
                        label=f"{enrollment.applicant.display_name} {day.isoformat()}: {_status_label(mark.status)}",
                    )
                )


def save(*, by: User, context: AttendanceContext, row: ParsedRow, decision=None, candidate=None) -> Saved:
    """The row's marks through the attendance service; marks already there are overwritten (update, or a
    mark made since the dry run: the service's last mark wins) and reported with their previous status."""
    saved = Saved()
    enrollment: Enrollment = row.data["enrollment"]
    marks = row.data["marks"]
    if not marks or decision == SKIP:
        return saved
    before = {
        mark.session_id: mark.status
        for mark in Attendance.objects.filter(
            enrollment=enrollment, session_id__in=[session.pk for session, _status, _header in marks]
        )
    }
    for session, status, _header in marks:
        mark = attendance_record(by=by, session=session, enrollment=enrollment, status=status)
        if session.pk not in before:
            saved.created.append(mark)
        elif before[session.pk] != status:
            saved.updated.append((mark, {"status": before[session.pk]}))
    return saved


IMPORTER = Importer(
    kind=KIND,
    label=gettext_lazy("Attendance"),
    description=gettext_lazy(
        "A course's attendance sheet: one row per learner, one column per class date, "
        "○ present, × absent, 遅 late, 公欠 excused."
    ),
    fields=FIELDS,
    may_import=may_import,
    prepare=prepare,
    parse=parse,
    find_duplicates=find_duplicates,
    save=save,
    targets=targets,
    target_label=gettext_lazy("Course"),
    grid=True,
    decisions=(SKIP, UPDATE),
    field_map={"enrollment": "name", "marks": "name"},
    order=30,
)
