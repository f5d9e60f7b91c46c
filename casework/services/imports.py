"""The import framework's steps a person takes (issue 18): upload a file, pick the sheet, map the columns
and status labels, ask for the dry run, decide about duplicates, start the import, undo it.

The dry run and the import themselves run in a Celery task (`casework/services/import_runs.py`); the
lease that a lost worker leaves behind is expired there too. Every step checks who may take it:
the import's maker (an administrator too, for undo) and the importer's own `may_import`.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import cells, queue, rules, sheets
from casework.audit import log_access
from casework.models import AccessLogEntry, Import, ImportMapping, ImportRow, User
from casework.roles import Role
from casework.services.import_runs import file_info, local_copy, undo_blockers, undo_records
from casework.services.importers import Importer, importer_for

SAMPLE_ROWS = 2000  # rows read to list a status column's distinct labels (the dry run reads them all)


def _importer(kind: str) -> Importer:
    importer = importer_for(kind)
    if importer is None:
        raise ValidationError({"kind": _("Choose what to import from the list.")})
    return importer


def _require_maker(by: User, imp: Import) -> Importer:
    if imp.created_by_id != by.pk:
        raise PermissionDenied
    importer = _importer(imp.kind)
    if not importer.may_import(by):
        raise PermissionDenied
    return importer


def _require_status(imp: Import, *statuses: str) -> None:
    if imp.status not in statuses:
        raise ValidationError(
            {
                "status": _("This import is %(status)s: that step is not possible now.")
                % {"status": imp.get_status_display()}
            }
        )


def import_upload(*, by: User, kind: str, upload: UploadedFile | None, target: str = "") -> Import:
    """Store an uploaded file for an import after checking it by content (CSV or XLSX, ≤ 10 MB)."""
    importer = _importer(kind)
    if not importer.may_import(by):
        raise PermissionDenied
    target_label = ""
    if importer.targets is not None:
        choices = dict(importer.targets(by))
        if str(target) not in choices:
            raise ValidationError({"target": _("Choose where to import from the list.")})
        target_label = choices[str(target)]
    else:
        target = ""
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    limit = getattr(settings, "IMPORT_MAX_BYTES", sheets.IMPORT_MAX_BYTES)
    if (upload.size or 0) > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB: split it into smaller files.")
                % {"mb": limit // 2**20}
            }
        )
    digest = hashlib.sha256()
    handle, path = tempfile.mkstemp(prefix="tobira-upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
        info = sheets.inspect_file(path, name=upload.name or "")
    finally:
        os.unlink(path)
    name = os.path.basename(upload.name or "") or "import"
    imp = Import(
        organisation_id=by.organisation_id,
        created_by=by,
        kind=importer.kind,
        target=str(target),
        target_label=target_label[:200],
        file_name=name[:255],
        file_hash=digest.hexdigest(),
        file_size=upload.size or 0,
        file_format=info.format,
        encoding=info.encoding,
        sheets=[{"name": s.name, "hidden": s.hidden, "rows": s.rows} for s in info.sheets],
    )
    upload.seek(0)
    imp.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            imp.save()
            visible = [s.name for s in info.sheets if not s.hidden]
            if len(info.sheets) == 1 or (info.format == "csv"):
                import_choose_sheet(by=by, imp=imp, sheet=info.sheets[0].name)
            elif len(visible) == 1:
                import_choose_sheet(by=by, imp=imp, sheet=visible[0])
    except BaseException:
        imp.file.delete(save=False)  # nothing of a refused file is kept
        raise
    return imp


def _propose_columns(importer: Importer, headers: list[str], remembered: dict[str, str]) -> dict[str, str]:
    """Each field's column: the user's last mapping where its header is in this file, else by name."""
    proposal: dict[str, str] = {}
    taken: set[str] = set()
    for field in importer.fields:
        if remembered.get(field.key) in headers and remembered[field.key] not in taken:
            proposal[field.key] = remembered[field.key]
            taken.add(remembered[field.key])
    keys = {cells.header_key(header): header for header in reversed(headers)}
    for field in importer.fields:
        if field.key in proposal:
            continue
        for alias in (field.key, str(field.label), *field.aliases):
            header = keys.get(cells.header_key(alias))
            if header is not None and header not in taken:
                proposal[field.key] = header
                taken.add(header)
                break
    return proposal


def import_choose_sheet(*, by: User, imp: Import, sheet: str) -> Import:
    """Read the chosen sheet's header row and propose a mapping of its columns."""
    importer = _require_maker(by, imp)
    _require_status(imp, Import.Status.UPLOADED, Import.Status.CHECKED, Import.Status.FAILED)
    if sheet not in {s["name"] for s in imp.sheets}:
        raise ValidationError({"sheet": _("Choose a sheet of the file.")})
    with local_copy(imp) as path:
        rows = sheets.read_rows(path, file_info(imp), sheet)
        try:
            first = next(rows, None)
            if first is None:
                raise ValidationError(_("The sheet “%(sheet)s” is empty.") % {"sheet": sheet})
            header_row, header_cells = first
            headers, data = sheets.split_header(itertools.chain([first], rows))
        except ValidationError as exc:
            raise ValidationError({"sheet": exc.messages}) from exc
        if sheets.looks_like_data(header_cells):
            raise ValidationError(
                {
                    "sheet": _(
                        "The first row of “%(sheet)s” looks like data, not column names: add a header row "
                        "naming the columns and upload the file again."
                    )
                    % {"sheet": sheet}
                }
            )
        if next(data, None) is None:
            raise ValidationError(
                {"sheet": _("“%(sheet)s” has a header row but no rows under it.") % {"sheet": sheet}}
            )
    remembered = (
        ImportMapping.objects.filter(user=by, kind=imp.kind).values_list("mapping", flat=True).first() or {}
    )
    imp.sheet = sheet
    imp.headers = headers
    imp.header_row = header_row
    imp.mapping = {
        "columns": _propose_columns(importer, headers, remembered.get("columns", {})),
        "statuses": {},
        "proposed": True,
    }
    imp.status = Import.Status.UPLOADED
    imp.save(update_fields=["sheet", "headers", "header_row", "mapping", "status"])
    return imp


