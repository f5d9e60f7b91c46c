"""Fault injection points in the Celery worker the fault tests start (tests/faults/worker_settings.py
installs this app). A test holds the next sweep in the middle: it creates `hold-sweep` in FAULT_GATE_DIR;
the worker's next sweep, inside the transaction of its first kind and after that kind's reminders were
inserted, writes `at-sweep` (its pid) and waits until the test creates `release-sweep` — meanwhile the
test breaks something (the broker, the worker's database connections, the process). One sweep is held
per `hold-sweep`. `hold-claim` holds a delivery round the same way, after its reminders were claimed
and before its transaction commits.
Nothing here runs in production: only this test settings module installs the app."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from django.apps import AppConfig

logger = logging.getLogger(__name__)
HOLD_SECONDS = 60


def hold_here(point: str) -> None:
    folder = os.environ.get("FAULT_GATE_DIR")
    if not folder:
        return
    gate = Path(folder)
    try:
        (gate / f"hold-{point}").rename(gate / f"held-{point}")  # atomic: one holder per hold file
    except FileNotFoundError:
        return
    (gate / f"at-{point}").write_text(str(os.getpid()))
    logger.warning("Fault gate: held at %s", point)
    deadline = time.monotonic() + HOLD_SECONDS
    while not (gate / f"release-{point}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    logger.warning("Fault gate: released at %s", point)


class FaultGatesConfig(AppConfig):
    name = "tests.faults.gates"
    label = "fault_gates"
    verbose_name = "Fault injection gates (tests only)"

    def ready(self) -> None:
        from casework.deadlines import sweep

        insert = sweep._insert

        def insert_then_hold(kind, rows):
            insert(kind, rows)
            hold_here("sweep")

        sweep._insert = insert_then_hold

        from casework.deadlines import delivery

        claim = delivery._claim

        def claim_then_hold(ids, now):
            claimed = claim(ids, now)  # delivered_at set, inside the round's transaction
            hold_here("claim")
            return claimed

        delivery._claim = claim_then_hold
