"""A background export whose worker is lost (issue 19): delivered again while it runs, or its lease
expired (the periodic `expire_exports`), it is failed — never written a second time, never stuck
"running" (which also kept its maker from asking for it again) — and nothing of it stays: no file in
the storage, no temporary file of the spreadsheet writer. The real worker, killed, is in
tests/faults/test_export_killed.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from reports.models import Export
from reports.services import exports as services
from reports.services import spreadsheets
from tests.casework.applicant_factories import bulk_applicants

pytestmark = pytest.mark.django_db

LOST = "worker was lost"


@pytest.fixture
def scratch(settings, tmp_path) -> Path:
    settings.EXPORT_SCRATCH_DIR = str(tmp_path / "scratch")
    settings.EXPORT_SYNC_MAX_ROWS = 3
    return tmp_path / "scratch"


@pytest.fixture
def queued(caseworker, team, scratch) -> Export:
    bulk_applicants(7, team=team, caseworker=caseworker)
    plan = services.export_plan(by=caseworker, table_key="applicants", fmt="xlsx", params={})
    from unittest import mock

    with mock.patch("reports.services.exports.enqueue_on_commit"):
        export = services.export_queue(by=caseworker, plan=plan).export
    assert export.status == Export.Status.QUEUED
    return export


def stored_exports() -> list[Path]:
    root = Path(storages["documents"].location) / "exports"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def assert_failed_and_gone(client_for, export: Export, before: list[Path], scratch: Path) -> None:
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED, (export.status, export.error)
    assert LOST in export.error
    assert export.file.name == "" and export.lease_until is None
    assert stored_exports() == before, "a file of the failed export stayed in the storage"
    assert not scratch.exists() or not any(scratch.iterdir()), list(scratch.rglob("*"))
    assert not Export.objects.downloadable().filter(pk=export.pk).exists()
    client = client_for(export.user)
    page = client.get(reverse("reports:export_detail", args=[export.pk])).content.decode()
    assert LOST in page and reverse("reports:export_download", args=[export.pk]) not in page
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 404
    api = client.get(f"/api/v1/exports/{export.pk}/").json()
    assert (api["status"], api["download_url"]) == ("failed", None) and LOST in api["error"]


def test_a_running_export_delivered_again_is_failed_not_written_twice(client_for, queued, scratch):
    """reject_on_worker_lost delivers the task again after its pool process died: the export it finds
    running is the lost one (as an import). Before: it was written from the start again — an export that
    kills its worker (memory) was redelivered and killed the worker for ever."""
    from reports.tasks import run_export

    before = stored_exports()
    Export.objects.filter(pk=queued.pk).update(
        status=Export.Status.RUNNING, rows_done=2, lease_until=timezone.now() + timedelta(minutes=4)
    )
    (scratch / str(queued.pk)).mkdir(parents=True)
    (scratch / str(queued.pk) / "openpyxl.half.xml").write_text("<row/>")  # what the dead writer left
    run_export(queued.pk)
    assert_failed_and_gone(client_for, queued, before, scratch)


def test_a_running_export_whose_lease_expired_is_failed_by_the_periodic_task(client_for, queued, scratch):
    from reports.tasks import expire_exports

    before = stored_exports()
    Export.objects.filter(pk=queued.pk).update(
        status=Export.Status.RUNNING, lease_until=timezone.now() + timedelta(seconds=30)
    )
    assert expire_exports() == 0  # its lease still runs
    Export.objects.filter(pk=queued.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    (scratch / str(queued.pk)).mkdir(parents=True)
    (scratch / str(queued.pk) / "openpyxl.half.xml").write_text("<row/>")
    assert expire_exports() == 1
    assert_failed_and_gone(client_for, queued, before, scratch)
    # Failed, it no longer blocks its maker from asking for the same export again.
    plan = services.export_plan(by=queued.user, table_key="applicants", fmt="xlsx", params={})
    from unittest import mock

    with mock.patch("reports.services.exports.enqueue_on_commit"):
        assert services.export_queue(by=queued.user, plan=plan).created


def test_the_periodic_task_is_scheduled():
    entry = django_settings.CELERY_BEAT_SCHEDULE["expired-export-leases"]
    assert entry["task"] == "reports.tasks.expire_exports"
    assert entry["schedule"] <= 300


def test_every_progress_renews_the_lease_and_a_finished_export_holds_none(queued, scratch, monkeypatch):
    monkeypatch.setattr(spreadsheets, "EXPORT_PROGRESS_EVERY", 2)
    leases = []
    real = services._renew

    def spy(export_id: int, done: int) -> None:
        real(export_id, done)
        leases.append(Export.objects.values_list("lease_until", flat=True).get(pk=export_id))

    monkeypatch.setattr(services, "_renew", spy)
    services.export_run(export_id=queued.pk)
    queued.refresh_from_db()
    assert queued.status == Export.Status.DONE and queued.lease_until is None
    assert len(leases) == 3 and all(lease > timezone.now() for lease in leases)
    assert not any(scratch.iterdir()), "the spreadsheet writer's temporary files stayed"


def test_a_writer_whose_export_was_failed_meanwhile_stops_and_keeps_nothing(
    client_for, queued, scratch, monkeypatch
):
    """The lease expired while the worker was only slow: the export is failed; when the writer comes
    back it stops at its next progress and leaves the failure as it is, with no file."""
    monkeypatch.setattr(spreadsheets, "EXPORT_PROGRESS_EVERY", 2)
    before = stored_exports()
    real = services._renew

    def expired_meanwhile(export_id: int, done: int) -> None:
        Export.objects.filter(pk=export_id).update(lease_until=timezone.now() - timedelta(seconds=1))
        assert services.exports_expire() == 1
        real(export_id, done)

    monkeypatch.setattr(services, "_renew", expired_meanwhile)
    services.export_run(export_id=queued.pk)
    assert_failed_and_gone(client_for, queued, before, scratch)


def test_expiry_removes_the_scratch_of_exports_no_longer_running(queued, scratch):
    """A worker killed after its export was failed elsewhere leaves a scratch directory nobody fails."""
    Export.objects.filter(pk=queued.pk).update(status=Export.Status.FAILED)
    (scratch / str(queued.pk)).mkdir(parents=True)
    (scratch / str(queued.pk) / "openpyxl.half.xml").write_text("<row/>")
    (scratch / "not-an-export").mkdir()
    assert services.exports_expire() == 0
    assert sorted(path.name for path in scratch.iterdir()) == ["not-an-export"]


def test_a_spreadsheet_given_up_mid_way_leaves_no_temporary_file(tmp_path, monkeypatch):
    """Before: openpyxl's sheet file stayed in the temporary folder until the worker process exited."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(spreadsheets, "EXPORT_PROGRESS_EVERY", 2)

    def stop(done: int) -> None:
        raise RuntimeError("stop")

    import io

    with pytest.raises(RuntimeError):
        spreadsheets.write_xlsx(io.BytesIO(), ["a"], [[i] for i in range(5)], progress=stop)
    assert list(tmp_path.iterdir()) == []