def status_labels(*, imp: Import, column: str, limit: int = 50) -> list[str]:
    """The distinct labels of the status column (as normalised text), in the order they appear."""
    with local_copy(imp) as path:
        headers, data = sheets.split_header(sheets.read_rows(path, file_info(imp), imp.sheet))
        if column not in headers:
            return []
        index = headers.index(column)
        labels: dict[str, None] = {}
        for count, (_row_number, row) in enumerate(data):
            if count >= getattr(settings, "IMPORT_MAX_ROWS", sheets.IMPORT_MAX_ROWS):
                break
            text = row[index].text() if index < len(row) else ""
            if text:
                labels.setdefault(text, None)
                if len(labels) >= limit:
                    break
    return list(labels)


def proposed_statuses(importer: Importer, labels: list[str], remembered: dict[str, str]) -> dict[str, str]:
    proposal: dict[str, str] = {}
    for label in labels:
        kind = remembered.get(label) or (importer.propose_status(label) if importer.propose_status else None)
        if kind in rules.STATUS_KINDS:
            proposal[label] = kind
    return proposal


@transaction.atomic
def import_map(
    *, by: User, imp: Import, columns: dict[str, str], statuses: dict[str, str] | None = None
) -> Import:
    """Save the mapping of columns (and status labels); remembered as this user's for the kind."""
    importer = _require_maker(by, imp)
    _require_status(imp, Import.Status.UPLOADED, Import.Status.CHECKED, Import.Status.FAILED)
    if not imp.headers:
        raise ValidationError({"sheet": _("Choose the sheet first.")})
    errors: dict[str, list[str]] = {}
    known = {field.key: field for field in importer.fields}
    chosen: dict[str, str] = {}
    used: dict[str, str] = {}
    for key, header in (columns or {}).items():
        if key not in known:
            errors.setdefault("columns", []).append(
                _("“%(field)s” is not a column Tobira takes.") % {"field": key}
            )
            continue
        if not header:
            continue
        if header not in imp.headers:
            errors.setdefault(key, []).append(_("The file has no column “%(column)s”.") % {"column": header})
            continue
        if header in used:
            errors.setdefault(key, []).append(
                _("The column “%(column)s” is already mapped to %(field)s.")
                % {"column": header, "field": known[used[header]].label}
            )
            continue
        used[header] = key
        chosen[key] = header
    for field in importer.fields:
        if field.required and field.key not in chosen and field.key not in errors:
            errors.setdefault(field.key, []).append(
                _("Choose the column that holds %(field)s.") % {"field": field.label}
            )
    cleaned_statuses: dict[str, str] = {}
    for label, kind in (statuses or {}).items():
        if not kind:
            continue
        if kind not in rules.STATUS_KINDS:
            errors.setdefault("statuses", []).append(
                _("Choose a Tobira status for “%(label)s” from the list.") % {"label": label}
            )
            continue
        cleaned_statuses[str(label)] = kind
    if errors:
        raise ValidationError(errors)
    imp.mapping = {"columns": chosen, "statuses": cleaned_statuses}
    imp.status = Import.Status.UPLOADED
    imp.save(update_fields=["mapping", "status"])
    remembered, _created = ImportMapping.objects.get_or_create(user=by, kind=imp.kind)
    remembered.mapping = {
        "columns": chosen,
        "statuses": {**remembered.mapping.get("statuses", {}), **cleaned_statuses},
    }
    remembered.save(update_fields=["mapping", "updated"])
    return imp


