"""The machinery of the fault tests: a real Celery worker and beat (subprocesses, this checkout's code,
tests/faults/worker_settings.py) against the test's PostgreSQL database, broker keys of the test's own on
the shared Redis (tests/broker_helpers.py: another run on the same Redis neither takes nor empties them)
or a redis-server the test may restart, and an SMTP server in the test process (smtp_server.py); the faults
they inject; and the checks that nothing was lost or doubled."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from casework.models import Notification, OutgoingEmail, ProcedureEvent, Reminder
from tests.broker_helpers import CeleryProcesses, IsolatedBroker
from tests.casework.applicant_factories import (
    ApplicantFactory,
    ProcedureEventFactory,
    RefugeeProcedureFactory,
)
from tests.faults.smtp_server import SMTPServer, free_port
from tests.subprocess_helpers import BASE_DIR, subprocess_env, wait_for_subprocess_sessions_to_end

# Marks the worker's and beat's PostgreSQL sessions: teardown waits for them, a fault test drops them.
APPLICATION_NAME = "tobira-faults"
WAIT_SECONDS = 90
# Short enough that a test sees them pass: the lease of a claimed e-mail, the first retry's wait, the
# periodic redelivery, the SMTP client's timeout.
LEASE_SECONDS = 4
TIMEOUTS = {
    "EMAIL_LEASE_SECONDS": str(LEASE_SECONDS),
    "EMAIL_RETRY_SECONDS": "1",
    "EMAIL_MAX_ATTEMPTS": "8",
    "EMAIL_TIMEOUT": "1",
    "REDELIVERY_SECONDS": "1",
    "BEAT_HEARTBEAT_SECONDS": "1",
    # Only the worker's start-up sweep unless a test asks for scheduled ones (never the 08:00 crontab).
    "REMINDER_SWEEP_EVERY_SECONDS": "3600",
}


def wait_until(
    what: str, condition: Callable[[], Any], rig: Rig | None = None, *, seconds: float = WAIT_SECONDS
):
    """Poll until `condition` returns something truthy; fail with the processes' output after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"Waited {seconds} s for {what}.\n{rig.output() if rig else ''}")


class Rig:
    """Workers and beats started by a test, all stopped (and their output printed) at the end."""

    def __init__(self, tmp_path: Path, broker: IsolatedBroker, smtp: SMTPServer) -> None:
        self.tmp_path = tmp_path
        self.broker = broker
        self.smtp = smtp
        self.gate = tmp_path / "gate"
        self.gate.mkdir()
        self.started: list[CeleryProcesses] = []

    def env(self, **extra: str) -> dict[str, str]:
        return subprocess_env(
            application_name=APPLICATION_NAME,
            DJANGO_SETTINGS_MODULE="tests.faults.worker_settings",
            **self.broker.env(),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp.port),
            FAULT_GATE_DIR=str(self.gate),
            **{**TIMEOUTS, **extra},
        )

    def start(self, name: str, *, beat: bool = False, concurrency: int = 1, **extra: str) -> CeleryProcesses:
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        if beat:
            command = celery + ["beat", "--loglevel=INFO", "--pidfile=", f"--schedule={self.tmp_path / name}"]
        else:
            command = celery + [
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                f"--hostname=tobira-faults-{name}-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
        processes = CeleryProcesses(logs={name: self.tmp_path / f"{name}.log"})
        with processes.logs[name].open("wb") as log:
            processes.processes[name] = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=self.env(**extra),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # the worker's pool processes share its group: killpg kills all
            )
        self.started.append(processes)
        return processes

    def output(self) -> str:
        return "\n".join(processes.output() for processes in self.started)

    def log(self, processes: CeleryProcesses) -> str:
        (path,) = processes.logs.values()
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """SIGKILL: the test has checked what it wanted; a warm shutdown would only wait for beat's sleep."""
        for processes in self.started:
            for process in processes.processes.values():
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        wait_for_subprocess_sessions_to_end(APPLICATION_NAME)

    # --- Faults --------------------------------------------------------------------------------------

    def hold(self, point: str) -> None:
        """The next worker to reach `point` ("sweep", "claim") waits there (tests/faults/gates.py)."""
        (self.gate / f"hold-{point}").touch()

    def wait_for_held(self, point: str) -> int:
        """The pid of the pool process held at `point`, mid-transaction."""
        at = self.gate / f"at-{point}"
        wait_until(f"a worker to reach the gate at {point}", at.exists, self)
        return int(wait_until("the gate's pid", lambda: at.read_text().strip(), self))

    def release(self, point: str) -> None:
        (self.gate / f"release-{point}").touch()


def pool_children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def kill_pool_processes(worker: CeleryProcesses) -> list[int]:
    """SIGKILL the pool processes; the worker's main process lives on and forks new ones."""
    (process,) = worker.processes.values()
    children = pool_children(process.pid)
    assert children, "the worker has no pool process"
    for child in children:
        os.kill(child, signal.SIGKILL)
    return children


