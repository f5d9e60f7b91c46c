"""`make bench-growth`: SCALE=10,000 against SCALE=100,000, path by path (after both `make bench` runs).

Queries must not grow with the data; time should grow far less than tenfold. Writes
bench/results/growth.json and republishes docs/performance.md with the growth table and chart.
"""

from __future__ import annotations

import json
import os
import sys

import django

SMALL, LARGE = 10_000, 100_000


def compute(small: dict, large: dict) -> dict:
    before = {row["key"]: row for row in small["paths"]}
    rows = []
    for row in large["paths"]:
        old = before.get(row["key"])
        if old is None:
            continue
        rows.append(
            {
                "key": row["key"],
                "label": row["label"],
                "role": row["role"],
                "p95_small_ms": old["p95_ms"],
                "p95_large_ms": row["p95_ms"],
                "p95_ratio": round(row["p95_ms"] / old["p95_ms"], 2) if old["p95_ms"] else None,
                "queries_small": old["queries"],
                "queries_large": row["queries"],
            }
        )
    sweep = {
        name: {
            "queries_small": small["sweep"][name]["queries"],
            "queries_large": large["sweep"][name]["queries"],
        }
        for name in ("from_nothing", "repeated")
    }
    return {"small_scale": SMALL, "large_scale": LARGE, "paths": rows, "sweep": sweep}


def main() -> None:
    # A command of its own (the last step of `make bench-growth`): Django is set up here, before the
    # report's imports reach the models.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from bench.report import RESULTS, growth_table, publish_docs

    files = [RESULTS / f"{SMALL}.json", RESULTS / f"{LARGE}.json"]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        sys.exit(f"Run `make bench SCALE=10000` and `make bench SCALE=100000` first: missing {missing}")
    small, large = (json.loads(f.read_text(encoding="utf-8")) for f in files)
    growth = compute(small, large)
    (RESULTS / "growth.json").write_text(
        json.dumps(growth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(growth_table(growth))
    grew = [
        row["label"] + " (" + row["role"] + ")"
        for row in growth["paths"]
        if row["queries_small"] != row["queries_large"]
    ]
    print("\nQueries grew on: " + (", ".join(grew) if grew else "no path"))
    print(f"Sweep queries: {growth['sweep']}")
    publish_docs(large, growth)


if __name__ == "__main__":
    main()