@transaction.atomic
def import_check_start(*, by: User, imp: Import) -> Import:
    """Queue the dry run: every row parsed and validated through the services, nothing saved."""
    _require_maker(by, imp)
    _require_status(imp, Import.Status.UPLOADED, Import.Status.CHECKED, Import.Status.FAILED)
    if not imp.mapping.get("columns") or imp.mapping.get("proposed"):
        raise ValidationError({"columns": _("Confirm the mapping of the columns first.")})
    sheet: dict[str, Any] = next((s for s in imp.sheets if s["name"] == imp.sheet), {})
    estimate = max((sheet.get("rows") or 0) - imp.header_row, 0)  # the sheet's own count, when it has one
    Import.objects.filter(pk=imp.pk).update(
        status=Import.Status.CHECKING, rows_done=0, rows_total=estimate, error="", checked_at=None
    )
    imp.refresh_from_db()
    queue.enqueue_on_commit("casework.tasks.check_import", [(imp.pk,)])
    return imp


@transaction.atomic
def import_decide(*, by: User, imp: Import, decisions: dict[int, str]) -> int:
    """Set the decision of duplicate rows (skip / create anyway / update the existing record)."""
    importer = _require_maker(by, imp)
    _require_status(imp, Import.Status.CHECKED)
    allowed = set(importer.decisions)
    rows = {
        row.number: row
        for row in imp.rows.filter(number__in=list(decisions), verdict=ImportRow.Verdict.DUPLICATE)
    }
    errors: dict[str, list[str]] = {}
    changed = []
    for number, decision in decisions.items():
        row = rows.get(number)
        if row is None:
            errors.setdefault("decisions", []).append(
                _("Row %(row)s is not a possible duplicate.") % {"row": number}
            )
            continue
        if decision not in allowed or (decision == "update" and not row.candidates):
            errors.setdefault("decisions", []).append(
                _("Row %(row)s: choose skip, create anyway or update.") % {"row": number}
            )
            continue
        if row.decision != decision:
            row.decision = decision
            changed.append(row)
    if errors:
        raise ValidationError(errors)
    ImportRow.objects.bulk_update(changed, ["decision"])
    return len(changed)


