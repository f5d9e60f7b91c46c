"""No flood of reminders (issue 18): 1,000 applicants with periods whose reminders are due, imported
through the framework (upload → mapping → dry run → import), fire nothing row by row; the one sweep the
import queues after it commits leaves at most one live reminder per deadline."""

from __future__ import annotations

from collections import Counter
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.test import TestCase
from django.utils import timezone

from bench import import_data
from casework import queue
from casework.models import Applicant, ChangeRecord, Import, LegalStatusPeriod, Reminder
from casework.models.reminders import ON_RECORD
from casework.services import imports as services
from casework.services.legal import _starts_on_record

pytestmark = pytest.mark.django_db

ROWS = 1_000


def test_an_import_of_1000_periods_fires_no_reminder_row_by_row_and_one_sweep_after(supervisor, team):
    today = timezone.localdate()
    upload = SimpleUploadedFile(
        "在留者一覧.csv", import_data.csv_bytes(ROWS, today=today), content_type="text/csv"
    )
    real_task = queue._task
    sent: list[tuple[str, tuple]] = []

    class Recorded:
        """The task, its messages recorded; the import's own tasks run (eagerly), the rest wait."""

        def __init__(self, name):
            self.name = name

        def delay(self, *args):
            sent.append((self.name, args))
            if self.name in ("casework.tasks.check_import", "casework.tasks.run_import"):
                real_task(self.name).delay(*args)

    with mock.patch("casework.queue._task", Recorded):
        imp = services.import_upload(by=supervisor, kind="applicants", upload=upload, target=str(team.pk))
        assert imp.mapping["columns"] == import_data.COLUMNS  # proposed from the Japanese headers
        services.import_map(
            by=supervisor, imp=imp, columns=import_data.COLUMNS, statuses=import_data.STATUSES
        )
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.import_check_start(by=supervisor, imp=imp)
        imp.refresh_from_db()
        assert imp.status == Import.Status.CHECKED, imp.error
        assert (imp.rows_total, imp.rows_valid, imp.rows_error, imp.rows_duplicate) == (ROWS, ROWS, 0, 0)
        assert not Reminder.objects.exists() and not Applicant.objects.exists()
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.import_start(by=supervisor, imp=imp, mode=Import.Mode.ALL_OR_NOTHING)
    imp.refresh_from_db()
    assert imp.status == Import.Status.DONE, imp.error
    assert imp.created_count == ROWS

    periods = LegalStatusPeriod.objects.filter(applicant__team=team)
    assert periods.count() == ROWS
    on_record = [period for period in periods if _starts_on_record(period)]
    assert len(on_record) >= ROWS // 3  # the short stays: their ladder starts "on record"
    # Nothing row by row: no evaluation queued, no reminder made while the rows were saved.
    names = Counter(name for name, _args in sent)
    assert names == {
        "casework.tasks.check_import": 1,
        "casework.tasks.run_import": 1,
        "casework.tasks.sweep_reminders": 1,
    }, names
    assert not Reminder.objects.exists()
    assert [name for name, _args in sent][-1] == "casework.tasks.sweep_reminders"

    # The one sweep the import queued (delivery included, as the worker would run it).
    sweep_args = next(args for name, args in sent if name == "casework.tasks.sweep_reminders")
    real_task("casework.tasks.sweep_reminders").delay(*sweep_args)

    live = Reminder.objects.filter(state=Reminder.State.LIVE)
    per_deadline = (
        live.values("source_kind", "source_id", "deadline_date").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert not per_deadline.exists(), list(per_deadline[:5])
    deadlines = live.values_list("source_kind", "source_id", "deadline_date").distinct().count()
    assert deadlines == live.count() >= ROWS // 2  # every period's deadline is reminded of, once
    # Older due offsets were recorded as skipped, never delivered: no stale flood.
    assert Reminder.objects.filter(state=Reminder.State.SKIPPED, delivered_at__isnull=False).count() == 0
    # No "on record" reminder at all: an imported period was not entered today (from_import).
    assert not Reminder.objects.filter(offset=ON_RECORD).exists()
    assert all(period.from_import for period in periods)

    # Every record the import made says where it came from.
    records = ChangeRecord.objects.filter(source=imp.source)
    assert imp.source == f"import:{imp.pk}"
    assert records.filter(model="casework.applicant", action="create").count() == ROWS
    assert records.filter(model="casework.legalstatusperiod", action="create").count() == ROWS
    assert not ChangeRecord.objects.exclude(source=imp.source).filter(model="casework.applicant").exists()