def kill_worker(worker: CeleryProcesses) -> None:
    """SIGKILL the whole worker, main process and pool at once: no warm shutdown, nothing acknowledged."""
    (process,) = worker.processes.values()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def drop_database_connections() -> int:
    """pg_terminate_backend on every session of the worker and beat (found by application_name)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


class OwnRedis:
    """A redis-server of the test's own on a free port, which it may stop and start again (never the shared
    one). No persistence: a restart loses every message, as a Redis without a volume would."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.dir = tmp_path / "redis"
        self.dir.mkdir()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.process = subprocess.Popen(
            command, cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_until("redis-server to answer", self.answers, seconds=20)

    def answers(self) -> bool:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@contextlib.contextmanager
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- Data and checks ---------------------------------------------------------------------------------


def refusal_notices(count: int, team, caseworker) -> list[ProcedureEvent]:
    """People whose refusal notice arrived today: each an urgent appeal reminder, e-mailed at once.
    Written straight into the database (factories): the worker's start-up sweep finds them."""
    today = timezone.localdate()
    notices = []
    for _ in range(count):
        person = ApplicantFactory(team=team, caseworker=caseworker)
        # Applied long ago: the triage check is past its grace period, the appeal is the only deadline.
        procedure = RefugeeProcedureFactory(applicant=person, applied_on=today - timedelta(days=400))
        notices.append(
            ProcedureEventFactory(procedure=procedure, kind=ProcedureEvent.Kind.REFUSAL_NOTICE, date=today)
        )
    return notices


def reminder_emails():
    """The outbox's e-mails of appeal reminders."""
    appeals = Reminder.objects.filter(source_kind="appeal_deadline").values_list("pk", flat=True)
    return OutgoingEmail.objects.filter(topic__in=[f"reminder:{pk}" for pk in appeals])


def all_sent(count: int) -> bool:
    return reminder_emails().filter(state=OutgoingEmail.State.SENT).count() >= count


def assert_nothing_lost_or_doubled(
    notices: list[ProcedureEvent], smtp: SMTPServer, *, once: bool = False
) -> dict:
    """Every due reminder exists once and was delivered once; its e-mail went out at least once (exactly
    once with `once`), every copy with the outbox's Message-ID; nothing is left waiting or claimed.
    Returns the figures the test prints."""
    ids = {notice.pk for notice in notices}
    rows = list(
        Reminder.objects.filter(source_kind="appeal_deadline").values_list("source_id", "offset", "state")
    )
    keys = Counter((source_id, offset) for source_id, offset, _state in rows)
    assert {source_id for source_id, _offset in keys} == ids, "a due reminder is missing"
    assert max(keys.values()) == 1, "a reminder exists twice"
    live = Counter(source_id for source_id, _offset, state in rows if state == Reminder.State.LIVE)
    assert live == Counter(ids), f"not exactly one live reminder per deadline: {live}"
    reminders = Reminder.objects.filter(source_kind="appeal_deadline", state=Reminder.State.LIVE)
    assert not reminders.filter(delivered_at__isnull=True).exists(), "a due reminder was not delivered"
    notified = Counter(
        Notification.objects.filter(reminder__in=reminders).values_list("reminder_id", flat=True)
    )
    assert sorted(notified.values()) == [1] * len(ids), "a notification is missing or doubled"

    emails = reminder_emails()
    assert emails.count() == len(ids)
    assert set(emails.values_list("state", flat=True)) == {OutgoingEmail.State.SENT}
    assert not OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING).exists(), (
        "an e-mail stays claimed"
    )
    expected = set(emails.values_list("message_id", flat=True))
    received = smtp.handler.counts()
    assert expected <= set(received), f"e-mails never went out: {expected - set(received)}"
    assert set(received) <= expected, (
        f"e-mails with a Message-ID the outbox does not know: {set(received) - expected}"
    )
    repeats = sum(received.values()) - len(received)
    twice = {message_id for message_id, copies in received.items() if copies > 1}
    assert twice <= set(emails.filter(attempts__gt=1).values_list("message_id", flat=True)), (
        "an e-mail went out twice though it was sent at the first attempt"
    )
    if once:
        assert repeats == 0, f"e-mails went out twice: {[m for m, n in received.items() if n > 1]}"
    return {
        "reminders": len(ids),
        "emails": len(expected),
        "received": sum(received.values()),
        "repeats (same Message-ID)": repeats,
        "attempts": sum(emails.values_list("attempts", flat=True)),
    }


def health_panel(administrator) -> str:
    """The administrator's system health panel, as its text."""
    client = Client()
    client.force_login(administrator)
    html = client.get("/").content.decode()
    start = html.index('id="panel-system_health"')
    end = html.find('<section class="card home-panel"', start)
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : end if end != -1 else None]).split())
