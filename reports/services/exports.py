"""Exports: checking a request (table, format, filters), writing a small one at once, queueing a large
one (one at a time per user, table, format and filters), the background writer with its progress, the
access log of every export, and the removal of expired files."""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.audit import log_access
from casework.models import AccessLogEntry
from casework.queue import enqueue_on_commit
from reports import rules
from reports.models import Export
from reports.selectors.tables import TableSource, as_querydict, table
from reports.services.spreadsheets import csv_chunks, write_csv, write_xlsx

logger = logging.getLogger(__name__)

RUN_TASK = "reports.tasks.run_export"


def sync_max_rows() -> int:
    return int(getattr(settings, "EXPORT_SYNC_MAX_ROWS", rules.EXPORT_SYNC_MAX_ROWS))


@dataclass(frozen=True)
class ExportPlan:
    """What an export request resolves to: the source, the format, the filters and the row count."""

    source: TableSource
    format: str
    params: QueryDict
    filters: dict[str, list[str]]
    count: int

    @property
    def small(self) -> bool:
        return self.count <= sync_max_rows()


def export_plan(*, by, table_key: str, fmt: str, params) -> ExportPlan:
    """Check an export request. Unknown table or format, or invalid filters: ValidationError naming the
    field; a table the user may not export (the list page's own roles): PermissionDenied."""
    source = table(str(table_key or ""))
    if source is None:
        raise ValidationError({"table": _("There is no table called “%(table)s”.") % {"table": table_key}})
    if not source.allowed(by):
        raise PermissionDenied
    if fmt not in rules.EXPORT_FORMATS:
        raise ValidationError({"format": _("Choose CSV or Excel (csv or xlsx).")})
    query = as_querydict(params)
    filters = source.filters_of(query)
    clean = as_querydict(filters)
    count = source.count(by, clean)  # raises ValidationError naming a bad filter
    return ExportPlan(source=source, format=fmt, params=clean, filters=filters, count=count)


def export_log(*, by, plan: ExportPlan, row_count: int, through: str, export: Export | None = None) -> None:
    log_access(
        actor=by,
        kind=AccessLogEntry.Kind.EXPORT,
        object_label=f"{plan.source.key}.{plan.format}",
        detail={
            "table": plan.source.key,
            "format": plan.format,
            "filters": plan.filters,
            "rows": row_count,
            "through": through,
            **({"export": export.pk} if export is not None else {}),
        },
    )


def export_csv_stream(*, by, plan: ExportPlan, through: str) -> Iterator[bytes]:
    """A small export as CSV pieces for a StreamingHttpResponse; logged before the first byte, with
    the row count the list shows."""
    export_log(by=by, plan=plan, row_count=plan.count, through=through)
    return csv_chunks(*plan.source.open(by, plan.params))


