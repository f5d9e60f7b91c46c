"""Sign-in, sign-out, the language switch and accessibility, in a real Chromium."""

from __future__ import annotations

import re

import pytest

from tests.conftest import user_menu_item

# No django_db mark: the page fixture brings live_server (transactional) and serialized rollback,
# and a mark without serialized_rollback=True would stop pytest-django from serializing the database.
pytestmark = pytest.mark.browser

# Where each role lands after signing in, and a text only that role's home page shows.
LANDING = {
    "administrator": ("/", "Service accounts and API tokens"),
    "supervisor": ("/", "Teams you lead"),
    "caseworker": ("/", "Your team"),
    "trainer": ("/", "Today's sessions"),  # learning's home panel
    "employer": ("/partner/", "Partner portal"),
}


def expect(locator_or_page):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator_or_page)


@pytest.mark.parametrize("role", list(LANDING))
def test_each_role_signs_in_and_lands_on_its_home(role, request, page, sign_in, live_server):
    user = request.getfixturevalue(role)
    path, landmark_text = LANDING[role]

    sign_in(user.username)

    expect(page).to_have_url(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Partner portal" if role == "employer" else "Welcome"
    )
    expect(page.get_by_role("main")).to_contain_text(landmark_text)
    expect(page.locator(".user-menu > button")).to_have_text(user.username)
    expect(user_menu_item(page, "Sign out")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_contain_text(f"Signed in as {user.username}")


@pytest.mark.parametrize("username", ["case1", "nobody-by-that-name"])
def test_wrong_password_or_unknown_user_gets_the_same_generic_error(username, page, sign_in, caseworker):
    sign_in(username, password="not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_have_text("The username or password is not correct.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # The form keeps the username but never the password.
    expect(page.get_by_label("Password")).to_have_value("")


def test_language_switch_turns_the_interface_japanese_and_back(page, sign_in, caseworker):
    sign_in(caseworker.username)

    page.get_by_role("button", name="日本語").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(user_menu_item(page, "サインアウト")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ようこそ")
    expect(page.get_by_role("main")).to_contain_text("ケースワーカー")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(user_menu_item(page, "Sign out")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_role("button", name="サインアウト")).to_have_count(0)


def test_language_choice_is_remembered_at_the_next_sign_in(page, sign_in, caseworker):
    sign_in(caseworker.username)
    page.get_by_role("button", name="日本語").click()
    user_menu_item(page, "サインアウト").click()

    # A fresh browser (no language cookie) shows English until the person signs in.
    page.context.clear_cookies()
    sign_in(caseworker.username)

    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(user_menu_item(page, "サインアウト")).to_be_visible()


def test_signing_in_works_in_japanese(page, caseworker):
    caseworker.language = "ja"
    caseworker.save(update_fields=["language"])
    page.goto("/accounts/login/")
    page.get_by_role("button", name="日本語").click()

    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text("サインイン")
    page.get_by_label("ユーザー名").fill(caseworker.username)
    page.get_by_label("パスワード").fill("not-the-password")
    page.get_by_role("button", name="サインイン").click()
    expect(page.get_by_role("alert")).to_have_text("ユーザー名またはパスワードが正しくありません。")

    page.get_by_label("パスワード").fill("correct-horse-battery")
    page.get_by_role("button", name="サインイン").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("ようこそ")
    expect(user_menu_item(page, "サインアウト")).to_be_visible()


def test_sign_out_returns_to_the_sign_in_page(page, sign_in, caseworker, live_server):
    sign_in(caseworker.username)
    user_menu_item(page, "Sign out").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # The session is gone: the home page asks to sign in again.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


# --- Accessibility --------------------------------------------------------------------------------

BLOCKING_IMPACTS = {"serious", "critical"}


def _blocking_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{violation['impact']} {violation['id']}: {violation['help']} — {targets}")
    return found


@pytest.mark.parametrize("language", ["en", "ja"])
def test_sign_in_page_has_no_serious_accessibility_violation(language, page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert _blocking_violations(page) == []


def test_sign_in_error_has_no_serious_accessibility_violation(page, sign_in, caseworker):
    sign_in(caseworker.username, password="not-the-password")
    expect(page.get_by_role("alert")).to_be_visible()
    assert _blocking_violations(page) == []


@pytest.mark.parametrize("role", list(LANDING))
def test_home_page_has_no_serious_accessibility_violation(role, request, page, sign_in):
    user = request.getfixturevalue(role)
    sign_in(user.username)
    expect(page.locator(".user-menu > button")).to_be_visible()
    assert _blocking_violations(page) == []
