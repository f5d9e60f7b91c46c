"""The house rules of docs/architecture.md that import-linter cannot see: module names and sizes.

A module is named after its part of the case inside the package of its layer (`views/consent.py`), never
with its layer in its name (`views_consent.py`, `consent_views.py`); one over 600 lines is split by part.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("casework", "learning", "jobs", "reports", "config")
LAYERS = "views|forms|selectors|filtersets|services|serializers|viewsets|models|api|admin|tasks"
LAYER_IN_NAME = re.compile(rf"^(?:{LAYERS})_|_(?:{LAYERS})$")
MAX_LINES = 600


def app_modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "node_modules" not in path.parts
    )


def test_the_apps_have_modules_to_check():
    names = {path.relative_to(ROOT).as_posix() for path in app_modules()}
    assert {"casework/views/consent.py", "learning/views/courses.py", "casework/deadlines/sweep.py"} <= names


@pytest.mark.parametrize(
    "name", ["views_consent", "forms_records", "selectors_reminders", "filtersets_audit"]
)
def test_a_layer_prefix_is_recognised(name):
    assert LAYER_IN_NAME.search(name)


@pytest.mark.parametrize("name", ["account_views", "account_services", "consent_forms"])
def test_a_layer_suffix_is_recognised(name):
    assert LAYER_IN_NAME.search(name)


@pytest.mark.parametrize("name", ["consent", "applicants", "reminders", "demo_people", "seed_bench", "base"])
def test_a_part_of_the_case_is_not_mistaken_for_a_layer(name):
    assert not LAYER_IN_NAME.search(name)


def test_no_module_carries_its_layer_in_its_name():
    offenders = [
        path.relative_to(ROOT).as_posix() for path in app_modules() if LAYER_IN_NAME.search(path.stem)
    ]
    assert offenders == [], "move each into the package of its layer, named after its part of the case"


def test_no_module_is_over_600_lines():
    long = {
        path.relative_to(ROOT).as_posix(): lines
        for path in app_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, "split these by part of the case"
