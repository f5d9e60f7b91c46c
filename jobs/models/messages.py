"""The message thread of a referral: plain text between the employer's portal users and the organisation.

A message belongs to one side (the employer or the organisation). `read_at` is when the other side first
opened the thread after it arrived; `digested_at` when the periodic digest claimed it (once, whoever was
told). The employer reaches a thread only through jobs.selectors.partner; staff through visible_to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobs.models.referrals import Referral

MESSAGE_MAX_LENGTH = 4000  # characters: a message, not a document (no attachments)


class MessageSide(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    ORGANISATION = "organisation", _("Organisation")


class ReferralMessageQuerySet(models.QuerySet["ReferralMessage"]):
    def visible_to(self, user) -> ReferralMessageQuerySet:
        """Staff: the messages of the referrals they may read (employer users: through the partner door)."""
        return self.filter(referral__in=Referral.objects.visible_to(user).values("pk"))


class ReferralMessage(models.Model):
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="messages", verbose_name=_("referral")
    )
    side = models.CharField(_("side"), max_length=12, choices=MessageSide.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    digested_at = models.DateTimeField(_("in a digest"), null=True, blank=True, editable=False)

    objects = ReferralMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["referral", "created_at", "pk"]
        indexes = [
            models.Index(fields=["referral", "created_at"], name="message_thread_idx"),
            # The digest: messages nobody has been told about yet.
            models.Index(
                fields=["created_at"],
                condition=models.Q(digested_at__isnull=True, read_at__isnull=True),
                name="message_undigested_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.get_side_display()} {self.created_at:%Y-%m-%d %H:%M}"
