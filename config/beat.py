"""Beat's scheduler: django-celery-beat's DatabaseScheduler, made to outlive a dropped database
connection (issue 19, found by tests/faults).

DatabaseScheduler guards its change check and its writes against database errors, but not the reading of
the schedule: when PostgreSQL drops beat's connection at that moment (a restart, a failover, an idle
connection killed), beat exited and nothing was scheduled any more — no sweep, no redelivery — until
someone restarted it. This one logs the error, closes the broken connection, keeps the schedule it had,
and reads it again at the next full read."""

from __future__ import annotations

import logging

from django.db import DatabaseError, InterfaceError, close_old_connections
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)


class Scheduler(DatabaseScheduler):
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
