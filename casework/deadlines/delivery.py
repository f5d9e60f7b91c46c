"""Delivering reminders: recipients at delivery time, in-app notifications exactly once, and the
e-mail outbox (at least once, with a lease, a stable Message-ID, retries and a final failure reason).

DESIGN.md, Reminders 7 and 8. The outbox also carries notifications that are not reminders
(queue_notification_email: an invitation to the partner portal, written to a user who is not active
yet); they are sent, retried and failed like reminder e-mails. Every function here may run twice or concurrently with the same effect
as once: work is claimed with a conditional UPDATE, rows are created under unique constraints.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from casework import queue, rules
from casework.deadlines import registry
from casework.models import Applicant, DeadlineState, Notification, OutgoingEmail, Reminder, User
from casework.models.reminders import ON_RECORD, OVERDUE

logger = logging.getLogger(__name__)

# Refusals of the sender or the recipients: permanent when the server answers 5xx (a bad address, a
# rejected recipient: retrying cannot help), temporary when it answers 4xx (greylisting, a full mailbox,
# a server busy for a moment), which are retried like any other failure.
REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


def _permanent(error: BaseException) -> bool:
    """A refusal with a 5xx code (every recipient's, when several were refused)."""
    if isinstance(error, smtplib.SMTPSenderRefused):
        return error.smtp_code >= 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return False


# How far back a person's previous digest is looked for (older: the digest covers the last day).
DIGEST_LOOKBACK_DAYS = 3


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


# Reminders claimed and delivered per round; rounds repeat until nothing due is left.
DELIVERY_BATCH = 500


def deliver_reminders(*, reminder_ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Turn live, due, undelivered reminders into notifications; urgent ones get an e-mail at once.

    Rounds of up to DELIVERY_BATCH reminders, one transaction each: the round claims its reminders
    with one conditional update (delivered_at from NULL to now, only for rows still live and
    undelivered, returning which changed), then creates their notifications and e-mails. However many
    deliverers run, and however often, a reminder is claimed once, so each recipient gets one
    notification; a failure rolls the claims of its round back for the next run. A reminder nobody
    can receive (no active caseworker, no active supervisor) is not claimed: redelivery hands it over
    once the team has someone.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    delivered = 0
    after = 0  # keyset pagination: every round moves on, so the loop ends whatever happens
    while True:
        pending = Reminder.objects.filter(
            state=Reminder.State.LIVE, delivered_at__isnull=True, due_on__lte=today, pk__gt=after
        )
        if reminder_ids is not None:
            pending = pending.filter(pk__in=reminder_ids)
        reminders = list(pending.select_related("applicant").order_by("pk")[:DELIVERY_BATCH])
        if not reminders:
            return delivered
        after = reminders[-1].pk
        people = recipients_for(_applicants(r.applicant_id for r in reminders))
        deliverable = []
        for reminder in reminders:
            if people.get(reminder.applicant_id):
                deliverable.append(reminder)
            else:
                logger.warning(
                    "Reminder %s has nobody to deliver to (no active caseworker or supervisor)", reminder.pk
                )
        if not deliverable:
            continue
        with transaction.atomic():
            claimed = _claim([reminder.pk for reminder in deliverable], now)
            mine = [reminder for reminder in deliverable if reminder.pk in claimed]
            Notification.objects.bulk_create(
                [
                    Notification(recipient=user, reminder=reminder)
                    for reminder in mine
                    for user in people[reminder.applicant_id]
                ],
                ignore_conflicts=True,
            )
            emails = [
                _compose_email(
                    user=user,
                    purpose=OutgoingEmail.Purpose.URGENT,
                    topic=f"reminder:{reminder.pk}",
                    template="casework/email/reminder",
                    context={"reminders": [reminder]},
                )
                for reminder in mine
                if reminder.urgent
                for user in people[reminder.applicant_id]
            ]
            OutgoingEmail.objects.bulk_create([e for e in emails if e is not None], ignore_conflicts=True)
        delivered += len(mine)


def _claim(ids: list[int], now: datetime) -> set[int]:
    """Claim reminders for delivery: which of `ids` this call set delivered_at on (a conditional update).

    One UPDATE … RETURNING (PostgreSQL; SQLite from 3.35): a row another deliverer claimed first no
    longer matches, on PostgreSQL after waiting for that deliverer's commit. Without RETURNING, one
    conditional update per reminder.
    """
    live = Reminder.State.LIVE.value
    if not connection.features.can_return_rows_from_bulk_insert:
        return {
            pk
            for pk in ids
            if Reminder.objects.filter(pk=pk, state=live, delivered_at__isnull=True).update(delivered_at=now)
        }
    meta, quote = Reminder._meta, connection.ops.quote_name
    delivered_at = meta.get_field("delivered_at")
    pk, state, stamp = (
        quote(meta.pk.column),
        quote(meta.get_field("state").column),
        quote(delivered_at.column),
    )
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {stamp} = %s "  # noqa: S608 - identifiers from the model
        f"WHERE {pk} IN ({', '.join(['%s'] * len(ids))}) AND {state} = %s AND {stamp} IS NULL RETURNING {pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [delivered_at.get_db_prep_value(now, connection), *ids, live])
        return {row[0] for row in cursor.fetchall()}


def _message_id(topic: str, user: User) -> str:
    domain = settings.TOBIRA_SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "tobira.local"
    return f"<{topic.replace(':', '.')}.{user.pk}@{domain}>"


def _compose_email(
    *, user: User, purpose: str, topic: str, template: str, context: dict
) -> OutgoingEmail | None:
    """An unsaved outbox row, rendered in the recipient's language; None for nobody to write to."""
    if not user.email or not user.is_active:
        return None
    with translation.override(user.language or settings.LANGUAGE_CODE):
        full = {**context, "user": user, "site_url": settings.TOBIRA_SITE_URL}
        subject = " ".join(render_to_string(f"{template}_subject.txt", full).split())[:200]
        body = render_to_string(f"{template}.txt", full)
    return OutgoingEmail(
        recipient=user,
        topic=topic,
        purpose=purpose,
        to_address=user.email,
        subject=subject,
        body=body,
        message_id=_message_id(topic, user),
    )


def queue_email(
    *, user: User, purpose: str, topic: str, template: str, context: dict
) -> OutgoingEmail | None:
    """Render in the recipient's language and queue once per (recipient, topic)."""
    composed = _compose_email(user=user, purpose=purpose, topic=topic, template=template, context=context)
    if composed is None:
        return None
    email, _created = OutgoingEmail.objects.get_or_create(
        recipient=user,
        topic=topic,
        defaults={
            "purpose": composed.purpose,
            "to_address": composed.to_address,
            "subject": composed.subject,
            "body": composed.body,
            "message_id": composed.message_id,
        },
    )
    return email


def queue_notification_email(
    *,
    user: User,
    kind: str,
    target: str,
    template: str,
    context: dict,
    send_now: bool = True,
    to_address: str | None = None,
) -> OutgoingEmail | None:
    """Queue a notification that is not a reminder, once per (recipient, kind, target).

    The calling app names its templates (`<template>_subject.txt`, `<template>.txt`); they are
    rendered now, in the recipient's language, and stored. The recipient may be inactive (an invitee
    who has not set a password yet). With send_now, sending is asked for once the transaction commits;
    otherwise the periodic redelivery sends it. `to_address` writes to another address than the user's
    own (a notice to the address an e-mail change replaced).
    """
    address = to_address or user.email
    if not address:
        return None
    topic = f"{kind}:{target}"
    with translation.override(user.language or settings.LANGUAGE_CODE):
        full = {**context, "user": user, "site_url": settings.TOBIRA_SITE_URL}
        subject = " ".join(render_to_string(f"{template}_subject.txt", full).split())[:200]
        body = render_to_string(f"{template}.txt", full)
    email, created = OutgoingEmail.objects.get_or_create(
        recipient=user,
        topic=topic,
        defaults={
            "purpose": OutgoingEmail.Purpose.NOTIFICATION,
            "kind": kind,
            "target": target,
            "to_address": address,
            "subject": subject,
            "body": body,
            "message_id": _message_id(topic, user),
        },
    )
    if created and send_now:
        queue.enqueue_on_commit("casework.tasks.send_outbox", [()])
    return email


def notification_email_compose(
    *, user: User, kind: str, target: str, template: str, context: dict
) -> OutgoingEmail | None:
    """An unsaved notification e-mail (kind + target), rendered now in the recipient's language; None
    for an inactive recipient or one without an address. Queue a batch with notification_emails_queue."""
    composed = _compose_email(
        user=user,
        purpose=OutgoingEmail.Purpose.NOTIFICATION,
        topic=f"{kind}:{target}",
        template=template,
        context=context,
    )
    if composed is not None:
        composed.kind, composed.target = kind, target
    return composed


def notification_emails_queue(emails: list[OutgoingEmail | None]) -> int:
    """Queue composed notification e-mails in one statement, once per (recipient, topic): one already
    queued is left as it is (a repeat run sends nothing twice). Sending is asked for after the commit."""
    rows = [email for email in emails if email is not None]
    if not rows:
        return 0
    OutgoingEmail.objects.bulk_create(rows, ignore_conflicts=True)
    queue.enqueue_on_commit("casework.tasks.send_outbox", [()])
    return len(rows)


def queue_notification_emails(items: list[tuple[User, str, str, str, dict]]) -> int:
    """Queue many notifications that are not reminders at once: (user, kind, target, template, context)
    each, once per (recipient, kind, target) like queue_notification_email, in one INSERT, for the daily
    tasks that must not grow with their rows. Returns how many were composed (inactive users and users
    without an address are skipped)."""
    return notification_emails_queue(
        [
            notification_email_compose(
                user=user, kind=kind, target=target, template=template, context=context
            )
            for user, kind, target, template, context in items
        ]
    )


def _claimable(now: datetime) -> Q:
    lease = now - timedelta(seconds=settings.EMAIL_LEASE_SECONDS)
    waiting = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease)  # a claim older than the lease is free
    return Q(state=OutgoingEmail.State.PENDING) & waiting & unclaimed


def send_emails(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due. Claim each message with a conditional update, then send, then record.

    The claim sets claimed_at and counts the attempt, so a worker that dies after claiming (no send,
    no record) leaves a claim that another sender takes once the lease has passed, and a message that
    kills its sender every time still ends as failed. `now` fixes the clock (tests); otherwise each
    claim is stamped when it is made, so a slow batch does not shorten the later messages' leases.
    """
    counts: dict[str, int] = defaultdict(int)
    candidates = list(
        OutgoingEmail.objects.filter(_claimable(now or timezone.now()))
        .order_by("pk")
        .values_list("pk", "claimed_at")[:limit]
    )
    if not candidates:
        return {}
    connection = get_connection(fail_silently=False)
    for pk, earlier_claim in candidates:
        moment = now or timezone.now()
        claimed = OutgoingEmail.objects.filter(_claimable(moment), pk=pk).update(
            claimed_at=moment, attempts=F("attempts") + 1
        )
        if not claimed:
            counts["taken"] += 1
            continue
        if earlier_claim is not None:
            # Claimed before and never recorded: its sender stopped (a lost worker) after the claim,
            # perhaps after the server took the message, which then goes out twice with one Message-ID.
            logger.warning("E-mail %s: the claim of %s expired unrecorded, sending again", pk, earlier_claim)
            counts["reclaimed"] += 1
        email = OutgoingEmail.objects.get(pk=pk)
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            to=[email.to_address],
            headers={"Message-ID": email.message_id},
            connection=connection,
        )
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - anything but a permanent refusal is worth another attempt
            logger.warning("E-mail %s, attempt %s: %s", pk, email.attempts, _reason(error))
            if _permanent(error) or email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                _fail(email, error)
                counts["failed"] += 1
            else:
                # 1, 2, 4, 8 … minutes by default
                backoff = timedelta(seconds=settings.EMAIL_RETRY_SECONDS * 2 ** (email.attempts - 1))
                OutgoingEmail.objects.filter(pk=pk).update(
                    claimed_at=None, next_attempt_at=moment + backoff, last_error=_reason(error)
                )
                counts["retry"] += 1
        else:
            OutgoingEmail.objects.filter(pk=pk).update(
                state=OutgoingEmail.State.SENT, sent_at=timezone.now(), last_error=""
            )
            counts["sent"] += 1
    return dict(counts)


def _reason(error: BaseException) -> str:
    return f"{error.__class__.__name__}: {error}"[:500]


def _fail(email: OutgoingEmail, error: BaseException) -> None:
    logger.warning(
        "E-mail %s failed for good after %s attempt(s): %s", email.pk, email.attempts, _reason(error)
    )
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=OutgoingEmail.State.FAILED, last_error=_reason(error), claimed_at=None
    )


def queue_digests(*, now: datetime | None = None) -> int:
    """One daily digest per person of the non-urgent reminders delivered to them since their last one.

    Once a day per person (the topic is the date); an item is in one digest only (since the person's
    previous digest, or the last 24 hours); read notifications and reminders no longer live (dealt
    with, superseded) are left out.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    default_since = now - timedelta(days=1)
    previous = dict(
        OutgoingEmail.objects.filter(
            purpose=OutgoingEmail.Purpose.DIGEST, created_at__gte=now - timedelta(days=DIGEST_LOOKBACK_DAYS)
        )
        .values("recipient_id")
        .annotate(last=Max("created_at"))
        .values_list("recipient_id", "last")
    )
    rows = (
        Notification.objects.filter(
            created_at__gte=min([default_since, *previous.values()]),
            reminder__urgent=False,
            reminder__state=Reminder.State.LIVE,
            purpose=Notification.Purpose.REMINDER,
            read_at__isnull=True,
            recipient__is_active=True,
        )
        .select_related("recipient", "reminder", "reminder__applicant")
        .order_by("recipient_id", "reminder__due_on", "pk")
    )
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for notification in rows:
        since = previous.get(notification.recipient_id, default_since)
        if notification.created_at > since:
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


def _escalates(reminder: Reminder) -> bool:
    """Issued at T-7 or nearer (the reminder's own day, not today's: a T-14 left live is not), or overdue."""
    if reminder.offset == OVERDUE:
        return True
    days_before = (reminder.deadline_date - reminder.due_on).days
    return 0 <= days_before <= -rules.ESCALATE_FROM_OFFSET


def escalate(*, now: datetime | None = None) -> int:
    """Deadlines at T-7 or nearer (or overdue) unacknowledged 24 h after delivery go to the supervisors.

    Once per deadline (claimed on DeadlineState.escalated_at). A snooze pauses it until the snooze
    date, but never past T-1.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    cutoff = now - timedelta(hours=rules.ESCALATE_AFTER_HOURS)
    near = [ON_RECORD, OVERDUE, *[registry.offset_label(o) for o in range(rules.ESCALATE_FROM_OFFSET, 1)]]
    candidates = [
        reminder
        for reminder in Reminder.objects.filter(
            state=Reminder.State.LIVE, delivered_at__lte=cutoff, offset__in=near
        )
        .exclude(
            source_kind__in=[kind for kind, source in registry.sources().items() if not source.escalates]
        )
        .select_related("applicant")
        .order_by("pk")
        if _escalates(reminder)
    ]
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
        if state and state.snoozed_until:
            resumes = min(state.snoozed_until, reminder.deadline_date - timedelta(days=1))
            if today < resumes:
                continue
        due.append(reminder)
    if not due:
        return 0
    people = supervisors_for(_applicants(r.applicant_id for r in due))
    escalated = 0
    for reminder in due:
        with transaction.atomic():
            state, _ = DeadlineState.objects.get_or_create(
                source_kind=reminder.source_kind,
                source_id=reminder.source_id,
                deadline_date=reminder.deadline_date,
            )
            # Claim, and look again: acknowledged or snoozed since the candidates were read.
            if not DeadlineState.objects.filter(
                pk=state.pk, escalated_at__isnull=True, acknowledged_at__isnull=True
            ).update(escalated_at=now):
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
