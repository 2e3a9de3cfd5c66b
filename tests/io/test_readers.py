"""Readers: encodings detected without a flag, Excel sheets, Parquet, and broken files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from ehcp_timeliness.columns import ROW
from ehcp_timeliness.errors import InputFileError, UsageError
from ehcp_timeliness.io.csv_reader import read_csv
from ehcp_timeliness.io.readers import read_table

from conftest import HEADER, ROWS


def write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(("encoding", "detected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"),
])
def test_csv_encodings_detected(tmp_path: Path, encoding: str, detected: str) -> None:
    text = "\n".join([HEADER, *ROWS, "C5,02/02/2024,Y,,,Café £ “quoted” team"]) + "\n"
    raw = read_table(write(tmp_path / "x.csv", text, encoding))
    assert raw.details["encoding"] == detected
    assert raw.headers[0] == "Case Ref"  # no BOM left on the first header
    frame = raw.frame.collect()
    assert frame["Team"].to_list()[-1] == "Café £ “quoted” team"
    assert frame[ROW].to_list() == [2, 3, 4, 5, 6]


def test_semicolon_delimited_csv(tmp_path: Path) -> None:
    text = "\n".join([HEADER.replace(",", ";"), *(r.replace(",", ";") for r in ROWS)])
    raw = read_table(write(tmp_path / "x.csv", text, "utf-8"))
    assert raw.headers[:2] == ["Case Ref", "Date Request Received"]


@pytest.mark.parametrize(("header", "delimiter"), [
    ('"Case Ref, number, LA";"Date Request Received"', ";"),  # commas inside quoted names
    ('Case Ref|"Notes; free text, long"|Date Request Received', "|"),
    ("Case Ref\tDate Request Received\tTeam", "\t"),
    ("Case Ref", ","),  # one column: no delimiter to find
])
def test_the_delimiter_is_the_one_used_between_header_names(
        tmp_path: Path, header: str, delimiter: str) -> None:
    raw = read_table(write(tmp_path / "x.csv", header + "\n", "utf-8"))
    assert raw.details["delimiter"] == repr(delimiter)
    assert raw.headers[0].startswith("Case Ref")


def make_workbook(path: Path) -> Path:
    book = xlsxwriter.Workbook(path)
    first = book.add_worksheet("Notes")
    first.write_row(0, 0, ["Read me", "nothing here"])
    cases = book.add_worksheet("Cases")
    fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    cases.write_row(0, 0, ["Case Ref", "Date Request Received", "Team"])
    cases.write_number(1, 0, 1234)
    cases.write_datetime(1, 1, dt.datetime(2024, 1, 15), fmt)
    cases.write_string(1, 2, "North")
    cases.write_string(2, 0, "AB-2")
    cases.write_string(2, 1, "15/02/2024")
    book.close()
    return path


def test_excel_named_sheet_and_real_dates(tmp_path: Path) -> None:
    raw = read_table(make_workbook(tmp_path / "book.xlsx"), sheet="Cases")
    frame = raw.frame.collect()
    assert frame["Case Ref"].to_list() == ["1234", "AB-2"]
    assert frame["Date Request Received"].to_list()[0].startswith("2024-01-15")
    assert raw.details["sheet"] == "'Cases'"


def test_excel_first_sheet_by_default(tmp_path: Path) -> None:
    assert read_table(make_workbook(tmp_path / "book.xlsx")).headers == ["Read me",
                                                                          "nothing here"]


def test_excel_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="'Notes', 'Cases'"):
        read_table(make_workbook(tmp_path / "book.xlsx"), sheet="Case list")


def test_annex_a_workbook_from_peer_project_reads(tmp_path: Path) -> None:
    here = Path(__file__).resolve().parents[1] / "fixtures" / "fake_sen.xlsx"
    raw = read_table(here, sheet="List_1")
    assert "Date EHC plan last reviewed" in raw.headers
    assert raw.frame.collect().height == 2


def test_parquet_typed_columns_become_text(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    pl.DataFrame({"case_id": ["A"], "received_date": [dt.date(2024, 1, 15)],
                  "n": [3]}).write_parquet(path)
    frame = read_table(path).frame.collect()
    assert frame["received_date"].to_list() == ["2024-01-15"]
    assert frame["n"].to_list() == ["3"]
    assert frame.schema["n"] == pl.String


def test_format_detected_by_content_not_suffix(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "book.xlsx")
    misnamed = tmp_path / "export.csv"
    misnamed.write_bytes(book.read_bytes())
    assert read_table(misnamed, sheet="Cases").file_format == "xlsx"


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        read_table(tmp_path / "nope.csv")


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="empty"):
        read_table(write(tmp_path / "x.csv", "", "utf-8"))


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputFileError, match="Excel workbook"):
        read_table(path)


def encoding_read(path: Path) -> str:
    """The encoding the CSV reader found (its one pass over the file, csv_reader._checked)."""
    return read_csv(path).details["encoding"]


@pytest.mark.parametrize(("tail", "detected"), [
    ("Zoë\n".encode(), "utf-8"),   # one UTF-8 character, far into the file
    ("Zoë\n".encode("cp1252"), "cp1252"),   # one Windows-1252 byte, far into the file
])
def test_encoding_checked_to_the_last_byte(tmp_path: Path, tail: bytes, detected: str) -> None:
    # Plain-ASCII chunks are skipped quickly (text_encoding.py): what follows them still counts.
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n" + b"x,y\n" * 600_000 + tail)
    assert encoding_read(path) == detected


def test_a_character_split_across_chunks_is_utf8(tmp_path: Path) -> None:
    # "é" is two bytes; put them either side of the 1 MiB chunk boundary, ASCII after it.
    head = b"a\n" + b"x" * ((1 << 20) - 3)
    path = tmp_path / "x.csv"
    path.write_bytes(head + "é".encode() + b"\n" + b"y\n" * 1000)
    assert len(head) == (1 << 20) - 1
    assert encoding_read(path) == "utf-8"
    path.write_bytes(head + b"\xc3" + b"y\n" * 1000)  # a lead byte with no continuation
    assert encoding_read(path) == "cp1252"


def _sen2_xml(tmp_path: Path) -> str:
    """A small SEN2 return as text, without its XML declaration."""
    from ehcp_timeliness.synthetic import generate_cases
    from ehcp_timeliness.synthetic_sen2 import write_sen2_xml

    path = tmp_path / "return.xml"
    write_sen2_xml(generate_cases(20, 3, dt.date(2025, 6, 30)), path)
    text = path.read_text(encoding="utf-8")
    return text.split("?>", 1)[1].lstrip() if text.startswith("<?xml") else text


@pytest.mark.parametrize("variant", [
    "utf-16 with byte order mark and declaration", "utf-16 with byte order mark only",
    "utf-16-le with declaration, no byte order mark", "starts with a comment",
    "starts with a DOCTYPE", "utf-8 byte order mark then a comment"])
def test_xml_in_utf16_or_opening_with_a_comment_or_doctype_is_read_as_sen2(
        tmp_path: Path, variant: str) -> None:
    body = _sen2_xml(tmp_path)
    data = {
        "utf-16 with byte order mark and declaration":
            ('<?xml version="1.0" encoding="UTF-16"?>\n' + body).encode("utf-16"),
        "utf-16 with byte order mark only": body.encode("utf-16"),
        "utf-16-le with declaration, no byte order mark":
            ('<?xml version="1.0" encoding="UTF-16LE"?>\n' + body).encode("utf-16-le"),
        "starts with a comment": ("<!-- exported by a case system -->\n" + body).encode(),
        "starts with a DOCTYPE": ("<!DOCTYPE Message>\n" + body).encode(),
        "utf-8 byte order mark then a comment": b"\xef\xbb\xbf<!-- x -->" + body.encode(),
    }[variant]
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    raw = read_table(path)
    assert raw.file_format == "sen2-xml"
    assert raw.frame.collect().height == 20


def test_utf16_xml_with_no_mark_of_its_encoding_is_refused_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(("\n" + _sen2_xml(tmp_path)).encode("utf-16-le"))
    with pytest.raises(InputFileError, match="XML in UTF-16 with neither a byte order mark"):
        read_table(path)


def test_excel_skips_hidden_sheets_to_the_first_visible(tmp_path: Path) -> None:
    path = tmp_path / "hidden.xlsx"
    book = xlsxwriter.Workbook(path)
    lookup = book.add_worksheet("Lookup")
    lookup.write_column(0, 0, ["code", "Y", "N"])
    also = book.add_worksheet("Meta")
    also.write(0, 0, "exported")
    cases = book.add_worksheet("Cases")
    cases.write_row(0, 0, ["Case Ref", "Date Request Received"])
    cases.write_row(1, 0, ["C1", "15/01/2024"])
    cases.activate()
    lookup.hide()
    also.very_hidden()
    book.close()
    raw = read_table(path)
    assert raw.headers == ["Case Ref", "Date Request Received"]
    assert raw.details == {"sheet": "'Cases'", "skipped hidden": "'Lookup', 'Meta'"}
    assert read_table(path, "Lookup").headers == ["code"]  # named: read, hidden or not


def test_a_workbooks_headers_are_read_as_written_like_a_csvs(tmp_path: Path) -> None:
    """A repeated header and blank header cells: named and reported as a CSV's are (fastexcel
    called them `Team_1` and `__UNNAMED__4`, and no duplicate-header warning was raised, so
    a mapped column written twice was read from the first without a word); the empty columns
    a title cell adds beside the table are not the export's."""
    rows = [["Case Ref", "Date Request Received", "Team", "Team", "", ""],
            ["C1", "15/01/2024", "North", "South", "a", "b"]]
    csv_path = write(tmp_path / "x.csv", "\n".join(",".join(r) for r in rows) + "\n", "utf-8")
    path = tmp_path / "x.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write(0, 0, "Caseload export")  # a title over column A, the table from column B
    for number, row in enumerate(rows, start=2):
        sheet.write_row(number, 1, row)
    book.close()
    workbook, text = read_table(path, lines_above_headers=2), read_table(csv_path)
    assert workbook.headers == text.headers == [
        "Case Ref", "Date Request Received", "Team", "Team (column 4)", "", " (column 6)"]
    assert workbook.duplicate_headers == text.duplicate_headers == (("Team", 3, 4), ("", 5, 6))
    assert workbook.frame.drop(ROW).collect().rows() == [
        ("C1", "15/01/2024", "North", "South", "a", "b")]
    assert workbook.frame.collect()[ROW].to_list() == [4]


@pytest.mark.parametrize("data", [
    b"a,b\n1,2\n", "a,b\nZo\u00eb,2\n".encode(), "a,b\nZo\u00eb,2\n".encode("cp1252"),
    "a,b\n".encode("utf-8-sig"), "a,b\n\u00e9\n".encode("utf-16"),
])
def test_bytes_in_memory_are_detected_as_a_file_is(tmp_path: Path, data: bytes) -> None:
    """COLLECT tables and zip members are told by encoding_of, files by the CSV reader, and
    both decoded by to_utf8: one reading of each encoding."""
    from ehcp_timeliness.io.text_encoding import encoding_of, to_utf8

    path = tmp_path / "x.csv"
    path.write_bytes(data)
    encoding = encoding_read(path)
    assert encoding_of(data) == encoding
    assert to_utf8(data, encoding).decode("utf-8").startswith("a,b\n")


def test_the_start_of_a_file_may_end_inside_a_character() -> None:
    from ehcp_timeliness.io.text_encoding import encoding_of

    cut = "a,é".encode()[:-1]
    assert encoding_of(cut, complete=False) == "utf-8"
    assert encoding_of(cut) == "cp1252"
