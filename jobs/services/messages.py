"""The message thread of a referral: posting a message, recording that the other side has read it.

Who may post (issue 16): the portal users of the referral's employer while the referral is in their hands
and its packet shows (jobs.selectors.messages.partner_thread_referral), not while the partnership is
paused (read-only) and never once it ended; staff who may write the referral (Referral.editable_by), while
the referral is shared or later and not closed. Staff who may only read the referral see the thread
read-only. Messages are plain text: stored as written (a NUL character refused), escaped on output.
Nobody is e-mailed per message: the periodic digest (services/partner_emails.py) tells the other side.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit import record_change
from casework.models import User
from jobs.models import MESSAGE_MAX_LENGTH, MessageSide, Referral, ReferralMessage
from jobs.selectors.messages import partner_thread_referral, side_of, staff_may_write_thread, thread_open
from jobs.selectors.partner import partner_access


def _clean_body(value) -> str:
    body = str(value if value is not None else "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise ValidationError({"body": _("Write a message before sending it.")})
    if "\x00" in body:
        raise ValidationError({"body": _("The message contains a null character: remove it and send again.")})
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _(
                    "A message can be at most %(limit)d characters long; this one has %(count)d. "
                    "Shorten it or send it in two parts."
                )
                % {"limit": MESSAGE_MAX_LENGTH, "count": len(body)}
            }
        )
    return body


def _require_may_post(by: User, referral: Referral, side: str) -> None:
    if side == MessageSide.EMPLOYER:
        access = partner_access(by)
        if access is None or access.employer.pk != referral.opening.employer_id:
            raise PermissionDenied
        if partner_thread_referral(by, referral.pk) is None:
            raise PermissionDenied
        if access.read_only:
            raise PermissionDenied(_("The partnership is paused: the portal is read-only."))
        return
    if not staff_may_write_thread(by, referral):
        raise PermissionDenied
    if not thread_open(referral):
        raise ValidationError(
            {
                "body": _(
                    "Messages can be sent only while the employer has this candidate: from “shared” on, "
                    "and not once the referral is closed."
                )
            }
        )


@transaction.atomic
def referral_message_post(*, by: User, referral: Referral, body: str) -> ReferralMessage:
    """Post a message to the referral's thread, for the side the author belongs to."""
    if not (by.is_active and by.organisation_id == referral.opening.employer.organisation_id):
        raise PermissionDenied
    side = side_of(by)
    _require_may_post(by, referral, side)
    message = ReferralMessage.objects.create(referral=referral, side=side, author=by, body=_clean_body(body))
    record_change(actor=by, instance=message, before=None, applicant_id=referral.applicant_id)
    return message


def referral_messages_mark_read(*, by: User, referral: Referral) -> int:
    """The reader has seen the other side's messages: they leave the next digest. One UPDATE.

    Only a reader who may answer counts (an employer user of the thread; staff who may write the
    referral): a teammate reading the thread read-only leaves the messages unread for the caseworker."""
    side = side_of(by)
    if side == MessageSide.EMPLOYER:
        access = partner_access(by)
        if access is None or access.employer.pk != referral.opening.employer_id:
            return 0
        other = MessageSide.ORGANISATION
    else:
        if not staff_may_write_thread(by, referral):
            return 0
        other = MessageSide.EMPLOYER
    return ReferralMessage.objects.filter(referral_id=referral.pk, side=other, read_at__isnull=True).update(
        read_at=timezone.now()
    )
