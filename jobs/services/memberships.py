"""Portal users of an employer: inviting, accepting an invitation, withdrawing it, removing a member.

Who may act (issue 16, DESIGN.md "Partner portal"):
- supervisors and administrators, for any employer of their organisation;
- an employer administrator (membership role admin), for their own employer only, and not while the
  partnership is paused (the portal is read-only then).
Only administrators invite; the first person invited to an employer without members is an admin,
whatever was asked. Nobody is invited to, or accepts for, an employer whose partnership ended.

An invitation creates (or reuses) an INACTIVE user with the employer role, so the invitation e-mail can
be written in their language; accepting sets their password and activates them. The token is only in the
e-mail link: the database keeps its SHA-256. Removing a member deactivates the user (their open session
ends on the next request: Django's auth middleware rejects inactive users) and deletes the membership.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.deadlines.delivery import queue_notification_email
from casework.models import ChangeRecord, User
from casework.roles import Role
from casework.services.accounts import user_set_roles
from jobs.models import Employer, EmployerMembership, Invitation, MembershipRole, PartnershipStatus
from jobs.models.memberships import INVITATION_DAYS
from jobs.services.base import is_admin, require

INVITATION_EMAIL_TOPIC = "jobs.invitation:{pk}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_org_staff_manager(by: User, employer: Employer) -> bool:
    """A supervisor or administrator of the employer's organisation."""
    return (
        by.is_active
        and by.organisation_id == employer.organisation_id
        and (is_admin(by) or by.has_role(Role.SUPERVISOR))
    )


def is_employer_admin_of(by: User, employer: Employer) -> bool:
    return (
        by.is_active
        and by.has_role(Role.EMPLOYER)
        and EmployerMembership.objects.filter(
            user=by,
            employer=employer,
            role=MembershipRole.ADMIN,
            employer__organisation_id=by.organisation_id,
        ).exists()
    )


def may_manage_members(by: User, employer: Employer) -> bool:
    """Invite, withdraw and remove: staff managers, or this employer's admin while the portal is writable."""
    if is_org_staff_manager(by, employer):
        return True
    return employer.partnership_status not in (
        PartnershipStatus.ENDED,
        PartnershipStatus.PAUSED,
    ) and is_employer_admin_of(by, employer)


def _invitation_values(invitation: Invitation) -> dict:
    values = snapshot(invitation)
    values.pop("token_hash", None)  # never in the history
    return values


