"""A real Celery worker and beat, as subprocesses, run the scheduled heartbeat and /healthz sees it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from casework.models import Heartbeat
from tests.conftest import require

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
HEARTBEAT_SECONDS = 2
WAIT_SECONDS = 60
# A Redis database of its own, so the test neither reads nor leaves messages in another run's queue.
REDIS_TEST_DB = 15
# Marks the subprocesses' PostgreSQL sessions, so teardown can wait until they are gone.
APPLICATION_NAME = "tobira-celery-integration"


@dataclass
class CeleryProcesses:
    logs: dict[str, Path]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def output(self) -> str:
        parts = []
        for name, path in self.logs.items():
            text = path.read_text(errors="replace") if path.exists() else "(no output)"
            parts.append(f"----- celery {name} (exit code {self._exit_code(name)}) -----\n{text[-20_000:]}")
        return "\n".join(parts)

    def _exit_code(self, name: str) -> object:
        process = self.processes.get(name)
        return None if process is None else process.poll()

    def assert_running(self) -> None:
        for name, process in self.processes.items():
            assert process.poll() is None, f"celery {name} stopped early (its output is printed below)."

    def stop(self) -> None:
        """SIGTERM (Celery's warm shutdown), then SIGKILL to the whole process group if it lingers."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        for process in self.processes.values():
            # The worker's pool children share the group we created with start_new_session.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _database_url() -> str:
    """The test database the test itself uses, as a DATABASE_URL for the subprocesses."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        netloc = f"{credentials}@{host}{port}" if credentials else f"{host}{port}"
        return f"postgres://{netloc}/{quote(db['NAME'], safe='')}?application_name={APPLICATION_NAME}"
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        assert name and ":memory:" not in name and "mode=memory" not in name, (
            "The SQLite test database must be a file for subprocesses to share it (config/settings/test.py)."
        )
        return f"sqlite:///{Path(name).resolve()}"
    pytest.fail(f"No DATABASE_URL recipe for the {connection.vendor} backend.")


def _redis_url_for_test(redis_url: str) -> str:
    parts = urlsplit(redis_url)
    return urlunsplit(parts._replace(path=f"/{REDIS_TEST_DB}"))


def _redis_reachable(redis_url: str) -> bool:
    parts = urlsplit(redis_url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def _wait_for_subprocess_sessions_to_end() -> None:
    """PostgreSQL drops the test database at the end of the run only when nobody is connected."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = %s",
                [APPLICATION_NAME],
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.2)


@pytest.fixture
def celery_worker_and_beat(transactional_db, tmp_path) -> Iterator[CeleryProcesses]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": _database_url(),
        "BEAT_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BASE_DIR), os.environ.get("PYTHONPATH")])),
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "false",
    }
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        require(_redis_reachable(redis_url), f"REDIS_URL is set but Redis at {redis_url} does not answer")
        env["REDIS_URL"] = _redis_url_for_test(redis_url)
    else:
        broker_dir = tmp_path / "broker"
        for sub in ("queue", "processed"):
            (broker_dir / sub).mkdir(parents=True)
        env["CELERY_BROKER_DIR"] = str(broker_dir)

    celery = [sys.executable, "-m", "celery", "-A", "config"]
    commands = {
        "worker": celery
        + [
            "worker",
            "--loglevel=INFO",
            "--concurrency=1",
            f"--hostname=tobira-integration-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        # No -S: beat must pick django-celery-beat's DatabaseScheduler up from the settings.
        "beat": celery + ["beat", "--loglevel=INFO", "--pidfile="],
    }
    processes = CeleryProcesses(logs={name: tmp_path / f"celery-{name}.log" for name in commands})
    try:
        for name, command in commands.items():
            with processes.logs[name].open("wb") as log:
                processes.processes[name] = subprocess.Popen(
                    command,
                    cwd=tmp_path,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        yield processes
    finally:
        processes.stop()
        _wait_for_subprocess_sessions_to_end()
        # pytest shows this (under "Captured stdout teardown") when the test fails.
        print(processes.output())


def _last_heartbeat() -> datetime | None:
    return Heartbeat.objects.filter(name="beat").values_list("at", flat=True).first()


def test_worker_and_beat_run_the_scheduled_heartbeat_and_healthz_reports_beat_ok(client, request):
    from django_celery_beat.models import PeriodicTask

    Heartbeat.objects.all().delete()
    before = client.get("/healthz").json()
    assert before["checks"]["beat"]["ok"] is False, before

    started_at = timezone.now()
    started = time.monotonic()
    processes = request.getfixturevalue("celery_worker_and_beat")

    # Two different heartbeat times prove the task runs on a schedule, not once.
    seen: set[datetime] = set()
    deadline = started + WAIT_SECONDS
    while len(seen) < 2 and time.monotonic() < deadline:
        processes.assert_running()
        at = _last_heartbeat()
        if at is not None and at >= started_at:
            seen.add(at)
        time.sleep(0.25)
    elapsed = time.monotonic() - started
    assert len(seen) >= 2, (
        f"The scheduled heartbeat ran {len(seen)} time(s) in {WAIT_SECONDS} s, not 2: "
        "the worker's and beat's output is printed below."
    )
    print(f"The heartbeat ran twice {elapsed:.1f} s after the worker and beat started.")

    # Beat read its schedule from the database (DatabaseScheduler), the test database.
    entry = PeriodicTask.objects.get(name="beat-heartbeat")
    assert entry.task == "casework.tasks.record_beat_heartbeat"
    assert entry.interval is not None
    assert entry.interval.every == HEARTBEAT_SECONDS and entry.interval.period == "seconds"

    response = client.get("/healthz")
    report = response.json()
    assert report["checks"]["beat"]["ok"] is True, report
    assert datetime.fromisoformat(report["checks"]["beat"]["last_run_at"]) >= max(seen)
    assert response.status_code == 200, report
    assert report["status"] == "ok"
