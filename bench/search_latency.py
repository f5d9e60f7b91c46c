"""Applicant search latency on the bench dataset: p50/p95 over varied queries, and the query plans.

Run after `manage.py seed_bench --applicants 100000` against the same database:

    DEBUG=false DATABASE_URL=postgres://... .venv/bin/python bench/search_latency.py [--api] [--explain] [--user U]

Without --api it times what the list page and the API run for one page: the applicant list selector
(`applicants_for_list`, as an administrator), `search_applicants`, the default ordering, 25 rows and
the count. With --api it times GET /api/v1/applicants/?q=... through Django's test client instead.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from casework import selectors  # noqa: E402
from casework.models import Applicant, User  # noqa: E402
from casework.roles import Role  # noqa: E402

PAGE = 25


def _half_width_table() -> dict[str, str]:
    """Full-width katakana → half-width (ｸﾞｴﾝ), derived from NFKC so no table is typed by hand."""
    table: dict[str, str] = {}
    halves = [chr(code) for code in range(0xFF66, 0xFF9E)]
    for half in halves:
        table.setdefault(unicodedata.normalize("NFKC", half), half)
        for mark in "ﾞﾟ":
            composed = unicodedata.normalize("NFKC", half + mark)
            if len(composed) == 1:
                table.setdefault(composed, half + mark)
    table["・"] = "･"
    table["ー"] = "ｰ"
    return table


HALF = _half_width_table()


def half_width(text: str) -> str:
    return "".join(HALF.get(ch, ch) for ch in text)


def hiragana(text: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if 0x30A1 <= ord(ch) <= 0x30F6 else ch for ch in text)


def build_queries(rng: random.Random) -> list[tuple[str, str]]:
    """About 50 queries of every kind a caseworker types, from names that exist in the bench data."""
    ids = list(Applicant.objects.exclude(name_katakana="").values_list("pk", flat=True))
    people = list(
        Applicant.objects.filter(pk__in=rng.sample(ids, min(40, len(ids))))
        .order_by("pk")
        .values("family_name", "given_name", "name_katakana", "reference_code")
    )
    rng.shuffle(people)
    queries: list[tuple[str, str]] = []
    for person in people[:8]:
        queries.append(("latin", f"{person['family_name']} {person['given_name']}".strip()))
    for person in people[8:14]:
        queries.append(("latin reversed upper", f"{person['given_name']} {person['family_name']}".upper()))
    for person in people[14:22]:
        queries.append(("katakana", person["name_katakana"].split("・")[0]))
    for person in people[22:27]:
        queries.append(("hiragana", hiragana(person["name_katakana"].split("・")[-1])))
    for person in people[27:32]:
        queries.append(("half-width", half_width(person["name_katakana"].split("・")[0])))
    for person in people[32:36]:
        word = person["family_name"] or person["given_name"]
        queries.append(("2-char prefix", word[:2].lower()))
    for person in people[36:40]:
        queries.append(("reference", person["reference_code"]))
    queries += [("no match", "Oyelaran"), ("no match", "ズズズ"), ("one letter", "k")]
    return queries


def time_selector(user: User, query: str) -> tuple[float, int]:
    started = time.perf_counter()
    queryset = selectors.search_applicants(selectors.applicants_for_list(user=user), query)
    rows = list(queryset[:PAGE])
    total = queryset.count()
    assert len(rows) <= PAGE
    return (time.perf_counter() - started) * 1000, total


def time_api(client: Client, query: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get("/api/v1/applicants/", {"q": query}, HTTP_HOST="localhost")
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, response.json().get("count", -1)


def explain(user: User, query: str) -> str:
    queryset = selectors.search_applicants(selectors.applicants_for_list(user=user), query)
    page = queryset[:PAGE].explain(analyze=True)
    # What QuerySet.count() runs: no ordering, no annotations the filter does not use.
    count_sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE SELECT COUNT(*) FROM ({count_sql}) AS counted", params)  # noqa: S608
        count_plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"-- page of {PAGE}\n{page}\n-- count\n{count_plan}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api", action="store_true", help="time the API endpoint instead of the selector")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE for a few queries")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per query (after one warm-up)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--user", help="search as this user (default: the first administrator)")
    args = parser.parse_args()

    users = User.objects.filter(is_active=True)
    if args.user:
        user = users.filter(username=args.user).first()
    else:
        user = users.filter(groups__name=Role.ADMINISTRATOR).order_by("pk").first()
    if user is None:
        sys.exit("No such user: run seed_bench first (it creates bench-admin).")
    print(
        f"searching as {user.username} ({', '.join(sorted(user.roles))}), {'API' if args.api else 'selector'}"
    )
    queries = build_queries(random.Random(args.seed))  # noqa: S311 - picking test queries
    client = Client()
    client.force_login(user)
    measure = (lambda q: time_api(client, q)) if args.api else (lambda q: time_selector(user, q))

    timings: list[float] = []
    by_kind: dict[str, list[float]] = {}
    for kind, query in queries:
        measure(query)  # warm-up: caches, first plan
        runs = [measure(query) for _ in range(args.runs)]
        best = [elapsed for elapsed, _count in runs]
        timings.extend(best)
        by_kind.setdefault(kind, []).extend(best)
        print(f"{kind:22} {query!r:40} {statistics.median(best):7.1f} ms  {runs[0][1]:6} found")
    print()
    print(
        f"{'all':22} n={len(timings)}  p50 {percentile(timings, 0.5):.1f} ms  p95 {percentile(timings, 0.95):.1f} ms"
    )
    for kind, values in by_kind.items():
        print(f"{kind:22} p50 {percentile(values, 0.5):7.1f} ms  max {max(values):7.1f} ms")
    if args.explain:
        for kind, query in [
            queries[0],
            queries[16],
            queries[-1],
            next(q for q in queries if q[0] == "2-char prefix"),
        ]:
            print(f"\n==== {kind}: {query!r}\n{explain(user, query)}")


if __name__ == "__main__":
    main()