def _clean_email(value) -> str:
    email = str(value or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _invitee(employer: Employer, email: str, language: str) -> User:
    """The inactive employer user the invitation is for: reused when it is one, else created."""
    existing = User.objects.filter(username__iexact=email).first() or (
        User.objects.filter(email__iexact=email, is_active=False, groups__name=Role.EMPLOYER).first()
    )
    if existing is not None:
        reusable = (
            not existing.is_active
            and existing.organisation_id == employer.organisation_id
            and existing.has_role(Role.EMPLOYER)
            and not EmployerMembership.objects.filter(user=existing).exists()
        )
        if not reusable:
            raise ValidationError(
                {"email": _("This address belongs to another Tobira account: invite a different address.")}
            )
        return existing
    user = User(
        username=email,
        email=email,
        organisation_id=employer.organisation_id,
        is_active=False,
        language=language,
    )
    user.set_unusable_password()
    user.save()
    user_set_roles(user=user, roles=[Role.EMPLOYER])
    return user


@transaction.atomic
def invitation_send(
    *, by: User, employer: Employer, email: str, role: str, language: str = ""
) -> tuple[Invitation, str]:
    """Invite someone to the employer's portal; returns the invitation and the token for the e-mail link.

    An open invitation to the same address is withdrawn first (one open invitation per address)."""
    require(may_manage_members(by, employer))
    if employer.partnership_status == PartnershipStatus.ENDED:
        raise ValidationError(
            {"email": _("The partnership with this employer has ended: nobody can be invited.")}
        )
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose administrator or member.")})
    email = _clean_email(email)
    if EmployerMembership.objects.filter(employer=employer, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a portal user of this employer.")})
    if not EmployerMembership.objects.filter(employer=employer).exists():
        role = MembershipRole.ADMIN  # the first portal user administers the others
    if language not in ("", "en", "ja"):
        language = ""
    user = _invitee(employer, email, language)
    now = timezone.now()
    for open_one in Invitation.objects.select_for_update().filter(
        employer=employer, email__iexact=email, accepted_at__isnull=True, withdrawn_at__isnull=True
    ):
        before = _invitation_values(open_one)
        open_one.withdrawn_at = now
        open_one.save(update_fields=["withdrawn_at"])
        record_change(actor=by, instance=open_one, before=before, after=_invitation_values(open_one))
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        employer=employer,
        email=email,
        role=role,
        token_hash=token_hash(token),
        user=user,
        invited_by=by,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    record_change(actor=by, instance=invitation, before=None, after=_invitation_values(invitation))
    _queue_invitation_email(invitation, token)
    return invitation, token


def invitation_path(token: str) -> str:
    return reverse("partner_invitation_accept", args=[token])


def _queue_invitation_email(invitation: Invitation, token: str) -> None:
    """The invitation e-mail, in the invitee's language, through casework's outbox (sent after commit)."""
    assert invitation.user is not None
    queue_notification_email(
        user=invitation.user,
        kind="jobs.invitation",
        target=str(invitation.pk),
        template="jobs/email/invitation",
        context={
            "invitation": invitation,
            "employer_name": invitation.employer.name,
            "inviter_name": invitation.invited_by.get_full_name() or invitation.invited_by.username,
            "link_path": invitation_path(token),
            "days": INVITATION_DAYS,
        },
    )


class InvitationUnusable(Exception):
    """Why a link does not work: the page shows `message` (no detail that would reveal anything else)."""

    def __init__(self, message: str, invitation: Invitation | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.invitation = invitation


def invitation_for_token(token: str, *, now=None, lock: bool = False) -> Invitation:
    """The invitation a link is for, if it can still be accepted; else InvitationUnusable saying why.

    lock=True (inside a transaction): the row is locked first, so two submissions accept once."""
    now = now or timezone.now()
    rows = Invitation.objects.select_related("employer", "user")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(token_hash=token_hash(str(token))).first()
    if invitation is None:
        raise InvitationUnusable(_("This invitation link is not valid. Ask for a new invitation."))
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            _("This invitation has already been used. Sign in with the password you chose."), invitation
        )
    if invitation.withdrawn_at is not None:
        raise InvitationUnusable(
            _("This invitation was withdrawn. Ask the person who invited you for a new one."), invitation
        )
    if invitation.expires_at <= now:
        raise InvitationUnusable(
            _("This invitation has expired. Ask the person who invited you for a new one."), invitation
        )
    if invitation.employer.partnership_status == PartnershipStatus.ENDED:
        raise InvitationUnusable(
            _("The partnership with this employer has ended, so the invitation can no longer be used."),
            invitation,
        )
    if invitation.user is None or invitation.user.is_active:
        raise InvitationUnusable(
            _("This invitation link is not valid. Ask for a new invitation."), invitation
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, password_again: str) -> EmployerMembership:
    """Set the invitee's password, activate them and make them a portal user; the link works once."""
    invitation = invitation_for_token(token, lock=True)
    user = invitation.user
    assert user is not None
    errors: dict[str, list[str]] = {}
    if not password:
        errors["password"] = [_("Choose a password.")]
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if password and password != password_again:
        errors["password_again"] = [_("The two passwords are not the same.")]
    if errors:
        raise ValidationError(errors)
    if EmployerMembership.objects.filter(user=user).exists():
        raise InvitationUnusable(
            _("This invitation link is not valid. Ask for a new invitation."), invitation
        )
    before_user = {"is_active": user.is_active}
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    record_change(actor=user, instance=user, before=before_user, after={"is_active": True})
    membership = EmployerMembership.objects.create(
        user=user, employer=invitation.employer, role=invitation.role, invited_by=invitation.invited_by
    )
    record_change(actor=user, instance=membership, before=None)
    before = _invitation_values(invitation)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_change(actor=user, instance=invitation, before=before, after=_invitation_values(invitation))
    return membership


@transaction.atomic
def invitation_withdraw(*, by: User, invitation: Invitation) -> Invitation:
    require(may_manage_members(by, invitation.employer))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.withdrawn_at is not None:
        raise ValidationError(_("This invitation is no longer open."))
    before = _invitation_values(invitation)
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    record_change(actor=by, instance=invitation, before=before, after=_invitation_values(invitation))
    return invitation


@transaction.atomic
def member_remove(*, by: User, membership: EmployerMembership) -> None:
    """Remove a portal user: the account is deactivated (signed out on their next request), the
    membership deleted. An employer admin may not remove themselves while they are the last admin."""
    employer = membership.employer
    require(may_manage_members(by, employer))
    membership = EmployerMembership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    staff = is_org_staff_manager(by, employer)
    if not staff and membership.user_id == by.pk:
        other_admins = (
            EmployerMembership.objects.filter(employer=employer, role=MembershipRole.ADMIN)
            .exclude(pk=membership.pk)
            .exists()
        )
        if not other_admins:
            raise ValidationError(
                _("You are the only administrator: make a colleague administrator before leaving.")
            )
    user = membership.user
    record_change(
        actor=by, instance=membership, before=snapshot(membership), action=ChangeRecord.Action.DELETE
    )
    membership.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_change(actor=by, instance=user, before={"is_active": True}, after={"is_active": False})
