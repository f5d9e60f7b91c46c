"""Faults injected against a real Celery worker and beat, Redis and PostgreSQL (issue 19): a worker killed
(SIGKILL) in the middle of a delivery batch, an SMTP server that refuses, stalls, then accepts, two beats
started by mistake, the worker's database connections dropped mid-sweep, Redis restarted mid-sweep.

Afterwards every due reminder exists once and was delivered once, its e-mail went out at least once and
every copy carries the outbox's Message-ID, nothing stays claimed, and the administrator's health panel
says what happened. The machinery is in rig.py; the faults are placed by polling (the SMTP server's count,
the sweep held at a gate in the worker: tests/faults/gates.py), not by sleeping."""

from __future__ import annotations

import os
import re
import shutil
import signal
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from casework.models import Heartbeat, OutgoingEmail, Reminder
from tests.broker_helpers import IsolatedBroker, isolated_broker
from tests.conftest import require
from tests.faults.rig import (
    LEASE_SECONDS,
    Rig,
    all_sent,
    assert_nothing_lost_or_doubled,
    drop_database_connections,
    health_panel,
    kill_pool_processes,
    kill_worker,
    own_redis,
    refusal_notices,
    reminder_emails,
    wait_until,
)
from tests.faults.smtp_server import Outcome, SMTPServer

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("redis"),  # with the other real-worker tests, one after another
]


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server


@pytest.fixture
def broker() -> Iterator[IsolatedBroker]:
    """Broker keys of the test's own on the shared Redis: never a fixed database emptied at the start,
    which let a second run on the same Redis take this run's sweep or empty its queue (two runs side by
    side failed that way)."""
    with isolated_broker("the fault tests") as broker:
        yield broker


@pytest.fixture
def postgresql(transactional_db) -> None:
    require(connection.vendor == "postgresql", "the fault tests run on PostgreSQL (DATABASE_URL)")


@pytest.fixture
def rig(postgresql, tmp_path, broker, smtp) -> Iterator[Rig]:
    rig = Rig(tmp_path, broker, smtp)
    try:
        yield rig
    finally:
        rig.stop()
        print(rig.output())  # shown when the test fails


def beat_since(moment) -> bool:
    """Beat sent its heartbeat task and a worker ran it after `moment`."""
    return Heartbeat.objects.filter(name="beat", at__gt=moment).exists()


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_with_the_same_message_id(
    rig, smtp, caseworker, team, administrator, settings
):
    """SIGKILL first the pool process (the worker lives on), then the whole worker, each while a batch of
    urgent e-mails is going out through a slow SMTP server; a new worker finishes the job."""
    settings.EMAIL_LEASE_SECONDS = LEASE_SECONDS  # the panel (this process) knows the workers' lease
    notices = refusal_notices(30, team, caseworker)
    smtp.handler.delay = 0.15  # 30 e-mails take ~5 s: the batch is in flight when the kills come
    rig.start("beat", beat=True)
    worker = rig.start("worker-1")
    wait_until("the first e-mails to arrive", lambda: len(smtp.handler.received) >= 5, rig)
    killed = kill_pool_processes(worker)
    # The main process forks a new pool process; the lost task is delivered again (acks_late and
    # reject_on_worker_lost) and the message the killed process was sending waits for its lease.
    wait_until(
        "the batch to go on after the pool process died", lambda: len(smtp.handler.received) >= 15, rig
    )
    worker.assert_running()
    kill_worker(worker)
    sent_before = reminder_emails().filter(state=OutgoingEmail.State.SENT).count()
    assert sent_before < len(notices), "the batch finished before the worker was killed"
    stuck = list(reminder_emails().filter(state=OutgoingEmail.State.PENDING, claimed_at__isnull=False))
    if stuck:
        # Nobody works now: once the lease has passed, the panel shows the claims a dead sender left.
        lease_ends = max(email.claimed_at for email in stuck) + timedelta(seconds=LEASE_SECONDS)
        wait_until("the dead worker's leases to pass", lambda: timezone.now() > lease_ends, rig)
        assert f"{len(stuck)} claimed by a sender that stopped" in health_panel(administrator)

    restarted = timezone.now()
    rig.start("worker-2")
    # The new worker's start-up sweep delivers what is left; the periodic redelivery takes back the
    # claims the dead worker held once their lease has passed.
    wait_until("every e-mail to be sent", lambda: all_sent(len(notices)), rig)
    figures = assert_nothing_lost_or_doubled(notices, smtp)
    # Only e-mails a dead sender had claimed (sent at a second attempt) may have gone out twice — the
    # server kept what it received before its answer reached the killed process — with one Message-ID:
    # checked by assert_nothing_lost_or_doubled.
    for email in stuck:
        email.refresh_from_db()
        assert email.state == OutgoingEmail.State.SENT and email.attempts >= 2
        assert email.sent_at >= email.created_at
    panel = health_panel(administrator)
    assert re.search(rf"\b{len(notices)} e-mails sent in the last 24 hours", panel), panel
    retried = reminder_emails().filter(attempts__gt=1).count()
    if retried:
        assert f"{retried} of them after" in panel, panel
    assert (
        "E-mails waiting: 0 (0 to be retried after a failed attempt, 0 claimed by a sender that stopped)"
        in panel
    )
    assert "Worker: last started" in panel
    assert Heartbeat.objects.get(name="worker").at >= restarted
    print(f"Killed pool process(es) {killed}, then the worker; {len(stuck)} claim(s) left behind; {figures}")


