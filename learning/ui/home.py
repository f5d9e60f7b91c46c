"""Learning's panels: on the home page (a trainer's sessions, absence streaks and courses ending; the
classes of a caseworker's or a supervisor's people) and the applicant page's job-ready suggestion.

Registered in LearningConfig.ready through casework's panel registry; each context returns None for a
user it does not serve and runs a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from casework.roles import Role
from casework.ui.home import home_scope
from learning.selectors import sessions_today
from learning.selectors.home import classes_of_people, courses_ending, trainer_absence_streaks
from learning.selectors.job_ready import job_ready_suggestion, may_confirm_job_ready


def teaching_context(*, user, **objects) -> dict[str, Any] | None:
    """A trainer's sessions today, each a link to its attendance."""
    if not user.has_role(Role.TRAINER):
        return None
    return {"teaching_sessions": list(sessions_today(user=user))}


def absences_context(*, user, **objects) -> dict[str, Any] | None:
    if not user.has_role(Role.TRAINER):
        return None
    return {"streaks": trainer_absence_streaks(user=user)}


def courses_ending_context(*, user, **objects) -> dict[str, Any] | None:
    if not user.has_role(Role.TRAINER):
        return None
    return {"courses": courses_ending(user=user)}


def people_classes_context(*, user, **objects) -> dict[str, Any] | None:
    scope = home_scope(user)
    if scope is None:
        return None
    return {"classes": classes_of_people(user=user, scope=scope), "is_team": user.has_role(Role.SUPERVISOR)}


def job_ready_context(*, user, applicant, **objects) -> dict[str, Any] | None:
    """The suggestion on the applicant page, for those who may confirm it; None hides the panel."""
    if not user.has_role(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER) and not user.is_superuser:
        return None
    if not may_confirm_job_ready(user, applicant):
        return None
    suggestion = job_ready_suggestion(user=user, applicant=applicant)
    if suggestion is None:
        return None
    return {"suggestion": suggestion}
