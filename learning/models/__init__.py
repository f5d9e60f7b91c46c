"""Learning models, one module per part: courses (and sessions), enrolments, attendance, assessments.

Who sees what (DESIGN.md, access matrix): administrators the whole organisation; supervisors and
caseworkers every course and session, and the enrolments, attendance and assessments of the people
they may change (own caseload, led teams); trainers their own courses, with the learners in them
(names and language data only: nothing here links on to legal or case records for them).
"""

from learning.models.assessments import Assessment, AssessmentFramework, AssessmentQuerySet
from learning.models.attendance import ATTENDED, Attendance, AttendanceQuerySet, AttendanceStatus
from learning.models.base import is_admin, signed_in
from learning.models.courses import Course, CourseFormat, CourseKind, CourseQuerySet, Session, SessionQuerySet
from learning.models.enrolments import (
    MARKABLE,
    Enrollment,
    EnrollmentQuerySet,
    EnrollmentStatus,
    learner_condition,
)

__all__ = [
    "ATTENDED",
    "Assessment",
    "AssessmentFramework",
    "AssessmentQuerySet",
    "Attendance",
    "AttendanceQuerySet",
    "AttendanceStatus",
    "Course",
    "CourseFormat",
    "CourseKind",
    "CourseQuerySet",
    "Enrollment",
    "EnrollmentQuerySet",
    "EnrollmentStatus",
    "MARKABLE",
    "Session",
    "SessionQuerySet",
    "is_admin",
    "learner_condition",
    "signed_in",
]
