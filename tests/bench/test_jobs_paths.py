"""The bench's jobs paths: built from the bench data, skipped with a note when a route is not there yet."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from bench import floor, paths

pytestmark = pytest.mark.django_db


def _routed(url: str) -> bool:
    try:
        resolve(url)
    except Resolver404:
        return False
    return True


@pytest.fixture
def bench_data(db):
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    call_command("seed_bench", "--applicants", "100", "--teams", "2", "--caseworkers-per-team", "2", **quiet)
    call_command("seed_bench_jobs", "--applicants", "100", **quiet)


def test_jobs_paths_measure_what_is_routed_and_name_what_is_not(bench_data):
    built, skipped = paths.jobs_paths(paths.measured_users())
    keys = {path.key for path in built}
    for role in (paths.CASEWORKER, paths.ADMINISTRATOR):
        for name in ("employers", "openings", "referrals", "placements"):
            key = f"api-{name}-{role}"
            if _routed(f"/api/v1/{name}/"):
                assert key in keys
            else:
                assert any(note.startswith(key) for note in skipped), skipped
        assert (f"api-matching-{role}" in keys) != any(n.startswith(f"api-matching-{role}") for n in skipped)
        assert (f"html-matching-{role}" in keys) != any(
            n.startswith(f"html-matching-{role}") for n in skipped
        )
        assert (f"html-board-{role}" in keys) != any(n.startswith(f"html-board-{role}") for n in skipped)
    for path in built:
        assert path.urls and all(_routed(url.split("?")[0]) for url in path.urls)
        if path.key.startswith(("api-matching", "html-matching")):
            assert path.target.p95_ms == paths.MATCHING_P95_MS
        if path.kind == "api" and path.target.ratio is not None:
            assert path.floor in floor.MODELS


def test_jobs_paths_without_jobs_data_are_skipped_not_broken(db):
    call_command(
        "seed_bench",
        "--applicants",
        "20",
        "--teams",
        "1",
        "--caseworkers-per-team",
        "1",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    built, skipped = paths.jobs_paths(paths.measured_users())
    assert built == [] and skipped


@pytest.mark.urls("bench.urls")
def test_the_floor_lists_the_jobs_models(client, bench_data):
    for name in ("employers", "openings", "referrals", "placements"):
        response = client.get(f"/bench-floor/{name}/")
        assert response.status_code == 200, name
        assert response.json()["count"] == floor.MODELS[name].objects.count() > 0


def test_every_role_home_is_measured_against_150_ms(bench_data):
    """Issue 17: each role's home, signed in as that role's bench user, p95 ≤ 150 ms; each answers 200."""
    from django.test import Client

    users = paths.measured_users()
    homes = {path.role: path for path in paths.build_paths() if path.key.startswith("html-home-")}
    assert set(homes) == {paths.CASEWORKER, paths.SUPERVISOR, paths.TRAINER, paths.ADMINISTRATOR}
    for role, path in homes.items():
        assert path.urls == ("/",) and path.target.p95_ms == paths.HTML_P95_MS == 150.0
        client = Client()
        client.force_login(users[role])
        assert client.get("/").status_code == 200, role
