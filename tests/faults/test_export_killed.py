"""A real Celery worker killed (SIGKILL) in the middle of a large export (issue 19): the export ends
failed and nothing of it stays — no file offered for download or left in the storage, no temporary
file of the spreadsheet writer — and its maker sees it failed on the page and in the API. Whether the
task is delivered again (acks_late + reject_on_worker_lost: `run_export` finds the export running and
fails it) or the lease expires first (the periodic `expire_exports`). PostgreSQL and Redis, as
tests/casework/imports/test_import_worker_lost.py (whose helpers it uses)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reports.models import Export
from reports.services import exports as services
from tests.broker_helpers import CeleryProcesses, IsolatedBroker, isolated_broker, isolated_worker
from tests.casework.applicant_factories import bulk_applicants
from tests.casework.imports.test_import_worker_lost import pool_children, wait_until
from tests.conftest import require

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("redis"),
]

# 4,000 rows with a progress (one UPDATE, the lease renewed) every 2 rows: seconds of work, so the
# worker is surely mid-way when it is killed after the first progress.
ROWS = 4_000
PROGRESS_EVERY = 2
LEASE_SECONDS = 4
APPLICATION_NAME = "tobira-export-killed"
LOST = "worker was lost"


@pytest.fixture
def broker() -> Iterator[IsolatedBroker]:
    require(connection.vendor == "postgresql", "the killed-worker export test runs on PostgreSQL")
    with isolated_broker("the killed-worker export test") as broker:
        yield broker


@pytest.fixture
def scratch(settings, tmp_path) -> Path:
    """The worker's and this process's EXPORT_SCRATCH_DIR (expire_exports runs here)."""
    settings.EXPORT_SCRATCH_DIR = str(tmp_path / "scratch")
    settings.EXPORT_LEASE_SECONDS = LEASE_SECONDS
    settings.EXPORT_SYNC_MAX_ROWS = 100  # a large export: queued for the worker
    return tmp_path / "scratch"


def worker(tmp_path: Path, broker: IsolatedBroker, scratch: Path, name: str):
    return isolated_worker(
        tmp_path,
        broker,
        name=name,
        application_name=APPLICATION_NAME,
        EXPORT_SCRATCH_DIR=str(scratch),
        EXPORT_PROGRESS_EVERY=str(PROGRESS_EVERY),
        EXPORT_LEASE_SECONDS=str(LEASE_SECONDS),
    )


def stored_files() -> list[Path]:
    root = Path(storages["documents"].location) / "exports"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def queued_export(caseworker, team) -> Export:
    bulk_applicants(ROWS, team=team, caseworker=caseworker)
    plan = services.export_plan(by=caseworker, table_key="applicants", fmt="xlsx", params={})
    assert not plan.small
    with mock.patch("reports.services.exports.enqueue_on_commit"):  # sent to the real worker below
        export = services.export_queue(by=caseworker, plan=plan).export
    assert export.status == Export.Status.QUEUED
    return export


def running_mid_way(export: Export, processes: CeleryProcesses, scratch: Path) -> None:
    """The worker has written part of the file: progress recorded, the writer's sheet file on disk."""
    done = wait_until(
        lambda: (
            Export.objects.filter(pk=export.pk, status=Export.Status.RUNNING, rows_done__gt=0)
            .values_list("rows_done", flat=True)
            .first()
        ),
        processes,
        "the export's first progress",
    )
    assert done < ROWS, "the export finished before the worker could be killed: make PROGRESS_EVERY smaller"
    assert list((scratch / str(export.pk)).glob("openpyxl.*")), (
        "the writer's temporary file is in its scratch"
    )


def assert_failed_and_nothing_remains(client_for, export: Export, scratch: Path, before: list[Path]) -> None:
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED, (export.status, export.error)
    assert LOST in export.error
    assert export.file.name == "" and export.lease_until is None
    assert stored_files() == before, "a file of the killed export is in the storage"
    assert not any(scratch.rglob("*")), f"temporary files left behind: {list(scratch.rglob('*'))}"
    client = client_for(export.user)
    page = client.get(reverse("reports:export_detail", args=[export.pk]))
    assert page.status_code == 200 and LOST in page.content.decode()
    assert reverse("reports:export_download", args=[export.pk]) not in page.content.decode()
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 404
    api = client.get(f"/api/v1/exports/{export.pk}/").json()
    assert (api["status"], api["download_url"]) == ("failed", None) and LOST in api["error"]


def test_a_pool_process_killed_mid_export_is_redelivered_and_fails_the_export(
    tmp_path, broker, scratch, client_for, caseworker, team
):
    export = queued_export(caseworker, team)
    before = stored_files()
    with worker(tmp_path, broker, scratch, "redelivered") as processes:
        broker.send_task("reports.tasks.run_export", export.pk)
        running_mid_way(export, processes, scratch)
        children = pool_children(processes.processes["redelivered"].pid)
        assert children, "no pool process found"
        for child in children:
            os.kill(child, signal.SIGKILL)  # the process writing the export dies; the worker lives on
        # The worker rejects the lost task, it is delivered again, and run_export fails the export it
        # finds running (instead of writing it again) and removes the scratch folder.
        wait_until(
            lambda: Export.objects.filter(pk=export.pk, status=Export.Status.FAILED).exists(),
            processes,
            "the redelivered task to fail the export",
            broker=broker,
        )
        processes.assert_running()
    assert_failed_and_nothing_remains(client_for, export, scratch, before)


def test_a_worker_killed_mid_export_lets_the_lease_expire_and_the_export_fail(
    tmp_path, broker, scratch, client_for, caseworker, team
):
    export = queued_export(caseworker, team)
    before = stored_files()
    with worker(tmp_path, broker, scratch, "killed") as processes:
        broker.send_task("reports.tasks.run_export", export.pk)
        running_mid_way(export, processes, scratch)
        os.killpg(processes.processes["killed"].pid, signal.SIGKILL)  # the whole worker, at once
        processes.processes["killed"].wait(timeout=10)
    export.refresh_from_db()
    # Nobody will deliver the task again soon (its message waits out the broker's visibility timeout):
    # the export is "running", its maker could not ask for it again, and the writer's file stays.
    assert export.status == Export.Status.RUNNING
    assert list((scratch / str(export.pk)).glob("openpyxl.*"))
    if export.lease_until > timezone.now() + timedelta(seconds=1):
        assert services.exports_expire() == 0  # the lease still runs: nothing is failed yet
    deadline = time.monotonic() + LEASE_SECONDS * 3
    while Export.objects.filter(pk=export.pk, lease_until__gte=timezone.now()).exists():
        assert time.monotonic() < deadline, "the lease did not expire"
        time.sleep(0.1)
    from reports.tasks import expire_exports

    assert expire_exports() == 1
    assert_failed_and_nothing_remains(client_for, export, scratch, before)
