"""/healthz: database, broker and beat, in-process and from a real gunicorn with services down."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from casework.models import Heartbeat
from casework.tasks import record_beat_heartbeat

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def healthz(client: Client | None = None):
    response = (client or Client()).get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


# --- In-process ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthy_when_database_broker_and_a_fresh_beat_answer():
    Heartbeat.objects.create(name="beat", at=timezone.now())
    status, body = healthz()
    assert status == 200
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["database"]["ok"] is True
    assert checks["broker"]["ok"] is True
    assert checks["beat"]["ok"] is True
    assert checks["beat"]["age_seconds"] <= 1


@pytest.mark.django_db
def test_beat_that_never_ran_is_down():
    status, body = healthz()
    assert status == 503
    assert body["status"] == "down"
    assert body["checks"]["beat"] == {"ok": False, "last_run_at": None, "error": "beat has not run yet"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True


@pytest.mark.django_db
def test_beat_goes_stale_after_the_configured_time(settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        record_beat_heartbeat()  # what beat runs every minute
    limit = settings.BEAT_STALE_AFTER_SECONDS
    with time_machine.travel(start + timedelta(seconds=limit - 5), tick=False):
        assert healthz()[0] == 200
    with time_machine.travel(start + timedelta(seconds=limit + 5), tick=False):
        status, body = healthz()
    assert status == 503
    beat = body["checks"]["beat"]
    assert beat["ok"] is False
    assert beat["age_seconds"] == limit + 5
    assert beat["last_run_at"] == start.isoformat()
    # A new heartbeat makes it healthy again.
    record_beat_heartbeat()
    assert healthz()[0] == 200


@pytest.mark.django_db
def test_healthz_counts_the_beat_processes_heard_from_lately(settings):
    """Each beat signs its heartbeat (config.beat.Scheduler): two at once were started by mistake —
    still "ok" (every periodic task is idempotent), but a monitor can alert on `processes` > 1."""
    settings.BEAT_HEARTBEAT_SECONDS = 60
    record_beat_heartbeat()  # unsigned (an older beat): no process counted
    assert healthz()[1]["checks"]["beat"]["processes"] == 0
    record_beat_heartbeat(beat="host-a:10")
    record_beat_heartbeat(beat="host-b:20")
    status, body = healthz()
    assert status == 200 and body["checks"]["beat"]["ok"] is True
    assert body["checks"]["beat"]["processes"] == 2
    Heartbeat.objects.filter(name="beat:host-a:10").update(at=timezone.now() - timedelta(seconds=126))
    assert healthz()[1]["checks"]["beat"]["processes"] == 1  # host-a stopped two heartbeats ago


@pytest.mark.django_db
def test_healthz_needs_no_sign_in_and_sets_no_cookie(caseworker):
    Heartbeat.objects.create(name="beat", at=timezone.now())
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert not response.cookies
    signed_in = Client()
    signed_in.force_login(caseworker)
    assert healthz(signed_in)[0] == 200


@pytest.mark.django_db
def test_healthz_answers_before_two_factor_and_host_checks(caseworker, settings):
    settings.REQUIRE_2FA = True
    Heartbeat.objects.create(name="beat", at=timezone.now())
    client = Client()
    client.force_login(caseworker)
    assert healthz(client)[0] == 200
    # A load balancer probing by address rather than by name still gets an answer.
    assert Client(HTTP_HOST="10.1.2.3").get("/healthz").status_code == 200


# --- A real web server with its services down ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def tarpit() -> Iterator[int]:
    """A port that accepts connections and never answers: a hung server, the worst case for timeouts."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)  # the kernel completes the handshakes; nobody ever reads or writes
        yield server.getsockname()[1]


@contextmanager
def gunicorn(tmp_path: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "TOBIRA_VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(GUNICORN), "config.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"]
        + ["--no-control-socket"],
        cwd=ROOT,
        env=clean_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited: {(tmp_path / 'gunicorn.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start listening in 30 seconds")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def fetch(url: str, timeout: float = 30) -> tuple[int, dict, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, json.loads(raw), time.monotonic() - started


@pytest.mark.services
def test_unreachable_database_and_broker_are_named_and_the_server_keeps_answering(tmp_path):
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/nothing", "REDIS_URL": "redis://127.0.0.1:1/0"}
    with gunicorn(tmp_path, **env) as (base, process):
        for _ in range(2):
            status, body, seconds = fetch(f"{base}/healthz")
            assert status == 503
            assert body["status"] == "down"
            assert body["checks"]["database"]["ok"] is False
            assert body["checks"]["broker"]["ok"] is False
            assert body["checks"]["broker"]["transport"] == "redis"
            assert body["checks"]["beat"]["ok"] is False
            assert seconds < 5
        assert process.poll() is None


@pytest.mark.services
def test_only_the_broker_down(tmp_path):
    with gunicorn(tmp_path, REDIS_URL="redis://127.0.0.1:1/0") as (base, process):
        status, body, _seconds = fetch(f"{base}/healthz")
        assert status == 503
        assert body["checks"]["database"]["ok"] is True
        assert body["checks"]["broker"]["ok"] is False
        assert fetch(f"{base}/healthz")[0] == 503
        assert process.poll() is None


@pytest.mark.services
def test_only_the_database_down(tmp_path):
    # No REDIS_URL: the embedded broker on local disk, which is up.
    with gunicorn(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing") as (base, process):
        status, body, _seconds = fetch(f"{base}/healthz")
        assert status == 503
        assert body["checks"]["database"]["ok"] is False
        assert body["checks"]["broker"] == {
            "ok": True,
            "transport": "filesystem",
            "ms": body["checks"]["broker"]["ms"],
        }
        assert body["checks"]["beat"] == {"ok": False, "error": "database unavailable"}
        assert process.poll() is None


@pytest.mark.services
def test_hung_database_and_broker_answer_within_their_timeouts(tmp_path):
    """Servers that accept the connection and never answer must not hang /healthz (or the worker)."""
    with tarpit() as port:
        env = {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/nothing",
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        }
        with gunicorn(tmp_path, **env) as (base, process):
            status, body, seconds = fetch(f"{base}/healthz", timeout=60)
            assert status == 503
            assert body["checks"]["database"]["ok"] is False
            assert body["checks"]["broker"]["ok"] is False
            # The database connect timeout (5 s) plus the broker's (2 s), with room for a slow machine.
            assert seconds < 12
            assert process.poll() is None
