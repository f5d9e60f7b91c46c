"""What casework's pages share: the role gates, and finding the applicant a URL names (404 when not visible, 403 when read-only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from casework.access import role_required
from casework.models import (
    Applicant,
)
from casework.roles import Role
from casework.ui.applicant_page import applicant_url

staff_required = role_required(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)


reassigner_required = role_required(Role.SUPERVISOR, Role.ADMINISTRATOR)


def is_administrator(user) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or user.is_superuser


def may_reassign(user, applicant: Applicant) -> bool:
    """Administrators, and supervisors of the person's team."""
    if is_administrator(user):
        return True
    return user.has_role(Role.SUPERVISOR) and user.led_teams.filter(pk=applicant.team_id).exists()


def may_edit(user, applicant: Applicant) -> bool:
    return Applicant.objects.editable_by(user).filter(pk=applicant.pk).exists()


def visible_applicant(user, reference_code: str) -> Applicant:
    return get_object_or_404(
        Applicant.objects.visible_to(user).select_related("team", "caseworker"), reference_code=reference_code
    )


def editable_applicant(user, reference_code: str) -> Applicant:
    """The applicant for a write: 404 when the user cannot see it, 403 when they may only read it."""
    applicant = visible_applicant(user, reference_code)
    if not may_edit(user, applicant):
        raise PermissionDenied
    return applicant


def detail_url(applicant: Applicant, anchor: str = "", *, tab: str = "") -> str:
    """The applicant page; with an anchor, on the tab that shows that section (`?tab=legal#periods`)."""
    return applicant_url(applicant.reference_code, anchor, tab=tab)
