"""Reading uploaded spreadsheets (casework/sheets.py): files recognised by content, refused when they are
not spreadsheets (renamed PDF, legacy .xls, zip bomb, mixed encodings, empty), rows read as cells with
notes for formulas and merged ranges, CSV in UTF-8 / UTF-8 BOM / CP932, and a large CSV streamed."""

import tracemalloc
import zipfile
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from casework import sheets
from casework.cells import Cell
from casework.sheets import FileInfo, SheetInfo, inspect_file, looks_like_data, read_rows, split_header


def texts(rows):
    return [(number, [cell.text() for cell in cells]) for number, cells in rows]


def refused(path, name="upload", code=None):
    with pytest.raises(ValidationError) as raised:
        inspect_file(path, name=name)
    error = raised.value.error_dict["file"][0]
    if code:
        assert error.code == code
    return error.message


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def set_zip_member(path, member, transform):
    """Rewrite one member of a zip (openpyxl writes no cached formula values; Excel does)."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info.filename, transform(data) if info.filename == member else data)


# --- Refused files ------------------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path):
    assert "is empty" in refused(write(tmp_path, "a.csv", b""), name="a.csv", code="empty")


def test_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "IMPORT_MAX_BYTES", 1024)
    assert "larger than" in refused(write(tmp_path, "a.csv", b"a,b\n" * 1000), code="too_large")


@pytest.mark.parametrize(
    "head",
    [
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",  # a PDF renamed .xlsx
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,  # a legacy .xls (OLE)
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        b"\xff\xd8\xff\xe0" + b"\x00" * 100,
    ],
)
def test_binary_files_are_refused_whatever_their_name(tmp_path, head):
    message = refused(write(tmp_path, "people.xlsx", head), name="people.xlsx", code="not_spreadsheet")
    assert "not a CSV or Excel (.xlsx) file" in message


def test_binary_without_a_known_signature_is_refused(tmp_path):
    refused(write(tmp_path, "x.csv", bytes(range(256)) * 40), code="not_spreadsheet")


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    refused(path, code="not_spreadsheet")


def test_a_broken_zip_is_refused(tmp_path):
    refused(write(tmp_path, "a.xlsx", b"PK\x03\x04" + b"\x00" * 50), code="not_spreadsheet")


def _bomb(path, size):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b" " * (1024 * 1024)
            for _megabyte in range(size // len(chunk)):
                member.write(chunk)


def test_zip_bomb_above_the_uncompressed_maximum_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    _bomb(path, 101 * 1024 * 1024)
    assert path.stat().st_size < 1024 * 1024
    assert "unpacks to more than 100 MB" in refused(path, code="too_large_uncompressed")


def test_zip_bomb_below_the_maximum_is_refused_by_its_compression_ratio(tmp_path):
    path = tmp_path / "bomb.xlsx"
    _bomb(path, 20 * 1024 * 1024)
    refused(path, code="too_large_uncompressed")


def test_workbook_without_sheets_is_refused(tmp_path):
    path = tmp_path / "book.xlsx"
    Workbook().save(path)

    def no_sheets(data):
        start, end = data.index(b"<sheets>"), data.index(b"</sheets>") + len(b"</sheets>")
        return data[:start] + b"<sheets/>" + data[end:]

    set_zip_member(path, "xl/workbook.xml", no_sheets)
    message = refused(path)
    assert "no sheet" in message or "could not be read" in message


# --- XLSX -------------------------------------------------------------------------------------------------


def test_xlsx_is_recognised_by_content_whatever_its_name(tmp_path):
    path = tmp_path / "export.csv"
    book = Workbook()
    book.active.title = "People"
    book.active.append(["Name", "Born"])
    book.active.append(["Aiko", datetime(1990, 4, 1)])
    hidden = book.create_sheet("Secret")
    hidden.sheet_state = "hidden"
    very = book.create_sheet("Lists")
    very.sheet_state = "veryHidden"
    book.save(path)

    info = inspect_file(path, name="export.csv")

    assert info == FileInfo(
        format="xlsx",
        encoding="",
        sheets=(
            SheetInfo(name="People", hidden=False, rows=2),
            SheetInfo(name="Secret", hidden=True, rows=1),
            SheetInfo(name="Lists", hidden=True, rows=1),
        ),
    )
    assert texts(read_rows(path, info)) == [(1, ["Name", "Born"]), (2, ["Aiko", "1990-04-01"])]
    assert list(read_rows(path, info, "Secret")) == []
    with pytest.raises(ValidationError) as raised:
        list(read_rows(path, info, "Nope"))
    assert "sheet" in raised.value.error_dict


def test_first_visible_sheet_is_the_default(tmp_path):
    path = tmp_path / "book.xlsx"
    book = Workbook()
    book.active.title = "Hidden"
    book.active.sheet_state = "hidden"
    book.active.append(["secret"])
    book.create_sheet("Shown").append(["shown"])
    book.active = 1
    book.save(path)
    info = inspect_file(path, name="book.xlsx")
    assert texts(read_rows(path, info)) == [(1, ["shown"])]


def test_formula_with_and_without_saved_value(tmp_path):
    path = tmp_path / "book.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["n", "double", "triple"])
    sheet.append([21, "=A2*2", "=A2*3"])
    book.save(path)
    # As Excel would have saved it: B2 with its value, C2 never calculated.
    set_zip_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda data: data.replace(b"<f>A2*2</f><v />", b"<f>A2*2</f><v>42</v>"),
    )
    info = inspect_file(path, name="book.xlsx")

    [(_header, _), (number, cells)] = list(read_rows(path, info))

    assert number == 2
    assert cells[0] == Cell(21)
    assert cells[1].value == 42
    assert cells[1].note == "formula =A2*2: its saved value was used"
    assert cells[2].value == "=A2*3"
    assert "formula =A2*3 has no saved value" in cells[2].note
    assert "not calculated" in cells[2].note


def test_merged_cells_repeat_their_value_with_a_note(tmp_path):
    path = tmp_path / "book.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["Company", "Name", "Day 1", "Day 2"])
    sheet.append(["Acme", "Aiko", "○", "○"])
    sheet.append(["Acme", "Ben"])
    sheet["A3"] = "Tobira KK"
    sheet.merge_cells("A3:A5")
    sheet["B3"], sheet["B4"], sheet["B5"] = "Chie", "Dan", "Emi"
    sheet["C3"] = "present"
    sheet.merge_cells("C3:D3")
    sheet["A8"] = "Far"
    sheet.merge_cells("A8:A9")  # below every written row
    book.save(path)
    info = inspect_file(path, name="book.xlsx")

    rows = list(read_rows(path, info))

    assert texts(rows) == [
        (1, ["Company", "Name", "Day 1", "Day 2"]),
        (2, ["Acme", "Aiko", "○", "○"]),
        (3, ["Tobira KK", "Chie", "present", "present"]),
        (4, ["Tobira KK", "Dan"]),
        (5, ["Tobira KK", "Emi"]),
        (8, ["Far"]),
        (9, ["Far"]),
    ]
    cells = dict(rows)
    assert cells[3][0].note == ""  # the top-left cell holds the value itself
    assert cells[4][0].note == "merged cells A3:A5: the value was repeated"
    assert cells[3][3].note == "merged cells C3:D3: the value was repeated"
    assert cells[9][0].note == "merged cells A8:A9: the value was repeated"
    assert sorted(sheets.merged_ranges(path, "Sheet")) == ["A3:A5", "A8:A9", "C3:D3"]


def test_xlsx_empty_rows_skipped_row_numbers_kept_trailing_cells_trimmed(tmp_path):
    path = tmp_path / "book.xlsx"
    book = Workbook()
    sheet = book.active
    sheet["A2"] = "Name"
    sheet["B2"] = "Born"
    sheet["A4"] = "Aiko"
    sheet["B4"] = "  "
    sheet["E4"] = None
    sheet["A6"] = "Ben"
    sheet["B6"] = 46113
    book.save(path)
    info = inspect_file(path, name="book.xlsx")
    rows = list(read_rows(path, info))
    assert texts(rows) == [(2, ["Name", "Born"]), (4, ["Aiko"]), (6, ["Ben", "46113"])]


# --- CSV --------------------------------------------------------------------------------------------------

JAPANESE_CSV = (
    "氏名,生年月日,在留期限\n山田 太郎,令和元年5月1日,２０２６／４／１\nグエン・ヴァン・アン,H2.3.4,R8.4.1\n"
)


JAPANESE_ROWS = [
    (1, ["氏名", "生年月日", "在留期限"]),
    (2, ["山田 太郎", "令和元年5月1日", "2026/4/1"]),  # full-width digits normalised by Cell.text()
    (3, ["グエン・ヴァン・アン", "H2.3.4", "R8.4.1"]),
]


@pytest.mark.parametrize(
    ("encoded", "encoding", "expected"),
    [
        (JAPANESE_CSV.encode("utf-8"), "utf-8", JAPANESE_ROWS),
        (JAPANESE_CSV.encode("utf-8-sig"), "utf-8-sig", JAPANESE_ROWS),
        (JAPANESE_CSV.encode("cp932"), "cp932", JAPANESE_ROWS),
        (JAPANESE_CSV.replace("\n", "\r\n").encode("cp932"), "cp932", JAPANESE_ROWS),
        (JAPANESE_CSV.encode("utf-16"), "utf-16", JAPANESE_ROWS),  # Excel's "Unicode text"
        # CP932's own characters (not in plain Shift_JIS).
        ("①髙﨑,№\n".encode("cp932") * 3, "cp932", [(n, ["1髙﨑", "No"]) for n in (1, 2, 3)]),
        (b"name,born\nAiko,2026/4/1\n", "utf-8", [(1, ["name", "born"]), (2, ["Aiko", "2026/4/1"])]),
    ],
)
def test_csv_encodings(tmp_path, encoded, encoding, expected):
    path = write(tmp_path, "people.csv", encoded)
    info = inspect_file(path, name="people.csv")
    assert info.format == "csv"
    assert info.encoding == encoding
    assert texts(read_rows(path, info)) == expected


def test_cp932_csv_reads_japanese(tmp_path):
    path = write(tmp_path, "people.csv", JAPANESE_CSV.encode("cp932"))
    info = inspect_file(path, name="people.csv")
    assert texts(read_rows(path, info))[1] == (2, ["山田 太郎", "令和元年5月1日", "2026/4/1"])
    assert info.sheets == (SheetInfo(name="", hidden=False, rows=3),)


@pytest.mark.parametrize(
    ("parts", "line", "named"),
    [
        # Mostly UTF-8 with a line saved in CP932.
        (["氏名,国籍\n", "山田,日本\n", "田中,日本\n", "佐藤,日本\n", "鈴木,日本\n"], 4, "UTF-8"),
        # Mostly CP932 with a line pasted in UTF-8 (which CP932 would read as nonsense).
        (["氏名,国籍\n", "山田,日本\n", "田中,日本\n", "佐藤,日本\n", "鈴木,日本\n"], 3, "Shift_JIS (CP932)"),
    ],
)
def test_mixed_encodings_are_refused_naming_the_line(tmp_path, parts, line, named):
    main, other = ("utf-8", "cp932") if named == "UTF-8" else ("cp932", "utf-8")
    data = b"".join(part.encode(other if number == line else main) for number, part in enumerate(parts, 1))
    message = refused(write(tmp_path, "mixed.csv", data), code="mixed_encoding")
    assert f"Line {line} " in message
    assert named in message


def test_bom_file_with_a_cp932_line_is_refused(tmp_path):
    data = "a,b\n".encode("utf-8-sig") + "山田,日本\n".encode("cp932")
    assert "Line 2 " in refused(write(tmp_path, "a.csv", data), code="mixed_encoding")


def test_other_encodings_are_found_by_charset_normalizer(tmp_path):
    text = "Nom,Prénom,Né le\nDupont,Hélène,2026/4/1\nMüller,Jürgen,1990/1/2\n" * 5
    path = write(tmp_path, "fr.csv", text.encode("cp1252"))
    info = inspect_file(path, name="fr.csv")
    assert info.encoding not in {"utf-8", "cp932"}
    assert texts(read_rows(path, info))[1] == (2, ["Dupont", "Hélène", "2026/4/1"])


@pytest.mark.parametrize(
    ("delimiter", "data"), [(",", "a,b\n1,2\n"), (";", "a;b\n1;2\n"), ("\t", "a\tb\n1\t2\n")]
)
def test_csv_delimiters(tmp_path, delimiter, data):
    path = write(tmp_path, "a.csv", data.encode())
    assert texts(read_rows(path, inspect_file(path, name="a.csv"))) == [(1, ["a", "b"]), (2, ["1", "2"])]


def test_csv_rows_empty_rows_repeated_rows_and_formulas(tmp_path):
    data = 'name,amount,,\n\n,,,\nAiko,"1,200",,\nAiko,"1,200",,\n"multi\nline",=SUM(B1:B2)\n'
    path = write(tmp_path, "a.csv", data.encode())
    rows = list(read_rows(path, inspect_file(path, name="a.csv")))
    assert texts(rows) == [
        (1, ["name", "amount"]),
        (4, ["Aiko", "1,200"]),
        (5, ["Aiko", "1,200"]),  # a repeated row is passed through as it is
        (6, ["multi line", "=SUM(B1:B2)"]),
    ]
    assert rows[3][1][0].value == "multi\nline"
    assert rows[3][1][1].note.startswith("this cell starts with “=”")
    assert rows[1][1][0].note == ""


def test_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "IMPORT_MAX_ROWS", 3)
    path = write(tmp_path, "a.csv", b"h\n1\n2\n3\n")
    info = inspect_file(path, name="a.csv")
    assert len(list(read_rows(path, info))) == 4  # a header and 3 rows
    write(tmp_path, "a.csv", b"h\n1\n2\n3\n4\n")
    with pytest.raises(ValidationError) as raised:
        list(read_rows(path, info))
    assert "more than 3 rows" in raised.value.error_dict["file"][0].message


def test_a_50000_row_csv_is_streamed(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="cp932", newline="") as file:
        file.write("氏名,生年月日,在留カード番号,在留期限,国籍\n")
        for number in range(50_000):
            file.write(f"山田 太郎{number},平成2年3月4日,AB{number:08d}CD,令和8年4月1日,ベトナム\n")
    info = inspect_file(path, name="big.csv")
    assert info.encoding == "cp932"
    tracemalloc.start()
    try:
        count = 0
        for _number, cells in read_rows(path, info):
            count += 1
            last = cells
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 50_001
    assert last[2].text() == "AB00049999CD"
    # The rows as a list would hold 250,000 Cells (tens of MB); streaming keeps a few rows.
    assert peak < 2 * 1024 * 1024


# --- Header ----------------------------------------------------------------------------------------------


def test_split_header_names_empty_and_repeated_columns():
    rows = [
        (2, [Cell("Date"), Cell(None), Cell("ｄａｔｅ"), Cell("Name"), Cell("Date (2)"), Cell("Date")]),
        (3, [Cell("2026/4/1")]),
    ]
    names, data = split_header(rows)
    assert names == ["Date", "Column B", "date (2)", "Name", "Date (2) (2)", "Date (3)"]
    assert list(data) == [(3, [Cell("2026/4/1")])]


def test_split_header_with_a_header_only_gives_no_rows():
    names, data = split_header(iter([(1, [Cell("Name")])]))
    assert names == ["Name"]
    assert list(data) == []


def test_split_header_of_an_empty_sheet_is_refused():
    with pytest.raises(ValidationError, match="The sheet is empty"):
        split_header(iter([]))


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["氏名", "生年月日", "在留期限"], False),
        (["Name", "Date of birth"], False),
        (["山田", "1990/4/1", "令和8年4月1日"], True),
        (["山田", "1990/4/1", "AB12345678CD"], False),
        ([46113, 12, "x"], True),
        ([datetime(2026, 4, 1), "山田"], False),
        ([None, "", "　"], False),
    ],
)
def test_looks_like_data(cells, expected):
    assert looks_like_data([Cell(value) for value in cells]) is expected
