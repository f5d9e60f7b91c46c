"""`make run`'s supervisor (manage.py runtobira): Ctrl-C or SIGTERM stops the web server, the worker and beat
cleanly within 10 seconds — no crash, nothing left running."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.subprocess_helpers import BASE_DIR, subprocess_env, wait_for_subprocess_sessions_to_end

APPLICATION_NAME = "tobira-runtobira-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_one_signal_stops_web_worker_and_beat_cleanly(tmp_path, stop_signal):
    port = _free_port()
    broker = tmp_path / "broker"
    for sub in ("queue", "processed"):
        (broker / sub).mkdir(parents=True)
    env = subprocess_env(application_name=APPLICATION_NAME, CELERY_BROKER_DIR=str(broker), REDIS_URL="")
    env.pop("REDIS_URL")
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        supervisor = subprocess.Popen(
            [sys.executable, "manage.py", "runtobira", "--port", str(port), "--noreload"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, as a terminal's foreground job is
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert supervisor.poll() is None, log.read_text()
            text = log.read_text()
            if "ready." in text and "beat: Starting" in text:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)  # noqa: S310
                    break
                except urllib.error.HTTPError:
                    break  # the web server answers
                except OSError:
                    pass
            assert time.monotonic() < deadline, text
            time.sleep(0.5)
        pids = [
            int(line.rsplit(" ", 1)[1].rstrip(")"))
            for line in text.splitlines()
            if line.startswith("Started ")
        ]
        assert len(pids) == 3, text

        # What Ctrl-C does: the signal goes to the foreground group, which is the supervisor's alone.
        started = time.monotonic()
        os.killpg(supervisor.pid, stop_signal)
        supervisor.wait(timeout=15)
        took = time.monotonic() - started
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
        for line in log.read_text().splitlines():  # the pieces run in sessions of their own
            if line.startswith("Started "):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(int(line.rsplit(" ", 1)[1].rstrip(")")), signal.SIGKILL)
        wait_for_subprocess_sessions_to_end(APPLICATION_NAME)
    output = log.read_text()
    assert supervisor.returncode == 0, output
    assert took < 10, output
    assert "Stopped." in output and "did not stop" not in output, output
    assert "Segmentation fault" not in output and "Traceback" not in output, output
    assert not [pid for pid in pids if _alive(pid)], output
