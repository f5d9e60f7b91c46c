"""What `make bench` measures: each path with its role, its floor and its target (issue 14, DESIGN.md).

The URLs come from the bench data itself (names that exist, a caseworker's own people, sessions of a
running course), picked reproducibly, so every run and every scale asks the same kinds of question.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils import timezone

from casework.models import Applicant, Team, User
from learning.models import Session

CASEWORKER = "caseworker"
ADMINISTRATOR = "administrator"
MEASURED_CASEWORKER = "bench-caseworker-001-01"
MEASURED_ADMINISTRATOR = "bench-admin"
VARIANTS = 16  # URLs a path cycles through (searches, people, sessions)

# Targets (2 cores, PostgreSQL, SCALE=100000, concurrency 4).
LIST_RATIO = 0.8  # API lists: throughput at least this share of the floor list of the same model
SEARCH_API_P95_MS = 50.0
HTML_P95_MS = 150.0


@dataclass(frozen=True)
class Target:
    ratio: float | None = None  # throughput / floor throughput, at least
    p95_ms: float | None = None  # at most

    def describe(self) -> str:
        return f"≥ {self.ratio:g}× floor" if self.ratio else f"p95 ≤ {self.p95_ms:g} ms"


@dataclass(frozen=True)
class BenchPath:
    key: str  # stable across runs and scales: the results are compared by it
    label: str
    role: str
    floor: str  # a floor name: "constant" or a model list under /bench-floor/
    urls: tuple[str, ...]
    target: Target
    kind: str  # "api" or "html"


def floor_url(floor: str) -> str:
    return f"/bench-floor/{floor}/"


def measured_users() -> dict[str, User]:
    """The two people the benchmark signs in as; seed_bench made them."""
    return {
        CASEWORKER: User.objects.get(username=MEASURED_CASEWORKER),
        ADMINISTRATOR: User.objects.get(username=MEASURED_ADMINISTRATOR),
    }


def _people(user: User, rng: random.Random) -> list[dict]:
    """Up to VARIANTS people this user can see who have a katakana reading, picked reproducibly."""
    ids = list(
        Applicant.objects.visible_to(user)
        .exclude(name_katakana="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(ids, min(VARIANTS, len(ids)))
    return list(
        Applicant.objects.filter(pk__in=chosen)
        .order_by("pk")
        .values("family_name", "given_name", "name_katakana", "reference_code")
    )


def latin_queries(people: list[dict]) -> list[str]:
    return [" ".join(part for part in (p["family_name"], p["given_name"]) if part) for p in people]


def katakana_queries(people: list[dict]) -> list[str]:
    return [p["name_katakana"].split("・")[0] for p in people]


def _with(base: str, queries: list[str], field: str = "q") -> tuple[str, ...]:
    return tuple(f"{base}?{urlencode({field: query})}" for query in queries)


def filter_mix(user: User) -> tuple[str, ...]:
    team = Team.objects.visible_to(user).order_by("pk").first()
    mixes = [
        {"case_stage": "active", "may_work_now": "true"},
        {"nationality": "LK", "status_kind": "da_refugee_applicant"},
        {"deadline_within": "30"},
        {"case_stage": "job_ready", "nationality": "TR"},
        {"may_work_now": "false", "nationality": "MM"},
    ]
    if team is not None:
        mixes.append({"team": str(team.pk), "case_stage": "active"})
    return tuple(f"/api/v1/applicants/?{urlencode(mix)}" for mix in mixes)


def attendance_sessions(user: User) -> tuple[str, ...]:
    """Attendance screens of past sessions of running courses (learners marked, the course going on)."""
    now = timezone.now()
    sessions = (
        Session.objects.visible_to(user)
        .filter(starts_at__lt=now, course__ends_on__gte=timezone.localdate(), cancelled=False)
        .order_by("-starts_at", "pk")
        .values_list("pk", flat=True)[:VARIANTS]
    )
    return tuple(f"/learning/sessions/{pk}/attendance/" for pk in sessions)


def build_paths(*, seed: int = 14) -> list[BenchPath]:
    users = measured_users()
    paths: list[BenchPath] = []
    api_list = Target(ratio=LIST_RATIO)
    search_api = Target(p95_ms=SEARCH_API_P95_MS)
    html = Target(p95_ms=HTML_P95_MS)
    for role in (CASEWORKER, ADMINISTRATOR):
        user = users[role]
        people = _people(user, random.Random(f"{seed}:{role}"))  # noqa: S311 - picking questions
        applicants = "/api/v1/applicants/"
        paths += [
            BenchPath(
                f"api-applicants-{role}", "API applicants", role, "applicants", (applicants,), api_list, "api"
            ),
            BenchPath(
                f"api-search-latin-{role}",
                "API applicants, Latin search",
                role,
                "applicants",
                _with(applicants, latin_queries(people)),
                search_api,
                "api",
            ),
            BenchPath(
                f"api-search-katakana-{role}",
                "API applicants, katakana search",
                role,
                "applicants",
                _with(applicants, katakana_queries(people)),
                search_api,
                "api",
            ),
            BenchPath(
                f"api-filters-{role}",
                "API applicants, filter mix",
                role,
                "applicants",
                filter_mix(user),
                api_list,
                "api",
            ),
            BenchPath(
                f"api-periods-{role}",
                "API legal status periods",
                role,
                "legal-status-periods",
                ("/api/v1/legal-status-periods/",),
                api_list,
                "api",
            ),
            BenchPath(
                f"api-attendance-{role}",
                "API attendance",
                role,
                "attendance",
                ("/api/v1/attendance/",),
                api_list,
                "api",
            ),
            BenchPath(
                f"api-enrolments-{role}",
                "API enrolments",
                role,
                "enrollments",
                ("/api/v1/enrollments/",),
                api_list,
                "api",
            ),
            BenchPath(
                f"html-applicants-{role}", "Applicant list", role, "constant", ("/applicants/",), html, "html"
            ),
            BenchPath(
                f"html-search-{role}",
                "Applicant list, search",
                role,
                "constant",
                _with(
                    "/applicants/",
                    latin_queries(people)[: VARIANTS // 2] + katakana_queries(people)[VARIANTS // 2 :],
                ),
                html,
                "html",
            ),
            BenchPath(
                f"html-deadlines-{role}", "Deadlines", role, "constant", ("/deadlines/",), html, "html"
            ),
        ]
    caseworker = users[CASEWORKER]
    own = list(
        Applicant.objects.visible_to(caseworker)
        .order_by("pk")
        .values_list("reference_code", flat=True)[:VARIANTS]
    )
    paths += [
        BenchPath(f"html-home-{CASEWORKER}", "Caseworker home", CASEWORKER, "constant", ("/",), html, "html"),
        BenchPath(
            f"html-applicant-{CASEWORKER}",
            "Applicant page",
            CASEWORKER,
            "constant",
            tuple(f"/applicants/{code}/" for code in own),
            html,
            "html",
        ),
    ]
    sessions = attendance_sessions(caseworker)
    if sessions:
        paths.append(
            BenchPath(
                f"html-attendance-{CASEWORKER}",
                "Course attendance screen",
                CASEWORKER,
                "constant",
                sessions,
                html,
                "html",
            )
        )
    return paths
