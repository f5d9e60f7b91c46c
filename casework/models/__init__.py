"""Casework models, one module per part of the case: accounts, applicants, legal status."""

from casework.models.accounts import (
    DEFAULT_ORGANISATION_SLUG,
    Heartbeat,
    Organisation,
    Team,
    TobiraUserManager,
    User,
    default_organisation_id,
)

__all__ = [
    "DEFAULT_ORGANISATION_SLUG",
    "Heartbeat",
    "Organisation",
    "Team",
    "TobiraUserManager",
    "User",
    "default_organisation_id",
]
