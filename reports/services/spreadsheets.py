"""Writing a table source's rows as CSV (UTF-8 with a BOM, so Excel in Japan reads it) or XLSX
(openpyxl in write-only mode: rows go to disk as they come, never a workbook in memory). Every cell
passes reports.rules.escape_cell (formula injection)."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import IO

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from reports.rules import EXPORT_PROGRESS_EVERY, Cell, cell_text, escape_cell

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# How many rows go into one chunk of a streamed CSV response.
CSV_FLUSH_ROWS = 500

Progress = Callable[[int], None]


def _progress_every() -> int:
    """Rows between two progress calls: settings.EXPORT_PROGRESS_EVERY when set (the killed-worker test
    makes it small, so that an export of a few thousand rows can be caught mid-way), else the rule's."""
    return int(getattr(settings, "EXPORT_PROGRESS_EVERY", 0) or EXPORT_PROGRESS_EVERY)


def csv_chunks(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    progress: Progress | None = None,
    counter: list[int] | None = None,
) -> Iterator[bytes]:
    """The CSV file in pieces of CSV_FLUSH_ROWS rows (a StreamingHttpResponse's content, or a file's)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([cell_text(label) for label in header])
    done, every = 0, _progress_every()
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
        done += 1
        if done % CSV_FLUSH_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
        if progress is not None and done % every == 0:
            progress(done)
    if counter is not None:
        counter.append(done)
    yield buffer.getvalue().encode("utf-8")


def write_csv(
    handle: IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    progress: Progress | None = None,
) -> int:
    counter: list[int] = []
    for piece in csv_chunks(header, rows, progress=progress, counter=counter):
        handle.write(piece)
    return counter[0]


def write_xlsx(
    handle: IO[bytes] | str,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str = "Export",
    progress: Progress | None = None,
) -> int:
    """A one-sheet workbook in write-only mode; the header row bold. Returns the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=str(escape_cell(str(label))))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    done, every = 0, _progress_every()
    try:
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
            done += 1
            if progress is not None and done % every == 0:
                progress(done)
    except BaseException:
        _discard(sheet)
        raise
    workbook.save(handle)
    return done


def _discard(sheet) -> None:
    """A write-only sheet given up: its row writer stopped and its temporary file (`openpyxl.*`, else
    removed only when the process exits) deleted now."""
    with contextlib.suppress(Exception):
        rows = getattr(sheet, "_rows", None)
        if rows is not None:
            rows.close()
        writer = getattr(sheet, "_writer", None)
        if writer is not None:
            writer.close()
            writer.cleanup()


def _xlsx_value(value: Cell) -> Cell:
    value = escape_cell(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    return value


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in str(title)).strip()
    return (cleaned or "Export")[:31]
