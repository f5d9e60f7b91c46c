"""Builders for reminder tests: reminders and notifications made directly, many in a few queries.

Rows are written as the sweep and delivery would leave them (a live reminder, delivered, with one
notification per recipient); tests about the sweep or delivery themselves use those services.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from django.utils import timezone

from casework.models import Applicant, Notification, OutgoingEmail, Reminder, User
from casework.models.reminders import OVERDUE

_source_ids = count(900_000)


def make_reminder(
    applicant: Applicant,
    *,
    kind: str = "period_end",
    deadline: date | None = None,
    offset: str = "-30",
    source_id: int | None = None,
    notify: list[User] | None = None,
    delivered: bool = True,
    urgent: bool = False,
    state: str = Reminder.State.LIVE,
    purpose: str = Notification.Purpose.REMINDER,
) -> Reminder:
    """A reminder of a deadline (by default 20 days ahead), delivered to `notify`."""
    today = timezone.localdate()
    deadline = deadline or today + timedelta(days=20)
    due_on = deadline + timedelta(days=1) if offset == OVERDUE else deadline + timedelta(days=_days(offset))
    reminder = Reminder.objects.create(
        organisation_id=applicant.organisation_id,
        applicant=applicant,
        source_kind=kind,
        source_id=source_id if source_id is not None else next(_source_ids),
        deadline_date=deadline,
        offset=offset,
        due_on=min(due_on, today),
        urgent=urgent,
        state=state,
        delivered_at=timezone.now() - timedelta(days=2) if delivered else None,
    )
    for user in notify or []:
        Notification.objects.create(recipient=user, reminder=reminder, purpose=purpose)
    return reminder


def _days(offset: str) -> int:
    try:
        return int(offset)
    except ValueError:
        return 0


def bulk_notifications(
    user: User, applicants: list[Applicant], *, per_applicant: int = 1
) -> list[Notification]:
    """`per_applicant` delivered reminders per applicant, each notified to `user` (two bulk inserts)."""
    today = timezone.localdate()
    # The kinds alternate over all the rows made (not per person), so any page of them holds both kinds:
    # a page's cost depends on the kinds on it (one detail query per kind that describes its records).
    serial = iter(range(len(applicants) * per_applicant))
    reminders = Reminder.objects.bulk_create(
        [
            Reminder(
                organisation_id=applicant.organisation_id,
                applicant=applicant,
                source_kind="period_end" if next(serial) % 2 else "reporting_date",
                source_id=next(_source_ids),
                deadline_date=today + timedelta(days=10 + index % 60),
                offset="-14",
                due_on=today,
                urgent=index % 3 == 0,
                delivered_at=timezone.now(),
            )
            for applicant in applicants
            for index in range(per_applicant)
        ],
        batch_size=500,
    )
    return Notification.objects.bulk_create(
        [Notification(recipient=user, reminder=reminder) for reminder in reminders], batch_size=500
    )


def failed_email(user: User, *, reason: str = "SMTPRecipientsRefused: 550 no such user") -> OutgoingEmail:
    number = next(_source_ids)
    return OutgoingEmail.objects.create(
        recipient=user,
        purpose=OutgoingEmail.Purpose.DIGEST,
        topic=f"digest:test-{number}",
        to_address=user.email or "nobody@example.org",
        subject="Tobira: your reminders",
        body="…",
        message_id=f"<digest.{user.pk}.{number}@tobira.test>",
        state=OutgoingEmail.State.FAILED,
        attempts=5,
        last_error=reason,
    )
