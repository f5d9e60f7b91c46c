"""The import framework's background work (issue 18): the dry run, the import, the lease and the undo.

- **Dry run**: every row parsed (`Importer.parse`), checked against the file's earlier rows (`row.key`)
  and the database (`Importer.find_duplicates`), then saved through the app's services inside a
  transaction that is rolled back — a savepoint per row, so each row's errors are its own. Its verdict
  on every row is kept (`ImportRow`); nothing else is.
- **Import**: the file read again, each row saved or skipped as the dry run and the user's decisions
  say, in chunks of `CHUNK` rows, each chunk one transaction that also records what it created (for
  the undo) and the progress. The import holds a lease renewed by every chunk; when all or nothing
  meets a failing row, or the worker is lost (the lease expires, or the task is delivered again), what
  the committed chunks saved is removed again: the import is undone as a whole.
- Per-record work is held back while rows are saved (`casework.queue.held`): no "on record" reminder
  or urgent evaluation per row; one sweep runs after the import commits. Every change recorded says
  it came from the import (`casework.audit.change_source`).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import tempfile
from collections.abc import Iterator
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import queue, sheets
from casework.audit import change_source, log_access, record_change, record_deletions, snapshot
from casework.models import AccessLogEntry, ChangeRecord, Import, ImportRow, User
from casework.services.importers import (
    CREATE,
    SKIP,
    UPDATE,
    Candidate,
    Importer,
    ParsedRow,
    Saved,
    importer_for,
)

logger = logging.getLogger(__name__)

CHUNK = 500


def _chunk_rows() -> int:
    """Rows per chunk: settings.IMPORT_CHUNK_ROWS when set (the worker tests make chunks small), else CHUNK."""
    return int(getattr(settings, "IMPORT_CHUNK_ROWS", CHUNK))


@contextlib.contextmanager
def local_copy(imp: Import) -> Iterator[str]:
    """The stored file as a local path (the readers need one), removed afterwards."""
    handle, path = tempfile.mkstemp(prefix="tobira-import-")
    try:
        with os.fdopen(handle, "wb") as out, imp.file.open("rb") as stored:
            for chunk in iter(lambda: stored.read(1024 * 1024), b""):
                out.write(chunk)
        yield path
    finally:
        os.unlink(path)


def file_info(imp: Import) -> sheets.FileInfo:
    return sheets.FileInfo(
        format="xlsx" if imp.file_format == "xlsx" else "csv",
        encoding=imp.encoding,
        sheets=tuple(
            sheets.SheetInfo(name=s["name"], hidden=s["hidden"], rows=s.get("rows")) for s in imp.sheets
        ),
    )


def _lease_seconds() -> int:
    return int(getattr(settings, "IMPORT_LEASE_SECONDS", 300))


def _rows(imp: Import, path: str, importer: Importer) -> Iterator[ParsedRow]:
    """The file's data rows as ParsedRows: mapped fields by key, other columns (grid importers) by header."""
    headers, data = sheets.split_header(sheets.read_rows(path, file_info(imp), imp.sheet))
    columns = imp.mapping.get("columns", {})
    index = {header: position for position, header in enumerate(headers)}
    fields = {key: index[header] for key, header in columns.items() if header in index}
    mapped = set(fields.values())
    empty = sheets.Cell(None)
    for number, row in data:
        values = {key: row[position] if position < len(row) else empty for key, position in fields.items()}
        extra = {}
        if importer.grid:
            extra = {
                header: row[position] if position < len(row) else empty
                for header, position in index.items()
                if position not in mapped
            }
        notes = [cell.note for cell in row if cell.note]
        yield ParsedRow(number=number, values=values, extra=extra, notes=notes)


def _column_of(imp: Import, importer: Importer, key: str) -> str:
    """The file's column a field (or a service's field) came from; "" for the row as a whole."""
    key = importer.field_map.get(key, key)
    columns = imp.mapping.get("columns", {})
    if key in columns:
        return columns[key]
    if key in imp.headers:
        return key
    field = next((field for field in importer.fields if field.key == key), None)
    return str(field.label) if field is not None else ""  # a field the file does not have: its name


def _error_pairs(exc: ValidationError) -> list[tuple[str, str]]:
    """A service's errors as (its field, message) pairs; `_column_of` names the column later."""
    if hasattr(exc, "error_dict"):
        return [
            ("" if key == "__all__" else key, message)
            for key, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in exc.messages]