def export_xlsx_file(*, by, plan: ExportPlan, through: str) -> IO[bytes]:
    """A small export as an XLSX workbook in an anonymous temporary file (gone when closed), rewound
    for a FileResponse to stream; logged with its row count."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the FileResponse streams it, then closes it
    try:
        rows = write_xlsx(handle, *plan.source.open(by, plan.params), title=str(plan.source.title))
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    export_log(by=by, plan=plan, row_count=rows, through=through)
    return handle


def filters_key(filters: dict[str, list[str]]) -> str:
    return urlencode(sorted((name, value) for name, values in filters.items() for value in values))[:1000]


@dataclass(frozen=True)
class Queued:
    export: Export
    created: bool  # False: the same export was already queued or running (the second request)


def export_queue(*, by, plan: ExportPlan) -> Queued:
    """A large export as an Export row and a task, unless the same one (user, table, format, filters)
    is already queued or running: then that one, and no second task."""
    key = filters_key(plan.filters)
    same = Export.objects.filter(
        user=by,
        table=plan.source.key,
        format=plan.format,
        filters_key=key,
        status__in=[Export.Status.QUEUED, Export.Status.RUNNING],
    )
    existing = same.first()
    if existing is not None:
        return Queued(existing, False)
    now = timezone.now()
    try:
        with transaction.atomic():
            export = Export.objects.create(
                user=by,
                table=plan.source.key,
                format=plan.format,
                filters=plan.filters,
                filters_key=key,
                rows_total=plan.count,
                created=now,
                expires_at=now + timedelta(hours=rules.EXPORT_KEEP_HOURS),
            )
    except IntegrityError:
        # Asked twice at the same moment: the other request's row won the constraint.
        raced = same.first()
        if raced is None:
            raise
        return Queued(raced, False)
    enqueue_on_commit(RUN_TASK, [(export.pk,)])
    return Queued(export, True)


def export_write_now(*, by, plan: ExportPlan, through: str) -> Export:
    """A small export written at once into an Export (the API's 201: a download URL for 24 hours)."""
    now = timezone.now()
    export = Export.objects.create(
        user=by,
        table=plan.source.key,
        format=plan.format,
        filters=plan.filters,
        filters_key="",
        status=Export.Status.DONE,
        rows_total=plan.count,
        created=now,
        finished=now,
        expires_at=now + timedelta(hours=rules.EXPORT_KEEP_HOURS),
    )
    rows = _write_file(export, plan, by=by, progress=None)
    export_log(by=by, plan=plan, row_count=rows, through=through, export=export)
    return export


def _lease_seconds() -> int:
    return int(getattr(settings, "EXPORT_LEASE_SECONDS", rules.EXPORT_LEASE_SECONDS))


def _scratch_root() -> Path:
    return Path(getattr(settings, "EXPORT_SCRATCH_DIR", Path(tempfile.gettempdir()) / "tobira-exports"))


@contextlib.contextmanager
def _scratch(export_id: int) -> Iterator[Path]:
    """A folder of the export's own for the spreadsheet writer's temporary files, removed afterwards.

    openpyxl's write-only workbook keeps each sheet in a named temporary file (`openpyxl.*`, removed
    only when the workbook is saved or the process exits normally): a worker killed mid-way left them
    in /tmp, as large as the export. Here they go to EXPORT_SCRATCH_DIR/<id>, which failing the export
    removes. A worker process runs one task at a time, so the process-wide `tempfile.tempdir` is ours
    while the file is written.
    """
    folder = _scratch_root() / str(export_id)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


def _write_file(export: Export, plan: ExportPlan, *, by, progress) -> int:
    """The file written to an anonymous temporary file, then copied into the storage under a name
    recorded first: a worker lost during the copy leaves no file that no export names (failing the
    export deletes it). Only a DONE export's file is ever offered for download."""
    with tempfile.TemporaryFile() as handle:
        header, rows_iter = plan.source.open(by, plan.params)
        if plan.format == "xlsx":
            rows = write_xlsx(handle, header, rows_iter, title=str(plan.source.title), progress=progress)
        else:
            rows = write_csv(handle, header, rows_iter, progress=progress)
        handle.seek(0)
        storage = export.file.storage
        name = storage.get_available_name(export.file.field.generate_filename(export, export.filename))
        Export.objects.filter(pk=export.pk).update(file=name)
        export.file.name = storage.save(name, File(handle))
    Export.objects.filter(pk=export.pk).update(
        file=export.file.name, rows_done=rows, row_count=rows, finished=timezone.now()
    )
    export.rows_done = export.row_count = rows
    return rows


class _LeaseLost(Exception):
    """The export was failed while this worker wrote it (its lease had expired): stop, keep nothing."""


def _renew(export_id: int, done: int) -> None:
    """Progress: the rows written and the lease renewed, while the export is still this worker's."""
    renewed = Export.objects.filter(pk=export_id, status=Export.Status.RUNNING).update(
        rows_done=done, lease_until=timezone.now() + timedelta(seconds=_lease_seconds())
    )
    if not renewed:
        raise _LeaseLost(export_id)


def _remove_file(name: str, storage) -> None:
    if name:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete the file %s of a failed export", name)


def _fail_lost(export_id: int, *, only_expired: bool) -> bool:
    """Fail a running export whose worker was lost; its file (if the copy had begun) and its scratch
    folder removed. False when it is no longer running (or, `only_expired`, its lease still runs)."""
    with transaction.atomic():
        running = Export.objects.select_for_update().filter(pk=export_id, status=Export.Status.RUNNING)
        if only_expired:
            running = running.filter(_lease_expired(timezone.now()))
        export = running.first()
        if export is None:
            return False
        name = export.file.name
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED,
            error=_("The export stopped before it finished (its worker was lost). Please ask for it again."),
            lease_until=None,
            finished=timezone.now(),
            file="",
        )
    _remove_file(name, export.file.storage)
    shutil.rmtree(_scratch_root() / str(export_id), ignore_errors=True)
    return True


