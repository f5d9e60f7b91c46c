"""The daily reminder sweep on the bench data: from nothing, then repeated at once (time and queries).

The sweep service itself (what `manage.py sweep_reminders --no-deliver` and the Celery task call). Its
query count must not depend on SCALE; its time has targets of its own (≤ 5 s from nothing, ≤ 1 s when
nothing changed, at 250,000 periods).
"""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.deadlines import sweep as deadline_sweep
from casework.models import Reminder

FROM_NOTHING_TARGET_S = 5.0
REPEATED_TARGET_S = 1.0


def _run(today) -> dict[str, object]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = deadline_sweep.sweep(today=today)
        seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "queries": len(queries.captured_queries),
        "created": result.total(result.created),
        "cancelled": result.total(result.cancelled),
    }


def measure() -> dict[str, dict[str, object]]:
    today = timezone.localdate()
    # TRUNCATE, not DELETE: repeated deletes leave dead index entries that slow the next insert.
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Reminder._meta.db_table} CASCADE")
    first = _run(today)
    first["target_seconds"] = FROM_NOTHING_TARGET_S
    again = _run(today)
    again["target_seconds"] = REPEATED_TARGET_S
    return {"from_nothing": first, "repeated": again}


def bring_up_to_date() -> None:
    """One sweep without measuring it (a run that skips the measured sweep, --only, still needs the
    reminders a nightly sweep leaves: the busy evening's inboxes)."""
    deadline_sweep.sweep(today=timezone.localdate())
