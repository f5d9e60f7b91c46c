"""The results: query counts, the table on stdout, bench/results/<SCALE>.json, the comparison with the
previous file of the same scale, and (when publishing) the table and chart of docs/performance.md."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.load import Figures
from bench.paths import BenchPath

ROOT = Path(__file__).resolve().parent.parent
# TOBIRA_BENCH_RESULTS: another folder for the results files (the harness's own tests).
RESULTS = Path(os.environ.get("TOBIRA_BENCH_RESULTS") or ROOT / "bench" / "results")
DOC = ROOT / "docs" / "performance.md"
CHART = ROOT / "docs" / "performance.svg"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
SLOWER = 1.2  # a path more than 20% slower than last time is flagged


def count_queries(paths: list[BenchPath], users: dict) -> dict[str, int]:
    """Queries of one request to each path's first URL, in this process with the same settings."""
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    counts = {}
    for path in paths:
        client = clients[path.role] if not path.urls[0].startswith("/bench-floor/") else Client()
        client.get(path.urls[0])  # the first request of a session fills caches the rest reuse
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path.urls[0])
        if response.status_code != 200:
            raise SystemExit(f"{path.key}: {path.urls[0]} answered {response.status_code}")
        counts[path.key] = len(captured.captured_queries)
    return counts


def path_result(path: BenchPath, figures: Figures, floor: Figures, queries: int) -> dict[str, object]:
    ratio = figures.throughput / floor.throughput if floor.throughput else 0.0
    if path.target.ratio is not None:
        meets = ratio >= path.target.ratio
    else:
        meets = figures.p95_ms <= (path.target.p95_ms or 0)
    return {
        "key": path.key,
        "label": path.label,
        "role": path.role,
        "kind": path.kind,
        "urls": len(path.urls),
        "example_url": path.urls[0],
        "target": {"ratio": path.target.ratio, "p95_ms": path.target.p95_ms, "text": path.target.describe()},
        **figures.as_dict(),
        "floor": {"name": path.floor, **floor.as_dict()},
        "ratio": round(ratio, 3),
        "queries": queries,
        "meets_target": meets,
    }


def progress_line(number: int, total: int, row: dict) -> str:
    return (
        f"[{number:2d}/{total}] {row['label']} ({row['role']}): {row['throughput']:.1f} req/s, "
        f"p95 {row['p95_ms']:.0f} ms, {row['ratio']:.2f}× floor, {row['queries']} queries"
    )


