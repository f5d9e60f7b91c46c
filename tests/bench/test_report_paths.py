"""The bench measures every report page (issue 17) at p95 ≤ 500 ms, and each answers for its bench user."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from bench import paths
from reports.selectors.catalogue import REPORTS

pytestmark = pytest.mark.django_db


def test_every_report_page_is_measured_for_both_users_and_answers():
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    call_command("seed_bench", "--applicants", "60", "--teams", "2", "--caseworkers-per-team", "2", **quiet)
    built = {path.key: path for path in paths.report_paths()}
    users = paths.measured_users()
    for key in REPORTS:
        for role in (paths.CASEWORKER, paths.ADMINISTRATOR):
            path = built[f"html-report-{key}-{role}"]
            assert path.target.p95_ms == 500.0 and path.kind == "html"
            client = Client()
            client.force_login(users[role])
            assert client.get(path.urls[0]).status_code == 200, path.urls[0]
