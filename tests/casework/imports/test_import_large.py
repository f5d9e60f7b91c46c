"""50,000 rows (issue 18, bad input): the dry run runs in the task chunk by chunk, writing its progress
as it goes, within a memory bound. A cheap importer of its own (one text column, nothing saved by its
save) keeps the test quick: what is measured is the framework — reading the file, the chunks, the
savepoint per row, the verdicts — not an app's services (bench/importing.py measures those)."""

from __future__ import annotations

import gc
import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bench.fresh import PeakSampler, rss_bytes
from casework.models import Import, ImportRow
from casework.roles import Role
from casework.services import import_runs
from casework.services import imports as services
from casework.services.importers import (
    _IMPORTERS,
    CREATE,
    SKIP,
    Importer,
    ImportField,
    Saved,
    register_importer,
)

pytestmark = pytest.mark.django_db

ROWS = 50_000
# The process's resident memory at its peak during the dry run, minus before (sampled every 50 ms, as
# bench/exports.py measures exports; tracemalloc's peak was 8.4 MB but it slows the run 2.5 times).
# Measured 2 MB on SQLite (11 s), 1 MB on PostgreSQL (21 s); the bound leaves room for a noisy sampler.
MEMORY_BOUND_MB = 150


def _parse(*, context, row):
    code = row.values["code"].text() if "code" in row.values else ""
    if not code.startswith("R"):
        row.error("code", "A code starts with R.")
    row.data = {"code": code, "_label": code}
    row.key = code or None


LINES = Importer(
    kind="test-lines",
    label="Lines",
    description="One code a row, for the large-file test",
    fields=(ImportField("code", "Code", aliases=("コード",), required=True), ImportField("note", "Note")),
    may_import=lambda user: user.has_role(Role.SUPERVISOR, Role.ADMINISTRATOR),
    prepare=lambda *, by, target, mapping: None,
    parse=_parse,
    find_duplicates=lambda *, context, rows: None,
    save=lambda *, by, context, row, decision, candidate: Saved(),
    decisions=(SKIP, CREATE),
)


@pytest.fixture(autouse=True)
def lines_importer():
    register_importer(LINES)
    yield
    _IMPORTERS.pop(LINES.kind, None)


def test_a_50000_row_dry_run_runs_in_chunks_with_progress_within_the_memory_bound(supervisor):
    body = "".join(f"R{number:06d},備考{number % 97}\n" for number in range(ROWS - 2))
    text = "コード,備考\n" + body + "X1,bad\nR000007,again\n"  # one error, one repeated row
    imp = services.import_upload(
        by=supervisor, kind=LINES.kind, upload=SimpleUploadedFile("lines.csv", text.encode("utf-8"))
    )
    services.import_map(by=supervisor, imp=imp, columns={"code": "コード", "note": "備考"})
    with mock.patch("casework.queue._task"):  # queued; the task body runs below, measured
        services.import_check_start(by=supervisor, imp=imp)

    progress: list[int] = []
    real_chunk = import_runs._check_chunk

    def recorded_chunk(imp_, importer, context, chunk, seen):
        # What the progress bar reads before each chunk: the rows done so far, as written by the task.
        progress.append(Import.objects.filter(pk=imp_.pk).values_list("rows_done", flat=True).get())
        return real_chunk(imp_, importer, context, chunk, seen)

    with mock.patch.object(import_runs, "_check_chunk", recorded_chunk):
        gc.collect()
        before = rss_bytes()
        started = time.perf_counter()
        with PeakSampler() as sampler:
            import_runs.check_import(imp.pk)
        seconds = time.perf_counter() - started
    growth = sampler.peak - before
    print(f"50,000-row dry run: {seconds:.1f} s, resident memory growth {growth / 2**20:.1f} MB")

    imp.refresh_from_db()
    assert imp.status == Import.Status.CHECKED, imp.error
    assert (imp.rows_total, imp.rows_done) == (ROWS, ROWS)
    assert (imp.rows_valid, imp.rows_error, imp.rows_duplicate) == (ROWS - 2, 1, 1)
    assert ImportRow.objects.filter(import_run=imp).count() == ROWS
    chunk = import_runs._chunk_rows()
    assert progress == list(range(0, ROWS, chunk))  # rows_done written after every chunk
    assert growth < MEMORY_BOUND_MB * 2**20, f"grew by {growth / 2**20:.1f} MB"