def _errors_by_column(imp: Import, importer: Importer, errors) -> list[list[str]]:
    return [[_column_of(imp, importer, key), str(message)] for key, message in errors]


def _save(imp: Import, importer: Importer, *, by: User, context, row: ParsedRow, decision: str, candidate):
    """One row through the importer's save in a savepoint; its errors as (column, message) pairs."""
    try:
        with transaction.atomic():
            return importer.save(by=by, context=context, row=row, decision=decision, candidate=candidate), []
    except ValidationError as exc:
        return None, _error_pairs(exc)
    except PermissionDenied:
        return None, [("", _("You may not change this record."))]


def _prepare(imp: Import, importer: Importer):
    return importer.prepare(by=imp.created_by, target=imp.target, mapping=imp.mapping)


def _label(importer: Importer, row: ParsedRow) -> str:
    """Who or what the row is about, for the tables: the importer's label, else its first two values."""
    if row.data.get("_label"):
        return str(row.data["_label"])[:200]
    texts = [row.values[field.key].text() for field in importer.fields if field.key in row.values]
    return " ".join([text for text in texts if text][:2])[:200]


# --- The dry run -----------------------------------------------------------------------------------


def _check_chunk(
    imp: Import, importer: Importer, context, chunk: list[ParsedRow], seen: dict
) -> list[ImportRow]:
    for row in chunk:
        importer.parse(context=context, row=row)
    clean = [row for row in chunk if not row.errors]
    same_as: dict[int, int] = {}
    for row in clean:
        if row.key is None:
            continue
        if row.key in seen:
            same_as[row.number] = seen[row.key]
        else:
            seen[row.key] = row.number
    if clean:
        importer.find_duplicates(context=context, rows=clean)
    new = [row for row in clean if not row.candidates and row.number not in same_as]
    if importer.check is not None:  # the services' own checks, nothing saved
        importer.check(by=imp.created_by, context=context, rows=new)
        new = []
    # The services decide: each clean, new row saved in a savepoint of a transaction rolled back.
    with transaction.atomic(), queue.held(), change_source(imp.source):
        for row in new:
            _saved, errors = _save(
                imp, importer, by=imp.created_by, context=context, row=row, decision=CREATE, candidate=None
            )
            row.errors.extend(errors)
        transaction.set_rollback(True)
    result = []
    default = importer.decisions[0]
    for row in chunk:
        duplicate = not row.errors and (row.candidates or row.number in same_as)
        result.append(
            ImportRow(
                import_run=imp,
                number=row.number,
                verdict=ImportRow.Verdict.ERROR
                if row.errors
                else (ImportRow.Verdict.DUPLICATE if duplicate else ImportRow.Verdict.VALID),
                label=_label(importer, row),
                errors=_errors_by_column(imp, importer, row.errors),
                notes=row.notes[:10],
                candidates=[{"pk": c.pk, "label": c.label} for c in row.candidates[:5]],
                same_as_row=same_as.get(row.number),
                decision=default if duplicate else "",
            )
        )
    return result


def check_import(import_id: int) -> None:
    """The dry run (task body): every row's verdict, nothing saved; safe to run twice."""
    imp = (
        Import.objects.select_related("created_by")
        .filter(pk=import_id, status=Import.Status.CHECKING)
        .first()
    )
    if imp is None:
        return
    importer = importer_for(imp.kind)
    try:
        if importer is None:
            raise ValidationError(_("This kind of import is no longer available."))
        ImportRow.objects.filter(import_run=imp).delete()
        context = _prepare(imp, importer)
        seen: dict = {}
        counts: dict[str, int] = {
            ImportRow.Verdict.VALID: 0,
            ImportRow.Verdict.ERROR: 0,
            ImportRow.Verdict.DUPLICATE: 0,
        }
        done = 0
        with local_copy(imp) as path:
            rows = _rows(imp, path, importer)
            while chunk := list(itertools.islice(rows, _chunk_rows())):
                verdicts = _check_chunk(imp, importer, context, chunk, seen)
                ImportRow.objects.bulk_create(verdicts)
                for verdict in verdicts:
                    counts[verdict.verdict] += 1
                done += len(chunk)
                Import.objects.filter(pk=imp.pk).update(rows_done=done, rows_total=max(done, imp.rows_total))
        Import.objects.filter(pk=imp.pk).update(
            status=Import.Status.CHECKED,
            rows_total=done,
            rows_done=done,
            rows_valid=counts[ImportRow.Verdict.VALID],
            rows_error=counts[ImportRow.Verdict.ERROR],
            rows_duplicate=counts[ImportRow.Verdict.DUPLICATE],
            checked_at=timezone.now(),
            error="",
        )
    except (ValidationError, PermissionDenied) as exc:
        message = (
            "; ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else _("You may not import into this.")
        )
        Import.objects.filter(pk=imp.pk).update(status=Import.Status.FAILED, error=message)
    except Exception:
        logger.exception("Dry run of import %s failed", import_id)
        Import.objects.filter(pk=imp.pk).update(
            status=Import.Status.FAILED, error=_("The dry run stopped because of an error in Tobira.")
        )
        raise


