"""Enqueue a Celery task by name once the current transaction commits: how services ask for work.

Services sit below the tasks that call them, so they never import `tasks` (that was an import circle:
services → tasks → services). A task is looked up by its registered name, its module imported on first
use; a registered task honours CELERY_TASK_ALWAYS_EAGER in tests as `.delay()` always did.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import logging
from collections.abc import Iterator
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

# Inside `held()`, per-record work is not queued: an import saves thousands of records and runs one
# sweep after it commits instead of one evaluation per record (issue 18: no flood of reminders).
_held: contextvars.ContextVar[bool] = contextvars.ContextVar("tobira_queue_held", default=False)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Drop the per-record work services ask for inside the block; the caller runs one sweep after."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def _task(name: str):
    task = current_app.tasks.get(name)
    if task is None:
        importlib.import_module(name.rpartition(".")[0])  # registers the module's tasks
        task = current_app.tasks[name]
    return task


def enqueue_on_commit(name: str, calls: list[tuple[Any, ...]]) -> None:
    """Send `name(*args)` for each args tuple once the transaction commits (at once outside one).

    When the broker cannot take a message the caller's save still stands: every queued piece of work
    has a periodic safety net (the daily sweep, redelivery), so the failure is logged, not raised.
    """
    if not calls or _held.get():
        return

    def send() -> None:
        task = _task(name)
        for args in calls:
            try:
                task.delay(*args)
            except Exception:
                logger.exception("Could not enqueue %s%r; its periodic safety net will do it", name, args)

    transaction.on_commit(send)