def test_a_pool_process_killed_inside_the_delivery_transaction_leaves_no_reminder_claimed(
    rig, smtp, caseworker, team, administrator
):
    """SIGKILL the pool process after it claimed a round of reminders (delivered_at set) and before its
    transaction committed: PostgreSQL rolls the claims back, the task is delivered again, and each
    reminder is delivered, notified and e-mailed once."""
    notices = refusal_notices(10, team, caseworker)
    rig.hold("claim")
    rig.start("beat", beat=True)
    worker = rig.start("worker")
    pid = rig.wait_for_held("claim")
    assert Reminder.objects.filter(source_kind="appeal_deadline").count() == len(notices)
    assert not Reminder.objects.filter(delivered_at__isnull=False).exists()  # not committed
    os.kill(pid, signal.SIGKILL)
    wait_until("every e-mail to be sent", lambda: all_sent(len(notices)), rig)
    worker.assert_running()
    figures = assert_nothing_lost_or_doubled(notices, smtp, once=True)
    print(f"Pool process killed inside the delivery transaction: {figures}")


def test_an_smtp_server_that_refuses_then_stalls_then_accepts_gets_the_same_message_id(
    rig, smtp, caseworker, team, administrator
):
    """A temporary refusal (451), then a DATA answered only after the client's EMAIL_TIMEOUT, then
    acceptance: the retries, with their backoff, send the same Message-ID; the panel shows the retry."""
    (notice,) = notices = refusal_notices(1, team, caseworker)
    smtp.handler.script = [Outcome.REFUSE, Outcome.STALL]
    smtp.handler.stall_seconds = 2.5  # past EMAIL_TIMEOUT (1 s)
    rig.start("beat", beat=True)
    rig.start("worker")
    email = wait_until(
        "the refusal to be recorded",
        lambda: reminder_emails().filter(attempts=1, next_attempt_at__isnull=False).first(),
        rig,
    )
    assert "451" in email.last_error and email.state == OutgoingEmail.State.PENDING, email.last_error
    wait_until("the e-mail to be sent", lambda: all_sent(1), rig)
    email.refresh_from_db()
    assert email.attempts == 3, email.attempts  # refused, timed out, accepted
    assert (smtp.handler.refused, smtp.handler.stalled) == (1, 1)
    figures = assert_nothing_lost_or_doubled(notices, smtp)
    assert set(smtp.handler.received) == {email.message_id}
    panel = health_panel(administrator)
    assert "1 e-mail sent in the last 24 hours, 1 of them after a failed or interrupted attempt" in panel, (
        panel
    )
    print(f"Refused, stalled, accepted: {figures}; {notice}")


