"""Portal users of an employer (memberships) and the invitations that create them (the portal issue).

An employer user is a Tobira user with the employer role and exactly one membership. Staff doors
(`visible_to` of the jobs models, the staff API) stay closed to them; everything the portal shows goes
through jobs.selectors.partner, which starts from the membership.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.models.employers import Employer

INVITATION_DAYS = 7  # an invitation link works for a week, once


class MembershipRole(models.TextChoices):
    """Employer admins invite and remove colleagues; members work with openings and candidates."""

    ADMIN = "admin", _("Employer administrator")
    MEMBER = "member", _("Member")


class EmployerMembership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="employer_membership",
        verbose_name=_("user"),
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("employer")
    )
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("portal user")
        verbose_name_plural = _("portal users")
        ordering = ["employer", "-role", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.employer}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use link, valid INVITATION_DAYS days, to become a portal user of an employer. Only the
    token's SHA-256 is stored: the token itself is in the e-mail and nowhere else."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("employer")
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The inactive user created with the invitation (so the outbox can write to them in their language);
    # it becomes active when the invitee sets a password.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("user"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per address and employer (a new one replaces the old: the service
            # withdraws it first).
            models.UniqueConstraint(
                fields=["employer", "email"],
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="invitation_one_open_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.employer}"
