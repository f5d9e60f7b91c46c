"""Shared fixtures: users per role, CI strictness for services and the browser, Playwright."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from casework.roles import Role
from tests.casework.factories import TeamFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require(condition: bool, reason: str) -> None:
    """Skip when a service or the browser is missing, but fail under CI=true: CI must run it all."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture
def team(db):
    return TeamFactory(name="Tokyo East")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Osaka")


@pytest.fixture
def make_user(db) -> Callable[..., object]:
    def make(*roles: str, **kwargs):
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR, username="admin1", is_staff=True)


@pytest.fixture
def supervisor(make_user, team):
    user = make_user(Role.SUPERVISOR, username="super1")
    team.supervisors.add(user)
    return user


@pytest.fixture
def caseworker(make_user, team):
    return make_user(Role.CASEWORKER, username="case1", team=team)


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, username="trainer1")


@pytest.fixture
def employer(make_user):
    return make_user(Role.EMPLOYER, username="employer1")


@pytest.fixture
def teammate(make_user, team):
    """A caseworker of the same team (their cases are the team-shared caseload)."""
    return make_user(Role.CASEWORKER, username="case-teammate", team=team)


@pytest.fixture
def other_caseworker(make_user, other_team):
    return make_user(Role.CASEWORKER, username="case-osaka", team=other_team)


@pytest.fixture
def other_supervisor(make_user, other_team):
    user = make_user(Role.SUPERVISOR, username="super-osaka")
    other_team.supervisors.add(user)
    return user


@pytest.fixture
def role_users(administrator, supervisor, caseworker, trainer, employer) -> dict[str, object]:
    return {
        Role.ADMINISTRATOR: administrator,
        Role.SUPERVISOR: supervisor,
        Role.CASEWORKER: caseworker,
        Role.TRAINER: trainer,
        Role.EMPLOYER: employer,
    }


@pytest.fixture
def client_for(db) -> Callable[[object], Client]:
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


# --- Browser ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM}")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do: an in-place htmx update on a loaded two-core CI machine
    # took longer than the 5 s default once (attendance marks), never longer than this.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


_migration_state_apps = None


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        return True
    marker = request.node.get_closest_marker("django_db")
    return marker is not None and bool(
        marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    )


# Data migrations whose steps are idempotent and create rows the tests need (roles, permissions, the
# default organisation): re-run after a transactional test emptied the tables. Add new ones here.
SEED_MIGRATIONS = (
    "casework.migrations.0002_default_organisation_and_roles",
    "casework.migrations.0005_casework_core_permissions",
    "learning.migrations.0002_role_permissions",
    "jobs.migrations.0002_minimum_wages",
    "jobs.migrations.0003_role_permissions",
)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Start every test in the default language and leave none behind.

    A request through the test client activates the language LocaleMiddleware chose for it on the
    test thread and nothing deactivates it, so a Japanese request would make the next test's
    messages Japanese: the outcome would depend on the order the tests run in.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _roles_in_transactional_tests(request: pytest.FixtureRequest) -> None:
    """Give transactional tests (live_server: every browser test) the roles the migrations create.

    A transactional test ends by emptying every table, so the next one finds no role groups and no
    default organisation, and the role fixtures would make users without roles. This re-runs the
    migration step that creates them (it is idempotent). Serialized rollback cannot do it here:
    once Playwright's sync API has run, asgiref hands the test thread a new database connection
    object, which lacks the serialized copy of the database.
    """
    if not _is_transactional(request):
        return
    request.node._tobira_transactional = True  # pytest_runtest_teardown restores the rows after the flush
    request.getfixturevalue("transactional_db")
    restore_migration_rows()


def restore_migration_rows() -> None:
    """Re-create the rows SEED_MIGRATIONS make (roles, permissions, the default organisation)."""
    global _migration_state_apps
    import importlib

    from django.db.migrations.loader import MigrationLoader

    if _migration_state_apps is None:
        _migration_state_apps = MigrationLoader(None, ignore_no_migrations=True).project_state().apps
    for module_name in SEED_MIGRATIONS:
        module = importlib.import_module(module_name)
        for operation in module.Migration.operations:
            operation.code(_migration_state_apps, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has emptied every table (its teardown flushes), put the migrations' rows
    back for the tests that follow in a transaction of their own: they find the minimum-wage table and the
    administrator group's permissions as a migrated database has them, whatever ran before."""
    yield
    if not getattr(item, "_tobira_transactional", False) or nextitem is None:
        return  # nextitem None: the last test; the test database is already gone with the session
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        restore_migration_rows()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def is_csp_report(console_text: str) -> bool:
    """Chromium reports every Content-Security-Policy violation on the console with these words."""
    return "Content Security Policy" in console_text


@pytest.fixture
def page(browser, live_server, request) -> Iterator[object]:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Chromium reports every Content-Security-Policy violation on the console: any one fails the test,
    # whichever page or in-place (htmx) update caused it.
    csp_reports: list[str] = []
    page.on(
        "console",
        lambda message: csp_reports.append(message.text) if is_csp_report(message.text) else None,
    )
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    if failed is not None and failed.passed:
        assert csp_reports == [], "Content-Security-Policy violations:\n" + "\n".join(csp_reports)


@pytest.fixture
def sign_in(page) -> Callable[[str, str], None]:
    def do(username: str, password: str = "correct-horse-battery") -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return do


def user_menu_item(page, name: str):
    """Open the top bar's user menu (it holds Account and Sign out) and return the item named `name`."""
    page.locator(".user-menu > button").click()
    return (
        page.locator(".user-menu")
        .get_by_role("button", name=name)
        .or_(page.locator(".user-menu").get_by_role("link", name=name))
    )