def test_a_queued_export_no_worker_took_is_failed_in_its_makers_language_and_can_be_asked_again(
    client_for, queued, settings
):
    """Its message lost before any worker took it (a broker emptied, a queue purged), an export stayed
    "queued" for ever — and, one at a time, its maker could never ask for the same export again. Queued
    for longer than EXPORT_QUEUE_SECONDS, the periodic task fails it, in its maker's language."""
    from reports.tasks import expire_exports

    settings.EXPORT_QUEUE_SECONDS = 600
    queued.user.language = "ja"
    queued.user.save(update_fields=["language"])
    Export.objects.filter(pk=queued.pk).update(created=timezone.now() - timedelta(seconds=590))
    assert expire_exports() == 0  # queued, but not for long: a busy worker takes it soon
    queued.refresh_from_db()
    assert queued.status == Export.Status.QUEUED

    Export.objects.filter(pk=queued.pk).update(created=timezone.now() - timedelta(seconds=610))
    assert expire_exports() == 1
    queued.refresh_from_db()
    assert queued.status == Export.Status.FAILED and queued.finished is not None
    assert (
        queued.error
        == "エクスポートは開始されませんでした（処理するワーカーがありませんでした）。もう一度エクスポートしてください。"
    )
    assert expire_exports() == 0  # once
    # The message arrives after all: the failure stands, nothing is written.
    assert services.export_run(export_id=queued.pk).status == Export.Status.FAILED
    assert queued.file.name == ""
    client = client_for(queued.user)
    api = client.get(f"/api/v1/exports/{queued.pk}/").json()
    assert api["status"] == "failed" and api["error"] == queued.error
    plan = services.export_plan(by=queued.user, table_key="applicants", fmt="xlsx", params={})
    from unittest import mock

    with mock.patch("reports.services.exports.enqueue_on_commit"):
        assert services.export_queue(by=queued.user, plan=plan).created


def test_a_queued_export_a_worker_starts_meanwhile_is_not_failed(queued, settings):
    settings.EXPORT_QUEUE_SECONDS = 600
    Export.objects.filter(pk=queued.pk).update(
        created=timezone.now() - timedelta(seconds=700),
        status=Export.Status.RUNNING,
        lease_until=timezone.now() + timedelta(seconds=200),
    )
    assert services.exports_expire() == 0
    queued.refresh_from_db()
    assert queued.status == Export.Status.RUNNING
