"""`make bench`: seed SCALE, sweep, serve with gunicorn, measure every path right after its floor, report.

    python -m bench.run --scale 100000 --duration 10 [--database-url URL] [--publish]

Writes bench/results/<SCALE>.json (compared with the previous one of the same scale first) and, with
--publish (the default at SCALE=100000), the table and chart of docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PUBLISHED_SCALE = 100_000


def configure(database_url: str) -> dict[str, str]:
    """The environment of the harness and of its gunicorn: bench settings on the bench database."""
    VAR.mkdir(parents=True, exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "TOBIRA_VAR_DIR": str(VAR),
        "STATIC_ROOT": str(VAR / "static"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return {**os.environ, **env}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=PUBLISHED_SCALE)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--publish", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated parts of path keys (e.g. 'matching,board,api-employers'): measure only those "
        "paths, skip the sweep, write <scale>-partial.json and never publish; 'evening' runs the busy evening",
    )
    parser.add_argument(
        "--evening-seconds",
        type=int,
        default=None,
        help="seconds of the busy evening (bench/evening.py); default 20 when --duration ≤ 5 (CI's smoke), "
        "else 120; 0 skips it",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    from bench import dataset

    url = args.database_url or dataset.default_url(args.scale)
    if dataset.ensure_database(url):
        print(f"Created the database {url}", flush=True)
    env = configure(url)

    import django

    django.setup()
    from django.core.management import call_command

    from bench import evening, exports, importing, load, paths, report, server, sweep

    load.wrk_path()  # fail before the long part when the load generator is missing
    seed = dataset.prepare(args.scale)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Dataset: {seed.counts}", flush=True)
    only = [part.strip() for part in args.only.split(",") if part.strip()]
    sweep_figures = None if only else sweep.measure()
    print(f"Sweep: {sweep_figures or 'skipped (--only)'}", flush=True)
    export_figures = None if only else exports.measure_apart(url)
    print(f"Exports: {export_figures or 'skipped (--only)'}", flush=True)
    bench_paths = paths.build_paths()
    evening_seconds = (
        args.evening_seconds if args.evening_seconds is not None else evening.default_seconds(args.duration)
    )
    if only:
        bench_paths = [path for path in bench_paths if any(part in path.key for part in only)]
        if "evening" not in only:
            evening_seconds = 0
        else:
            sweep.bring_up_to_date()  # the measured sweep is skipped; the evening's inboxes need reminders
        if not bench_paths and not evening_seconds:
            raise SystemExit(f"No path key contains any of {only}")
    users = paths.measured_users()
    evening_staff = evening.evening_users() if evening_seconds else ([], [])
    password = "bench-" + "x" * 20  # noqa: S105 - throwaway users of a throwaway database
    for user in [*users.values(), *evening_staff[0], *evening_staff[1]]:
        user.set_password(password)
        user.save(update_fields=["password"])
    for user in users.values():
        # The evening's caseworkers include the measured one: its hash is the last one saved, and a
        # session keeps the hash it was made with (force_login below).
        user.refresh_from_db(fields=["password"])
    queries = report.count_queries(bench_paths, users)

    results: list[dict[str, object]] = []
    gunicorn = server.Server(env=env, log=VAR / "gunicorn.log")
    try:
        cookies = {
            role: server.sign_in(gunicorn.base, user.username, password) for role, user in users.items()
        }
        for number, path in enumerate(bench_paths, start=1):
            cookie = cookies[path.role]
            for url in path.urls[:2]:  # every URL is checked for 200 below; two warm both workers
                server.get(gunicorn.base, url, cookie)
            statuses = {server.get(gunicorn.base, url, cookie) for url in path.urls}
            if statuses != {200}:
                raise SystemExit(f"{path.key} answered {statuses} to {path.urls}")
            floor = load.measure(
                base=gunicorn.base,
                urls=(paths.floor_url(path.floor),),
                cookie=cookie,
                seconds=args.duration,
                script=VAR / "floor.lua",
            )
            figures = load.measure(
                base=gunicorn.base,
                urls=path.urls,
                cookie=cookie,
                seconds=args.duration,
                script=VAR / "path.lua",
            )
            row = report.path_result(path, figures, floor, queries[path.key])
            results.append(row)
            print(report.progress_line(number, len(bench_paths), row), flush=True)
        evening_figures = None
        if evening_seconds:
            # After the paths: its notes and marks must not be in what they measure.
            signed_in = {
                user.username: server.cookie_dict(server.sign_in(gunicorn.base, user.username, password))
                for user in [*evening_staff[0], *evening_staff[1]]
            }
            evening_figures = evening.run(
                base=gunicorn.base,
                plan_data=evening.plan(signed_in, *evening_staff),
                seconds=evening_seconds,
                folder=VAR,
            )
            print(evening.progress_line(evening_figures), flush=True)
    finally:
        gunicorn.stop()
    # After the paths: the import adds SCALE/10 people (undone afterwards), which must not be measured.
    # (`url` is a path's URL by now: the database is the environment's.)
    import_figures = None if only else importing.measure_apart(env["DATABASE_URL"], args.scale)
    print(f"Import: {import_figures or 'skipped (--only)'}", flush=True)

    document = {
        "scale": args.scale,
        "duration_seconds": args.duration,
        "concurrency": load.CONCURRENCY,
        "gunicorn_workers": server.WORKERS,
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": dataset.machine(),
        "dataset": seed.counts,
        "seed": {"seconds": seed.seconds, "ran": seed.seeded},
        "sweep": sweep_figures,
        "exports": export_figures,
        "imports": import_figures,
        "paths": results,
        "evening": evening_figures,
    }
    if only:
        document["only"] = only
        report.finish(document, publish=False, partial=True)
    else:
        publish = args.publish if args.publish is not None else args.scale == PUBLISHED_SCALE
        report.finish(document, publish=publish)
    failed = evening.failures(evening_figures) if evening_figures else []
    if failed:
        raise SystemExit("The busy evening had errors (it must have none):\n  " + "\n  ".join(failed))


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"make bench took {(time.monotonic() - started) / 60:.1f} min")
