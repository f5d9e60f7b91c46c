"""Exports: checking a request (table, format, filters), writing a small one at once, queueing a large
one (one at a time per user, table, format and filters), the background writer with its progress, the
access log of every export, and the removal of expired files."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import IO
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
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


def _write_file(export: Export, plan: ExportPlan, *, by, progress) -> int:
    with tempfile.TemporaryFile() as handle:
        header, rows_iter = plan.source.open(by, plan.params)
        if plan.format == "xlsx":
            rows = write_xlsx(handle, header, rows_iter, title=str(plan.source.title), progress=progress)
        else:
            rows = write_csv(handle, header, rows_iter, progress=progress)
        handle.seek(0)
        export.file.save(export.filename, File(handle), save=False)
    Export.objects.filter(pk=export.pk).update(
        file=export.file.name, rows_done=rows, row_count=rows, finished=timezone.now()
    )
    export.rows_done = export.row_count = rows
    return rows


def export_run(*, export_id: int) -> Export | None:
    """The background writer (reports.tasks.run_export): writes the file, updating the progress every
    EXPORT_PROGRESS_EVERY rows; safe to run twice (a finished or failed export is left alone)."""
    export = Export.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status in (Export.Status.DONE, Export.Status.FAILED):
        return export
    user = export.user
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, rows_done=0)
    try:
        plan = export_plan(by=user, table_key=export.table, fmt=export.format, params=export.filters)
        Export.objects.filter(pk=export.pk).update(rows_total=plan.count)

        def progress(done: int) -> None:
            Export.objects.filter(pk=export.pk).update(rows_done=done)

        rows = _write_file(export, plan, by=user, progress=progress)
    except (ValidationError, PermissionDenied) as error:
        # The user's roles or the filters' choices changed since the request: said on the page.
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED,
            error=_("The export could not be written: %(error)s") % {"error": error},
        )
        export.refresh_from_db()
        return export
    except Exception:
        logger.exception("Export %s failed", export.pk)
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED, error=_("The export failed. Please try again.")
        )
        raise
    Export.objects.filter(pk=export.pk).update(status=Export.Status.DONE)
    export_log(by=user, plan=plan, row_count=rows, through="task", export=export)
    export.refresh_from_db()
    return export


def exports_delete_expired(*, now=None) -> int:
    """Remove the files of expired exports (the rows stay, without a file: the access log names them)."""
    now = now or timezone.now()
    removed = 0
    for export in Export.objects.filter(expires_at__lte=now).exclude(file="").iterator(chunk_size=500):
        export.file.delete(save=False)
        Export.objects.filter(pk=export.pk).update(file="")
        removed += 1
    return removed
