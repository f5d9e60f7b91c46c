"""What jobs' services share: refusing a write, who is an administrator, who may write jobs data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from casework.models import User
from casework.roles import Role


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def is_admin(user: User) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or user.is_superuser


def is_jobs_staff(user: User) -> bool:
    """Caseworkers, supervisors and administrators write employers and openings (DESIGN.md's matrix)."""
    return is_admin(user) or user.has_role(Role.SUPERVISOR, Role.CASEWORKER)


def is_supervisor_of(user: User, team_id: int | None) -> bool:
    return is_admin(user) or (
        team_id is not None and user.has_role(Role.SUPERVISOR) and user.led_teams.filter(pk=team_id).exists()
    )
