"""What every jobs model shares: who is signed in, who sees the whole organisation, the prefecture field."""

from __future__ import annotations

from django.db import models

from casework import rules as casework_rules
from casework.roles import Role


def is_admin(user) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or user.is_superuser


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def prefecture_field(verbose_name, **options) -> models.CharField:
    """A prefecture by its JIS X 0401 code ("13" is Tokyo): the minimum wage follows it (DOMAIN.md §9)."""
    return models.CharField(
        verbose_name,
        max_length=2,
        choices=casework_rules.prefecture_choices,  # a callable: labels in the active language
        **options,
    )
