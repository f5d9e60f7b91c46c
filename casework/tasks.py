"""Celery tasks of casework: thin wrappers that call one service each, safe to run twice."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from celery import chain, shared_task
from celery.signals import worker_ready

from casework import services
from casework.deadlines import delivery, registry
from casework.deadlines import sweep as deadline_sweep
from casework.services import import_runs

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def record_beat_heartbeat(beat: str = "") -> None:
    """Beat is alive (and, signed by config.beat.Scheduler, which beat process sent it)."""
    services.heartbeat_record(name="beat")
    if beat:
        services.beat_process_record(identity=beat)


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def sweep_reminders(today: str | None = None, digest: bool = True) -> dict[str, int]:
    """The daily sweep (beat, 08:00 Asia/Tokyo) and the start-up catch-up: create, then deliver.

    Delivery and the digest run as a chain, so the digest is queued after the delivery it reports on.
    The start-up sweep (digest=False) delivers in-app at once and leaves the day's digest to 08:00.
    """
    result = deadline_sweep.sweep(today=date.fromisoformat(today) if today else None)
    logger.info(
        "Reminder sweep for %s (%s): created %s, skipped %s, cancelled %s, overdue %s",
        result.today,
        "scheduled" if digest else "start-up",
        result.total(result.created),
        result.total(result.skipped),
        result.total(result.cancelled),
        result.total(result.overdue),
    )
    if digest:
        chain(deliver_reminders.si(), queue_digests.si()).delay()
    else:
        deliver_reminders.delay()
    return {"created": result.total(result.created), "cancelled": result.total(result.cancelled)}


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def evaluate_deadline(kind: str, source_id: int) -> None:
    """The urgent path: evaluate one record's deadline now and deliver without waiting for the digest."""
    if kind not in registry.sources():
        return
    deadline_sweep.sweep(kinds=[kind], source_ids=[source_id])
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
def send_outbox() -> None:
    """Send what the outbox holds now (a notification just queued); redelivery is the safety net."""
    delivery.send_emails()


@shared_task(ignore_result=True)
def escalate_deadlines() -> None:
    delivery.escalate()
    delivery.send_emails()


@worker_ready.connect
def sweep_when_a_worker_starts(sender=None, **kwargs) -> None:
    """A fresh install or a restart catches up at once instead of waiting for 08:00.

    The start is recorded (the "worker" heartbeat): the administrator's health panel shows when a worker
    last started, which after a crash says when it came back."""
    try:
        services.heartbeat_record(name="worker")
    except Exception:  # a database not there yet must not stop the worker; the sweep retries
        logger.exception("Worker ready: could not record the start")
    logger.info("Worker ready: start-up reminder sweep queued (code in %s)", Path(__file__).resolve().parent)
    sweep_reminders.delay(digest=False)


# --- Spreadsheet imports (issue 18): thin wrappers over casework/services/import_runs.py --------------


@shared_task(ignore_result=True, soft_time_limit=1800, time_limit=1900)
def check_import(import_id: int) -> None:
    """The dry run of an import: every row's verdict, nothing saved."""
    import_runs.check_import(import_id)


@shared_task(ignore_result=True, soft_time_limit=1800, time_limit=1900)
def run_import(import_id: int) -> None:
    """An import: its rows saved in chunks under a lease; delivered again after a lost worker, it fails."""
    import_runs.run_import(import_id)


@shared_task(ignore_result=True)
def expire_imports() -> None:
    """Every five minutes: fail the imports whose lease expired and remove what they had saved."""
    import_runs.expire_leases()
