"""The applicant page's Employment panel: the person's referrals, placement and follow-ups, and the open
openings they are eligible for, each with a "propose" button (a fixed number of queries)."""

from __future__ import annotations

from typing import Any

from casework.models import Applicant
from casework.roles import Role
from jobs.selectors.matching import openings_for
from jobs.selectors.placements import placements_of
from jobs.selectors.referrals import referrals_of


def applicant_panel_context(*, user: Any, applicant: Applicant, **objects: Any) -> dict[str, Any] | None:
    """None (no panel) for users who have no jobs pages: trainers and employer users."""
    if not (user.is_superuser or user.has_role(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER)):
        return None
    can_propose = Applicant.objects.editable_by(user).filter(pk=applicant.pk).exists()
    placements = placements_of(user=user, applicant=applicant)
    return {
        "applicant": applicant,
        "referrals": referrals_of(user=user, applicant=applicant),
        "placements": placements,
        "eligible_openings": openings_for(user=user, applicant=applicant) if can_propose else [],
        "can_propose": can_propose,
    }
