"""The sample files of docs/import-samples/ (scripts/make_import_samples.py) say what their README says,
against the demo data (`make run`): the applicants sample gives exactly 3 errors and no duplicate once
mapped as the browser test maps it; the employers, periods and attendance samples are read as meant."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from casework.models import Import, ImportRow, User
from casework.services import import_runs
from casework.services import imports as services
from tests.module_data import seeded_once

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "import-samples"

module_demo = seeded_once("seed_demo", "seed_demo_learning", "seed_demo_jobs")


@pytest.fixture
def demo(module_demo, db):
    return module_demo


def upload(by: User, name: str, kind: str, target: str = "") -> Import:
    content = (SAMPLES / name).read_bytes()
    return services.import_upload(by=by, kind=kind, upload=SimpleUploadedFile(name, content), target=target)


def dry_run(by: User, imp: Import, columns: dict[str, str], statuses: dict[str, str] | None = None):
    services.import_map(by=by, imp=imp, columns=columns, statuses=statuses or {})
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.import_check_start(by=by, imp=imp)
    imp.refresh_from_db()
    return imp


def test_the_applicants_sample_has_three_errors_and_no_duplicate_of_the_demo(demo):
    caseworker = User.objects.get(username="caseworker")
    imp = upload(caseworker, "applicants-200-sjis.csv", "applicants", target=str(caseworker.team_id))
    assert imp.encoding.replace("_", "").lower() in {"cp932", "shiftjis", "sjis"}
    columns = dict(imp.mapping["columns"])
    assert "card_number" not in columns  # 在留カードNo is mapped by hand
    assert set(columns.values()) >= {"氏名", "生年月日", "国籍", "在留資格", "許可日", "在留期限", "受付日"}
    labels = services.status_labels(imp=imp, column=columns["status"])
    assert set(labels) == {"特定活動(難民認定申請中)", "定住者", "特定活動(人道配慮)", "特定活動"}  # NFKC
    proposed = services.proposed_statuses(services._importer("applicants"), labels, {})
    assert "特定活動" not in proposed
    imp = dry_run(
        caseworker,
        imp,
        {**columns, "card_number": "在留カードNo"},
        {**proposed, "特定活動": "da_humanitarian"},
    )
    assert imp.status == Import.Status.CHECKED, imp.error
    assert (imp.rows_total, imp.rows_valid, imp.rows_error, imp.rows_duplicate) == (200, 197, 3, 0)
    errors = {
        row.number: [error[0] for error in row.errors]
        for row in imp.rows.filter(verdict=ImportRow.Verdict.ERROR)
    }
    # Data row n is line n + 1 of the file (the header is line 1).
    assert errors == {43: ["生年月日"], 97: ["在留カードNo"], 164: ["在留期限"]}


def test_the_employers_sample_reads_fifteen_employers(demo):
    caseworker = User.objects.get(username="caseworker")
    imp = upload(caseworker, "employers.xlsx", "employers")
    imp = dry_run(caseworker, imp, dict(imp.mapping["columns"]))
    assert imp.status == Import.Status.CHECKED, imp.error
    # The demo imported this very file (jobs' seed): every row is a possible duplicate now.
    assert (imp.rows_total, imp.rows_error, imp.rows_duplicate) == (15, 0, 15), list(
        imp.rows.filter(verdict=ImportRow.Verdict.ERROR).values_list("number", "errors")
    )


def test_the_periods_sample_finds_demo_people(demo):
    caseworker = User.objects.get(username="caseworker")
    imp = upload(caseworker, "periods.csv", "periods")
    columns = dict(imp.mapping["columns"])
    labels = services.status_labels(imp=imp, column=columns["status"])
    statuses = services.proposed_statuses(services._importer("periods"), labels, {})
    imp = dry_run(caseworker, imp, columns, statuses)
    assert imp.status == Import.Status.CHECKED, imp.error
    assert imp.rows_total == 6
    assert imp.rows_error == 0, list(
        imp.rows.filter(verdict=ImportRow.Verdict.ERROR).values("number", "errors")
    )


def test_the_sample_import_runs(demo):
    """The valid rows of the applicants sample are imported (as the browser test does, without a browser)."""
    caseworker = User.objects.get(username="caseworker")
    imp = upload(caseworker, "applicants-200-sjis.csv", "applicants", target=str(caseworker.team_id))
    columns = {**imp.mapping["columns"], "card_number": "在留カードNo"}
    labels = services.status_labels(imp=imp, column=columns["status"])
    statuses = {
        **services.proposed_statuses(services._importer("applicants"), labels, {}),
        "特定活動": "da_humanitarian",
    }
    imp = dry_run(caseworker, imp, columns, statuses)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.import_start(by=caseworker, imp=imp, mode=Import.Mode.VALID_ONLY)
    imp.refresh_from_db()
    assert imp.status == Import.Status.DONE, imp.error
    assert imp.created_count >= 197
    assert import_runs  # the task bodies ran eagerly


def test_the_attendance_grid_fits_the_demo_course_of_the_day(demo, tmp_path):
    """The grid made for the day the demo was seeded (`--today`) has a session for every date column."""
    import importlib.util

    from django.utils import timezone

    from learning.models import Course

    spec = importlib.util.spec_from_file_location(
        "make_import_samples", SAMPLES.parents[1] / "scripts" / "make_import_samples.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    import random

    script.write_attendance(tmp_path, random.Random(script.SEED + 1), timezone.localdate())
    trainer = User.objects.get(username="trainer")
    course = Course.objects.get(name=script.COURSE)
    content = (tmp_path / "attendance-grid.xlsx").read_bytes()
    imp = services.import_upload(
        by=trainer,
        kind="attendance",
        upload=SimpleUploadedFile("attendance-grid.xlsx", content),
        target=str(course.pk),
    )
    imp = dry_run(trainer, imp, dict(imp.mapping["columns"]))
    assert imp.status == Import.Status.CHECKED, imp.error
    assert (imp.rows_total, imp.rows_error) == (7, 0), list(
        imp.rows.filter(verdict=ImportRow.Verdict.ERROR).values_list("number", "errors")
    )
