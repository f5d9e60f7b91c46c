"""The bench's import figures (issue 18) in the report: the targets printed against what was measured."""

from __future__ import annotations

from bench import importing, report
from tests.bench.test_report import document, row


def step(name: str, seconds: float, growth: float, rows: int = 10_000) -> dict:
    return {
        "step": name,
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": round(rows / seconds),
        "queries": rows * 20,
        "queries_per_row": 20.0,
        "memory_growth_mb": growth,
        "target_seconds": importing.SECONDS_TARGET,
        "target_mb": importing.MEMORY_TARGET_MB,
        "meets_target": (seconds <= 60 and growth <= 300) if rows >= importing.TARGET_ROWS else None,
    }


def test_the_import_rows_are_scale_over_ten():
    assert importing.rows_for(100_000) == 10_000 and importing.rows_for(2000) == 200


def test_the_report_prints_the_import_against_its_targets():
    figures = {
        "rows": 10_000,
        "file_mb": 1.2,
        "dry_run": step("dry run", 42.0, 80.5),
        "import": step("import", 75.0, 120.0),
        "undo_seconds": 9.5,
    }
    text = report.table({**document(row()), "imports": figures})
    assert "| applicant import (10,000 rows, 1.2 MB CSV) |" in text
    assert "| dry run | 42.0 | 238 | 20.0 | 80.5 | ≤ 60 s, ≤ 300 MB |" in text
    assert "| import | 75.0 | 133 | 20.0 | 120.0 | ≤ 60 s, ≤ 300 MB **not met** |" in text
    assert "Undoing the import: 9.5 s." in text


def test_below_10000_rows_the_targets_are_shown_but_not_judged():
    figures = {"rows": 200, "file_mb": 0.1, "dry_run": step("dry run", 1.0, 3.0, rows=200)}
    text = importing.table(figures)
    assert "(stated for 10,000 rows)" in text and "not met" not in text
