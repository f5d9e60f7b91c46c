"""A real Celery worker and beat, as subprocesses, run the scheduled heartbeat and /healthz sees it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_string
from pathlib import Path

import pytest
from django.utils import timezone

from casework.models import Heartbeat, Notification, OutgoingEmail, ProcedureEvent, Reminder
from tests.broker_helpers import CeleryProcesses, IsolatedBroker, isolated_broker
from tests.casework.applicant_factories import (
    ApplicantFactory,
    LegalStatusPeriodFactory,
    ProcedureEventFactory,
    RefugeeProcedureFactory,
)
from tests.subprocess_helpers import BASE_DIR, subprocess_env, wait_for_subprocess_sessions_to_end

# One worker runs them all, one after another (make test runs two).
pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("redis"),
]

HEARTBEAT_SECONDS = 2
WAIT_SECONDS = 60
# Marks the subprocesses' PostgreSQL sessions, so teardown can wait until they are gone.
APPLICATION_NAME = "tobira-celery-integration"


def start_celery(tmp_path: Path, broker: IsolatedBroker | None, **extra_env: str) -> CeleryProcesses:
    """A worker and beat against the test database: Redis under the test's own key prefix when REDIS_URL
    is set (tests/broker_helpers.py), else a filesystem broker in tmp_path. Stop them with .stop() (and
    print .output())."""
    env = subprocess_env(
        application_name=APPLICATION_NAME,
        # The local settings, and the broker prefix when there is one.
        DJANGO_SETTINGS_MODULE="tests.worker_settings",
        BEAT_HEARTBEAT_SECONDS=str(HEARTBEAT_SECONDS),
        **extra_env,
    )
    if broker is not None:
        env.update(broker.env())
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
        "beat": celery
        + ["beat", "--loglevel=INFO", "--pidfile=", f"--schedule={tmp_path / 'beat-schedule'}"],
    }
    processes = CeleryProcesses(logs={name: tmp_path / f"celery-{name}.log" for name in commands})
    try:
        for name, command in commands.items():
            with processes.logs[name].open("wb") as log:
                processes.processes[name] = subprocess.Popen(
                    command,
                    cwd=BASE_DIR,  # this checkout's code (PYTHONPATH too), checked in the tests
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
    except BaseException:
        processes.stop()
        raise
    return processes


@contextlib.contextmanager
def running_celery(tmp_path: Path, **extra_env: str) -> Iterator[CeleryProcesses]:
    with contextlib.ExitStack() as stack:
        redis = os.environ.get("REDIS_URL")
        broker = stack.enter_context(isolated_broker("the Celery integration tests")) if redis else None
        processes = start_celery(tmp_path, broker, **extra_env)
        try:
            yield processes
        finally:
            processes.stop()
            wait_for_subprocess_sessions_to_end(APPLICATION_NAME)
            # pytest shows this (under "Captured stdout") when the test fails.
            print(processes.output())


@pytest.fixture
def celery_worker_and_beat(transactional_db, tmp_path) -> Iterator[CeleryProcesses]:
    with running_celery(tmp_path) as processes:
        yield processes


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


# --- Reminders: the scheduled sweep, delivery by the worker, e-mail through the file backend ---------------


def wait_for(what: str, check, processes: CeleryProcesses, *, seconds: float = WAIT_SECONDS):
    """Poll `check` until it returns something truthy; fail (the processes' output is printed) after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        processes.assert_running()
        found = check()
        if found:
            return found
        time.sleep(0.25)
    pytest.fail(f"Waited {seconds} s for {what}: the worker's and beat's output is printed below.")


def log_lines(processes: CeleryProcesses, name: str, text: str) -> list[str]:
    path = processes.logs[name]
    content = path.read_text(errors="replace") if path.exists() else ""
    return [line for line in content.splitlines() if text in line]


def emails_written(mail_dir: Path) -> list:
    """The messages the file backend wrote (one file per connection, messages separated by a rule)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if chunk.strip():
                messages.append(message_from_string(chunk.strip()))
    return messages


def test_a_scheduled_sweep_creates_a_reminder_the_worker_delivers_and_urgent_mail_is_written(
    tmp_path, caseworker, team
):
    assert caseworker.email
    today = timezone.localdate()
    mail_dir = tmp_path / "mail"
    # Recorded before the start, straight into the database (no task from this process): an appeal
    # deadline, urgent, found by the start-up sweep and e-mailed at once.
    appellant = ApplicantFactory(team=team, caseworker=caseworker)
    procedure = RefugeeProcedureFactory(applicant=appellant, applied_on=today - timedelta(days=100))
    notice = ProcedureEventFactory(procedure=procedure, kind=ProcedureEvent.Kind.REFUSAL_NOTICE, date=today)
    person = ApplicantFactory(team=team, caseworker=caseworker)

    started = time.monotonic()
    with running_celery(
        tmp_path,
        REMINDER_SWEEP_EVERY_SECONDS="3",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    ) as processes:
        # The worker runs this checkout's code, and sweeps once when it starts.
        ready = wait_for(
            "the worker's start-up sweep",
            lambda: log_lines(processes, "worker", "start-up): created"),
            processes,
        )
        assert log_lines(processes, "worker", f"code in {BASE_DIR / 'casework'}"), "another checkout's code"
        appeal = wait_for(
            "the appeal reminder to be delivered",
            lambda: Reminder.objects.filter(
                source_kind="appeal_deadline", source_id=notice.pk, delivered_at__isnull=False
            ).first(),
            processes,
        )
        assert appeal.urgent and appeal.offset == "on_record"
        urgent = wait_for(
            "the urgent e-mail to be sent",
            lambda: OutgoingEmail.objects.filter(topic=f"reminder:{appeal.pk}", state="sent").first(),
            processes,
        )
        written = wait_for(
            "the urgent e-mail in the mail folder",
            lambda: [m for m in emails_written(mail_dir) if m["Message-ID"] == urgent.message_id],
            processes,
        )
        assert written[0]["To"] == caseworker.email
        assert appellant.reference_code in written[0]["Subject"]

        # Recorded after the start-up sweep has run: only a scheduled sweep can find it. A six-month
        # period ending in 10 days: T-14 is due (T-30 and earlier skipped), not urgent.
        sweeps_before = len(log_lines(processes, "worker", "(scheduled): created"))
        period = LegalStatusPeriodFactory(
            applicant=person, start_date=today - timedelta(days=172), end_date=today + timedelta(days=10)
        )
        reminder = wait_for(
            "a scheduled sweep to create the period's reminder",
            lambda: Reminder.objects.filter(
                source_kind="period_end", source_id=period.pk, state=Reminder.State.LIVE
            ).first(),
            processes,
        )
        assert reminder.offset == "-14" and not reminder.urgent
        # The worker logs the sweep just after its transaction commits: the row can be seen first.
        wait_for(
            "the worker to log the scheduled sweep",
            lambda: len(log_lines(processes, "worker", "(scheduled): created")) > sweeps_before,
            processes,
        )
        notification = wait_for(
            "the worker to deliver the notification",
            lambda: Notification.objects.filter(reminder=reminder, recipient=caseworker).first(),
            processes,
        )
        # The digest follows the delivery (a chain), once a day, through the same outbox.
        digest = wait_for(
            "the daily digest to be sent",
            lambda: OutgoingEmail.objects.filter(
                recipient=caseworker, purpose="digest", state="sent"
            ).first(),
            processes,
        )
        assert person.reference_code in digest.body
        wait_for(
            "the digest in the mail folder",
            lambda: [m for m in emails_written(mail_dir) if m["Message-ID"] == digest.message_id],
            processes,
        )
    print(
        f"Start-up sweep seen after {len(ready)} line(s); reminder {reminder} delivered at "
        f"{notification.created_at}; {time.monotonic() - started:.1f} s in all."
    )
    assert Notification.objects.filter(reminder=reminder).count() == 1
