"""Reading an uploaded spreadsheet for import (issue 18): what the file is (by its content), then its rows
as `Cell`s with what the reader had to say about them (a formula's saved value used, a merged range
repeated). Formulas are never evaluated; a zip bomb or a file mixing encodings is refused before reading.
"""

from __future__ import annotations

import codecs
import csv
import os
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import zip_longest
from typing import IO, Any, Literal
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from casework.cells import Cell, header_key, parse_date, parse_decimal

IMPORT_MAX_BYTES: int = getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES: int = getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
IMPORT_MAX_ROWS: int = getattr(settings, "IMPORT_MAX_ROWS", 100_000)
# A member of an XLSX compressed more than this (and larger than a megabyte) is no spreadsheet: real
# sheet XML compresses 5 to 30 times, a zip bomb thousands of times.
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 10_000

CSV: Literal["csv"] = "csv"
XLSX: Literal["xlsx"] = "xlsx"

_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp932": "Shift_JIS (CP932)", "utf-16": "UTF-16"}
_BINARY_SIGNATURES = (
    b"%PDF-",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE: a legacy .xls, .doc, or a password-protected workbook
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
    b"MZ",  # Windows executable
    b"\x7fELF",
)
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_SNIFF_BYTES = 16 * 1024
_MERGE_CELL = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[0-9]+(?::[A-Z]{1,3}[0-9]+)?)"'
)


@dataclass(frozen=True)
class SheetInfo:
    name: str
    hidden: bool
    rows: int | None  # the last row number the sheet declares (header and empty rows included); None unknown


@dataclass(frozen=True)
class FileInfo:
    format: Literal["csv", "xlsx"]
    encoding: str  # a Python codec name for CSV ("utf-8-sig", "utf-8", "cp932" …); "" for XLSX
    sheets: tuple[SheetInfo, ...]


def _refuse(message: str, code: str, key: str = "file") -> ValidationError:
    return ValidationError({key: ValidationError(message, code=code)})


def _not_a_spreadsheet() -> ValidationError:
    return _refuse(
        _(
            "This is not a CSV or Excel (.xlsx) file. An older Excel file (.xls) or a password-protected "
            "workbook must first be saved again in Excel as .xlsx (without a password) or as CSV."
        ),
        "not_spreadsheet",
    )


def _damaged() -> ValidationError:
    return _refuse(
        _(
            "The Excel file could not be read; it may be damaged. Open it in Excel, save it again and upload it."
        ),
        "damaged",
    )


def encoding_label(encoding: str) -> str:
    """How a person knows a CSV encoding: "UTF-8", "Shift_JIS (CP932)" …"""
    return _ENCODING_NAMES.get(encoding, encoding.upper())


# --- What the file is ----------------------------------------------------------------------------------


