"""Celery tasks of casework: thin wrappers that call one service each, safe to run twice."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from celery.signals import worker_ready

from casework import deadlines, delivery, services


@shared_task(ignore_result=True)
def record_beat_heartbeat() -> None:
    services.heartbeat_record(name="beat")


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def sweep_reminders(today: str | None = None) -> dict[str, int]:
    """The daily sweep (beat, 08:00 Asia/Tokyo) and the start-up catch-up: create, then deliver."""
    result = deadlines.sweep(today=date.fromisoformat(today) if today else None)
    deliver_reminders.delay()
    queue_digests.delay()
    return {"created": result.total(result.created), "cancelled": result.total(result.cancelled)}


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def evaluate_deadline(kind: str, source_id: int) -> None:
    """The urgent path: evaluate one record's deadline now and deliver without waiting for the digest."""
    if kind not in deadlines.sources():
        return
    deadlines.sweep(kinds=[kind], source_ids=[source_id])
    delivery.deliver_reminders()
    delivery.send_emails()


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def deliver_reminders() -> None:
    delivery.deliver_reminders()
    delivery.send_emails()


@shared_task(ignore_result=True)
def queue_digests() -> None:
    delivery.queue_digests()
    delivery.send_emails()


@shared_task(ignore_result=True)
def redeliver() -> None:
    """The safety net: anything due but undelivered, and e-mails unsent or with an expired lease."""
    delivery.deliver_reminders()
    delivery.send_emails()


@shared_task(ignore_result=True)
def escalate_deadlines() -> None:
    delivery.escalate()
    delivery.send_emails()


@worker_ready.connect
def sweep_when_a_worker_starts(sender=None, **kwargs) -> None:
    """A fresh install or a restart catches up at once instead of waiting for 08:00."""
    sweep_reminders.delay()
