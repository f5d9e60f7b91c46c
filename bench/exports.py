"""Exports on the bench data (issue 17): every applicant as CSV and as XLSX, as the administrator.

The export service itself, in this process (what the Celery worker runs for a large export): its time,
its row count, its query count and the process's memory growth while it runs (resident set size
sampled every 50 ms, minus the size before; target ≤ 100 MB), plus getrusage's peak for the record.

    python -m bench.exports --scale 10000        # only this part, on the bench database of SCALE
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from bench.fresh import PeakSampler, in_fresh_process, rss_bytes

MEMORY_TARGET_MB = 100


def _export(user, fmt: str) -> dict[str, object]:
    import gc
    import tempfile

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.services import exports
    from reports.services.spreadsheets import write_csv, write_xlsx

    gc.collect()
    before = rss_bytes()
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with CaptureQueriesContext(connection) as queries, PeakSampler() as sampler:
        started = time.perf_counter()
        plan = exports.export_plan(by=user, table_key="applicants", fmt=fmt, params={})
        header = [str(column.label) for column in plan.source.columns]
        rows = plan.source.rows(user, plan.params)
        with tempfile.TemporaryFile() as handle:
            written = write_xlsx(handle, header, rows) if fmt == "xlsx" else write_csv(handle, header, rows)
            size = handle.tell()
        seconds = time.perf_counter() - started
    growth_mb = (sampler.peak - before) / 2**20
    return {
        "format": fmt,
        "rows": written,
        "seconds": round(seconds, 2),
        "rows_per_second": round(written / seconds) if seconds else None,
        "file_mb": round(size / 2**20, 1),
        "queries": len(queries.captured_queries),
        "memory_growth_mb": round(growth_mb, 1),
        "maxrss_growth_mb": round(
            (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - maxrss_before) / 1024, 1
        ),
        "target_mb": MEMORY_TARGET_MB,
        "meets_target": growth_mb <= MEMORY_TARGET_MB,
    }


def measure() -> dict[str, dict[str, object]]:
    """Both formats of every applicant, as the bench's administrator (who sees them all)."""
    from django.conf import settings

    from bench.paths import MEASURED_ADMINISTRATOR
    from casework.models import User

    settings.DEBUG = False  # CaptureQueriesContext records the queries; nothing else may keep them
    user = User.objects.get(username=MEASURED_ADMINISTRATOR)
    return {fmt: _export(user, fmt) for fmt in ("csv", "xlsx")}


def measure_apart(database_url: str) -> dict[str, dict[str, object]]:
    """measure() in a fresh Python process (the worker's situation): this one may hold the seeding's
    freed memory, which an export would reuse, hiding its growth."""
    return in_fresh_process("bench.exports", database_url)


def table(figures: dict[str, dict[str, object]]) -> str:
    lines = [
        "| applicant export | rows | seconds | rows/s | file MB | queries | memory growth MB | target |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for run in figures.values():
        lines.append(
            f"| {str(run['format']).upper()} | {run['rows']:,} | {run['seconds']:.1f} | {run['rows_per_second']:,} | "
            f"{run['file_mb']} | {run['queries']} | {run['memory_growth_mb']} | ≤ {run['target_mb']} MB"
            f"{'' if run['meets_target'] else ' **not met**'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    parser.add_argument("--no-seed", action="store_true", help="the database is seeded: measure only")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import dataset, run

    url = args.database_url or dataset.default_url(args.scale)
    dataset.ensure_database(url)
    run.configure(url)
    import django

    django.setup()
    if not args.no_seed:
        seed = dataset.prepare(args.scale)
        print(f"Dataset: {seed.counts}", flush=True)
        # Measured in a fresh process: this one holds the seeding's memory.
        print(table(measure_apart(url)))
        return
    figures = measure()
    if args.json:
        import json

        print(json.dumps(figures))
    else:
        print(table(figures))


if __name__ == "__main__":
    main()