def _fail_never_started(now) -> int:
    """Fail the exports queued for longer than EXPORT_QUEUE_SECONDS: their message was lost (a broker
    emptied or restarted without its data), and one at a time, each kept its maker from asking again.
    Each in its maker's language; only while still queued (a worker that starts one meanwhile wins: the
    conditional update waits for its lock and then no longer matches). Nothing was written yet."""
    seconds = int(getattr(settings, "EXPORT_QUEUE_SECONDS", rules.EXPORT_QUEUE_SECONDS))
    waiting = Export.objects.filter(status=Export.Status.QUEUED, created__lt=now - timedelta(seconds=seconds))
    by_language: dict[str, list[int]] = {}
    for pk, language in waiting.values_list("pk", "user__language"):
        by_language.setdefault(language or settings.LANGUAGE_CODE, []).append(pk)
    failed = 0
    for language, pks in by_language.items():  # one UPDATE a language, not one an export
        with translation.override(language):
            error = str(_("The export did not start (no worker took it). Please ask for it again."))
        failed += Export.objects.filter(pk__in=pks, status=Export.Status.QUEUED).update(
            status=Export.Status.FAILED, error=error, finished=now
        )
    return failed


def _lease_expired(now) -> Q:
    # Without a lease: running since before leases existed (issue 19), for longer than one lease.
    return Q(lease_until__lt=now) | Q(
        lease_until__isnull=True, created__lt=now - timedelta(seconds=_lease_seconds())
    )


def export_run(*, export_id: int) -> Export | None:
    """The background writer (reports.tasks.run_export): writes the file, updating the progress and
    renewing its lease every EXPORT_PROGRESS_EVERY rows; safe to run twice (a finished or failed export
    is left alone). Delivered again while its export runs — the worker that ran it was lost (acks_late,
    reject_on_worker_lost) — it fails the export instead of writing it again: an export that kills its
    worker would otherwise be delivered and kill it for ever."""
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None or export.status in (Export.Status.DONE, Export.Status.FAILED):
            return export
        lost = export.status == Export.Status.RUNNING
        if not lost:
            Export.objects.filter(pk=export.pk).update(
                status=Export.Status.RUNNING,
                rows_done=0,
                lease_until=timezone.now() + timedelta(seconds=_lease_seconds()),
            )
    if lost:
        _fail_lost(export.pk, only_expired=False)
        export.refresh_from_db()
        return export
    user = export.user
    try:
        plan = export_plan(by=user, table_key=export.table, fmt=export.format, params=export.filters)
        Export.objects.filter(pk=export.pk).update(rows_total=plan.count)
        with _scratch(export.pk):
            rows = _write_file(export, plan, by=user, progress=lambda done: _renew(export.pk, done))
    except _LeaseLost:
        # Failed meanwhile (expire_exports) before the file reached the storage: the failure stands.
        export.refresh_from_db()
        return export
    except (ValidationError, PermissionDenied) as error:
        # The user's roles or the filters' choices changed since the request: said on the page.
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED,
            lease_until=None,
            error=_("The export could not be written: %(error)s") % {"error": error},
        )
        export.refresh_from_db()
        return export
    except Exception:
        logger.exception("Export %s failed", export.pk)
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED, lease_until=None, error=_("The export failed. Please try again.")
        )
        raise
    finished = Export.objects.filter(pk=export.pk, status=Export.Status.RUNNING).update(
        status=Export.Status.DONE, lease_until=None
    )
    if not finished:  # failed between its last progress and now: its file goes
        _remove_file(export.file.name, export.file.storage)
        Export.objects.filter(pk=export.pk).update(file="")
        export.refresh_from_db()
        return export
    export_log(by=user, plan=plan, row_count=rows, through="task", export=export)
    export.refresh_from_db()
    return export


def exports_expire(*, now=None) -> int:
    """Every five minutes (reports.tasks.expire_exports): fail the running exports whose worker stopped
    renewing the lease, removing what they had written, and the queued ones no worker took within
    EXPORT_QUEUE_SECONDS; and remove the scratch folders of exports no longer running (a worker killed
    after its export was failed elsewhere)."""
    now = now or timezone.now()
    stale = Export.objects.filter(status=Export.Status.RUNNING).filter(_lease_expired(now))
    failed = sum(_fail_lost(pk, only_expired=True) for pk in stale.values_list("pk", flat=True))
    failed += _fail_never_started(now)
    root = _scratch_root()
    if root.is_dir():
        folders = {int(path.name): path for path in root.iterdir() if path.is_dir() and path.name.isdigit()}
        running = set(
            Export.objects.filter(pk__in=folders, status=Export.Status.RUNNING).values_list("pk", flat=True)
        )
        for pk, path in folders.items():
            if pk not in running:
                shutil.rmtree(path, ignore_errors=True)
    return failed


def exports_delete_expired(*, now=None) -> int:
    """Remove the files of expired exports (the rows stay, without a file: the access log names them)."""
    now = now or timezone.now()
    removed = 0
    for export in Export.objects.filter(expires_at__lte=now).exclude(file="").iterator(chunk_size=500):
        export.file.delete(save=False)
        Export.objects.filter(pk=export.pk).update(file="")
        removed += 1
    return removed
