"""A real Celery worker killed (SIGKILL) in the middle of an import (issue 18): the import ends failed and
nothing of it stays saved — whether the task is delivered again (acks_late + reject_on_worker_lost: the
next run of `run_import` finds the import IMPORTING and undoes it) or the lease expires first (the
periodic `expire_imports`). PostgreSQL and Redis, as in tests/test_celery_integration.py; the broker's keys
under a prefix of the test's own (tests/broker_helpers.py: with a fixed Redis database emptied at the
start, two runs on one Redis took each other's messages, and the redelivery never came)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from bench import import_data
from casework.models import Applicant, Import, ImportRow, LegalStatusPeriod
from casework.services import import_runs
from casework.services import imports as services
from tests.broker_helpers import CeleryProcesses, IsolatedBroker, isolated_broker, isolated_worker
from tests.conftest import require

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("redis"),
]

ROWS = 3_000
# A chunk a row: 3,000 transactions take the worker half a minute even through the bulk path, and it is
# killed right after the first commits (with chunks of 20, then 10, a loaded CI machine saw the first
# chunk only as the import finished, twice).
CHUNK_ROWS = 1
LEASE_SECONDS = 4
APPLICATION_NAME = "tobira-import-worker-lost"
WAIT_SECONDS = 90


@pytest.fixture
def broker() -> Iterator[IsolatedBroker]:
    require(connection.vendor == "postgresql", "the killed-worker import test runs on PostgreSQL")
    with isolated_broker("the killed-worker import test") as broker:
        yield broker


def worker(tmp_path: Path, broker: IsolatedBroker, name: str):
    return isolated_worker(
        tmp_path,
        broker,
        name=name,
        application_name=APPLICATION_NAME,
        IMPORT_CHUNK_ROWS=str(CHUNK_ROWS),
        IMPORT_LEASE_SECONDS=str(LEASE_SECONDS),
    )


def checked_import(supervisor, team) -> Import:
    """Upload, mapping and dry run in this process (eager); the import itself is left to the worker."""
    upload = SimpleUploadedFile(
        "在留者一覧.csv",
        import_data.csv_bytes(ROWS, today=timezone.localdate(), prefix="KW"),
        content_type="text/csv",
    )
    imp = services.import_upload(by=supervisor, kind="applicants", upload=upload, target=str(team.pk))
    services.import_map(by=supervisor, imp=imp, columns=import_data.COLUMNS, statuses=import_data.STATUSES)
    services.import_check_start(by=supervisor, imp=imp)  # eager: runs when the step commits
    imp.refresh_from_db()
    assert imp.status == Import.Status.CHECKED and imp.rows_valid == ROWS, imp.error
    with mock.patch("casework.queue._task"):  # queued for the real worker below, not run here
        services.import_start(by=supervisor, imp=imp, mode=Import.Mode.VALID_ONLY)
    imp.refresh_from_db()
    assert imp.status == Import.Status.QUEUED
    return imp


def wait_until(
    condition,
    processes: CeleryProcesses,
    what: str,
    seconds: float = WAIT_SECONDS,
    broker: IsolatedBroker | None = None,
):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    state = broker.state() if broker is not None else ""
    pytest.fail(f"Timed out waiting for {what}\n{state}\n{processes.output()}")


def rows_done(imp: Import) -> int:
    return Import.objects.filter(pk=imp.pk).values_list("rows_done", flat=True).get()


def pool_children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def assert_nothing_of_it_remains(imp: Import) -> None:
    imp.refresh_from_db()
    assert imp.status == Import.Status.FAILED, (imp.status, imp.error)
    assert "worker was lost" in imp.error
    assert imp.lease_until is None and imp.created_count == 0
    assert not Applicant.objects.exists()
    assert not LegalStatusPeriod.objects.exists()
    # No row points at a record that is still there (what the committed chunks saved was removed).
    for records in (
        ImportRow.objects.filter(import_run=imp).exclude(records=[]).values_list("records", flat=True)
    ):
        for label, pk in records:
            assert label in ("casework.applicant", "casework.legalstatusperiod")
            model = Applicant if label == "casework.applicant" else LegalStatusPeriod
            assert not model.objects.filter(pk=pk).exists()


def test_a_pool_process_killed_mid_import_is_redelivered_and_fails_the_import(
    tmp_path, broker, supervisor, team
):
    imp = checked_import(supervisor, team)
    with worker(tmp_path, broker, "redelivered") as processes:
        broker.send_task("casework.tasks.run_import", imp.pk)
        done = wait_until(lambda: rows_done(imp) >= CHUNK_ROWS, processes, "the first chunk")
        assert done < ROWS, "the import finished before the worker could be killed: make CHUNK_ROWS smaller"
        assert Applicant.objects.exists()  # committed chunks are saved while it runs
        main = processes.processes["redelivered"].pid
        children = pool_children(main)
        assert children, "no pool process found"
        for child in children:
            os.kill(child, signal.SIGKILL)  # the process running the task dies; the worker lives on
        # The worker rejects the lost task (reject_on_worker_lost), it is delivered again, and the next
        # run of run_import finds the import IMPORTING: it removes what was saved and fails it.
        wait_until(
            lambda: Import.objects.filter(pk=imp.pk, status=Import.Status.FAILED).exists(),
            processes,
            "the redelivered task to fail the import",
            broker=broker,
        )
        processes.assert_running()
    assert_nothing_of_it_remains(imp)


def test_a_worker_killed_mid_import_lets_the_lease_expire_and_the_import_fail(
    tmp_path, broker, supervisor, team
):
    imp = checked_import(supervisor, team)
    with worker(tmp_path, broker, "killed") as processes:
        broker.send_task("casework.tasks.run_import", imp.pk)
        done = wait_until(lambda: rows_done(imp) >= CHUNK_ROWS, processes, "the first chunk")
        assert done < ROWS
        os.killpg(processes.processes["killed"].pid, signal.SIGKILL)  # the whole worker, at once
        processes.processes["killed"].wait(timeout=10)
    imp.refresh_from_db()
    assert imp.status == Import.Status.IMPORTING and Applicant.objects.exists()
    # The message stays unacknowledged in Redis (until its visibility timeout); the periodic task
    # fails the import once the lease the dead worker held has expired.
    if imp.lease_until > timezone.now() + timedelta(seconds=1):
        assert import_runs.expire_leases() == 0  # the lease still runs: nothing is failed yet
    wait_until(
        lambda: Import.objects.filter(pk=imp.pk, lease_until__lt=timezone.now()).exists(),
        processes,
        "the lease to expire",
        seconds=LEASE_SECONDS * 3,
    )
    assert import_runs.expire_leases() == 1
    assert_nothing_of_it_remains(imp)