@transaction.atomic
def import_start(*, by: User, imp: Import, mode: str) -> Import:
    """Queue the import of a dry-run file: all or nothing, or only the valid rows."""
    _require_maker(by, imp)
    _require_status(imp, Import.Status.CHECKED)
    if mode not in Import.Mode.values:
        raise ValidationError({"mode": _("Choose whether to import all or nothing, or only the valid rows.")})
    if mode == Import.Mode.ALL_OR_NOTHING and imp.rows_error:
        raise ValidationError(
            {
                "mode": _(
                    "%(count)d rows have errors, so all or nothing would import nothing: correct the file "
                    "and run the dry run again, or import only the valid rows."
                )
                % {"count": imp.rows_error}
            }
        )
    updated = Import.objects.filter(pk=imp.pk, status=Import.Status.CHECKED).update(
        status=Import.Status.QUEUED, mode=mode, rows_done=0
    )
    if not updated:  # pragma: no cover - two clicks at once: the other one started it
        raise ValidationError({"status": _("This import has already started.")})
    imp.refresh_from_db()
    queue.enqueue_on_commit("casework.tasks.run_import", [(imp.pk,)])
    return imp


def may_undo(by: User, imp: Import) -> bool:
    if imp.status != Import.Status.DONE or imp.undo_until is None or timezone.now() > imp.undo_until:
        return False
    if imp.created_by_id == by.pk:
        return True
    return bool(
        (by.is_superuser or by.has_role(Role.ADMINISTRATOR)) and by.organisation_id == imp.organisation_id
    )


def import_undo(*, by: User, imp: Import) -> Import:
    """Remove what the import created and restore what it updated, unless it was changed since."""

    if not may_undo(by, imp):
        if imp.status == Import.Status.DONE and imp.undo_until and timezone.now() > imp.undo_until:
            raise ValidationError({"status": _("An import can be undone within 24 hours only.")})
        if imp.status != Import.Status.DONE:
            _require_status(imp, Import.Status.DONE)
        raise PermissionDenied
    with transaction.atomic():
        locked = Import.objects.select_for_update().get(pk=imp.pk)
        _require_status(locked, Import.Status.DONE)
        blockers = undo_blockers(locked)
        if blockers:
            raise ValidationError(
                {
                    "undo": [
                        _("The import cannot be undone: these records were changed since it ran."),
                        *blockers,
                    ]
                }
            )
        undo_records(locked, by=by)
        locked.status = Import.Status.UNDONE
        locked.undone_at = timezone.now()
        locked.undone_by = by
        locked.save(update_fields=["status", "undone_at", "undone_by"])
        log_access(
            actor=by,
            kind=AccessLogEntry.Kind.IMPORT,
            object_label=locked.file_name,
            detail={"import": locked.pk, "action": "undo"},
        )
    return locked


def status_proposals(*, by: User, imp: Import) -> tuple[list[str], dict[str, str]]:
    """The status column's labels, and a kind for those the saved mapping, the user's last mapping or the
    importer's proposal gives (a bare 特定活動 gets none): what the mapping page and the API show."""
    importer = importer_for(imp.kind)
    column = (imp.mapping.get("columns") or {}).get(importer.status_field or "") if importer else None
    if importer is None or not importer.status_field or not column:
        return [], {}
    labels = status_labels(imp=imp, column=column)
    proposed = proposed_statuses(importer, labels, remembered_statuses(by, imp.kind))
    return labels, {**proposed, **{k: v for k, v in imp.mapping.get("statuses", {}).items() if v}}


def remembered_statuses(by: User, kind: str) -> dict[str, str]:
    mapping: dict[str, Any] = (
        ImportMapping.objects.filter(user=by, kind=kind).values_list("mapping", flat=True).first() or {}
    )
    return mapping.get("statuses", {})