def test_two_beats_started_by_mistake_create_each_reminder_once_and_mail_it_once(
    rig, smtp, caseworker, team, administrator
):
    """Two beats both schedule a sweep every 2 seconds for two worker processes: sweeps overlap, and
    still each reminder is created once and its e-mail sent once."""
    notices = refusal_notices(20, team, caseworker)
    every = {"REMINDER_SWEEP_EVERY_SECONDS": "2", "EMAIL_LEASE_SECONDS": "60"}  # no kill: no lease expires
    beats = [rig.start(f"beat-{n}", beat=True, **every) for n in (1, 2)]
    worker = rig.start("worker", concurrency=2, **every)

    def sweeps() -> int:
        return rig.log(worker).count("(scheduled): created")

    wait_until(
        "each beat to send the sweep twice",
        lambda: all(rig.log(beat).count("Scheduler: Sending due task reminder-sweep") >= 2 for beat in beats),
        rig,
    )
    wait_until("the worker to run four scheduled sweeps", lambda: sweeps() >= 4, rig)
    # Recorded while the sweeps come and go: found by whichever sweep comes first, once.
    notices += refusal_notices(5, team, caseworker)
    wait_until("every e-mail to be sent", lambda: all_sent(len(notices)), rig)
    done = sweeps()
    wait_until("two more sweeps after the last e-mail", lambda: sweeps() >= done + 2, rig)
    figures = assert_nothing_lost_or_doubled(notices, smtp, once=True)
    panel = health_panel(administrator)
    assert f"{len(notices)} e-mails sent in the last 24 hours" in panel and "of them after" not in panel, (
        panel
    )
    # Each beat signs its heartbeat: the administrator is told that two run, and which.
    pids = sorted(str(process.pid) for beat in beats for process in beat.processes.values())
    assert "2 beat processes are running" in panel and "run exactly one" in panel, panel
    assert all(re.search(rf":{pid}\b", panel) for pid in pids), (pids, panel)
    print(f"{sweeps()} scheduled sweeps from two beats: {figures}")


def test_database_connections_dropped_mid_sweep_the_sweep_is_retried_and_completes(
    rig, smtp, caseworker, team, administrator
):
    """pg_terminate_backend on the worker's and beat's sessions while a sweep is inside its transaction:
    the task fails, is retried, and the retry creates and delivers everything, once."""
    notices = refusal_notices(10, team, caseworker)
    rig.hold("sweep")
    beat = rig.start("beat", beat=True)
    worker = rig.start("worker")
    rig.wait_for_held("sweep")
    dropped = drop_database_connections()
    assert dropped >= 1
    rig.release("sweep")
    wait_until("the sweep to be retried", lambda: "Retry in" in rig.log(worker), rig)
    wait_until("every e-mail to be sent", lambda: all_sent(len(notices)), rig)
    figures = assert_nothing_lost_or_doubled(notices, smtp, once=True)
    assert Heartbeat.objects.filter(name="sweep").exists()
    dropped_at = timezone.now()
    wait_until("beat's heartbeat after the drop", lambda: beat_since(dropped_at), rig)
    # django-celery-beat's scheduler exited when its connection dropped while it read the schedule;
    # config.beat.Scheduler keeps the last schedule and reads again.
    beat.assert_running()
    worker.assert_running()
    panel = health_panel(administrator)
    assert "Reminder sweep: last ran" in panel and "Reminders due and not delivered yet" in panel
    print(f"Dropped {dropped} PostgreSQL session(s) mid-sweep: {figures}")


def test_redis_restarted_mid_sweep_worker_and_beat_reconnect_and_nothing_is_lost(
    postgresql, tmp_path, smtp, caseworker, team, administrator
):
    """Redis (a server of the test's own) is stopped while a sweep is inside its transaction, and started
    again, empty, after the sweep's work has committed: the sweep's own message (put back by the worker on
    the lost connection) is gone with it. Worker and beat reconnect; the delivery the sweep was waiting to
    queue, or else the periodic redelivery, delivers everything, once."""
    require(
        shutil.which("redis-server") is not None, "redis-server is not installed (tests/faults restarts one)"
    )
    notices = refusal_notices(10, team, caseworker)
    with own_redis(tmp_path) as redis_server:
        rig = Rig(tmp_path, IsolatedBroker(url=redis_server.url, prefix=""), smtp)
        try:
            rig.hold("sweep")
            rig.start("beat", beat=True)
            worker = rig.start("worker")
            rig.wait_for_held("sweep")
            redis_server.stop()
            rig.release("sweep")
            # The sweep's work is committed; the pool process now waits to queue the delivery (kombu
            # retries the connection) and no reminder is delivered while Redis is away.
            wait_until("the sweep to end", lambda: "start-up): created" in rig.log(worker), rig)
            assert Reminder.objects.filter(source_kind="appeal_deadline").count() == len(notices)
            assert not Reminder.objects.filter(delivered_at__isnull=False).exists()
            redis_server.start()
            restarted = timezone.now()
            wait_until("every e-mail to be sent", lambda: all_sent(len(notices)), rig)
            wait_until("beat's heartbeat through the new Redis", lambda: beat_since(restarted), rig)
            worker.assert_running()
            figures = assert_nothing_lost_or_doubled(notices, smtp, once=True)
            panel = health_panel(administrator)
            assert f"{len(notices)} e-mails sent" in panel and "Message broker: reachable" in panel, panel
            print(f"Redis restarted mid-sweep: {figures}; lease {LEASE_SECONDS} s")
        finally:
            rig.stop()
            print(rig.output())