# --- The import ------------------------------------------------------------------------------------


class _AllOrNothing(Exception):
    def __init__(self, number: int, errors: list[list[str]]):
        super().__init__(number)
        self.number = number
        self.errors = errors


def _candidate(importer: Importer, stored: ImportRow) -> Candidate | None:
    if stored.candidates:
        first = stored.candidates[0]
        return Candidate(pk=first["pk"], label=first["label"])
    return None


def _run_chunk(imp: Import, importer: Importer, context, chunk: list[ParsedRow], counts: dict) -> None:
    stored = {row.number: row for row in imp.rows.filter(number__in=[row.number for row in chunk])}
    changed: list[ImportRow] = []
    creating: list[tuple[ParsedRow, ImportRow]] = []
    for row in chunk:
        verdict = stored.get(row.number)
        if verdict is None:  # the file changed under the import: it cannot be trusted
            raise ValidationError(_("Row %(row)s was not in the dry run.") % {"row": row.number})
        importer.parse(context=context, row=row)
        decision = CREATE
        if verdict.verdict == ImportRow.Verdict.ERROR or row.errors:
            if imp.mode == Import.Mode.ALL_OR_NOTHING:
                raise _AllOrNothing(
                    row.number, _errors_by_column(imp, importer, row.errors) or verdict.errors
                )
            verdict.outcome = ImportRow.Outcome.FAILED
            counts["failed"] += 1
            changed.append(verdict)
            continue
        if verdict.verdict == ImportRow.Verdict.DUPLICATE:
            decision = verdict.decision or importer.decisions[0]
            if decision == SKIP:
                verdict.outcome = ImportRow.Outcome.SKIPPED
                counts["skipped"] += 1
                changed.append(verdict)
                continue
        if decision == CREATE and importer.save_new is not None:
            creating.append((row, verdict))
            continue
        candidate = _candidate(importer, verdict) if decision == UPDATE else None
        saved, errors = _save(
            imp, importer, by=imp.created_by, context=context, row=row, decision=decision, candidate=candidate
        )
        if errors or saved is None:
            if imp.mode == Import.Mode.ALL_OR_NOTHING:
                raise _AllOrNothing(row.number, _errors_by_column(imp, importer, errors))
            verdict.outcome = ImportRow.Outcome.FAILED
            verdict.errors = _errors_by_column(imp, importer, errors)
            counts["failed"] += 1
            changed.append(verdict)
            continue
        _saved(verdict, saved, counts)
        changed.append(verdict)
    if creating:
        changed.extend(_create_together(imp, importer, context, creating, counts))
    ImportRow.objects.bulk_update(changed, ["outcome", "errors", "records", "before"])


def _saved(verdict: ImportRow, saved: Saved, counts: dict) -> None:
    verdict.records = [[instance._meta.label_lower, instance.pk] for instance in saved.created]
    verdict.before = [[instance._meta.label_lower, instance.pk, before] for instance, before in saved.updated]
    if saved.created:
        verdict.outcome = ImportRow.Outcome.CREATED
        counts["created"] += 1
    else:
        verdict.outcome = ImportRow.Outcome.UPDATED
        counts["updated"] += 1


