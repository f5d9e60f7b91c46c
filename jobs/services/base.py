"""What jobs' services share: refusing a write, who is an administrator, who may write jobs data."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

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


def decimal_between(
    value: Any, field: str, low: Decimal, high: Decimal, message: str, errors
) -> Decimal | None:
    """A number of hours (or the like) in (low, high]; else the message is added to errors[field]."""
    try:
        number = Decimal(str(value)) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number <= low or number > high:
        errors.setdefault(field, []).append(message)
        return None
    return number
