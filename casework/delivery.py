"""Delivering reminders: recipients at delivery time, in-app notifications exactly once, and the
e-mail outbox (at least once, with a lease, a stable Message-ID, retries and a final failure reason).

DESIGN.md, Reminders 7 and 8. Every function here may run twice or concurrently with the same effect
as once: work is claimed with a conditional UPDATE, rows are created under unique constraints.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from casework import deadlines, rules
from casework.models import Applicant, DeadlineState, Notification, OutgoingEmail, Reminder, User
from casework.models.reminders import ON_RECORD, OVERDUE

logger = logging.getLogger(__name__)

# Permanent refusals: retrying cannot help (a bad address, a rejected recipient).
PERMANENT_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


def recipients_for(applicants: list[Applicant]) -> dict[int, list[User]]:
    """Resolved now, not when the reminder was made: the caseworker, or if none/inactive the supervisors."""
    result: dict[int, list[User]] = {}
    for applicant in applicants:
        worker = applicant.caseworker
        if worker is not None and worker.is_active:
            result[applicant.pk] = [worker]
        else:
            result[applicant.pk] = [user for user in applicant.team.supervisors.all() if user.is_active]
    return result


def supervisors_for(applicants: list[Applicant]) -> dict[int, list[User]]:
    return {a.pk: [u for u in a.team.supervisors.all() if u.is_active] for a in applicants}


def _applicants(ids) -> list[Applicant]:
    return list(
        Applicant.objects.filter(pk__in=set(ids))
        .select_related("caseworker", "team")
        .prefetch_related("team__supervisors")
    )


def deliver_reminders(*, reminder_ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Turn live, due, undelivered reminders into notifications; urgent ones get an e-mail at once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pending = Reminder.objects.filter(state=Reminder.State.LIVE, delivered_at__isnull=True, due_on__lte=today)
    if reminder_ids is not None:
        pending = pending.filter(pk__in=reminder_ids)
    reminders = list(pending.order_by("pk")[:5000])
    if not reminders:
        return 0
    people = recipients_for(_applicants(r.applicant_id for r in reminders))
    delivered = 0
    for reminder in reminders:
        with transaction.atomic():
            # Claim: only one deliverer wins this reminder, however many run.
            if not Reminder.objects.filter(pk=reminder.pk, delivered_at__isnull=True).update(
                delivered_at=now
            ):
                continue
            recipients = people.get(reminder.applicant_id, [])
            Notification.objects.bulk_create(
                [Notification(recipient=user, reminder=reminder) for user in recipients],
                ignore_conflicts=True,
            )
            if reminder.urgent:
                for user in recipients:
                    queue_email(
                        user=user,
                        purpose=OutgoingEmail.Purpose.URGENT,
                        topic=f"reminder:{reminder.pk}",
                        template="casework/email/reminder",
                        context={"reminders": [reminder]},
                    )
            delivered += 1
    return delivered


def _message_id(topic: str, user: User) -> str:
    domain = settings.TOBIRA_SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "tobira.local"
    return f"<{topic.replace(':', '.')}.{user.pk}@{domain}>"


def queue_email(
    *, user: User, purpose: str, topic: str, template: str, context: dict
) -> OutgoingEmail | None:
    """Render in the recipient's language and queue once per (recipient, topic)."""
    if not user.email:
        return None
    with translation.override(user.language or settings.LANGUAGE_CODE):
        full = {**context, "user": user, "site_url": settings.TOBIRA_SITE_URL}
        subject = " ".join(render_to_string(f"{template}_subject.txt", full).split())[:200]
        body = render_to_string(f"{template}.txt", full)
    email, _created = OutgoingEmail.objects.get_or_create(
        recipient=user,
        topic=topic,
        defaults={
            "purpose": purpose,
            "to_address": user.email,
            "subject": subject,
            "body": body,
            "message_id": _message_id(topic, user),
        },
    )
    return email


def _claimable(now: datetime) -> Q:
    lease = now - timedelta(minutes=settings.EMAIL_LEASE_MINUTES)
    waiting = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease)  # a claim older than the lease is free
    return Q(state=OutgoingEmail.State.PENDING) & waiting & unclaimed


