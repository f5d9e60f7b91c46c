"""Reminder services for people: acknowledge a deadline, snooze it, mark notifications read, make a task.

Acknowledgement is per deadline (DESIGN.md, Reminders 7): acknowledging any of its reminders
acknowledges it for everyone and ends check-ins (triage, D2) and escalation. A snooze pauses
escalation until a date, never past the day before the deadline. Only those who may act on the
reminder (selectors.reminders.reminders_actionable) reach these services; anyone else gets a 404.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casework import audit
from casework.models import DeadlineState, Notification, Reminder, Task, User
from casework.selectors.reminders import kind_label, reminders_actionable, snooze_window


def _require_actor(by: User, reminder: Reminder) -> None:
    if not reminders_actionable(user=by).filter(pk=reminder.pk).exists():
        raise Http404


def _date_text(day: date) -> str:
    return formats.date_format(day, "Y-m-d")


def _state_of(reminder: Reminder) -> DeadlineState:
    state, _created = DeadlineState.objects.get_or_create(
        source_kind=reminder.source_kind, source_id=reminder.source_id, deadline_date=reminder.deadline_date
    )
    return state


def _deadline_notifications(reminder: Reminder):
    return Notification.objects.filter(
        reminder__source_kind=reminder.source_kind,
        reminder__source_id=reminder.source_id,
        reminder__deadline_date=reminder.deadline_date,
    )


@transaction.atomic
def deadline_acknowledge(*, by: User, reminder: Reminder, now: datetime | None = None) -> DeadlineState:
    """Acknowledge the reminder's deadline (the first acknowledgement stands) and mark the user's
    notifications of that deadline read."""
    _require_actor(by, reminder)
    now = now or timezone.now()
    state = _state_of(reminder)
    before = audit.snapshot(state)
    # A conditional update: of two people acknowledging at once, the first one is recorded.
    if DeadlineState.objects.filter(pk=state.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=by
    ):
        state.refresh_from_db()
        audit.record_change(actor=by, instance=state, before=before, applicant_id=reminder.applicant_id)
    _deadline_notifications(reminder).filter(recipient_id=by.pk, read_at__isnull=True).update(read_at=now)
    return state


@transaction.atomic
def deadline_snooze(
    *, by: User, reminder: Reminder, until: date | None, today: date | None = None
) -> DeadlineState:
    """Pause escalation of the reminder's deadline until `until`: after today, at the latest T-1."""
    _require_actor(by, reminder)
    today = today or timezone.localdate()
    if until is None:
        raise ValidationError({"until": _("Choose the date to snooze until.")}, code="required")
    if until <= today:
        raise ValidationError(
            {
                "until": ValidationError(
                    _("Snooze until a day after today; %(until)s is not."),
                    code="past",
                    params={"until": _date_text(until)},
                )
            }
        )
    window = snooze_window(reminder.deadline_date, today)
    if window is None:
        raise ValidationError(
            {
                "until": ValidationError(
                    _("The deadline (%(deadline)s) is too close to snooze: deal with it or acknowledge it."),
                    code="too_close",
                    params={"deadline": _date_text(reminder.deadline_date)},
                )
            }
        )
    if until > window[1]:
        raise ValidationError(
            {
                "until": ValidationError(
                    _(
                        "Snooze until %(last)s at the latest, the day before the deadline; %(until)s is too late."
                    ),
                    code="after_deadline",
                    params={"last": _date_text(window[1]), "until": _date_text(until)},
                )
            }
        )
    state = _state_of(reminder)
    before = audit.snapshot(state)
    DeadlineState.objects.filter(pk=state.pk).update(snoozed_until=until, snoozed_by=by)
    state.refresh_from_db()
    audit.record_change(actor=by, instance=state, before=before, applicant_id=reminder.applicant_id)
    return state


def notification_mark_read(
    *, by: User, notification: Notification, now: datetime | None = None
) -> Notification:
    """Mark one of the user's own notifications read (someone else's: 404)."""
    if notification.recipient_id != by.pk:
        raise Http404
    if notification.read_at is None:
        now = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by: User, now: datetime | None = None) -> int:
    """Mark all of the user's unread notifications read; the number marked."""
    return Notification.objects.filter(recipient_id=by.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


@transaction.atomic
def task_from_reminder(*, by: User, reminder: Reminder) -> tuple[Task, bool]:
    """A task for the reminder's applicant, due on the deadline, assigned to the user, titled by the
    deadline kind. Asking twice gives the same open task: (task, created)."""
    _require_actor(by, reminder)
    title = kind_label(reminder.source_kind)[: Task._meta.get_field("title").max_length]
    existing = Task.objects.filter(
        applicant_id=reminder.applicant_id,
        assignee=by,
        title=title,
        due_date=reminder.deadline_date,
        done=False,
    ).first()
    if existing is not None:
        return existing, False
    task = Task.objects.create(
        applicant_id=reminder.applicant_id,
        title=title,
        due_date=reminder.deadline_date,
        assignee=by,
        created_by=by,
    )
    audit.record_change(actor=by, instance=task, before=None)
    return task, True
