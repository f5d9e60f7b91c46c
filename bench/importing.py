"""The spreadsheet import on the bench data (issue 18): a dry run and an import of SCALE/10 applicants
(10,000 at the default SCALE) with their periods and card numbers, as the bench's administrator into
the first team, from a UTF-8 CSV generated in code (bench/import_data.py: Japanese headers, 令和 dates).

The task bodies themselves (`import_runs.check_import`, `import_runs.run_import`), in a fresh Python
process — the worker's situation: for each, the wall time, the queries (counted by an execute wrapper,
none kept) and the growth of the process's resident set size (sampled every 50 ms, peak minus before;
bench/exports.py measures exports alike). Targets at 10,000 rows: ≤ 60 s and ≤ 300 MB each. Per-record
work is held as in an import and the sweep the import queues is not sent (the bench's sweep is measured
apart). Afterwards the import is undone (timed too), so the bench database stays at SCALE applicants
for the next run; the undone import and its audit rows stay, as in production.

    python -m bench.importing --scale 10000        # only this part, on the bench database of SCALE
    python -m bench.importing --scale 2000 --rows 10000   # the target's 10,000 rows on a small database
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from bench.fresh import PeakSampler, in_fresh_process, rss_bytes

SECONDS_TARGET = 60
MEMORY_TARGET_MB = 300
TARGET_ROWS = 10_000  # the targets are stated for this many rows


def rows_for(scale: int) -> int:
    return max(scale // 10, 1)


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _measured(step: str, body, rows: int) -> dict[str, object]:
    from django.db import connection

    gc.collect()
    before = rss_bytes()
    counter = _QueryCounter()
    with connection.execute_wrapper(counter), PeakSampler() as sampler:
        started = time.perf_counter()
        body()
        seconds = time.perf_counter() - started
    growth_mb = (sampler.peak - before) / 2**20
    return {
        "step": step,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if seconds else None,
        "queries": counter.count,
        "queries_per_row": round(counter.count / rows, 1) if rows else None,
        "memory_growth_mb": round(growth_mb, 1),
        "target_seconds": SECONDS_TARGET,
        "target_mb": MEMORY_TARGET_MB,
        "meets_target": (seconds <= SECONDS_TARGET and growth_mb <= MEMORY_TARGET_MB)
        if rows >= TARGET_ROWS
        else None,
    }


def measure(scale: int, rows: int | None = None) -> dict[str, object]:
    """Upload → mapping → dry run → import (both measured) → undo, as the bench's administrator."""
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from bench import import_data
    from bench.paths import MEASURED_ADMINISTRATOR
    from casework import queue
    from casework.models import Applicant, Import, Team, User
    from casework.services import import_runs
    from casework.services import imports as services

    settings.DEBUG = False
    rows = rows or rows_for(scale)
    admin = User.objects.get(username=MEASURED_ADMINISTRATOR)
    team = Team.objects.filter(organisation_id=admin.organisation_id).order_by("pk").first()
    content = import_data.csv_bytes(rows, today=timezone.localdate(), prefix="BI")
    applicants_before = Applicant.objects.count()
    with queue.held():  # the steps' messages are not sent: the task bodies run here, measured
        imp = services.import_upload(
            by=admin,
            kind="applicants",
            upload=SimpleUploadedFile("在留者一覧.csv", content, content_type="text/csv"),
            target=str(team.pk),
        )
        services.import_map(by=admin, imp=imp, columns=import_data.COLUMNS, statuses=import_data.STATUSES)
        services.import_check_start(by=admin, imp=imp)
    figures: dict[str, object] = {"rows": rows, "file_mb": round(len(content) / 2**20, 2)}
    try:
        figures["dry_run"] = _measured("dry run", lambda: import_runs.check_import(imp.pk), rows)
        imp.refresh_from_db()
        figures["checked"] = {
            "valid": imp.rows_valid,
            "errors": imp.rows_error,
            "duplicates": imp.rows_duplicate,
            "status": imp.status,
        }
        if imp.status != Import.Status.CHECKED:
            raise SystemExit(f"The bench import's dry run failed: {imp.error}")
        with queue.held():
            services.import_start(by=admin, imp=imp, mode=Import.Mode.VALID_ONLY)

            def run() -> None:
                with queue.held():  # the one sweep it queues after committing is not sent here
                    import_runs.run_import(imp.pk)

            figures["import"] = _measured("import", run, rows)
        imp.refresh_from_db()
        figures["imported"] = {
            "created": imp.created_count,
            "skipped": imp.skipped_count,
            "failed": imp.failed_count,
            "status": imp.status,
        }
        if imp.status != Import.Status.DONE:
            raise SystemExit(f"The bench import failed: {imp.error}")
    finally:
        imp.refresh_from_db()
        started = time.perf_counter()
        if imp.status == Import.Status.DONE:
            with queue.held():
                services.import_undo(by=admin, imp=imp)
        figures["undo_seconds"] = round(time.perf_counter() - started, 2)
        # The import (undone) and what it and its undo wrote to the audit stay, as they would in
        # production (audit rows are never deleted); the people, their periods and cards are gone.
        if Applicant.objects.count() != applicants_before:
            raise SystemExit("The bench import was not undone: drop the bench database.")
    return figures


def measure_apart(database_url: str, scale: int, rows: int | None = None) -> dict[str, object]:
    """measure() in a fresh Python process (the worker's situation): this one holds the seeding's and the
    load measurements' memory, which the import would reuse, hiding its growth."""
    return in_fresh_process(
        "bench.importing", database_url, "--scale", str(scale), *(["--rows", str(rows)] if rows else [])
    )


def table(figures: dict) -> str:
    lines = [
        f"| applicant import ({figures['rows']:,} rows, {figures['file_mb']} MB CSV) | seconds | rows/s | "
        "queries/row | memory growth MB | target |",
        "|---|--:|--:|--:|--:|---|",
    ]
    for key in ("dry_run", "import"):
        run = figures.get(key)
        if not run:
            continue
        verdict = ""
        if run["meets_target"] is False:
            verdict = " **not met**"
        elif run["meets_target"] is None:
            verdict = f" (stated for {TARGET_ROWS:,} rows)"
        lines.append(
            f"| {run['step']} | {run['seconds']:.1f} | {run['rows_per_second']:,} | {run['queries_per_row']} | "
            f"{run['memory_growth_mb']} | ≤ {run['target_seconds']} s, ≤ {run['target_mb']} MB{verdict} |"
        )
    if figures.get("undo_seconds") is not None:
        lines.append(f"\nUndoing the import: {figures['undo_seconds']:.1f} s.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rows", type=int, default=0, help="rows to import instead of SCALE/10")
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
        print(table(measure_apart(url, args.scale, args.rows or None)))
        return
    figures = measure(args.scale, args.rows or None)
    if args.json:
        import json

        print(json.dumps(figures))
    else:
        print(table(figures))


if __name__ == "__main__":
    main()
