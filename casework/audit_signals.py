"""Sign-ins, failed sign-ins, lockouts and sign-outs into the access log, from Django's auth signals; the
notices a person gets when their password or e-mail address changes, from the user's saves.

Connected in CaseworkConfig.ready(). No password is ever stored: Django's signal has already blanked it,
and only the attempted username is kept — in full when it names an account, otherwise cut to its first
characters, because what people type into the username field is now and then their password.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from casework.audit import log_access
from casework.models import AccessLogEntry, User
from casework.services import account_notices

# How much of an unknown username is kept: enough to tell a typo of a colleague's name, too little to
# be a password.
UNKNOWN_USERNAME_KEPT = 3


def attempted_username(raw: Any) -> tuple[str, int | None]:
    """What the log keeps of a typed username, and the organisation of the account it names (if any)."""
    typed = str(raw or "").strip()[:150]
    if not typed:
        return "", None
    account = (
        get_user_model()
        ._default_manager.filter(username__iexact=typed)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if account is not None:
        return typed, account
    if len(typed) <= UNKNOWN_USERNAME_KEPT:
        return "…", None
    return typed[:UNKNOWN_USERNAME_KEPT] + "…", None


@receiver(user_logged_in, dispatch_uid="tobira_audit_sign_in")
def log_sign_in(sender, request, user, **kwargs) -> None:
    log_access(actor=user, kind=AccessLogEntry.Kind.SIGN_IN, detail=_how(request))


@receiver(user_logged_out, dispatch_uid="tobira_audit_sign_out")
def log_sign_out(sender, request, user, **kwargs) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        return  # signing out without a session: nothing happened
    # Signed out by the session limits (idle, absolute) rather than by the person: the log says which.
    reason = getattr(request, "tobira_sign_out_reason", None)
    log_access(actor=user, kind=AccessLogEntry.Kind.SIGN_OUT, detail={"reason": reason} if reason else None)


@receiver(user_login_failed, dispatch_uid="tobira_audit_sign_in_failed")
def log_sign_in_failed(sender, credentials: dict[str, Any], request=None, **kwargs) -> None:
    username, organisation_id = attempted_username(credentials.get("username"))
    detail: dict[str, Any] = {"username": username, "known_account": organisation_id is not None}
    if request is not None and getattr(request, "axes_locked_out", False):
        detail["locked_out"] = True
    log_access(
        actor=None, kind=AccessLogEntry.Kind.SIGN_IN_FAILED, detail=detail, organisation_id=organisation_id
    )


@receiver(user_locked_out, dispatch_uid="tobira_audit_locked_out")
def log_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """django-axes locked the username at this address (or refused a try while it is locked)."""
    kept, organisation_id = attempted_username(username)
    log_access(
        actor=None,
        kind=AccessLogEntry.Kind.SIGN_IN_FAILED,
        detail={"username": kept, "known_account": organisation_id is not None, "event": "locked_out"},
        organisation_id=organisation_id,
    )


def _how(request) -> dict[str, Any]:
    if request is None:
        return {}
    path = getattr(request, "path", "") or ""
    return {"path": path[:200]} if path else {}


# --- Notices of changed credentials ------------------------------------------------------------------
# Wherever a password or an address changes (a reset link, the password page, the admin, a command), the
# save of the user is the one place all of them pass, so the notices are queued from here.


@receiver(pre_save, sender=User, dispatch_uid="tobira_credentials_before")
def remember_credentials(sender, instance: User, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None:
        return  # a new account (an invitation, a service account) changed nothing
    if update_fields is not None and not {"email", "password"} & set(update_fields):
        return  # last_login, language …: no query
    instance.__dict__["_tobira_before"] = (
        User.objects.filter(pk=instance.pk).values("email", "password").first()
    )


@receiver(post_save, sender=User, dispatch_uid="tobira_credentials_after")
def notify_changed_credentials(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    before = instance.__dict__.pop("_tobira_before", None)
    if created or raw or before is None:
        return
    # set_password() keeps the new raw password until the save is over; Django's own re-hashing of a
    # password at sign-in (a newer hasher) does not, and is no change for the person.
    chosen = getattr(instance, "_password", None) is not None
    first_password = not before["password"] or before["password"].startswith("!")  # an invitee's first
    if chosen and before["password"] != instance.password and not first_password:
        account_notices.password_changed_notify(user=instance)
    if before["email"] and before["email"].strip().casefold() != (instance.email or "").strip().casefold():
        account_notices.email_changed_notify(user=instance, old_address=before["email"])
