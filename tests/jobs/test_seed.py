"""Jobs' seeding commands: seed_demo_jobs needs seed_demo first; seed_bench_jobs (bulk, the bench's
proportions, idempotent). The demo itself is tested in test_seed_demo.py (seeded once for its module)."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from jobs.models import (
    Employer,
    FollowUp,
    JobOpening,
    Placement,
    Referral,
    Stage,
    StageChange,
)
from tests.module_data import run


@pytest.mark.django_db
def test_seed_demo_jobs_needs_seed_demo_first():
    with pytest.raises(CommandError, match="seed_demo"):
        run("seed_demo_jobs")
    assert Employer.objects.count() == 0


# --- seed_bench_jobs -------------------------------------------------------------------------------------


@pytest.fixture
def bench(db) -> str:
    run(
        "seed_bench",
        "--applicants",
        "200",
        "--teams",
        "2",
        "--caseworkers-per-team",
        "2",
        "--card-every",
        "50",
    )
    return run("seed_bench_jobs", "--applicants", "200", "--openings-per-chunk", "15")


def bench_counts() -> dict[str, int]:
    return {
        "employers": Employer.objects.count(),
        "openings": JobOpening.objects.count(),
        "referrals": Referral.objects.count(),
        "placements": Placement.objects.count(),
        "follow_ups": FollowUp.objects.count(),
    }


@pytest.mark.django_db
def test_seed_bench_jobs_adds_the_bench_proportions_exactly(bench):
    assert bench_counts() == {
        "employers": 10,
        "openings": 40,
        "referrals": 300,
        "placements": 80,
        "follow_ups": 240,
    }
    assert StageChange.objects.count() == 300
    assert "300 referrals" in bench


@pytest.mark.django_db
def test_seed_bench_jobs_twice_adds_nothing(bench):
    first = bench_counts()
    second = run("seed_bench_jobs", "--applicants", "200")
    assert bench_counts() == first
    assert "0 referrals" in second


@pytest.mark.django_db
def test_bench_rows_are_consistent(bench):
    # One placement a person, each from a hired referral, its follow-ups due at the rules' dates.
    placements = Placement.objects.select_related("referral")
    assert placements.values("applicant_id").distinct().count() == placements.count()
    assert all(
        p.referral.stage == Stage.HIRED and p.referral.applicant_id == p.applicant_id for p in placements
    )
    assert Referral.objects.filter(stage=Stage.HIRED).count() == 80
    stages = set(Referral.objects.values_list("stage", flat=True))
    assert {Stage.PROPOSED, Stage.SHARED, Stage.INTERVIEW, Stage.REJECTED, Stage.HIRED} <= stages
    assert not Referral.objects.filter(stage__in=[Stage.REJECTED, Stage.WITHDRAWN], reason_code="").exists()
    assert not FollowUp.objects.filter(outcome="left", leaving_reason="").exists()
    left = Placement.objects.filter(ended_on__isnull=False)
    assert left.exists() and not left.filter(leaving_reason="").exists()
    from jobs import rules

    for placement in Placement.objects.prefetch_related("follow_ups")[:20]:
        expected = dict(rules.follow_up_dates(placement.start_date))
        assert all(f.due_on == expected[f.month] for f in placement.follow_ups.all())


@pytest.mark.django_db
def test_seed_bench_jobs_needs_seed_bench_first():
    with pytest.raises(CommandError, match="seed_bench"):
        run("seed_bench_jobs", "--applicants", "10")
