"""E-mails about the portal's candidates: "new candidate" to the employer, and the message digest.

Both go through casework's outbox as notifications (kind + target, rendered in the recipient's language,
a stable Message-ID, sent at least once). They hold no personal data beyond the person's reference code
and given name, and a link to the page where the rest is (behind sign-in).

- "New candidate" (kind jobs.new_candidate, target the referral): when a referral becomes "shared", to the
  employer's active portal users; once per referral and user.
- The message digest (kind jobs.messages, target the newest message it covers): a message sends no e-mail
  of its own; the periodic task (jobs.tasks.send_message_digests) claims the messages nobody has read or
  been told about yet with a conditional update (each message is in one digest only, however many runs
  overlap) and sends each recipient one e-mail listing them: the person's caseworker (or, without one,
  their team's supervisors) for the employer's messages, the employer's active portal users for the
  organisation's. Running it again sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casework.deadlines.delivery import (
    notification_email_compose,
    notification_emails_queue,
    recipients_for,
)
from casework.models import User
from jobs.models import EmployerMembership, MessageSide, PartnershipStatus, Referral, ReferralMessage
from jobs.selectors.packets import share_packets
from jobs.selectors.partner import SHARED_STAGES

NEW_CANDIDATE_KIND = "jobs.new_candidate"
DIGEST_KIND = "jobs.messages"
DIGEST_BATCH = 1000  # messages claimed per round; rounds repeat until none is left


def _portal_recipients(employer_ids: set[int]) -> dict[int, list[User]]:
    """The active portal users (people, not service accounts) of employers whose partnership has not ended."""
    people: dict[int, list[User]] = defaultdict(list)
    if not employer_ids:
        return people
    rows = (
        EmployerMembership.objects.filter(
            employer_id__in=employer_ids, user__is_active=True, user__is_service_account=False
        )
        .exclude(employer__partnership_status=PartnershipStatus.ENDED)
        .exclude(Q(user__email="") | Q(user__email__isnull=True))
        .select_related("user")
        .order_by("employer_id", "user_id")
    )
    for membership in rows:
        people[membership.employer_id].append(membership.user)
    return people


def new_candidate_emails_queue(*, referral: Referral) -> int:
    """Tell the employer's portal users a candidate was shared with them (inside the move's transaction)."""
    employer_id = referral.opening.employer_id
    people = _portal_recipients({employer_id})[employer_id]
    context = {
        "reference_code": referral.applicant.reference_code,
        "given_name": referral.applicant.given_name,
        "opening_title": referral.opening.title,
        "link_path": reverse("partner_candidate", args=[referral.pk]),
    }
    return notification_emails_queue(
        [
            notification_email_compose(
                user=user,
                kind=NEW_CANDIDATE_KIND,
                target=str(referral.pk),
                template="jobs/email/new_candidate",
                context=context,
            )
            for user in people
        ]
    )


def _claim(now: datetime) -> list[int]:
    """Claim a batch of undigested, unread messages: the ids this call marked (a conditional update under
    row locks, skipping rows another digest holds)."""
    pending = list(
        ReferralMessage.objects.select_for_update(skip_locked=True)
        .filter(digested_at__isnull=True, read_at__isnull=True, created_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:DIGEST_BATCH]
    )
    if not pending:
        return []
    ReferralMessage.objects.filter(pk__in=pending, digested_at__isnull=True).update(digested_at=now)
    return pending


def _digest_round(now: datetime) -> tuple[int, int]:
    """One round in one transaction: (messages claimed, e-mails queued)."""
    with transaction.atomic():
        claimed = _claim(now)
        if not claimed:
            return 0, 0
        messages = list(
            ReferralMessage.objects.filter(pk__in=claimed)
            .select_related(
                "referral__applicant__caseworker", "referral__applicant__team", "referral__opening"
            )
            .prefetch_related("referral__applicant__team__supervisors")
            .order_by("pk")
        )
        referrals = {message.referral_id: message.referral for message in messages}
        staff = recipients_for(list({r.applicant_id: r.applicant for r in referrals.values()}.values()))
        to_employer = [r for r in referrals.values() if r.stage in SHARED_STAGES]
        packets = share_packets(to_employer)
        portal = _portal_recipients({r.opening.employer_id for r in to_employer if packets.get(r.pk)})
        # (recipient, is a portal user) → (user, referral id → number of new messages, message ids)
        inbox: dict[tuple[int, bool], tuple[User, dict[int, int], list[int]]] = {}
        for message in messages:
            referral = message.referral
            to_portal = message.side == MessageSide.ORGANISATION
            if not to_portal:
                readers = staff.get(referral.applicant_id, [])
            elif packets.get(referral.pk):
                readers = portal.get(referral.opening.employer_id, [])
            else:
                readers = []  # the employer no longer has the candidate: nobody to tell
            for user in readers:
                entry = inbox.setdefault((user.pk, to_portal), (user, defaultdict(int), []))
                entry[1][referral.pk] += 1
                entry[2].append(message.pk)
        emails = []
        for (_pk, employer_side), (user, counts, ids) in inbox.items():
            items: list[dict[str, Any]] = [
                {
                    "reference_code": referrals[pk].applicant.reference_code,
                    "given_name": referrals[pk].applicant.given_name,
                    "count": count,
                    "link_path": reverse("partner_candidate", args=[pk])
                    if employer_side
                    else reverse("jobs:referral_detail", args=[pk]),
                }
                for pk, count in counts.items()
            ]
            emails.append(
                notification_email_compose(
                    user=user,
                    kind=DIGEST_KIND,
                    target=str(max(ids)),
                    template="jobs/email/message_digest",
                    context={"items": items, "total": len(ids)},
                )
            )
        return len(claimed), notification_emails_queue(emails)


def message_digests_queue(*, now: datetime | None = None) -> int:
    """Queue one digest e-mail per recipient of the messages nobody has read or been told about: the number
    of e-mails queued. Safe to run twice or concurrently: a message is claimed once."""
    now = now or timezone.now()
    queued = 0
    while True:
        claimed, emails = _digest_round(now)
        queued += emails
        if claimed < DIGEST_BATCH:
            return queued