def _create_together(imp: Import, importer: Importer, context, creating, counts: dict) -> list[ImportRow]:
    """The chunk's new rows through the importer's bulk path; if it refuses, one by one (own errors)."""
    assert importer.save_new is not None
    try:
        with transaction.atomic():
            results = importer.save_new(
                by=imp.created_by, context=context, rows=[row for row, _v in creating]
            )
    except (ValidationError, PermissionDenied):
        results = None
    done = []
    for row, verdict in creating:
        if results is not None and row.number in results:
            saved, errors = results[row.number], []
        else:
            saved, errors = _save(
                imp, importer, by=imp.created_by, context=context, row=row, decision=CREATE, candidate=None
            )
        if errors or saved is None:
            if imp.mode == Import.Mode.ALL_OR_NOTHING:
                raise _AllOrNothing(row.number, _errors_by_column(imp, importer, errors))
            verdict.outcome = ImportRow.Outcome.FAILED
            verdict.errors = _errors_by_column(imp, importer, errors)
            counts["failed"] += 1
        else:
            _saved(verdict, saved, counts)
        done.append(verdict)
    return done


def _fail(imp: Import, message: str) -> None:
    """Remove what the committed chunks saved, then mark the import failed (one transaction)."""
    with transaction.atomic():
        locked = Import.objects.select_for_update().get(pk=imp.pk)
        undo_records(locked, by=locked.created_by)
        locked.status = Import.Status.FAILED
        locked.error = message
        locked.lease_until = None
        locked.finished_at = timezone.now()
        locked.created_count = locked.updated_count = 0
        locked.save(
            update_fields=["status", "error", "lease_until", "finished_at", "created_count", "updated_count"]
        )


def run_import(import_id: int) -> None:
    """The import (task body). Delivered again after a lost worker, it removes what was saved and fails."""
    with transaction.atomic():
        imp = Import.objects.select_for_update().select_related("created_by").filter(pk=import_id).first()
        if imp is None:
            return
        if imp.status == Import.Status.IMPORTING:
            lost = True
        elif imp.status == Import.Status.QUEUED:
            lost = False
            imp.status = Import.Status.IMPORTING
            imp.started_at = timezone.now()
            imp.lease_until = timezone.now() + timedelta(seconds=_lease_seconds())
            imp.rows_done = 0
            imp.save(update_fields=["status", "started_at", "lease_until", "rows_done"])
        else:
            return
    if lost:
        _fail(imp, _("The import stopped before it finished (its worker was lost); nothing of it was kept."))
        return
    importer = importer_for(imp.kind)
    counts = {"created": 0, "updated": 0, "skipped": 0, "failed": 0}
    try:
        if importer is None:
            raise ValidationError(_("This kind of import is no longer available."))
        context = _prepare(imp, importer)
        done = 0
        with local_copy(imp) as path:
            rows = _rows(imp, path, importer)
            while chunk := list(itertools.islice(rows, _chunk_rows())):
                with transaction.atomic(), queue.held(), change_source(imp.source):
                    _run_chunk(imp, importer, context, chunk, counts)
                    done += len(chunk)
                    renewed = Import.objects.filter(pk=imp.pk, status=Import.Status.IMPORTING).update(
                        rows_done=done,
                        lease_until=timezone.now() + timedelta(seconds=_lease_seconds()),
                        created_count=counts["created"],
                        updated_count=counts["updated"],
                    )
                    if not renewed:  # the lease expired and the import was failed meanwhile
                        raise ValidationError(_("The import's lease expired."))
        with transaction.atomic():
            Import.objects.filter(pk=imp.pk).update(
                status=Import.Status.DONE,
                finished_at=timezone.now(),
                lease_until=None,
                rows_done=done,
                created_count=counts["created"],
                updated_count=counts["updated"],
                skipped_count=counts["skipped"],
                failed_count=counts["failed"],
            )
            log_access(
                actor=imp.created_by,
                kind=AccessLogEntry.Kind.IMPORT,
                object_label=imp.file_name,
                detail={"import": imp.pk, "kind": imp.kind, "sha256": imp.file_hash, **counts},
            )
            # One sweep for everything the import saved (the no-stale-flood rule applies there).
            queue.enqueue_on_commit("casework.tasks.sweep_reminders", [(None, False)])
    except _AllOrNothing as stop:
        message = _(
            "Row %(row)s could not be saved, so nothing was imported (all or nothing): %(errors)s"
        ) % {
            "row": stop.number,
            "errors": "; ".join(f"{column}: {text}" if column else text for column, text in stop.errors),
        }
        ImportRow.objects.filter(import_run=imp, number=stop.number).update(
            outcome=ImportRow.Outcome.FAILED, errors=stop.errors
        )
        _fail(imp, message)
    except (ValidationError, PermissionDenied) as exc:
        _fail(
            imp,
            "; ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else _("You may not import into this."),
        )
    except Exception:
        logger.exception("Import %s failed", import_id)
        _fail(imp, _("The import stopped because of an error in Tobira; nothing of it was kept."))
        raise


