"""Screenshots of the main pages of each demo role at 1366 and 375 px, in English and Japanese.

Run by ``make screenshots`` after ``make run``'s set-up (migrate, seed_demo, seed_demo_learning on the
default SQLite database). Starts its own development server on a free port, signs in as each demo
account, saves ``docs/screenshots/<role>-<page>-<width>-<lang>.png`` (the first screen; ``--full-page``
for the whole page) and stops the server.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WIDTHS = {1366: 768, 375: 812}  # width → height of the window
LANGUAGES = ("en", "ja")


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


# --- What to photograph: demo username → page name → its path (found in the demo data) ------------------


def _case_of(username: str) -> str:
    """The demo case of this caseworker with the most on it (notes, tasks, documents)."""
    from django.db.models import Count

    from casework.models import Applicant

    applicant = (
        Applicant.objects.filter(caseworker__username=username)
        .annotate(records=Count("notes", distinct=True) + Count("tasks", distinct=True))
        .order_by("-records", "pk")
        .first()
    )
    if applicant is None:
        raise SystemExit(f"No demo case for {username}: run `make seed` first.")
    return f"/applicants/{applicant.reference_code}/"


def _course_of(username: str) -> str:
    from django.db.models import Count

    from learning.models import Course

    course = (
        Course.objects.filter(trainers__username=username)
        .annotate(session_count=Count("sessions"))
        .order_by("-session_count", "pk")
        .first()
    )
    if course is None:
        raise SystemExit(f"No demo course for {username}: run `make seed` first.")
    return f"/learning/courses/{course.pk}/"


PAGES: dict[str, dict[str, Callable[[], str]]] = {
    "admin": {"home": lambda: "/", "service-accounts": lambda: "/accounts/service-accounts/"},
    "supervisor": {
        "home": lambda: "/",
        "applicants": lambda: "/applicants/",
        "deadlines": lambda: "/deadlines/",
    },
    "caseworker": {
        "home": lambda: "/",
        "applicant": lambda: _case_of("caseworker"),
        "tasks": lambda: "/tasks/",
        "reminders": lambda: "/reminders/",
    },
    "trainer": {
        "teaching": lambda: "/learning/teaching/",
        "course": lambda: _course_of("trainer"),
    },
    "employer": {"partner": lambda: "/partner/"},
}


# --- The server -------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The development server stopped at once (exit code {server.returncode}).")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("The development server did not answer within 60 s.")


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- The browser ------------------------------------------------------------------------------------------


def _sign_in(page, username: str, password: str) -> bool:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    if "/two-factor/verify/" in page.url:
        print(f"  {username} has turned on two-factor sign-in: skipped (turn it off under Account).")
        return False
    if "/accounts/login/" in page.url:
        print(f"  {username} could not sign in with the demo password: skipped.")
        return False
    return True


def photograph(base_url: str, *, full_page: bool, password: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    # Found before the browser starts: Django refuses database queries inside Playwright's event loop.
    paths_of = {username: {name: path() for name, path in pages.items()} for username, pages in PAGES.items()}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for username, paths in paths_of.items():
            context = browser.new_context(
                base_url=base_url, locale="en-GB", viewport={"width": 1366, "height": 768}
            )
            page = context.new_page()
            if not _sign_in(page, username, password):
                context.close()
                continue
            for language in LANGUAGES:
                context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
                for width, height in WIDTHS.items():
                    page.set_viewport_size({"width": width, "height": height})
                    for name, path in paths.items():
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        target = OUTPUT / f"{username}-{name}-{width}-{language}.png"
                        page.screenshot(path=str(target), full_page=full_page)
                        saved.append(target)
            context.close()
            print(f"  {username}: {len(paths) * len(WIDTHS) * len(LANGUAGES)} screenshots")
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full-page", action="store_true", help="the whole page, not the first screen")
    arguments = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is not at {CHROMIUM}: run `make system-deps WITH_BROWSER=1`.")
    _django()
    from django.conf import settings

    port = _free_port()
    server = _start_server(port)
    try:
        saved = photograph(
            f"http://127.0.0.1:{port}", full_page=arguments.full_page, password=settings.DEMO_PASSWORD
        )
    finally:
        _stop_server(server)
    print(f"{len(saved)} screenshots in {OUTPUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
