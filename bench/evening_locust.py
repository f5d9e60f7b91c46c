"""The locustfile of a caseworker's busy evening (bench/evening.py runs it headless in its own process).

Run by `locust -f bench/evening_locust.py --headless -u 20 …` with EVENING_PLAN naming the plan the
harness wrote (the signed-in sessions, each caseworker's people and each trainer's sessions) and
EVENING_RESULTS the JSON file this writes when the run ends. Never imported by the harness: locust
monkey-patches the standard library with gevent on import.

Every request goes without following redirects and must answer 200 (a redirect to the sign-in page is a
failure, not a page); a note and an attendance mark must also say they were saved.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["EVENING_PLAN"]).read_text(encoding="utf-8"))
RESULTS = Path(os.environ["EVENING_RESULTS"])
TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
ENROLMENT = re.compile(r'name="status-(\d+)"')
NOTE_SAVED = "The note is added."
MARK_SAVED = "Saved:"
SNIPPET = 160  # characters of an unexpected answer shown with its failure


def _start(body: str) -> str:
    """The start of an unexpected answer, on one line."""
    return repr(" ".join(body.split())[:SNIPPET])


class EveningUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)  # reading the page, typing: a person, not a script
    accounts: list[dict] = []
    taken = 0

    def on_start(self) -> None:
        cls = type(self)
        account = cls.accounts[cls.taken % len(cls.accounts)]
        cls.taken += 1
        self.account = account
        self.rng = random.Random(account["username"])  # noqa: S311 - picking what to click
        self.client.headers["Accept-Language"] = "en"
        for name, value in account["cookies"].items():
            self.client.cookies.set(name, value)
        self.token = ""
        self.page("/", "home")

    def page(self, url: str, name: str, *, must_contain: str = "", **kwargs: object) -> str:
        """GET (or POST with data=…) one URL: 200, not a redirect, and containing must_contain."""
        method = "POST" if "data" in kwargs else "GET"
        headers = {"HX-Request": "true", "X-CSRFToken": self.token} if method == "POST" else {}
        with self.client.request(
            method, url, name=name, allow_redirects=False, catch_response=True, headers=headers, **kwargs
        ) as response:
            body = response.text or ""
            if response.status_code != 200:
                where = response.headers.get("Location", "")
                response.failure(
                    f"{method} {url} answered {response.status_code}"
                    + (f" → {where}" if where else "")
                    + f": {_start(body)}"
                )
                return ""
            if must_contain and must_contain not in body:
                response.failure(f"{method} {url} did not say {must_contain!r}: {_start(body)}")
                return ""
            found = TOKEN.search(body)
            if found:
                self.token = found.group(1)
            return body


class Caseworker(EveningUser):
    """A caseworker with a caseload: looks people up, reads their files, writes notes, reads the inbox."""

    fixed_count = len(PLAN["caseworkers"])
    accounts = PLAN["caseworkers"]

    @task(5)
    def search(self) -> None:
        self.page(self.rng.choice(self.account["searches"]), "search by name")

    @task(4)
    def open_applicant(self) -> None:
        code = self.rng.choice(self.account["applicants"])
        self.page(f"/applicants/{code}/", "open applicant")

    @task(2)
    def add_note(self) -> None:
        code = self.rng.choice(self.account["applicants"])
        text = f"Evening call with {code}: documents checked, next step agreed."
        self.page(
            f"/applicants/{code}/notes/add/",
            "add note",
            must_contain=NOTE_SAVED,
            data={"note-text": text},
        )

    @task(2)
    def inbox(self) -> None:
        self.page("/reminders/", "inbox")

    @task(1)
    def home(self) -> None:
        self.page("/", "home")


class Trainer(EveningUser):
    """A trainer after an evening class: opens the session's attendance screen and marks learners."""

    fixed_count = len(PLAN["trainers"])
    accounts = PLAN["trainers"]

    @task(4)
    def mark_attendance(self) -> None:
        session = self.rng.choice(self.account["sessions"])
        url = f"/learning/sessions/{session}/attendance/"
        body = self.page(url, "attendance screen")
        learners = ENROLMENT.findall(body)
        if not learners:
            return
        enrolment = self.rng.choice(learners)
        self.page(
            f"{url}mark/",
            "mark attendance",
            must_contain=MARK_SAVED,
            data={"enrollment": enrolment, "status": self.rng.choice(("present", "present", "late"))},
        )

    @task(1)
    def teaching(self) -> None:
        self.page("/learning/teaching/", "teaching")

    @task(1)
    def home(self) -> None:
        self.page("/", "home")


def _figures(entry) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        "p50_ms": entry.get_response_time_percentile(0.5),
        "p95_ms": entry.get_response_time_percentile(0.95),
        "p99_ms": entry.get_response_time_percentile(0.99),
        "max_ms": round(entry.max_response_time or 0, 1),
        "throughput": round(entry.total_rps, 2),
    }


@events.quitting.add_listener
def _write_results(environment, **kwargs) -> None:  # type: ignore[no-untyped-def]
    stats = environment.stats
    RESULTS.write_text(
        json.dumps(
            {
                "tasks": {name: _figures(entry) for (name, _method), entry in sorted(stats.entries.items())},
                "total": _figures(stats.total),
                "failures": [
                    {
                        "method": error.method,
                        "name": error.name,
                        "error": str(error.error),
                        "count": error.occurrences,
                    }
                    for error in stats.errors.values()
                ],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
