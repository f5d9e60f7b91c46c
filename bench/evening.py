"""A caseworker's busy evening (issue 19): 20 signed-in people working at once against the bench's
gunicorn, driven by locust (bench/evening_locust.py) headless in its own process.

The 20 are 16 caseworkers (two from each team round-robin, so many caseloads) who search by name, open
their people, add notes, read their inbox and their home; and 4 trainers (the first teams' trainers,
the only staff besides administrators who may mark attendance) who open the attendance screen of a
past session of a running course they teach and mark one learner, and look at their teaching page.
Each person waits 1–3 s between clicks. They sign in through the real sign-in page first, as the rest
of the bench does (the bench settings do not ask for 2FA); the sign-ins are not measured.

The figures: requests, errors, p50/p95/p99 per task and overall. Any error fails `make bench` with the
failing requests shown; the target is p99 ≤ 500 ms overall.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

from django.utils import timezone

from casework.models import Applicant, CaseNote, User
from learning.models import Attendance, Session

CASEWORKERS = 16
TRAINERS = 4
USERS = CASEWORKERS + TRAINERS
P99_TARGET_MS = 500.0
SPAWN_RATE = 5  # people a second: the 20 arrive over 4 s, not all in the same instant
QUICK_SECONDS = 20  # CI's bench smoke (DURATION ≤ QUICK_DURATION)
FULL_SECONDS = 120
QUICK_DURATION = 5
PEOPLE = 24  # of each caseworker's caseload, picked to search for and open
SESSIONS = 8  # of each trainer's sessions, picked to mark


def default_seconds(duration: int) -> int:
    """The rule: a quick bench (DURATION ≤ 5 s a measurement, as CI's smoke) gets a 20-second evening,
    any other the full 2 minutes. EVENING_SECONDS (the Makefile's variable) overrides; 0 skips."""
    return QUICK_SECONDS if duration <= QUICK_DURATION else FULL_SECONDS


def evening_users() -> tuple[list[User], list[User]]:
    """16 caseworkers spread over the teams (member 1 of every team, then member 2, …) and 4 trainers."""
    caseworkers = list(User.objects.filter(username__startswith="bench-caseworker-").order_by("username"))
    by_member: dict[str, list[User]] = {}
    for user in caseworkers:
        by_member.setdefault(user.username.rsplit("-", 1)[1], []).append(user)
    spread = [user for member in sorted(by_member) for user in by_member[member]][:CASEWORKERS]
    trainers = list(User.objects.filter(username__startswith="bench-trainer-").order_by("username"))
    trainers = [user for user in trainers if _sessions(user)][:TRAINERS]
    if len(spread) < CASEWORKERS or len(trainers) < TRAINERS:
        raise SystemExit(
            f"The busy evening needs {CASEWORKERS} bench caseworkers and {TRAINERS} trainers with running "
            f"courses; the bench data has {len(spread)} and {len(trainers)} (SCALE ≥ 2000 has them)."
        )
    return spread, trainers


def _sessions(user: User) -> list[int]:
    """Past, not cancelled sessions of the trainer's running courses (a mark of present is allowed)."""
    return list(
        Session.objects.filter(
            course__trainers=user,
            starts_at__lt=timezone.now(),
            course__ends_on__gte=timezone.localdate(),
            cancelled=False,
        )
        .order_by("-starts_at", "pk")
        .values_list("pk", flat=True)[:SESSIONS]
    )


def _caseload(user: User) -> dict[str, list[str]]:
    people = list(
        Applicant.objects.editable_by(user)
        .order_by("pk")
        .values("reference_code", "family_name", "given_name")[:PEOPLE]
    )
    if not people:
        raise SystemExit(f"{user.username} has no caseload in the bench data")
    return {
        "applicants": [person["reference_code"] for person in people],
        "searches": [
            "/applicants/?" + urlencode({"q": f"{person['family_name']} {person['given_name']}".strip()})
            for person in people
        ],
    }


def plan(cookies: dict[str, dict[str, str]], caseworkers: list[User], trainers: list[User]) -> dict:
    """What the locust users do, as JSON: each one's session cookies and what they may click."""
    return {
        "caseworkers": [
            {"username": user.username, "cookies": cookies[user.username], **_caseload(user)}
            for user in caseworkers
        ],
        "trainers": [
            {"username": user.username, "cookies": cookies[user.username], "sessions": _sessions(user)}
            for user in trainers
        ],
    }


def warm(base: str, plan_data: dict) -> None:
    """Each kind of page twice (both gunicorn workers), as the paths are before they are measured: the
    evening measures a working server, not its first template loads. Each must answer 200."""
    from bench import server

    caseworker, trainer = plan_data["caseworkers"][0], plan_data["trainers"][0]
    visits = [
        (caseworker, url)
        for url in (
            "/",
            "/reminders/",
            caseworker["searches"][0],
            f"/applicants/{caseworker['applicants'][0]}/",
        )
    ]
    visits += [
        (trainer, url)
        for url in ("/", "/learning/teaching/", f"/learning/sessions/{trainer['sessions'][0]}/attendance/")
    ]
    for account, url in visits * 2:
        cookie = "; ".join(f"{name}={value}" for name, value in account["cookies"].items())
        status = server.get(base, url, cookie)
        if status != 200:
            raise SystemExit(f"Busy evening: {url} answered {status} to {account['username']}")


def undo(attendance_before: int, notes_before: int) -> dict[str, int]:
    """Remove the marks and notes the evening added (rows above the largest ids before it), so the bench
    data keeps SCALE's counts (a learner marked for the first time is a new attendance row) and the next
    run starts from the same data. Marks it changed stay changed: same counts."""
    marks, _ = Attendance.objects.filter(pk__gt=attendance_before).delete()
    notes, _ = CaseNote.objects.filter(pk__gt=notes_before).delete()
    return {"attendance_rows": marks, "notes": notes}


def _largest_pk(model: type) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def run(*, base: str, plan_data: dict, seconds: int, folder: Path) -> dict:
    """Run locust headless for `seconds` against `base`; its figures as results JSON. What it wrote is
    removed afterwards (undo)."""
    warm(base, plan_data)
    attendance_before, notes_before = _largest_pk(Attendance), _largest_pk(CaseNote)
    try:
        figures = _locust(base=base, plan_data=plan_data, seconds=seconds, folder=folder)
    finally:
        removed = undo(attendance_before, notes_before)
    return {**figures, "removed_afterwards": removed}


def _locust(*, base: str, plan_data: dict, seconds: int, folder: Path) -> dict:
    plan_file, results_file = folder / "evening-plan.json", folder / "evening-results.json"
    plan_file.write_text(json.dumps(plan_data), encoding="utf-8")
    results_file.unlink(missing_ok=True)
    locust = Path(sys.executable).with_name("locust")
    command = [
        str(locust),
        "-f",
        str(Path(__file__).with_name("evening_locust.py")),
        "--headless",
        "--users",
        str(USERS),
        "--spawn-rate",
        str(SPAWN_RATE),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        base,
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "EVENING_PLAN": str(plan_file), "EVENING_RESULTS": str(results_file)}
    load_before = os.getloadavg()[0]
    result = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=False, timeout=seconds + 120
    )
    if not results_file.exists():
        raise SystemExit(f"locust wrote no results ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    figures = json.loads(results_file.read_text(encoding="utf-8"))
    return {
        "seconds": seconds,
        "users": {"caseworkers": CASEWORKERS, "trainers": TRAINERS},
        "p99_target_ms": P99_TARGET_MS,
        # The machine's 1-minute load average before and after: on a shared machine it says how much
        # of a p99 was other people's work.
        "load_average": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        **figures,
        "meets_target": figures["total"]["errors"] == 0 and figures["total"]["p99_ms"] <= P99_TARGET_MS,
    }


def progress_line(evening: dict) -> str:
    total = evening["total"]
    return (
        f"Busy evening ({evening['seconds']} s, {USERS} users): {total['requests']} requests, "
        f"{total['errors']} errors, p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms, "
        f"p99 {total['p99_ms']:.0f} ms (target ≤ {evening['p99_target_ms']:g} ms); load average "
        f"{evening['load_average']['before']:.1f} → {evening['load_average']['after']:.1f}"
    )


def failures(evening: dict) -> list[str]:
    """The failing requests, one line each (empty when the evening had no error)."""
    return [f"{row['count']} × {row['method']} {row['name']}: {row['error']}" for row in evening["failures"]]


def table(evening: dict) -> str:
    lines = [
        f"Busy evening: {USERS} signed-in users ({CASEWORKERS} caseworkers, {TRAINERS} trainers) for "
        f"{evening['seconds']} s, 1–3 s between clicks (`bench/evening.py`); the machine's load average "
        f"{evening['load_average']['before']:.1f} before, {evening['load_average']['after']:.1f} after.",
        "",
        "| busy evening | requests | errors | req/s | p50 ms | p95 ms | p99 ms | target | met |",
        "|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]

    def row(label: str, figures: dict, target: str = "", met: str = "") -> str:
        return (
            f"| {label} | {figures['requests']} | {figures['errors']} | {figures['throughput']:.1f} | "
            f"{figures['p50_ms']:.0f} | {figures['p95_ms']:.0f} | {figures['p99_ms']:.0f} | {target} | {met} |"
        )

    for name, figures in evening["tasks"].items():
        lines.append(row(name, figures))
    lines.append(
        row(
            "**all**",
            evening["total"],
            f"0 errors, p99 ≤ {evening['p99_target_ms']:g} ms",
            "yes" if evening["meets_target"] else "**no**",
        )
    )
    return "\n".join(lines)
