"""Beat's scheduler outlives a dropped database connection (issue 19, found by the fault tests).

django-celery-beat's DatabaseScheduler guards its change check and its writes against database errors,
but not the reading of the schedule itself: when PostgreSQL drops beat's connection (a restart, a
failover, pg_terminate_backend) at that moment, beat exits and nothing is scheduled any more. Tobira's
scheduler keeps the schedule it had and reads again at the next tick, on a new connection."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


def test_beat_uses_the_scheduler_that_survives_a_dropped_connection():
    assert settings.CELERY_BEAT_SCHEDULER == "config.beat:Scheduler"


def test_a_database_error_while_reading_the_schedule_keeps_the_last_schedule_and_reads_again():
    from config.beat import Scheduler

    scheduler = Scheduler(app=app, lazy=True)
    scheduler._finalize.cancel()  # else it saves the schedule at exit, into a dropped test database
    scheduler.setup_schedule()
    scheduler._last_full_sync = scheduler._last_full_sync.replace(year=2000)  # a full read is due
    first = dict(scheduler.schedule)
    assert "reminder-redelivery" in first
    scheduler._last_full_sync = scheduler._last_full_sync.replace(year=2000)
    dropped = OperationalError("terminating connection due to administrator command")
    with mock.patch.object(DatabaseScheduler, "all_as_schedule", side_effect=dropped):
        during = dict(scheduler.schedule)  # DatabaseScheduler itself raises here, and beat exits
    assert during == first
    scheduler._last_full_sync = scheduler._last_full_sync.replace(year=2000)
    again = scheduler.schedule  # read again from the database
    assert set(again) == set(first) and again is not during