def inspect_file(path: str | os.PathLike[str], *, name: str) -> FileInfo:
    """Decide by content whether a file is an XLSX workbook or a CSV (and its encoding), or refuse it
    with ValidationError({"file": message}). ``name`` (the uploaded name) is only used in messages."""
    size = os.path.getsize(path)
    if size == 0:
        raise _refuse(_("The file %(name)s is empty.") % {"name": name}, "empty")
    if size > IMPORT_MAX_BYTES:
        raise _refuse(
            _("The file is larger than %(size)s MB. Split it into smaller files and import them one by one.")
            % {"size": IMPORT_MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
    with open(path, "rb") as file:
        head = file.read(8)
    if head.startswith(_ZIP_SIGNATURES):
        return _inspect_xlsx(path)
    if head.startswith(_BINARY_SIGNATURES):
        raise _not_a_spreadsheet()
    return _inspect_csv(path)


def _check_zip(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise _not_a_spreadsheet()
    # Reading a member stops at its declared size (zipfile enforces it), so the declared sizes bound
    # what reading can cost.
    total = sum(member.file_size for member in members)
    bomb = total > IMPORT_MAX_UNCOMPRESSED_BYTES or any(
        member.file_size > 1024 * 1024
        and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if bomb:
        raise _refuse(
            _(
                "This workbook unpacks to more than %(size)s MB or is compressed beyond what a spreadsheet "
                "can be, so it is not read. Save the data as CSV, or split it into smaller files."
            )
            % {"size": IMPORT_MAX_UNCOMPRESSED_BYTES // (1024 * 1024)},
            "too_large_uncompressed",
        )
    names = set(archive.namelist())
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise _not_a_spreadsheet()


def _inspect_xlsx(path: str | os.PathLike[str]) -> FileInfo:
    try:
        with zipfile.ZipFile(path) as archive:
            _check_zip(archive)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _not_a_spreadsheet() from None
    with open(path, "rb") as file:
        try:
            book = load_workbook(file, read_only=True, data_only=True)
        except Exception:  # openpyxl raises KeyError, ParseError, ValueError … on a damaged workbook
            raise _damaged() from None
        try:
            sheets = tuple(
                SheetInfo(name=sheet.title, hidden=sheet.sheet_state != "visible", rows=sheet.max_row)
                for sheet in book.worksheets
                if hasattr(sheet, "iter_rows")  # chart sheets have no cells
            )
        finally:
            book.close()
    if not sheets:
        raise _refuse(_("This workbook has no sheet with cells."), "no_sheet")
    return FileInfo(format=XLSX, encoding="", sheets=sheets)


def _lines(path: str | os.PathLike[str]) -> Iterator[bytes]:
    with open(path, "rb") as file:
        yield from file


def _is_ascii(line: bytes) -> bool:
    return line.isascii()


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect_encoding(path: str | os.PathLike[str]) -> str:
    """UTF-8 with a BOM, then UTF-8, then CP932, then whatever charset-normalizer finds. When neither
    UTF-8 nor CP932 reads every line, the lines outside ASCII vote: most of them read as UTF-8 → UTF-8."""
    with open(path, "rb") as file:
        head = file.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf8 = other = 0
    for line in _lines(path):
        if _is_ascii(line):
            continue
        if _is_utf8(line):
            utf8 += 1
        else:
            other += 1
    if other == 0 or utf8 >= other:
        return "utf-8"
    if _decodes(path, "cp932"):
        return "cp932"
    from charset_normalizer import from_path

    results = from_path(path)
    best = results.best()
    if best is None:
        raise _not_a_spreadsheet()
    # Ties between Western code pages go to Excel's own outside Japan (charset-normalizer picks cp1250).
    tied = {result.encoding for result in results if result.chaos <= best.chaos}
    return codecs.lookup("cp1252" if "cp1252" in tied else best.encoding).name


def _decodes(path: str | os.PathLike[str], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        for line in _lines(path):
            decoder.decode(line)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_decoding(path: str | os.PathLike[str], encoding: str) -> None:
    """Decode the whole file strictly; refuse naming the first line that cannot be read. A file found
    to be CP932 must also have no line that is UTF-8 text (which CP932 would read as nonsense)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    number = 1
    for line in _lines(path):
        try:
            text = decoder.decode(line)
        except UnicodeDecodeError:
            raise _mixed(number, encoding) from None
        if encoding == "cp932" and not _is_ascii(line) and _is_utf8(line):
            raise _mixed(number, encoding)
        if "\x00" in text:
            raise _not_a_spreadsheet()
        number += text.count("\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise _mixed(number, encoding) from None


def _mixed(line: int, encoding: str) -> ValidationError:
    return _refuse(
        _(
            "Line %(line)s of the file cannot be read as %(encoding)s, the encoding of the rest of the file: "
            "the file mixes encodings. Open it in Excel or a text editor, save it again as CSV (UTF-8) "
            "and upload that."
        )
        % {"line": line, "encoding": encoding_label(encoding)},
        "mixed_encoding",
    )


def _open_text(path: str | os.PathLike[str], encoding: str) -> IO[str]:
    return open(path, encoding=encoding, errors="strict", newline="")


def _sniff_delimiter(file: IO[str]) -> str:
    sample = file.read(_SNIFF_BYTES)
    file.seek(0)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _csv_records(path: str | os.PathLike[str], encoding: str) -> Iterator[list[str]]:
    with _open_text(path, encoding) as file:
        reader = csv.reader(file, delimiter=_sniff_delimiter(file))
        try:
            yield from reader
        except csv.Error:
            raise _refuse(
                _("Row %(row)s of the file is not valid CSV (a cell too long or a stray quote).")
                % {"row": reader.line_num},
                "bad_csv",
            ) from None


def _inspect_csv(path: str | os.PathLike[str]) -> FileInfo:
    encoding = _detect_encoding(path)
    _check_decoding(path, encoding)
    rows = sum(1 for _record in _csv_records(path, encoding))
    return FileInfo(format=CSV, encoding=encoding, sheets=(SheetInfo(name="", hidden=False, rows=rows),))


# --- Its rows --------------------------------------------------------------------------------------


def read_rows(
    path: str | os.PathLike[str], info: FileInfo, sheet: str | None = None
) -> Iterator[tuple[int, list[Cell]]]:
    """(row number as the spreadsheet shows it, cells) for every row that is not empty, trailing empty
    cells trimmed. ``sheet``: the sheet's name (XLSX; default the first visible sheet). Raises
    ValidationError({"file": …}) once more than IMPORT_MAX_ROWS rows follow the first (the header),
    and ValidationError({"sheet": …}) for a sheet the workbook does not have."""
    rows = (
        _csv_rows(path, info.encoding) if info.format == CSV else _xlsx_rows(path, _sheet_name(info, sheet))
    )
    seen = 0
    for number, cells in rows:
        while cells and cells[-1].empty:
            cells.pop()
        if not cells:
            continue
        seen += 1
        if seen > IMPORT_MAX_ROWS + 1:
            raise _refuse(
                _("The sheet has more than %(rows)s rows. Split it into files of at most %(rows)s rows.")
                % {"rows": f"{IMPORT_MAX_ROWS:,}"},
                "too_many_rows",
            )
        yield number, cells


def _sheet_name(info: FileInfo, sheet: str | None) -> str:
    if sheet is None:
        visible = [each.name for each in info.sheets if not each.hidden]
        return (visible or [info.sheets[0].name])[0]
    if sheet not in {each.name for each in info.sheets}:
        raise _refuse(
            _("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet}, "no_sheet", key="sheet"
        )
    return sheet


def _csv_rows(path: str | os.PathLike[str], encoding: str) -> Iterator[tuple[int, list[Cell]]]:
    formula_note = _("this cell starts with “=”: formulas are not calculated on import; its text was used")
    for number, record in enumerate(_csv_records(path, encoding), start=1):
        yield number, [Cell(text, formula_note if text.lstrip().startswith("=") else "") for text in record]


def _plain(value: Any) -> str | int | float | bool | date | datetime | None:
    if value is None or isinstance(value, (str, int, float, bool, date, datetime)):
        return value
    if isinstance(value, (time, timedelta)):
        return str(value)
    return str(getattr(value, "text", None) or value)  # ArrayFormula, DataTableFormula, rich text


def _xlsx_cell(value_cell: Any, formula_cell: Any) -> Cell:
    value = _plain(getattr(value_cell, "value", None))
    if getattr(formula_cell, "data_type", None) != "f":
        return Cell(value)
    formula = _plain(formula_cell.value)
    if value is not None:
        return Cell(value, _("formula %(formula)s: its saved value was used") % {"formula": formula})
    return Cell(
        formula,
        _("formula %(formula)s has no saved value (formulas are not calculated on import): its text was used")
        % {"formula": formula},
    )


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding a sheet's XML, found through the workbook and its relationships."""
    # Small parts whose size _check_zip bounded; expat (>= 2.4) refuses entity expansion bombs and
    # ElementTree never fetches external entities.
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
    relation = None
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet" and element.get("name") == sheet:
            relation = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
    if relation is None or "xl/_rels/workbook.xml.rels" not in archive.namelist():
        return None
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    for element in relations.iter():
        if element.tag.rsplit("}", 1)[-1] == "Relationship" and element.get("Id") == relation:
            target = element.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return None


def merged_ranges(path: str | os.PathLike[str], sheet: str) -> list[str]:
    """A sheet's merged ranges ("A3:A5" …), read from its XML in streaming (read-only openpyxl has none)."""
    found: dict[str, None] = {}
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None or part not in archive.namelist():
            return []
        with archive.open(part) as source:
            tail = b""
            while chunk := source.read(1024 * 1024):
                data = tail + chunk
                for match in _MERGE_CELL.finditer(data):
                    found.setdefault(match[1].decode("ascii"))
                tail = data[-512:]
    return [ref for ref in found if ":" in ref]


def _xlsx_rows(path: str | os.PathLike[str], sheet: str) -> Iterator[tuple[int, list[Cell]]]:
    # (first row, last row, first column, last column, range) by first row
    pending: dict[int, list[tuple[int, int, int, int, str]]] = {}
    for ref in merged_ranges(path, sheet):
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        pending.setdefault(min_row, []).append((min_row, max_row, min_col, max_col, ref))
    # Opened as files: openpyxl refuses a path whose name does not end in .xlsx, and the name is the
    # uploader's business — the content was checked by inspect_file.
    with open(path, "rb") as values_file, open(path, "rb") as formulas_file:
        yield from _workbook_rows(values_file, formulas_file, sheet, pending)


def _workbook_rows(
    values_file: IO[bytes],
    formulas_file: IO[bytes],
    sheet: str,
    pending: dict[int, list[tuple[int, int, int, int, str]]],
) -> Iterator[tuple[int, list[Cell]]]:
    values_book = load_workbook(values_file, read_only=True, data_only=True)
    formulas_book = load_workbook(formulas_file, read_only=True, data_only=False)
    try:
        values_sheet, formulas_sheet = values_book[sheet], formulas_book[sheet]
        # Some writers declare A1:XFD1048576; without dimensions each row is as wide as its cells.
        values_sheet.reset_dimensions()
        formulas_sheet.reset_dimensions()
        active: list[tuple[int, int, int, int, Cell]] = []
        number = 0
        pairs = zip_longest(
            values_sheet.iter_rows(min_row=1), formulas_sheet.iter_rows(min_row=1), fillvalue=()
        )
        for number, (values, formulas) in enumerate(pairs, start=1):
            cells = [_xlsx_cell(v, f) for v, f in zip_longest(values, formulas)]
            active = _merge(number, cells, pending, active)
            yield number, cells
        last = max((row for _first, row, *_rest in active), default=number)
        for below in range(number + 1, last + 1):  # a merged range below the sheet's last written row
            cells = []
            active = _merge(below, cells, pending, active)
            yield below, cells
    finally:
        values_book.close()
        formulas_book.close()


def _merge(
    number: int,
    cells: list[Cell],
    pending: dict[int, list[tuple[int, int, int, int, str]]],
    active: list[tuple[int, int, int, int, Cell]],
) -> list[tuple[int, int, int, int, Cell]]:
    """Repeat the top-left value of each merged range over the range's other cells in this row."""
    for first, last, min_col, max_col, ref in pending.pop(number, ()):
        top_left = cells[min_col - 1] if min_col <= len(cells) else Cell(None)
        if top_left.empty:
            continue
        note = _("merged cells %(range)s: the value was repeated") % {"range": ref}
        repeated = Cell(top_left.value, f"{top_left.note}; {note}" if top_left.note else note)
        active.append((first, last, min_col, max_col, repeated))
    still = []
    for first, last, min_col, max_col, repeated in active:
        if number > last:
            continue
        still.append((first, last, min_col, max_col, repeated))
        if len(cells) < max_col:
            cells.extend(Cell(None) for _index in range(max_col - len(cells)))
        for column in range(min_col, max_col + 1):
            if (number, column) != (first, min_col) and cells[column - 1].empty:
                cells[column - 1] = repeated
    return still


# --- The header --------------------------------------------------------------------------------------


def column_name(index: int) -> str:
    """The name of a column without a header: "Column C" for index 2 (counting from 0)."""
    return _("Column %(letter)s") % {"letter": get_column_letter(index + 1)}


def split_header(
    rows: Iterable[tuple[int, list[Cell]]],
) -> tuple[list[str], Iterator[tuple[int, list[Cell]]]]:
    """The first row as column names (normalised; an empty one named "Column C"; a repeated one made
    unique as "Date (2)"), and the rows after it. A sheet with a header only gives no rows (the caller
    says so); a sheet without any row is refused."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        raise _refuse(_("The sheet is empty: it has no row to import."), "empty_sheet")
    names: list[str] = []
    keys: set[str] = set()
    for index, cell in enumerate(first[1]):
        base = cell.text() or column_name(index)
        candidate, counter = base, 1
        while header_key(candidate) in keys:
            counter += 1
            candidate = f"{base} ({counter})"
        keys.add(header_key(candidate))
        names.append(candidate)
    return names, iterator


def looks_like_data(header_cells: list[Cell]) -> bool:
    """True when most of a first row's cells are dates or numbers: the sheet probably has no header."""
    filled = [cell for cell in header_cells if not cell.empty]
    if not filled:
        return False
    return sum(1 for cell in filled if _is_date_or_number(cell)) * 2 > len(filled)


def _is_date_or_number(cell: Cell) -> bool:
    if isinstance(cell.value, (int, float, date)) and not isinstance(cell.value, bool):
        return True
    for parse in (parse_decimal, parse_date):
        try:
            parse(cell)
        except ValueError:
            continue
        return True
    return False
