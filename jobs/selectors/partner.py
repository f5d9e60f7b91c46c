"""The partner portal's one door: what an employer user may see, always starting from their membership.

The staff doors (`visible_to` on the jobs models, the staff API) stay closed to employer users; every
portal page and partner API route reads through these functions instead, so "another employer's object"
is simply not in the queryset (a 404, the same as an id that does not exist).

- access: an active user with the employer role and a membership of an employer whose partnership is
  not ended (ended: no access, with a message at sign-in); paused: read-only.
- openings: their employer's openings, every status (drafts and submitted ones are theirs too).
- referrals: their employer's referrals from the moment they were shared; one withdrawn or rejected
  stays visible (reference code only) for WITHDRAWN_VISIBLE_DAYS days after the move, then leaves.
- placements: their employer's placements.
- notifications: their employer's portal notifications (one inbox per employer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.roles import Role
from jobs.models import (
    Employer,
    EmployerMembership,
    JobOpening,
    MembershipRole,
    PartnershipStatus,
    Placement,
    PortalNotification,
    Referral,
    Stage,
    StageChange,
)

WITHDRAWN_VISIBLE_DAYS = 30
# Stages at which the employer has (or had) the candidate: from "shared" on.
SHARED_STAGES = (Stage.SHARED, Stage.INTERVIEW, Stage.OFFER, Stage.HIRE_REPORTED, Stage.HIRED)
CLOSED_STAGES = (Stage.REJECTED, Stage.WITHDRAWN)


@dataclass(frozen=True)
class PartnerAccess:
    membership: EmployerMembership
    employer: Employer
    read_only: bool  # a paused partnership

    @property
    def is_employer_admin(self) -> bool:
        return self.membership.role == MembershipRole.ADMIN


def membership_of(user) -> EmployerMembership | None:
    """The user's membership, whatever the partnership's state (None for staff and strangers)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return None
    if not user.has_role(Role.EMPLOYER):
        return None
    return (
        EmployerMembership.objects.select_related("employer")
        .filter(user=user, employer__organisation_id=user.organisation_id)
        .first()
    )


def partner_access(user) -> PartnerAccess | None:
    """What the portal lets this user do: None when they are no portal user or the partnership ended."""
    membership = membership_of(user)
    if membership is None or membership.employer.partnership_status == PartnershipStatus.ENDED:
        return None
    return PartnerAccess(
        membership=membership,
        employer=membership.employer,
        read_only=membership.employer.partnership_status == PartnershipStatus.PAUSED,
    )


def _employer_id(user, access: PartnerAccess | None = None) -> int | None:
    """The user's employer; `access`: partner_access(user) already looked up for this request (saves the
    query; it must be the same user's)."""
    access = access if access is not None and access.membership.user_id == user.pk else partner_access(user)
    return access.employer.pk if access else None


def partner_openings(user, *, access: PartnerAccess | None = None) -> QuerySet[JobOpening]:
    employer_id = _employer_id(user, access)
    if employer_id is None:
        return JobOpening.objects.none()
    return JobOpening.objects.filter(employer_id=employer_id)


def partner_referrals(user, *, now=None) -> QuerySet[Referral]:
    """Referrals the employer has (or had) in hand: shared or later; closed ones for 30 days, and only if
    they had been shared (a referral withdrawn before sharing was never the employer's to see)."""
    employer_id = _employer_id(user)
    if employer_id is None:
        return Referral.objects.none()
    now = now or timezone.now()
    was_shared = Exists(StageChange.objects.filter(referral=OuterRef("pk"), to_stage=Stage.SHARED))
    recent = now - timedelta(days=WITHDRAWN_VISIBLE_DAYS)
    return Referral.objects.filter(opening__employer_id=employer_id).filter(
        Q(stage__in=SHARED_STAGES)
        | (Q(stage__in=CLOSED_STAGES, stage_changed_at__gte=recent) & Q(was_shared))
    )


def partner_placements(user, *, access: PartnerAccess | None = None) -> QuerySet[Placement]:
    employer_id = _employer_id(user, access)
    if employer_id is None:
        return Placement.objects.none()
    return Placement.objects.filter(opening__employer_id=employer_id)


def partner_notifications(user) -> QuerySet[PortalNotification]:
    """The employer's portal notifications, newest first, with the person they are about."""
    employer_id = _employer_id(user)
    if employer_id is None:
        return PortalNotification.objects.none()
    return (
        PortalNotification.objects.filter(employer_id=employer_id)
        .select_related("placement__applicant", "referral__applicant")
        .order_by("-created_at", "-pk")
    )
