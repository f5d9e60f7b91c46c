"""Learning services: every write to courses, sessions, enrolments, attendance and assessments.

Who may write (DESIGN.md, access matrix): courses and sessions: administrators, and trainers their own
courses; enrolments: whoever may change the person (own caseload, led teams, administrators);
attendance: the course's trainers and administrators; assessments: whoever may change the person, and
trainers for the learners of their courses. Anyone else gets PermissionDenied. Bad input raises
ValidationError naming the field; nothing is half-written (each service is one transaction).

One module per part; their names are re-exported here (``services.enrollment_enrol``).
"""

from learning.services.assessments import (
    ASSESSMENT_FIELDS,
    EARLIEST_ASSESSMENT,
    JLPT_SECTIONS,
    assessment_clean,
    assessment_delete,
    assessment_editable,
    assessment_record,
    assessment_update,
    jlpt_sections_for,
)
from learning.services.attendance import attendance_record, attendance_record_bulk
from learning.services.courses import (
    COURSE_FIELDS,
    MAX_PATTERN_WEEKS,
    course_create,
    course_set_trainers,
    course_update,
    session_cancel,
    session_create,
    session_update,
    sessions_generate,
)
from learning.services.enrolments import EnrolResult, enrollment_complete, enrollment_drop, enrollment_enrol

__all__ = [
    "ASSESSMENT_FIELDS",
    "COURSE_FIELDS",
    "EARLIEST_ASSESSMENT",
    "EnrolResult",
    "JLPT_SECTIONS",
    "MAX_PATTERN_WEEKS",
    "assessment_clean",
    "assessment_delete",
    "assessment_editable",
    "assessment_record",
    "assessment_update",
    "attendance_record",
    "attendance_record_bulk",
    "course_create",
    "course_set_trainers",
    "course_update",
    "enrollment_complete",
    "enrollment_drop",
    "enrollment_enrol",
    "jlpt_sections_for",
    "session_cancel",
    "session_create",
    "session_update",
    "sessions_generate",
]
