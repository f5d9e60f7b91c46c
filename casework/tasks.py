"""Celery tasks of casework: thin wrappers that call one service each."""

from celery import shared_task

from casework import services


@shared_task(ignore_result=True)
def record_beat_heartbeat() -> None:
    services.heartbeat_record(name="beat")