def table(document: dict) -> str:
    lines = [
        "| path | role | req/s | floor req/s | ratio | p50 ms | p95 ms | queries | target | met |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for row in document["paths"]:
        lines.append(
            f"| {row['label']} | {row['role']} | {row['throughput']:.1f} | {row['floor']['throughput']:.1f} | "
            f"{row['ratio']:.2f} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['queries']} | "
            f"{row['target']['text']} | {'yes' if row['meets_target'] else '**no**'} |"
        )
    if document.get("evening"):
        from bench import evening

        lines += ["", evening.table(document["evening"])]
    sweep = document["sweep"]
    if sweep is None:  # a partial run (--only) skips the sweep
        return "\n".join(lines)
    lines += [
        "",
        "| daily sweep | seconds | queries | reminders created | target |",
        "|---|--:|--:|--:|---|",
    ]
    for name, label in (("from_nothing", "from nothing"), ("repeated", "repeated at once")):
        run = sweep[name]
        lines.append(
            f"| {label} | {run['seconds']:.2f} | {run['queries']} | {run['created']} | ≤ {run['target_seconds']:g} s |"
        )
    if document.get("exports"):
        from bench import exports

        lines += ["", exports.table(document["exports"])]
    if document.get("imports"):
        from bench import importing

        lines += ["", importing.table(document["imports"])]
    seed = document["seed"]
    if seed.get("seconds") is not None:
        lines.append(
            f"\nSeeding {document['scale']:,} applicants with everything: {seed['seconds']:.0f} s (target ≤ 600 s)."
        )
    return "\n".join(lines)


def compare(document: dict, previous: dict | None) -> list[str]:
    """Paths more than 20% slower than the previous results of the same scale (p95 or throughput)."""
    if previous is None:
        return []
    before = {row["key"]: row for row in previous.get("paths", [])}
    flagged = []
    for row in document["paths"]:
        old = before.get(row["key"])
        if old is None:
            continue
        if row["p95_ms"] > old["p95_ms"] * SLOWER or row["throughput"] * SLOWER < old["throughput"]:
            flagged.append(
                f"{row['label']} ({row['role']}): p95 {old['p95_ms']:.0f} → {row['p95_ms']:.0f} ms, "
                f"{old['throughput']:.1f} → {row['throughput']:.1f} req/s"
            )
    return flagged


def finish(document: dict, *, publish: bool, partial: bool = False) -> None:
    """Print the table, compare with the previous full run of the scale, write the results. A partial run
    (--only) is compared with the full results but written beside them, as <scale>-partial.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    full = RESULTS / f"{document['scale']}.json"
    target = RESULTS / f"{document['scale']}-partial.json" if partial else full
    previous = json.loads(full.read_text(encoding="utf-8")) if full.exists() else None
    if previous and not document["seed"]["ran"] and previous.get("seed", {}).get("seconds") is not None:
        # The database was seeded by an earlier run: keep that run's seeding time, and say so.
        document["seed"] = {**previous["seed"], "ran": False, "measured_at": previous.get("measured_at")}
    flagged = compare(document, previous)
    document["compared_with"] = (
        {
            "measured_at": previous.get("measured_at"),
            "commit": previous.get("machine", {}).get("commit"),
            "slower": flagged,
        }
        if previous
        else None
    )
    print()
    print(f"SCALE={document['scale']:,}, {document['duration_seconds']} s a measurement, concurrency 4")
    print(table(document))
    if previous is None:
        print(f"\nNo earlier {full.name} to compare with.")
    elif flagged:
        print(f"\nMore than 20% slower than the previous {full.name} ({previous.get('measured_at')}):")
        for line in flagged:
            print(f"  SLOWER {line}")
    else:
        print(f"\nNo path is more than 20% slower than the previous {full.name}.")
    target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {target.relative_to(ROOT)}")
    if publish:
        publish_docs(document)


def publish_docs(document: dict, growth: dict | None = None) -> None:
    """The latest table in docs/performance.md between its markers, and the chart beside it."""
    from bench import chart

    if growth is None:
        growth_file = RESULTS / "growth.json"
        growth = json.loads(growth_file.read_text(encoding="utf-8")) if growth_file.exists() else None
    machine = document["machine"]
    section = [
        BEGIN,
        f"Measured {document['measured_at']} at commit `{machine['commit'][:10]}`: SCALE={document['scale']:,}, "
        f"{document['duration_seconds']} s a measurement, concurrency 4, gunicorn with 2 workers; "
        f"{machine['cpu_count']} × {machine['cpu_model']}, PostgreSQL {machine['postgresql']}.",
        "",
        "Dataset: "
        + ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in document["dataset"].items())
        + ".",
        "",
        table(document),
        "",
        "![p95 per path against its target, and the growth from 10k to 100k](performance.svg)",
    ]
    if growth:
        section += ["", "### Growth from SCALE=10,000 to 100,000", "", growth_table(growth)]
    section.append(END)
    text = DOC.read_text(encoding="utf-8")
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    DOC.write_text(text[:start] + "\n".join(section) + text[stop:], encoding="utf-8")
    CHART.write_text(chart.render(document, growth), encoding="utf-8")
    print(f"Updated {DOC.relative_to(ROOT)} and {CHART.relative_to(ROOT)}")


def growth_table(growth: dict) -> str:
    lines = [
        "| path | role | p95 10k ms | p95 100k ms | p95 ratio | queries 10k | queries 100k |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for row in growth["paths"]:
        lines.append(
            f"| {row['label']} | {row['role']} | {row['p95_small_ms']:.0f} | {row['p95_large_ms']:.0f} | "
            f"{row['p95_ratio']:.1f} | {row['queries_small']} | {row['queries_large']}"
            f"{'' if row['queries_small'] == row['queries_large'] else ' **grew**'} |"
        )
    return "\n".join(lines)
