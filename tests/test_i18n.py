"""The Japanese catalogue covers every translatable string, and pages render in Japanese."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.conftest import require

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
CATALOGUE = LOCALE_DIR / "ja" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")

# Codes and proper names that are written the same way in Japanese. Add to it sparingly: anything
# a Japanese reader would expect in Japanese does not belong here.
SAME_IN_JAPANESE = frozenset({"Tobira", "API", "JLPT", "JFT-Basic", "BJT", "CEFR"})

# What makemessages must not scan (the same list as the documented makemessages command).
NOT_SOURCE = ("locale", ".venv", "node_modules", "var", "tests", "test-artifacts")
GETTEXT_TOOLS = ("xgettext", "msgmerge", "msguniq", "msgattrib")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\{.*?\}\}|\{\w*\}")


def _has_english_text(msgid: str) -> bool:
    """Strings with no Latin letters outside placeholders ("%(a)s / %(b)s", "—") need no translation."""
    return re.search(r"[A-Za-z]", PLACEHOLDER.sub("", msgid)) is not None


def _catalogue_problems(catalogue: polib.POFile) -> list[str]:
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        where = f"{entry.msgid!r} ({entry.occurrences[0][0] if entry.occurrences else 'no source'})"
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        english = {entry.msgid, entry.msgid_plural} - {""}
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {where}")
        elif not translations or not all(text.strip() for text in translations):
            problems.append(f"missing: {where}")
        elif (
            any(text.strip() in english for text in translations)
            and entry.msgid not in SAME_IN_JAPANESE
            and _has_english_text(entry.msgid)
        ):
            problems.append(f"same as English: {where}")
    return problems


@pytest.fixture(scope="module")
def refreshed_catalogue(tmp_path_factory) -> polib.POFile:
    """The Japanese catalogue after makemessages ran over today's code, in a temporary copy.

    makemessages writes into the locale folder that sits beside the scanned code, so it runs in a
    temporary tree: symbolic links to the project's folders plus a copy of locale/. The real
    catalogue is never touched.
    """
    for tool in GETTEXT_TOOLS:
        require(shutil.which(tool) is not None, f"{tool} (Debian package gettext) is not installed")
    tree = tmp_path_factory.mktemp("i18n") / "src"
    tree.mkdir()
    for child in BASE_DIR.iterdir():
        if child.name.startswith(".") or child.name in NOT_SOURCE:
            continue
        (tree / child.name).symlink_to(child)
    shutil.copytree(LOCALE_DIR, tree / "locale", ignore=shutil.ignore_patterns("*.mo"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TOBIRA_LOCALE_DIR": str(tree / "locale"),
    }
    command = [sys.executable, str(BASE_DIR / "manage.py"), "makemessages", "-l", "ja"]
    command += ["--symlinks", "--no-obsolete", "-v", "0"]
    for name in NOT_SOURCE:
        command += ["-i", name]
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    return polib.pofile(str(tree / "locale" / "ja" / "LC_MESSAGES" / "django.po"))


def test_catalogue_header_declares_japanese_with_one_plural_form():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.metadata.get("Language") == "ja"
    assert catalogue.metadata.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert catalogue.metadata.get("Content-Type") == "text/plain; charset=UTF-8"
    assert not catalogue.metadata_is_fuzzy, "The header is marked fuzzy: gettext would ignore it."


def test_every_translatable_string_has_a_japanese_translation(refreshed_catalogue):
    problems = _catalogue_problems(refreshed_catalogue)
    assert not problems, (
        "The Japanese catalogue is incomplete. Run `python manage.py makemessages -l ja -i .venv "
        "-i node_modules -i var -i tests`, translate these entries in locale/ja/LC_MESSAGES/django.po, "
        "remove their fuzzy flags, then `make messages`:\n  " + "\n  ".join(problems)
    )


def test_catalogue_check_finds_missing_fuzzy_and_untranslated_entries():
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid="Tobira", msgstr="Tobira"))
    catalogue.append(polib.POEntry(msgid="%(count)s / %(total)s", msgstr="%(count)s / %(total)s"))
    catalogue.append(polib.POEntry(msgid="Sign in", msgstr="サインイン"))
    catalogue.append(polib.POEntry(msgid="Cases", msgstr=""))
    catalogue.append(polib.POEntry(msgid="Notes", msgstr="メモ", flags=["fuzzy"]))
    catalogue.append(polib.POEntry(msgid="Tasks", msgstr="Tasks"))
    catalogue.append(
        polib.POEntry(msgid="%(n)s day", msgid_plural="%(n)s days", msgstr_plural={0: "%(n)s days"})
    )
    problems = _catalogue_problems(catalogue)
    assert [problem.split(":")[0] for problem in problems] == [
        "missing",
        "fuzzy",
        "same as English",
        "same as English",
    ]


def test_catalogue_passes_gettext_format_checks():
    """msgfmt --check: placeholders such as %(name)s match between msgid and msgstr, header valid."""
    require(shutil.which("msgfmt") is not None, "msgfmt (Debian package gettext) is not installed")
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_compiled_catalogue_matches_the_po_file():
    assert COMPILED.exists(), f"{COMPILED} is missing: run `make messages` (manage.py compilemessages)."
    source = {(e.msgid, e.msgid_plural): e for e in polib.pofile(str(CATALOGUE)).translated_entries()}
    compiled = {(e.msgid, e.msgid_plural): e for e in polib.mofile(str(COMPILED)) if e.msgid}
    assert set(compiled) == set(source), "The .mo file is out of date: run `make messages`."
    for key, entry in source.items():
        assert (compiled[key].msgstr, compiled[key].msgstr_plural) == (
            entry.msgstr,
            entry.msgstr_plural,
        ), f"The .mo file is out of date for {key[0]!r}: run `make messages`."


@pytest.mark.django_db
def test_sign_in_page_is_japanese_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in html
    assert "サインイン" in html
    assert "ユーザー名" in html
    assert "パスワード" in html
    assert "Username" not in html


@pytest.mark.django_db
def test_home_page_is_japanese_with_the_language_cookie(client, caseworker):
    client.force_login(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    html = client.get("/").content.decode()
    assert '<html lang="ja">' in html
    assert "サインアウト" in html
    assert "ケースワーカー" in html
    assert "Sign out" not in html


@pytest.mark.django_db
def test_pages_are_english_without_a_language_choice(client, caseworker):
    client.force_login(caseworker)
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign out" in html
    assert "サインアウト" not in html


THIRD_PARTY = LOCALE_DIR / "third_party" / "ja" / "LC_MESSAGES" / "django.po"


def test_third_party_apps_without_japanese_get_ours():
    """django-otp, django-axes and django-celery-beat ship no Japanese; their admin strings are ours."""
    catalogue = polib.pofile(str(THIRD_PARTY))
    assert not catalogue.metadata_is_fuzzy
    assert len(catalogue) > 150
    assert _catalogue_problems(catalogue) == []


@pytest.mark.django_db
def test_the_admin_shows_third_party_pages_in_japanese(client, make_user):
    from casework.roles import Role

    admin = make_user(
        Role.ADMINISTRATOR, username="admin-ja", is_staff=True, is_superuser=True, language="ja"
    )
    client.force_login(admin)
    client.cookies["django_language"] = "ja"
    page = client.get("/admin/django_celery_beat/periodictask/add/").content.decode()
    assert "位置引数" in page and "Positional Arguments" not in page
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "アクセス試行" in attempts


@pytest.mark.django_db
def test_a_japanese_request_leaves_its_language_on_the_test_thread(client):
    # Nothing in Django deactivates the language LocaleMiddleware chose once the response is made.
    from django.utils import translation

    client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ja")
    assert translation.get_language() == "ja"


def test_the_next_test_starts_in_the_default_language_all_the_same():
    # Runs after the test above (pytest keeps file order): the autouse fixture reset the language,
    # so messages no longer depend on which test ran before.
    from django.utils import translation

    assert translation.get_language() == settings.LANGUAGE_CODE
    from django.core.exceptions import ValidationError

    from learning import rules

    with pytest.raises(ValidationError) as raised:
        rules.normalise_jlpt_level("N6")
    assert "N5 to N1" in raised.value.message_dict["level"][0]
