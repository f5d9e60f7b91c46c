"""What `make bench` measures: each path with its role, its floor and its target (issue 14, DESIGN.md).

The URLs come from the bench data itself (names that exist, a caseworker's own people, sessions of a
running course), picked reproducibly, so every run and every scale asks the same kinds of question.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from casework.models import Applicant, Team, User
from jobs.models import JobOpening, OpeningStatus, Referral
from learning.models import Session

CASEWORKER = "caseworker"
ADMINISTRATOR = "administrator"
SUPERVISOR = "supervisor"
TRAINER = "trainer"
MEASURED_CASEWORKER = "bench-caseworker-001-01"
MEASURED_ADMINISTRATOR = "bench-admin"
# The homes (issue 17) are measured for each role: the first team's supervisor and trainer.
MEASURED_SUPERVISOR = "bench-supervisor-001"
MEASURED_TRAINER = "bench-trainer-001"
HOME_ROLES = {
    CASEWORKER: "Caseworker home",
    SUPERVISOR: "Supervisor home",
    TRAINER: "Trainer home",
    ADMINISTRATOR: "Administrator home",
}
VARIANTS = 16  # URLs a path cycles through (searches, people, sessions)

# Targets (2 cores, PostgreSQL, SCALE=100000, concurrency 4).
LIST_RATIO = 0.8  # API lists: throughput at least this share of the floor list of the same model
SEARCH_API_P95_MS = 50.0
HTML_P95_MS = 150.0
MATCHING_P95_MS = 300.0  # an opening's matching list over all applicants (DESIGN.md, quality bars)
# A report page counts over a whole caseload or organisation for 12 months: the one exception to the
# 150 ms of HTML pages (issue 17; docs/reports.md).
REPORT_P95_MS = 500.0
# The pipeline board's URL name is the staff UI's to choose: the first of these that resolves is measured.
# Today the board is a section of the opening page (with the matching list), measured on the openings
# with the most referrals.
BOARD_URL_NAMES = ("jobs:opening_board", "jobs:pipeline_board", "jobs:opening_detail")


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
    """The people the benchmark signs in as, one per role; seed_bench made them."""
    return {
        CASEWORKER: User.objects.get(username=MEASURED_CASEWORKER),
        ADMINISTRATOR: User.objects.get(username=MEASURED_ADMINISTRATOR),
        SUPERVISOR: User.objects.get(username=MEASURED_SUPERVISOR),
        TRAINER: User.objects.get(username=MEASURED_TRAINER),
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
    # Each role's home (its panels): p95 ≤ 150 ms like every page. The caseworker's key is the one
    # earlier runs used, so its results still compare.
    paths += [
        BenchPath(f"html-home-{role}", label, role, "constant", ("/",), html, "html")
        for role, label in HOME_ROLES.items()
    ]
    paths += [
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
    jobs, skipped = jobs_paths(users)
    paths += jobs
    for note in skipped:
        print(f"Skipped: {note}", flush=True)
    paths += report_paths()
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


def report_paths() -> list[BenchPath]:
    """Each report page with its default filters (the last 12 months), for the caseworker (their caseload)
    and the administrator (the whole organisation)."""
    from reports.selectors.catalogue import REPORTS

    target = Target(p95_ms=REPORT_P95_MS)
    return [
        BenchPath(
            f"html-report-{key}-{role}",
            f"Report: {spec.title}",
            role,
            "constant",
            (reverse("reports:report_detail", kwargs={"key": key}),),
            target,
            "html",
        )
        for key, spec in REPORTS.items()
        for role in (CASEWORKER, ADMINISTRATOR)
    ]


def _routed(url: str) -> bool:
    """True when Tobira answers this path (the jobs API and pages are built in parallel: a route that is
    not there yet is skipped, never an error of the harness)."""
    try:
        resolve(url.split("?", 1)[0])
    except Resolver404:
        return False
    return True


def _reversed(names: tuple[str, ...], pk: int) -> str | None:
    for name in names:
        for options in ({"args": [pk]}, {"kwargs": {"pk": pk}}, {"kwargs": {"opening_id": pk}}):
            try:
                return reverse(name, **options)
            except NoReverseMatch:
                continue
    return None


def matching_openings(user: User) -> list[int]:
    """Open openings with the most referrals (the busiest boards), a mix of level requirements."""
    return list(
        JobOpening.objects.visible_to(user)
        .filter(status=OpeningStatus.OPEN)
        .order_by("-start_date", "pk")
        .values_list("pk", flat=True)[:VARIANTS]
    )


def busiest_openings(user: User) -> list[int]:
    from django.db.models import Count

    return list(
        JobOpening.objects.visible_to(user)
        .annotate(referral_count=Count("referrals"))
        .order_by("-referral_count", "pk")
        .values_list("pk", flat=True)[:VARIANTS]
    )


def jobs_paths(users: dict[str, User]) -> tuple[list[BenchPath], list[str]]:
    """The matching list (API and page), the pipeline board and the jobs API lists, for both roles; what
    is not routed yet is left out with a note."""
    paths: list[BenchPath] = []
    skipped: list[str] = []
    api_list = Target(ratio=LIST_RATIO)
    matching = Target(p95_ms=MATCHING_P95_MS)
    html = Target(p95_ms=HTML_P95_MS)
    if not Referral.objects.exists():
        return paths, ["jobs paths: no jobs bench data (run seed_bench_jobs)"]
    for role in (CASEWORKER, ADMINISTRATOR):
        user = users[role]
        openings = matching_openings(user)
        api_matching = tuple(f"/api/v1/openings/{pk}/matching/" for pk in openings)
        if openings and _routed(api_matching[0]):
            paths.append(
                BenchPath(
                    f"api-matching-{role}",
                    "API opening matching",
                    role,
                    "constant",
                    api_matching,
                    matching,
                    "api",
                )
            )
        else:
            skipped.append(f"api-matching-{role}: /api/v1/openings/<id>/matching/ is not routed")
        pages = tuple(url for url in (_reversed(("jobs:opening_detail",), pk) for pk in openings) if url)
        if pages:
            paths.append(
                BenchPath(
                    f"html-matching-{role}",
                    "Opening page with matching",
                    role,
                    "constant",
                    pages,
                    matching,
                    "html",
                )
            )
        else:
            skipped.append(f"html-matching-{role}: jobs:opening_detail does not resolve")
        boards = tuple(
            url for url in (_reversed(BOARD_URL_NAMES, pk) for pk in busiest_openings(user)) if url
        )
        if boards:
            paths.append(
                BenchPath(f"html-board-{role}", "Pipeline board", role, "constant", boards, html, "html")
            )
        else:
            skipped.append(
                f"html-board-{role}: no pipeline board URL ({', '.join(BOARD_URL_NAMES)}) resolves"
            )
        for name, label in (
            ("employers", "API employers"),
            ("openings", "API openings"),
            ("referrals", "API referrals"),
            ("placements", "API placements"),
        ):
            url = f"/api/v1/{name}/"
            if _routed(url):
                paths.append(BenchPath(f"api-{name}-{role}", label, role, name, (url,), api_list, "api"))
            else:
                skipped.append(f"api-{name}-{role}: {url} is not routed")
    return paths, skipped
