"""Reads of a referral's message thread: the thread itself, whether a side may see it, unread counts.

Staff read a thread through Referral.visible_to (the people whose case they may read) and write it when
the referral is in Referral.editable_by. An employer user reads it through jobs.selectors.partner only,
and only while the referral is in their hands (shared, interview, offer, hire reported, hired) with a
packet to show: a withdrawn or rejected referral, or one whose consent is no longer current, has no thread
for the employer (a 404, like another employer's).
"""

from __future__ import annotations

from django.db.models import QuerySet

from jobs.models import MessageSide, Referral, ReferralMessage
from jobs.selectors.packets import share_packet
from jobs.selectors.partner import SHARED_STAGES, membership_of, partner_referrals


def thread_open(referral: Referral) -> bool:
    """The thread takes messages while the employer has the candidate in hand."""
    return referral.stage in SHARED_STAGES


def thread_messages(referral: Referral) -> QuerySet[ReferralMessage]:
    """The thread, oldest first, with its authors (one query, however many messages)."""
    return (
        ReferralMessage.objects.filter(referral_id=referral.pk)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def partner_thread_referral(user, pk: int, *, packet: dict | None = None) -> Referral | None:
    """The referral whose thread the employer user may use, or None (another employer's, not shared, closed,
    no packet). `packet`: the packet the caller already built for this referral (the candidate page)."""
    referral = (
        partner_referrals(user)
        .filter(pk=pk, stage__in=SHARED_STAGES)
        .select_related("applicant", "opening")
        .first()
    )
    if referral is None:
        return None
    if (packet if packet is not None else share_packet(referral)) is None:
        return None
    return referral


def staff_may_write_thread(user, referral: Referral) -> bool:
    return Referral.objects.editable_by(user).filter(pk=referral.pk).exists()


def side_of(user) -> str:
    """The side a user writes for: an employer user for the employer, anyone else for the organisation."""
    return MessageSide.EMPLOYER if membership_of(user) is not None else MessageSide.ORGANISATION
