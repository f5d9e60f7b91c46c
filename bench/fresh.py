"""Measuring a background job as a worker runs it: in a fresh Python process (the measuring one holds the
seeding's freed memory, which the job would reuse, hiding its growth), with its resident memory sampled
every 50 ms. Used by bench/exports.py and bench/importing.py."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
from pathlib import Path

PAGE = 4096


def rss_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * PAGE
    except OSError:  # not Linux: the peak so far (KiB on Linux, bytes on macOS)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class PeakSampler:
    def __init__(self) -> None:
        self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_bytes())

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())


def in_fresh_process(module: str, database_url: str, *args: str) -> dict:
    """`python -m module --database-url URL --json --no-seed ARGS` in a fresh process: its JSON figures."""
    done = subprocess.run(
        [sys.executable, "-m", module, "--database-url", database_url, "--json", "--no-seed", *args],
        cwd=Path(__file__).resolve().parent.parent,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{module} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