def send_emails(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due. Claim each message with a conditional update, then send, then record."""
    now = now or timezone.now()
    counts: dict[str, int] = defaultdict(int)
    candidates = list(
        OutgoingEmail.objects.filter(_claimable(now)).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    connection = get_connection(fail_silently=False)
    for pk in candidates:
        claimed = OutgoingEmail.objects.filter(_claimable(now), pk=pk).update(claimed_at=now)
        if not claimed:
            counts["taken"] += 1
            continue
        email = OutgoingEmail.objects.get(pk=pk)
        email.attempts += 1
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            to=[email.to_address],
            headers={"Message-ID": email.message_id},
            connection=connection,
        )
        try:
            message.send()
        except PERMANENT_ERRORS as error:
            _fail(email, error, now)
            counts["failed"] += 1
        except (smtplib.SMTPException, OSError) as error:
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                _fail(email, error, now)
                counts["failed"] += 1
            else:
                backoff = timedelta(minutes=2 ** (email.attempts - 1))  # 1, 2, 4, 8 … minutes
                OutgoingEmail.objects.filter(pk=pk).update(
                    attempts=email.attempts,
                    claimed_at=None,
                    next_attempt_at=now + backoff,
                    last_error=_reason(error),
                )
                counts["retry"] += 1
        else:
            OutgoingEmail.objects.filter(pk=pk).update(
                state=OutgoingEmail.State.SENT, attempts=email.attempts, sent_at=timezone.now(), last_error=""
            )
            counts["sent"] += 1
    return dict(counts)


def _reason(error: BaseException) -> str:
    return f"{error.__class__.__name__}: {error}"[:500]


def _fail(email: OutgoingEmail, error: BaseException, now: datetime) -> None:
    logger.warning("E-mail %s failed for good after %s attempts", email.pk, email.attempts)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=OutgoingEmail.State.FAILED, attempts=email.attempts, last_error=_reason(error), claimed_at=None
    )


def queue_digests(*, now: datetime | None = None) -> int:
    """One daily digest per person of the non-urgent reminders delivered to them since yesterday's."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = now - timedelta(days=1)
    rows = (
        Notification.objects.filter(
            created_at__gte=since,
            reminder__urgent=False,
            purpose=Notification.Purpose.REMINDER,
            read_at__isnull=True,
        )
        .select_related("recipient", "reminder", "reminder__applicant")
        .order_by("recipient_id", "reminder__due_on")
    )
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for notification in rows:
        by_person[notification.recipient_id].append(notification)
    queued = 0
    for notifications in by_person.values():
        user = notifications[0].recipient
        if queue_email(
            user=user,
            purpose=OutgoingEmail.Purpose.DIGEST,
            topic=f"digest:{today.isoformat()}",
            template="casework/email/digest",
            context={"reminders": [n.reminder for n in notifications], "today": today},
        ):
            queued += 1
    return queued


def escalate(*, now: datetime | None = None) -> int:
    """Deadlines at T-7 or nearer (or overdue) unacknowledged 24 h after delivery go to the supervisors."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cutoff = now - timedelta(hours=rules.ESCALATE_AFTER_HOURS)
    near = [ON_RECORD, OVERDUE, *[deadlines.offset_label(o) for o in range(rules.ESCALATE_FROM_OFFSET, 1)]]
    candidates = list(
        Reminder.objects.filter(
            state=Reminder.State.LIVE, delivered_at__lte=cutoff, offset__in=near
        ).order_by("pk")
    )
    if not candidates:
        return 0
    states = {
        (s.source_kind, s.source_id, s.deadline_date): s
        for s in DeadlineState.objects.filter(
            source_kind__in={r.source_kind for r in candidates},
            source_id__in={r.source_id for r in candidates},
        )
    }
    due = []
    for reminder in candidates:
        state = states.get((reminder.source_kind, reminder.source_id, reminder.deadline_date))
        if state and (state.acknowledged_at or state.escalated_at):
            continue
        if state and state.snoozed_until and state.snoozed_until > today:
            continue
        due.append(reminder)
    people = supervisors_for(_applicants(r.applicant_id for r in due))
    escalated = 0
    for reminder in due:
        with transaction.atomic():
            state, _ = DeadlineState.objects.get_or_create(
                source_kind=reminder.source_kind,
                source_id=reminder.source_id,
                deadline_date=reminder.deadline_date,
            )
            if not DeadlineState.objects.filter(pk=state.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue
            for user in people.get(reminder.applicant_id, []):
                Notification.objects.get_or_create(
                    recipient=user, reminder=reminder, purpose=Notification.Purpose.ESCALATION
                )
                queue_email(
                    user=user,
                    purpose=OutgoingEmail.Purpose.ESCALATION,
                    topic=f"escalation:{reminder.pk}",
                    template="casework/email/escalation",
                    context={"reminders": [reminder]},
                )
            escalated += 1
    return escalated
