"""Reads of interview proposals and of the terms an employer gave: for the staff referral page (through
the staff doors) and for the portal and the partner API (through jobs.selectors.partner)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from jobs.models import (
    EmploymentTerms,
    Interview,
    InterviewProposal,
    ProposalSlot,
    Referral,
    TermsKind,
)
from jobs.selectors.partner import partner_referrals


def _with_slots(proposals: QuerySet[InterviewProposal]) -> QuerySet[InterviewProposal]:
    return proposals.prefetch_related(
        Prefetch("slots", queryset=ProposalSlot.objects.order_by("starts_at", "pk"))
    ).select_related("interview")


def staff_proposals(*, user, referral: Referral) -> list[InterviewProposal]:
    """A referral's proposals, newest first, for staff who may read the referral."""
    rows = InterviewProposal.objects.visible_to(user).filter(referral=referral)
    return list(_with_slots(rows).select_related("proposed_by", "decided_by").order_by("-proposed_at", "-pk"))


def staff_proposal(*, user, pk: int) -> InterviewProposal | None:
    return InterviewProposal.objects.visible_to(user).select_related("referral").filter(pk=pk).first()


def last_hire_terms(referral: Referral) -> EmploymentTerms | None:
    """The terms given with the latest hire report (the staff confirm form starts from them)."""
    return referral.terms.filter(kind=TermsKind.HIRE_REPORT).order_by("-recorded_at", "-pk").first()


def partner_proposals(user) -> QuerySet[InterviewProposal]:
    """The employer's proposals, on referrals it has in hand (another employer's: not there)."""
    return _with_slots(
        InterviewProposal.objects.filter(referral__in=partner_referrals(user).values("pk"))
    ).order_by("-proposed_at", "-pk")


def partner_interviews(user) -> QuerySet[Interview]:
    """The interviews of the employer's referrals (another employer's: not there)."""
    return Interview.objects.filter(referral__in=partner_referrals(user).values("pk")).order_by(
        "starts_at", "pk"
    )


def partner_terms(user, *, kind: str) -> QuerySet[EmploymentTerms]:
    """The offers (or hire reports) the employer recorded, on referrals it has in hand."""
    return (
        EmploymentTerms.objects.filter(referral__in=partner_referrals(user).values("pk"), kind=kind)
        .select_related("referral")
        .order_by("-recorded_at", "-pk")
    )
