"""What every learning queryset's visible_to shares: who is signed in, who sees the whole organisation."""

from __future__ import annotations

from casework.roles import Role


def is_admin(user) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or user.is_superuser


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
