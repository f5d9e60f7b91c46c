"""The benchmark's own arithmetic: the comparison with the previous run, the growth table and the chart."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from bench import chart, growth, report


def row(key="api-applicants-caseworker", p95=100.0, throughput=40.0, queries=10, ratio_target=0.8):
    return {
        "key": key,
        "label": "API applicants",
        "role": "caseworker",
        "kind": "api",
        "p95_ms": p95,
        "p50_ms": p95 / 2,
        "throughput": throughput,
        "queries": queries,
        "ratio": 0.5,
        "meets_target": False,
        "target": {"ratio": ratio_target, "p95_ms": None, "text": "≥ 0.8× floor"},
        "floor": {"name": "applicants", "throughput": 80.0, "p95_ms": 60.0},
    }


def document(*rows):
    return {
        "scale": 2000,
        "duration_seconds": 2,
        "measured_at": "2026-01-01T00:00:00+09:00",
        "machine": {"commit": "0" * 40, "cpu_count": 2, "cpu_model": "x", "postgresql": "15"},
        "dataset": {"applicants": 2000},
        "seed": {"seconds": 3.0, "ran": True},
        "sweep": {
            "from_nothing": {"seconds": 0.1, "queries": 50, "created": 10, "target_seconds": 5.0},
            "repeated": {"seconds": 0.05, "queries": 45, "created": 0, "target_seconds": 1.0},
        },
        "paths": list(rows),
    }


def test_a_path_more_than_20_percent_slower_is_flagged():
    previous = document(row(p95=100.0), row(key="other", p95=100.0))
    now = document(row(p95=121.0), row(key="other", p95=119.0))
    flagged = report.compare(now, previous)
    assert len(flagged) == 1 and "100 → 121 ms" in flagged[0]


def test_lower_throughput_alone_is_flagged_too():
    assert report.compare(document(row(throughput=30.0)), document(row(throughput=40.0)))
    assert report.compare(document(row()), None) == []


def test_growth_compares_p95_and_queries_path_by_path():
    small = document(row(p95=50.0, queries=10))
    large = document(row(p95=150.0, queries=11))
    result = growth.compute(small, large)
    assert result["paths"][0]["p95_ratio"] == 3.0
    assert "**grew**" in report.growth_table(result)


def test_the_chart_is_well_formed_svg_with_the_target_implied_by_the_floor():
    rows = [row(), row(key="html", p95=200.0, ratio_target=None)]
    rows[1]["target"] = {"ratio": None, "p95_ms": 150.0, "text": "p95 ≤ 150 ms"}
    assert chart.target_ms(rows[0]) == 75.0  # floor p95 60 ms at a share of 0.8
    svg = chart.render(document(*rows), growth.compute(document(*rows), document(*rows)))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "API applicants" in svg and "×1.0" in svg


def test_the_table_lists_every_path_and_the_sweep():
    text = report.table(document(row()))
    assert "| API applicants | caseworker |" in text and "from nothing" in text
    json.dumps(document(row()))  # the results file is plain JSON


def test_make_bench_growth_runs_as_a_command_without_django_set_up(tmp_path):
    """`make bench-growth` ends with `python -m bench.growth` in a fresh interpreter: it must set Django
    up itself (it crashed on importing the models before settings were configured)."""
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["TOBIRA_BENCH_RESULTS"] = str(tmp_path)  # no results there: it must say so, not crash
    done = subprocess.run(
        [sys.executable, "-m", "bench.growth"], capture_output=True, text=True, env=env, timeout=120
    )
    assert "ImproperlyConfigured" not in done.stderr, done.stderr
    assert "Run `make bench SCALE=10000` and `make bench SCALE=100000` first" in done.stderr
