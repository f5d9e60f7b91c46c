"""What learning adds to casework: navigation, panels (applicant page, home page), deadline sources."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.deadlines import DeadlineSource, register_source
from casework.panels import NavItem, Panel, register_nav_item, register_panel
from casework.roles import Role


def register() -> None:
    register_nav_item(
        NavItem(
            key="course_list",
            label=_("Courses"),
            url_name="learning:course_list",
            roles=(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER),
            order=40,
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
        )
    )
    register_panel(
        "home",
        Panel(
            key="teaching",
            title=_("Today's sessions"),
            template="learning/_home_panel.html",
            context=_home_teaching_context,
            order=10,
        ),
    )


def _home_teaching_context(*, user, **objects):
    """A trainer's sessions today on the home page, each a link to its attendance; None for others."""
    if not user.has_role(Role.TRAINER):
        return None
    from learning.selectors_courses import sessions_today

    return {"teaching_sessions": list(sessions_today(user=user))}


def _applicant_learning_context(*, user, applicant, **objects):
    """The learning panel on the applicant page (learning/panels.py); None hides it."""
    from learning.panels import applicant_panel_context

    return applicant_panel_context(user=user, applicant=applicant, **objects)


def _absence_streaks(**kwargs):
    """Learners absent from several sessions in a row (learning/deadline_sources.py)."""
    from learning.deadline_sources import absence_streaks

    return absence_streaks(**kwargs)


def _describe_enrolments(source_ids):
    from learning.deadline_sources import describe_enrolments

    return describe_enrolments(source_ids)
