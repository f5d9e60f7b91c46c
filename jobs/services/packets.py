"""What follows from the share packet: its reads in the access log, and a revoked consent's referrals.

- log_packet_reads: every portal or partner API read of packets writes casework's access log (one entry
  per person, in one query), kind "share packet viewed".
- withdraw_on_consent_revoked: registered with casework (register_consent_revoked_handler, jobs/apps.py)
  and called inside consent_revoke's transaction. A share-with-employer consent revoked: the person's
  referrals to that employer that are not hired yet and that no other current consent covers become
  "withdrawn: consent revoked", with their stage history and change history. The packet itself needs
  nothing: it is built from the current consent at each request (jobs.selectors.packets).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.audit import log_access_many, record_change, snapshot
from casework.models import AccessLogEntry, Consent, ConsentPurpose, User
from casework.selectors.consent import consents_allow
from jobs import rules
from jobs.models import ReasonCode, Referral, Stage, StageChange
from jobs.selectors.partner import PartnerAccess


def log_packet_reads(
    *, user: Any, access: PartnerAccess, referrals: Iterable[Referral], packets: dict[int, Any], door: str
) -> int:
    """Log the reads of the packets shown (those that are not None): `door` is "portal" or "api"."""
    shown = [referral for referral in referrals if packets.get(referral.pk) is not None]
    if not shown:
        return 0
    return log_access_many(
        actor=user,
        kind=AccessLogEntry.Kind.SHARE_PACKET_VIEW,
        applicant_ids=[referral.applicant_id for referral in shown],
        object_label=access.employer.name,
        detail={
            "door": door,
            "employer_id": access.employer.pk,
            "referral_ids": [referral.pk for referral in shown],
        },
    )


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def _names(consent: Consent, ref: str, name: str) -> bool:
    """Does the consent name this employer (by reference, or by name when it was recorded without one)."""
    if consent.employer_ref:
        return consent.employer_ref == ref
    return bool(consent.employer_name) and _key(consent.employer_name) == _key(name)


@transaction.atomic
def withdraw_on_consent_revoked(*, by: User, consent: Consent) -> int:
    """Withdraw (reason consent_revoked) the person's open referrals the revoked consent leaves uncovered;
    their count."""
    if consent.purpose != ConsentPurpose.SHARE_WITH_EMPLOYER:
        return 0
    today = timezone.localdate()
    consents = list(Consent.objects.filter(applicant_id=consent.applicant_id))
    referrals = list(
        Referral.objects.select_for_update(of=("self",))
        .select_related("opening__employer")
        .filter(applicant_id=consent.applicant_id, stage__in=rules.OPEN_STAGES)
        .order_by("pk")
    )
    moved = 0
    now = timezone.now()
    for referral in referrals:
        employer = referral.opening.employer
        ref = rules.employer_ref(employer.pk)
        # Only referrals to the employer this consent named, and only when no other consent covers them.
        if not _names(consent, ref, employer.name):
            continue
        if consents_allow(
            consents,
            ConsentPurpose.SHARE_WITH_EMPLOYER,
            on=today,
            employer_ref=ref,
            employer_name=employer.name,
        ):
            continue
        before = snapshot(referral)
        previous = referral.stage
        referral.stage = Stage.WITHDRAWN
        referral.reason_code = ReasonCode.CONSENT_REVOKED
        referral.reason_text = ""
        referral.stage_changed_at = now
        referral.version += 1
        referral.save(
            update_fields=["stage", "reason_code", "reason_text", "stage_changed_at", "version", "updated_at"]
        )
        StageChange.objects.create(
            referral=referral,
            from_stage=previous,
            to_stage=Stage.WITHDRAWN,
            reason_code=ReasonCode.CONSENT_REVOKED,
            by=by,
            at=now,
        )
        record_change(actor=by, instance=referral, before=before, applicant_id=referral.applicant_id)
        moved += 1
    return moved