def expire_leases() -> int:
    """Fail the imports whose worker stopped renewing the lease, removing what they had saved."""
    now = timezone.now()
    stale = list(
        Import.objects.filter(status=Import.Status.IMPORTING, lease_until__lt=now).select_related(
            "created_by"
        )
    )
    for imp in stale:
        _fail(imp, _("The import stopped before it finished (its worker was lost); nothing of it was kept."))
    # A dry run whose worker was lost saved nothing: it is simply marked failed.
    lost_checks = Import.objects.filter(
        status=Import.Status.CHECKING,
        checked_at__isnull=True,
        created__lt=now - timedelta(seconds=_lease_seconds() * 12),
    ).update(status=Import.Status.FAILED, error=_("The dry run stopped before it finished; run it again."))
    return len(stale) + lost_checks


# --- Undo ------------------------------------------------------------------------------------------


def _records(imp: Import) -> tuple[list[tuple[str, int]], list[tuple[str, int, dict]]]:
    created: list[tuple[str, int]] = []
    updated: list[tuple[str, int, dict]] = []
    for records, before in imp.rows.exclude(records=[], before=[]).values_list("records", "before"):
        created.extend((label, pk) for label, pk in records)
        updated.extend((label, pk, values) for label, pk, values in before)
    return created, updated


def undo_blockers(imp: Import) -> list[str]:
    """What was changed since the import by anything but the import itself, in words."""
    created, updated = _records(imp)
    if not created and not updated:
        return []
    touched = Q()
    applicant_ids = [pk for label, pk in created if label == "casework.applicant"]
    for label, pk in [*created, *((label, pk) for label, pk, _values in updated)]:
        touched |= Q(model=label, object_id=str(pk))
    if applicant_ids:
        touched |= Q(applicant_id__in=applicant_ids)
    since = imp.started_at or imp.created
    changes = (
        ChangeRecord.objects.filter(organisation_id=imp.organisation_id, at__gte=since)
        .filter(touched)
        .exclude(source=imp.source)
        .select_related("actor")
        .order_by("at")[:20]
    )
    return [
        _("%(record)s — %(action)s by %(who)s on %(when)s")
        % {
            "record": change.object_label or f"{change.model} #{change.object_id}",
            "action": change.get_action_display().lower(),
            "who": change.actor or "—",
            "when": timezone.localtime(change.at).strftime("%Y-%m-%d %H:%M"),
        }
        for change in changes
    ]


def undo_records(imp: Import, *, by: User) -> None:
    """Delete what the import created (newest first) and put back what it updated, each audited."""
    created, updated = _records(imp)
    with change_source(f"undo:{imp.source}"), queue.held():
        restores: dict[str, list[tuple[int, dict]]] = {}
        for label, pk, values in reversed(updated):
            restores.setdefault(label, []).append((pk, values))
        for label, items in restores.items():
            model = apps.get_model(label)
            found = model.objects.in_bulk([pk for pk, _values in items])  # one query a kind of record
            for pk, values in items:
                instance = found.get(pk)
                if instance is None:
                    continue
                before = snapshot(instance)
                for name, value in values.items():
                    field = model._meta.get_field(name)
                    setattr(instance, field.attname, field.to_python(value) if value is not None else None)
                instance.save()
                record_change(actor=by, instance=instance, before=before)
        by_model: dict[str, list[int]] = {}
        for label, pk in reversed(created):
            by_model.setdefault(label, []).append(pk)
        for label, pks in by_model.items():
            model = apps.get_model(label)
            record_deletions(actor=by, instances=list(model.objects.filter(pk__in=pks)))
            try:
                model.objects.filter(pk__in=pks).delete()
            except ProtectedError as exc:
                names = ", ".join(sorted({str(obj)[:60] for obj in list(exc.protected_objects)[:5]}))
                raise ValidationError(
                    {
                        "undo": _("Records made since the import depend on what it created: %(records)s.")
                        % {"records": names}
                    }
                ) from exc
    # Everything the import saved is gone; the sweep cancels what reminders of it remain.
    queue.enqueue_on_commit("casework.tasks.sweep_reminders", [(None, False)])
