"""The reminder sweep on the bench dataset: time, query count per deadline kind, and the spread of deadlines.

Run after `manage.py migrate` and `manage.py seed_bench --applicants N` against the same database:

    DEBUG=false DATABASE_URL=postgres://... .venv/bin/python bench/sweep_bench.py [--runs 2] [--reset]
        [--today YYYY-MM-DD] [--explain]

--reset removes every reminder first, so run 1 is a first sweep (everything created) and run 2 a
repeated one (nothing to do). Each run is the sweep service itself (what `manage.py sweep_reminders
--no-deliver` and the Celery task call), timed, with its queries captured; then a breakdown per kind.
The query count must not depend on N: compare the figures of two databases seeded with different N.
--explain prints EXPLAIN ANALYZE of each source's query (PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from casework import deadlines  # noqa: E402
from casework.models import Applicant, LegalStatusPeriod, Reminder  # noqa: E402


def spread(today: date) -> None:
    """Deadlines ahead by month: the end dates of the people's latest periods (a realistic spread?)."""
    latest = LegalStatusPeriod.objects.filter(
        ~django.db.models.Exists(
            LegalStatusPeriod.objects.filter(
                applicant=django.db.models.OuterRef("applicant"),
                start_date__gt=django.db.models.OuterRef("start_date"),
            )
        ),
        end_date__isnull=False,
    )
    months = Counter(
        (end.year, end.month) for end in latest.values_list("end_date", flat=True).iterator(chunk_size=20_000)
    )
    print(f"Latest periods by end month (today {today}):")
    for (year, month), count in sorted(months.items()):
        print(f"  {year}-{month:02d} {count:7d} {'#' * (count // max(1, max(months.values()) // 50))}")


def run_once(today: date) -> tuple[float, int, deadlines.SweepResult, list[dict]]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = deadlines.sweep(today=today)
        elapsed = time.perf_counter() - started
    return elapsed, len(queries.captured_queries), result, list(queries.captured_queries)


def per_kind(today: date) -> None:
    print("  per kind (a separate sweep of each, nothing left to do): queries, seconds, slowest query")
    for kind in sorted(deadlines.sources()):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            deadlines.sweep(today=today, kinds=[kind])
            elapsed = time.perf_counter() - started
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
        slow = f"{float(slowest['time']):.3f} s {slowest['sql'][:90]}…" if slowest else ""
        print(f"    {kind:28s} {len(queries.captured_queries):3d} q {elapsed:6.2f} s   {slow}")


def explain(today: date) -> None:
    if connection.vendor != "postgresql":
        print("--explain needs PostgreSQL")
        return
    grace = settings.REMINDER_GRACE_DAYS
    for kind, registered in sorted(deadlines.sources().items()):
        with CaptureQueriesContext(connection) as queries:
            list(registered.live(today=today, grace_days=grace, source_ids=None))
        for query in queries.captured_queries:
            if "reminder" in query["sql"][:200].lower() and "deadlinestate" not in query["sql"].lower():
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print(f"--- {kind}\n" + "\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--reset", action="store_true", help="Delete every reminder first.")
    parser.add_argument("--today", help="Sweep as if today were this date (default: today in Asia/Tokyo).")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--no-spread", action="store_true")
    args = parser.parse_args()
    today = date.fromisoformat(args.today) if args.today else timezone.localdate()

    print(
        f"Database {connection.vendor} {connection.settings_dict['NAME']}: "
        f"{Applicant.objects.count()} applicants, {LegalStatusPeriod.objects.count()} periods, "
        f"{Reminder.objects.count()} reminders"
    )
    if not args.no_spread:
        spread(today)
    if args.reset:
        if connection.vendor == "postgresql":
            # TRUNCATE, not DELETE: repeated deletes leave dead index entries that slow the next insert.
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {Reminder._meta.db_table} CASCADE")
            print("Truncated the reminders (and their notifications).")
        else:
            deleted, _ = Reminder.objects.all().delete()
            print(f"Deleted {deleted} rows (reminders and what hangs on them).")
    for run in range(1, args.runs + 1):
        elapsed, count, result, _ = run_once(today)
        print(
            f"Run {run}: {elapsed:.2f} s, {count} queries; created {result.total(result.created)}, "
            f"skipped {result.total(result.skipped)}, cancelled {result.total(result.cancelled)}, "
            f"overdue {result.total(result.overdue)}"
        )
    per_kind(today)
    live = dict(
        Reminder.objects.filter(state=Reminder.State.LIVE)
        .values_list("source_kind")
        .annotate(n=Count("pk"))
        .values_list("source_kind", "n")
    )
    print(f"Live reminders by kind: {live}")
    if args.explain:
        explain(today)


if __name__ == "__main__":
    main()
