"""A Redis broker of a test's own on a shared Redis: every key the worker and the test use carries a
prefix unique to the test (kombu's `global_keyprefix`), in the database REDIS_URL names.

Why: the killed-worker tests once used a fixed Redis database (11) and emptied it (FLUSHDB) when they
started. Two runs on one Redis — a developer's and CI's, or two branches' — then took each other's
messages: the second run's FLUSHDB removed the first run's `run_import` from the `unacked` hash, or the
other run's worker consumed it (an import of the same id in another test database), and the first run
waited 90 seconds for a redelivery that had happened elsewhere. With a prefix, nothing of another run
is read, emptied or consumed. Every test that starts a real worker or beat on Redis (the fault tests,
tests/test_celery_integration.py, the killed import and export) takes one: the fault tests once shared a
fixed database (12), and a second run on the same Redis stole their sweep or emptied their queue.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.files.storage import storages

from tests.conftest import require
from tests.subprocess_helpers import BASE_DIR, subprocess_env, wait_for_subprocess_sessions_to_end

# The settings module of the test workers reads this (tests/worker_settings.py).
PREFIX_VARIABLE = "TEST_BROKER_KEY_PREFIX"


@dataclass
class CeleryProcesses:
    """Celery subprocesses a test started, with their logs."""

    logs: dict[str, Path]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def output(self) -> str:
        parts = []
        for name, path in self.logs.items():
            text = path.read_text(errors="replace") if path.exists() else "(no output)"
            if len(text) > 20_000:  # the start (what the worker did first) and the end
                text = f"{text[:6_000]}\n[… {len(text) - 20_000} characters …]\n{text[-14_000:]}"
            parts.append(f"----- celery {name} (exit code {self._exit_code(name)}) -----\n{text}")
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


def redis_reachable(redis_url: str) -> bool:
    parts = urlsplit(redis_url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class IsolatedBroker:
    url: str
    prefix: str

    @classmethod
    def create(cls, what: str) -> IsolatedBroker:
        url = os.environ.get("REDIS_URL", "")
        require(bool(url), f"REDIS_URL is not set: {what} needs Redis")
        require(redis_reachable(url), f"Redis at {url} does not answer")
        return cls(url=url, prefix=f"tobira-test-{uuid.uuid4().hex[:12]}:")

    def env(self) -> dict[str, str]:
        """The worker's environment: this Redis and this prefix."""
        return {"REDIS_URL": self.url, PREFIX_VARIABLE: self.prefix}

    def _client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=2)

    def send_task(self, name: str, *args) -> None:
        """Send a task to the worker from this (eager) process."""
        from celery import Celery

        app = Celery(
            broker=self.url,
            set_as_current=False,
            broker_transport_options={"global_keyprefix": self.prefix},
        )
        try:
            app.send_task(name, args=list(args))
        finally:
            app.close()

    def state(self) -> str:
        """The default queue and the unacknowledged messages (task names), for a failure's message."""
        client = self._client()
        try:
            queue = [
                json.loads(message)["headers"]["task"]
                for message in client.lrange(self.prefix + "celery", 0, -1)
            ]
            unacked = sorted(
                json.loads(value)[0]["headers"]["task"]
                for value in client.hgetall(self.prefix + "unacked").values()
            )
            return f"broker: queue {queue}, unacknowledged {unacked}"
        finally:
            client.close()

    def clear(self) -> None:
        """Remove this test's keys (and only those)."""
        client = self._client()
        try:
            keys = list(client.scan_iter(match=self.prefix + "*", count=500))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


@contextlib.contextmanager
def isolated_broker(what: str) -> Iterator[IsolatedBroker]:
    """Broker keys of the test's own for `what` (skipped without Redis), removed afterwards."""
    broker = IsolatedBroker.create(what)
    try:
        yield broker
    finally:
        broker.clear()


@contextlib.contextmanager
def isolated_worker(
    tmp_path: Path, broker: IsolatedBroker, *, name: str, application_name: str, **settings: str
) -> Iterator[CeleryProcesses]:
    """One real Celery worker (one pool process) on the test's own broker keys and PostgreSQL database;
    ``settings`` go into its environment (tests/worker_settings.py reads them). Stopped afterwards, its
    database sessions waited for, its log printed (shown when the test fails)."""
    env = subprocess_env(
        application_name=application_name,
        DJANGO_SETTINGS_MODULE="tests.worker_settings",
        **broker.env(),
        DOCUMENTS_ROOT=str(storages["documents"].location),  # where this process stores and looks
        **settings,
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel=INFO",
        "--concurrency=1",
        f"--hostname={application_name}-{name}-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    processes = CeleryProcesses(logs={name: tmp_path / f"celery-{name}.log"})
    with processes.logs[name].open("wb") as log:
        processes.processes[name] = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield processes
    finally:
        processes.stop()
        wait_for_subprocess_sessions_to_end(application_name)
        print(processes.output())
