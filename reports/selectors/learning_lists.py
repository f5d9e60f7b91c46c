"""Learning's list pages as table sources: the course list, a trainer's teaching list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.roles import Role
from learning.filtersets.courses import CourseFilterSet
from learning.models import Course
from learning.selectors.courses import courses_taught, courses_visible
from reports.selectors.tables import Col, choices_of, queryset_table, register_table

LEARNING_STAFF = (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER)

COURSE_COLUMNS = [
    Col("name", _("Course"), "name"),
    Col("kind", _("Kind"), "kind", choices_of(Course, "kind")),
    Col("format", _("Format"), "format", choices_of(Course, "format")),
    Col("target_level", _("Target level"), "target_level"),
    Col("starts_on", _("Term starts"), "starts_on"),
    Col("ends_on", _("Term ends"), "ends_on"),
    Col("capacity", _("Places"), "capacity"),
    Col("enrolled", _("Places taken"), "enrolled_count"),
    Col("waitlisted", _("Waiting list"), "waitlisted_count"),
]

COURSES = queryset_table(
    key="courses",
    title=_("Courses"),
    roles=LEARNING_STAFF,
    queryset=lambda user: courses_visible(user=user),
    filterset=CourseFilterSet,
    columns=COURSE_COLUMNS,
)

TEACHING = queryset_table(
    key="teaching",
    title=_("My teaching"),
    roles=(Role.TRAINER,),
    queryset=lambda user: courses_taught(user=user),
    filterset=None,
    columns=[*COURSE_COLUMNS, Col("next_session", _("Next session"), "next_session_at")],
)


def register() -> None:
    for source in (COURSES, TEACHING):
        register_table(source)
