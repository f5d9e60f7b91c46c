"""Run the web server, a Celery worker and Celery beat together (`make run`); one Ctrl-C stops all three.

Each piece runs in a session of its own, so the terminal's Ctrl-C reaches only this supervisor, which
then asks every piece to stop exactly once (SIGTERM: the worker's warm shutdown, beat's and the web
server's own), waits up to --grace seconds, and kills what is left. A worker that got the terminal's
SIGINT and then a second signal went into a cold shutdown and could hang or crash; here nothing is
signalled twice. In production the three run as separate services (README).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

POLL_SECONDS = 0.2


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and Celery beat; Ctrl-C or SIGTERM stops all three."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--grace", type=float, default=8.0, help="Seconds to wait before killing.")
        parser.add_argument("--noreload", action="store_true", help="Run the web server without autoreload.")

    def handle(self, *args: object, **options: object) -> None:
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "config"]
        web = [python, "manage.py", "runserver", f"{options['host']}:{options['port']}"]
        if options["noreload"]:
            web.append("--noreload")
        commands = {
            "web": web,
            "worker": [
                *celery,
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--hostname=tobira-worker@%h",
            ],
            "beat": [*celery, "beat", "--loglevel=INFO"],
        }
        stopping: list[str] = []

        def request_stop(signum: int, _frame: FrameType | None) -> None:
            stopping.append(signal.Signals(signum).name)

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)

        processes: dict[str, subprocess.Popen] = {}
        for name, command in commands.items():
            # Our own fixed commands (this interpreter, manage.py, celery), no user input.
            processes[name] = subprocess.Popen(  # noqa: S603
                command, cwd=Path(settings.BASE_DIR), start_new_session=True
            )
            self.stdout.write(f"Started {name} (pid {processes[name].pid})")

        failed = ""
        while not stopping and not failed:
            time.sleep(POLL_SECONDS)
            failed = next((name for name, p in processes.items() if p.poll() is not None), "")
        if failed:
            self.stderr.write(f"{failed} stopped (exit {processes[failed].returncode}); stopping the others.")
        else:
            self.stdout.write(f"Stopping the web server, the worker and beat ({stopping[0]})…")
        self._stop(processes, grace=float(options["grace"]))  # type: ignore[arg-type]
        if failed:
            raise SystemExit(1)

    def _stop(self, processes: dict[str, subprocess.Popen], *, grace: float) -> None:
        for name, process in processes.items():
            if process.poll() is None:
                # The web server's autoreloader runs its server in a child of the same group; the
                # worker's pool children are the worker's to stop, so the worker itself is signalled.
                target = os.getpgid(process.pid) if name == "web" else None
                if target is not None:
                    os.killpg(target, signal.SIGTERM)
                else:
                    process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(p.poll() is None for p in processes.values()):
            time.sleep(POLL_SECONDS)
        for name, process in processes.items():
            if process.poll() is None:
                self.stderr.write(f"{name} did not stop within {grace:g} s: killed.")
                os.killpg(os.getpgid(process.pid), signal.SIGKILL)
                process.wait()
        # Whatever the pieces left in their groups (pool children, the reloader's server) goes too.
        for process in processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        self.stdout.write("Stopped.")
