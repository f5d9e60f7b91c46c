"""App configuration for learning: courses, sessions, attendance and assessments, and what learning adds to
casework's pages and reminder engine through casework's registries (navigation, panels, deadline sources)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Learning adds to casework's pages and reminder engine through casework's registries;
        # casework never imports learning (DESIGN.md, architecture).
        _register()


def _register() -> None:
    """Navigation entries, the applicant and home panels, and the absence deadline source."""
    from casework.deadlines.registry import DeadlineSource, register_source
    from casework.roles import Role
    from casework.ui.panels import NavItem, Panel, register_nav_item, register_panel

    register_nav_item(
        NavItem(
            key="course_list",
            label=_("Courses"),
            url_name="learning:course_list",
            roles=(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER),
            order=40,
            icon="school",
        )
    )
    # Panels and the absence deadline source are registered below as they are built.
    register_panel(
        "applicant",
        Panel(
            key="learning",
            title=_("Learning"),
            template="learning/panel_learning.html",
            context=_applicant_learning_context,
            order=20,
            tab="learning",  # the applicant page's Learning tab
        ),
    )
    register_source(
        DeadlineSource(
            "learning_absence",
            _("Absent from several sessions in a row"),
            _absence_streaks,
            describe=_describe_enrolments,
            escalates=False,  # the caseworker follows a learner up; supervisors need not be told
        )
    )
    register_nav_item(
        NavItem(
            key="teaching",
            label=_("My teaching"),
            url_name="learning:teaching",
            roles=(Role.TRAINER,),
            order=39,
            icon="calendar-event",
        )
    )
    _register_home_panels()
    # The applicant page's job-ready suggestion (an assessed level and a right to work): learning knows
    # levels, casework the right to work; staff who may change the person confirm it.
    register_panel(
        "applicant",
        Panel(
            key="job_ready",
            title=_("Job-ready?"),
            template="learning/panel_job_ready.html",
            context=_job_ready_context,
            order=5,
            tab="overview",
        ),
    )
    # Titles of learning's rows in a person's change history ("Course completed", not "Enrolment changed").
    from casework.selectors.audit_titles import register_history_titles

    register_history_titles("learning.enrollment", _enrolment_history_title)
    register_history_titles("learning.assessment", _assessment_history_title)
    # Spreadsheet import (issue 18): a course's attendance grid, for those who mark its attendance.
    from casework.services.importers import register_importer
    from learning.services.attendance_import import IMPORTER as ATTENDANCE_IMPORTER

    register_importer(ATTENDANCE_IMPORTER)


def _enrolment_history_title(action, changes):
    from casework.selectors.audit_titles import became

    if action == "create":
        if (changes.get("status") or {}).get("new") == "waitlisted":
            return _("Put on a course's waiting list")
        return _("Enrolled in a course")
    if became(changes, "status", "completed"):
        return _("Course completed")
    if became(changes, "status", "dropped"):
        return _("Dropped out of a course")
    if became(changes, "status", "enrolled"):
        return _("Moved from the waiting list into the course")
    return None


def _assessment_history_title(action, changes):
    return {
        "create": _("Assessment recorded"),
        "update": _("Assessment corrected"),
        "delete": _("Assessment deleted"),
    }.get(action)


def _register_home_panels() -> None:
    """The home page: a trainer's sessions today, absence streaks and courses ending soon; the classes of
    a caseworker's (a supervisor's teams') people today and this week."""
    from casework.ui.panels import Panel, register_panel

    for key, title, context, order in (
        ("teaching", _("Today's sessions"), "teaching_context", 10),
        ("absences", _("Absence streaks"), "absences_context", 11),
        ("courses_ending", _("Courses ending soon"), "courses_ending_context", 12),
        ("people_classes", _("Classes of your people"), "people_classes_context", 40),
    ):
        register_panel(
            "home",
            Panel(
                key=key,
                title=title,
                template=f"learning/home/{key}.html",
                context=_home_context(context),
                order=order,
            ),
        )


def _home_context(name: str):
    def context(**kwargs):
        from learning.ui import home

        return getattr(home, name)(**kwargs)

    return context


def _job_ready_context(*, user, applicant, **objects):
    from learning.ui.home import job_ready_context

    return job_ready_context(user=user, applicant=applicant, **objects)


def _applicant_learning_context(*, user, applicant, **objects):
    """The learning panel on the applicant page (learning/ui/learners.py); None hides it."""
    from learning.ui.learners import applicant_panel_context

    return applicant_panel_context(user=user, applicant=applicant, **objects)


def _absence_streaks(**kwargs):
    """Learners absent from several sessions in a row (learning/selectors/absences.py)."""
    from learning.selectors.absences import absence_streaks

    return absence_streaks(**kwargs)


def _describe_enrolments(source_ids):
    from learning.selectors.absences import describe_enrolments

    return describe_enrolments(source_ids)
