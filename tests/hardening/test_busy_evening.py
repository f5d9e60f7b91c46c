"""Issue 19, a caseworker's busy evening (bench/evening.py): the duration rule, the figures in the table
and that any error fails the bench run with the failing request shown. The run itself is `make bench`
(CI's smoke runs 20 s of it)."""

from __future__ import annotations

from bench import evening


def figures(requests: int, errors: int, p99: float) -> dict:
    return {
        "requests": requests,
        "errors": errors,
        "throughput": requests / 20,
        "p50_ms": 40.0,
        "p95_ms": 120.0,
        "p99_ms": p99,
        "max_ms": p99 + 10,
    }


def document(errors: int = 0, p99: float = 300.0) -> dict:
    failures = (
        [
            {
                "method": "POST",
                "name": "add note",
                "error": "POST /applicants/X/notes/add/ answered 403",
                "count": 2,
            }
        ]
        if errors
        else []
    )
    total = figures(400, errors, p99)
    return {
        "seconds": 20,
        "users": {"caseworkers": 16, "trainers": 4},
        "p99_target_ms": 500.0,
        "load_average": {"before": 1.5, "after": 2.0},
        "tasks": {"add note": figures(60, errors, p99), "search by name": figures(340, 0, 90.0)},
        "total": total,
        "failures": failures,
        "meets_target": errors == 0 and p99 <= 500.0,
    }


def test_a_quick_bench_gets_a_20_second_evening_and_a_full_one_two_minutes():
    assert evening.default_seconds(2) == 20  # CI: make bench SCALE=2000 DURATION=2
    assert evening.default_seconds(5) == 20
    assert evening.default_seconds(10) == 120  # make bench


def test_the_table_gives_every_task_and_the_total_with_p95_and_p99():
    text = evening.table(document())
    assert "| add note | 60 | 0 | 3.0 | 40 | 120 | 300 |  |  |" in text
    assert "| **all** | 400 | 0 | 20.0 | 40 | 120 | 300 | 0 errors, p99 ≤ 500 ms | yes |" in text
    assert "16 caseworkers, 4 trainers" in text


def test_a_slow_p99_misses_the_target():
    assert "| **no** |" in evening.table(document(p99=700.0))


def test_errors_are_listed_with_the_failing_request():
    assert evening.failures(document()) == []
    assert evening.failures(document(errors=2)) == [
        "2 × POST add note: POST /applicants/X/notes/add/ answered 403"
    ]
    assert "| **no** |" in evening.table(document(errors=2))
