"""Portal notifications: what the partner portal tells an employer (one row per event, read per employer)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobs.models.employers import Employer
from jobs.models.placements import Placement
from jobs.models.referrals import Referral


class PortalNotificationKind(models.TextChoices):
    MAY_WORK_UNTIL_SOON = "may_work_until_soon", _("Right to work ends soon")
    MAY_WORK_UNTIL_CHANGED = "may_work_until_changed", _("Right to work date changed")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")


class PortalNotificationQuerySet(models.QuerySet["PortalNotification"]):
    def visible_to(self, user) -> PortalNotificationQuerySet:
        """The notifications of the employer the user is a portal user of (staff: none; the partner
        selectors add the partnership's state)."""
        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return self.none()
        return self.filter(employer__memberships__user=user, employer__organisation_id=user.organisation_id)


class PortalNotification(models.Model):
    """One thing the portal tells an employer, created once (`key` is unique per employer, so the daily
    task can run twice); `read_at` is shared by the employer's portal users (one inbox per employer)."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="portal_notifications", verbose_name=_("employer")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PortalNotificationKind.choices)
    # What it is about: a placed worker (the kinds above) or a referral (other kinds may use it).
    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placement"),
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referral"),
    )
    day = models.DateField(_("date"), null=True, blank=True)  # the date it is about (may work until, due)
    key = models.CharField(max_length=80, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = PortalNotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal notification")
        verbose_name_plural = _("portal notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["employer", "-created_at", "-id"], name="portalnote_employer_idx")]
        constraints = [models.UniqueConstraint(fields=["employer", "key"], name="portalnote_once_per_key")]

    def __str__(self) -> str:
        return f"{self.employer}: {self.kind}"
