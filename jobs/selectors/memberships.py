"""Portal users and open invitations of an employer, for the staff employer page and the portal's Team
page (who may see them is decided by the views: staff of the organisation, or the employer's admin)."""

from __future__ import annotations

from django.db.models import QuerySet

from jobs.models import Employer, EmployerMembership, Invitation


def employer_members(employer: Employer) -> QuerySet[EmployerMembership]:
    return (
        EmployerMembership.objects.filter(employer=employer)
        .select_related("user")
        .order_by("-role", "user__last_name", "user__first_name", "user__username")
    )


def employer_pending_invitations(employer: Employer) -> QuerySet[Invitation]:
    return Invitation.objects.pending().filter(employer=employer).order_by("expires_at", "pk")
