"""Beat's scheduler: django-celery-beat's DatabaseScheduler, made to outlive a dropped database
connection (issue 19, found by tests/faults).

DatabaseScheduler guards its change check and its writes against database errors, but not the reading of
the schedule: when PostgreSQL drops beat's connection at that moment (a restart, a failover, an idle
connection killed), beat exited and nothing was scheduled any more — no sweep, no redelivery — until
someone restarted it. This one logs the error, closes the broken connection, keeps the schedule it had,
and reads it again at the next full read.

It also signs its heartbeat: the heartbeat task carries this beat's host and process id, so a second beat
started by mistake shows on the administrator's health panel (both schedule everything twice)."""

from __future__ import annotations

import logging
import os
import socket

from django.db import DatabaseError, InterfaceError, close_old_connections
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

HEARTBEAT_TASK = "casework.tasks.record_beat_heartbeat"


def identity() -> str:
    """This beat as host:pid, short enough for a heartbeat's name."""
    return f"{socket.gethostname()[:36]}:{os.getpid()}"


class Scheduler(DatabaseScheduler):
    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        """The heartbeat is sent with this beat's identity (never saved in the schedule: django-celery-beat
        saves only an entry's run count and last run)."""
        if entry.task == HEARTBEAT_TASK:
            entry = self.reserve(entry) if advance else entry
            entry.kwargs = {**(entry.kwargs or {}), "beat": identity()}
            advance = False
        return super().apply_async(entry, producer, advance, **kwargs)

    def all_as_schedule(self):
        try:
            return super().all_as_schedule()
        except (DatabaseError, InterfaceError) as error:
            logger.warning("Beat could not read its schedule (%r): keeping the last one", error)
            close_old_connections()  # the broken connection is closed; the next query opens a new one
            if self._schedule is None:  # never read: read again at the next tick
                self._initial_read = True
                return {}
            return self._schedule
