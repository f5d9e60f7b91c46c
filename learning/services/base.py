"""What learning's services share: refusing a write, who is an administrator, today in Asia/Tokyo."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from casework.models import User
from casework.roles import Role


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def is_admin(user: User) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or user.is_superuser


def local_today() -> date:
    return timezone.localdate()
