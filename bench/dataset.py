"""The bench database: created if missing, seeded to SCALE when its counts differ, vacuumed, counted.

Runs before Django connects (creating the database) and then inside the harness's Django (bench
settings), calling the seed commands themselves so their progress bars show and their time is measured.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.core.management import call_command
from django.db import connection

# Exact per applicant; the rest follows from these. Jobs: N/20 employers, N/5 openings, 1.5 N referrals,
# 0.4 N placements, 1.2 N follow-ups (seed_bench_jobs).
EXPECTED = {
    "applicants": 1.0,
    "attendance": 10.0,
    "employers": 0.05,
    "openings": 0.2,
    "referrals": 1.5,
    "placements": 0.4,
    "follow_ups": 1.2,
}


def default_url(scale: int) -> str:
    return f"postgres://postgres@127.0.0.1:5432/tobira_bench_{scale}"


def ensure_database(url: str) -> bool:
    """Create the database named in `url` if missing; True when it was created."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')  # the name is ours (tobira_bench_N) or the user's
    return True


def counts() -> dict[str, int]:
    """Rows per table of the bench dataset (estimates are not enough: the seed decision uses them)."""
    tables = {
        "applicants": "casework_applicant",
        "legal_status_periods": "casework_legalstatusperiod",
        "procedure_events": "casework_procedureevent",
        "enrolments": "learning_enrollment",
        "attendance": "learning_attendance",
        "assessments": "learning_assessment",
        "teams": "casework_team",
        "users": "casework_user",
        "reminders": "casework_reminder",
        "employers": "jobs_employer",
        "openings": "jobs_jobopening",
        "referrals": "jobs_referral",
        "placements": "jobs_placement",
        "follow_ups": "jobs_followup",
    }
    found = {}
    with connection.cursor() as cursor:
        for key, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - table names from this module
            found[key] = cursor.fetchone()[0]
    return found


def is_seeded(found: dict[str, int], scale: int) -> bool:
    return all(found[key] == round(scale * per) for key, per in EXPECTED.items()) and found["assessments"] > 0


@dataclass
class SeedReport:
    seeded: bool
    seconds: float | None
    counts: dict[str, int]


def prepare(scale: int) -> SeedReport:
    """Migrate, seed if the counts differ from SCALE's, then VACUUM ANALYZE."""
    call_command("migrate", verbosity=0, interactive=False)
    found = counts()
    if found["applicants"] > scale:
        raise SystemExit(
            f"The bench database holds {found['applicants']} applicants, more than SCALE={scale}: "
            "drop it or point BENCH_DATABASE_URL elsewhere."
        )
    seconds = None
    if not is_seeded(found, scale):
        print(f"Seeding {scale} applicants and everything that scales with them …", flush=True)
        started = time.monotonic()
        call_command("seed_bench", applicants=scale)
        call_command("seed_bench_learning", applicants=scale)
        call_command("seed_bench_jobs", applicants=scale)
        seconds = round(time.monotonic() - started, 1)
        found = counts()
        if not is_seeded(found, scale):
            raise SystemExit(f"The seed did not reach SCALE={scale}: {found}")
    vacuum_analyze()
    return SeedReport(seeded=seconds is not None, seconds=seconds, counts=found)


def vacuum_analyze() -> None:
    """Fresh statistics and visibility maps, as a production database has after autovacuum."""
    started = time.monotonic()
    previous = connection.get_autocommit()
    connection.set_autocommit(True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.set_autocommit(previous)
    print(f"VACUUM ANALYZE: {time.monotonic() - started:.1f} s", flush=True)


def machine() -> dict[str, object]:
    import os
    import platform
    import subprocess

    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), ""
            )
    except OSError:
        model = platform.processor()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], capture_output=True, text=True, check=False)  # noqa: S603, S607
        return result.stdout.strip()

    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "postgresql": postgres,
        "python": platform.python_version(),
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
    }
