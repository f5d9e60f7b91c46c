"""Reminders: one row per (deadline, offset), the state of each deadline, and the delivery outbox.

DESIGN.md "Reminders: the semantics". A deadline is (source kind, source id, deadline date); an offset
is signed days relative to it ("-30"), or "on_record" (fires when the record is saved), or "overdue".
Rows are created exactly once by a unique constraint; delivery is an outbox: in-app notifications
exactly once (unique), e-mail at least once with a lease and a stable Message-ID.

The e-mail outbox also carries notifications that are not reminders (0015_outbox_notifications): purpose
"notification", a `kind` naming what sends it ("jobs.invitation") and a `target` (the object's id); their
topic is "<kind>:<target>". Like reminder e-mails, their subject and body are rendered when queued, in
the recipient's language, by the app that queues them (casework.deadlines.delivery.queue_notification_email
renders the app's templates; casework never imports the apps above it), and stored in the row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models.accounts import Organisation
from casework.models.applicants import Applicant

ON_RECORD = "on_record"
OVERDUE = "overdue"


class Reminder(models.Model):
    class State(models.TextChoices):
        LIVE = "live", _("Live")
        SKIPPED = "skipped", _("Skipped (a more urgent one was due)")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="reminders")
    source_kind = models.CharField(_("deadline kind"), max_length=40)
    source_id = models.BigIntegerField()
    deadline_date = models.DateField(_("deadline"))
    offset = models.CharField(_("offset"), max_length=12)  # "-30", "+45", "on_record", "overdue"
    due_on = models.DateField(_("due on"))
    urgent = models.BooleanField(_("urgent"), default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.LIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)  # notifications created
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id", "deadline_date", "offset"], name="reminder_exactly_once"
            )
        ]
        indexes = [
            models.Index(fields=["source_kind", "state", "source_id"], name="reminder_source_state_idx"),
            # What is left to deliver: live and undelivered only. Skipped rows are never delivered and
            # stay (tens of thousands at 100,000 people, more every day): an index over every
            # undelivered row made each delivery round walk all of them (0009_reminder_indexes).
            models.Index(
                fields=["due_on"],
                name="reminder_to_deliver_idx",
                condition=Q(state="live", delivered_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_kind}#{self.source_id} {self.deadline_date} {self.offset}"


class DeadlineState(models.Model):
    """Per deadline: acknowledged (by anyone: it acknowledges all its reminders), snoozed, escalated."""

    source_kind = models.CharField(max_length=40)
    source_id = models.BigIntegerField()
    deadline_date = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snoozed_until = models.DateField(null=True, blank=True)
    snoozed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deadline state")
        verbose_name_plural = _("deadline states")
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id", "deadline_date"], name="deadline_state_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_kind}#{self.source_id} {self.deadline_date}"


class Notification(models.Model):
    """An in-app notification: exactly one per reminder, recipient and purpose."""

    class Purpose(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="notifications")
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.REMINDER)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient", "purpose"], name="notification_exactly_once"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # The daily digest reads the notifications of the last day (0009_reminder_indexes).
            models.Index(fields=["created_at"], name="notification_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.reminder}"


class OutgoingEmail(models.Model):
    """The e-mail outbox: claimed with a conditional update and a lease, retried, failed with a reason."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        URGENT = "urgent", _("Urgent reminder")
        DIGEST = "digest", _("Daily digest")
        ESCALATION = "escalation", _("Escalation")
        NOTIFICATION = "notification", _("Notification")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    # What the message is about, unique per recipient so a message is queued once:
    # "reminder:<id>", "escalation:<id>", "digest:<YYYY-MM-DD>" or, for a notification, "<kind>:<target>".
    topic = models.CharField(max_length=60)
    # Notifications only (empty for reminder e-mails): who sends it and about what ("jobs.invitation", "12").
    kind = models.CharField(max_length=40, blank=True, default="")
    target = models.CharField(max_length=40, blank=True, default="")
    to_address = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    message_id = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "topic"], name="email_once_per_topic")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="email_pending_idx")]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"
