"""Thin Celery wrappers of the reports app: take ids, load, call one service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from reports.services import exports


@shared_task(name="reports.tasks.run_export", soft_time_limit=60 * 55, time_limit=60 * 60)
def run_export(export_id: int) -> None:
    """Write a large export's file (over EXPORT_SYNC_MAX_ROWS rows), with its progress."""
    exports.export_run(export_id=export_id)


@shared_task(name="reports.tasks.delete_expired_exports")
def delete_expired_exports() -> int:
    """Hourly: the files of exports past their 24 hours are deleted."""
    return exports.exports_delete_expired()


@shared_task(name="reports.tasks.expire_exports")
def expire_exports() -> int:
    """Every five minutes: fail the running exports whose worker was lost (their lease expired)."""
    return exports.exports_expire()
