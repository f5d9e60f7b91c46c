"""Learning selectors: every read of courses, attendance and language levels starts here, for a user.

One module per part (courses, enrolments, attendance, assessments, learners; the absence-streak deadline
source in absences); their names are re-exported here, so jobs reads a person's Japanese level as
`learning.selectors.assessed_levels` (DESIGN.md: jobs → learning through learning.selectors).
"""

from learning.selectors.assessments import LEVEL_ORDER, AssessedLevel, assessed_levels, current_assessed_level
from learning.selectors.attendance import (
    AttendanceFigures,
    Matrix,
    MatrixRow,
    SessionCount,
    SheetRow,
    attendance_figures,
    attendance_matrix,
    attendance_sheet,
    session_for_sheet,
)
from learning.selectors.courses import (
    Roster,
    course_for_page,
    course_roster,
    courses_taught,
    courses_visible,
    learner_order,
    sessions_today,
)
from learning.selectors.enrolments import (
    ENROL_CHOICES_LIMIT,
    enrol_candidates,
    enrollment_ids_changeable,
    enrollments_visible,
)
from learning.selectors.learners import learners_visible, may_see_learning

__all__ = [
    "AssessedLevel",
    "AttendanceFigures",
    "ENROL_CHOICES_LIMIT",
    "LEVEL_ORDER",
    "Matrix",
    "MatrixRow",
    "Roster",
    "SessionCount",
    "SheetRow",
    "assessed_levels",
    "attendance_figures",
    "attendance_matrix",
    "attendance_sheet",
    "course_for_page",
    "course_roster",
    "courses_taught",
    "courses_visible",
    "current_assessed_level",
    "enrol_candidates",
    "enrollment_ids_changeable",
    "enrollments_visible",
    "learner_order",
    "learners_visible",
    "may_see_learning",
    "session_for_sheet",
    "sessions_today",
]
