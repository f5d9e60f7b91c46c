"""Security notices to a person: their password was changed; their e-mail address was changed (written to
the old address, naming the new one masked). Queued in the outbox like every Tobira e-mail, in the
person's language; the body is stored for the outbox and never logged."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils import timezone

from casework.deadlines.delivery import queue_notification_email
from casework.models import OutgoingEmail, User

PASSWORD_CHANGED = "casework.password_changed"
EMAIL_CHANGED = "casework.email_changed"


def mask_email(address: str) -> str:
    """`maria.lopez@example.org` → `m•••z@example.org`: enough to recognise, too little to reuse."""
    local, _at, domain = (address or "").strip().rpartition("@")
    if not local:
        return "•••" if address else ""
    kept = local[0] + "•••" + (local[-1] if len(local) > 3 else "")
    return f"{kept}@{domain}"


def _target() -> str:
    # Every change is its own notice: the outbox keeps one e-mail per (recipient, kind, target).
    return uuid.uuid4().hex[:16]


def password_changed_notify(*, user: User) -> OutgoingEmail | None:
    """Tell the person their password was changed (by them, by a reset link, or by an administrator)."""
    return queue_notification_email(
        user=user,
        kind=PASSWORD_CHANGED,
        target=_target(),
        template="casework/email/password_changed",
        context={"changed_at": timezone.localtime(), "reset_path": reverse("password_reset")},
    )


def email_changed_notify(*, user: User, old_address: str) -> OutgoingEmail | None:
    """Tell the old address that the account's address changed, and to what (masked)."""
    old_address = (old_address or "").strip()
    if not old_address or old_address.casefold() == (user.email or "").strip().casefold():
        return None
    return queue_notification_email(
        user=user,
        kind=EMAIL_CHANGED,
        target=_target(),
        to_address=old_address,
        template="casework/email/email_changed",
        context={"changed_at": timezone.localtime(), "new_address": mask_email(user.email)},
    )
