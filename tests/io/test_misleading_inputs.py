"""Messages that used to mislead: each input now gets a message saying what it is, or is read
as it was meant (Excel's `sep=` line, non-Latin yes-words).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from typer.testing import Result

from ehcp_timeliness.boolean_words import boolean_key, boolean_key_expr
from ehcp_timeliness.config import BooleansConfig
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.excel_reader import SHOWN_SHEETS
from ehcp_timeliness.io.readers import read_table
from ehcp_timeliness.io.writers import write_output

from conftest import AS_OF, HEADER, ROWS

Run = Callable[..., Result]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _says(run: Run, path: Path, code: int = 1) -> str:
    result = run("summary", path, "--as-of", AS_OF)
    assert result.exit_code == code, result.stderr
    assert "Internal error" not in result.stderr
    return " ".join(result.stderr.split())


@pytest.mark.parametrize("name", ["cases.xlsx", "cases.csv", "cases"])
def test_a_legacy_or_password_protected_workbook_under_another_name_says_so(
        run: Run, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(OLE + bytes(4096))
    says = _says(run, path)
    assert "is an Excel 97-2003 workbook (.xls) or a password-protected workbook" in says


@pytest.mark.parametrize("page", [
    "<!DOCTYPE html>\n<html><body><table><tr><td>Case Ref</td></tr></table></body></html>",
    "<html><head><meta charset='utf-8'></head><body><table></table></body></html>",
    "\ufeff  <TABLE border=1><TR><TD>Case Ref</TD></TR></TABLE>",
])
@pytest.mark.parametrize("name", ["cases.csv", "cases.xls"])
def test_a_web_page_saved_as_an_export_says_so(run: Run, tmp_path: Path, page: str,
                                               name: str) -> None:
    path = tmp_path / name
    path.write_text(page, encoding="utf-8")
    assert "is a web page (HTML)" in _says(run, path)


def _compressed(data: bytes, kind: str) -> bytes:
    import bz2
    import gzip
    import lzma

    return {"gzip": gzip.compress, "bzip2": bz2.compress, "xz": lzma.compress}[kind](data)


@pytest.mark.parametrize(("name", "kind", "says"), [
    ("cases.csv.gz", "gzip", "is a gzip-compressed file, not a case export Uncompress it"),
    ("cases.csv.bz2", "bzip2", "is a bzip2-compressed file, not a case export Uncompress it"),
    ("cases.csv.xz", "xz", "is an xz-compressed file, not a case export Uncompress it"),
    ("cases.pdf", "pdf", "is a PDF document, not a case export Give the case export itself"),
])
def test_a_compressed_export_or_a_pdf_says_what_it_is(run: Run, tmp_path: Path, name: str,
                                                       kind: str, says: str) -> None:
    """Read as CSV, a PDF's first line was listed as its "headers" with a [columns] block to
    fill in, and a compressed file's bytes were blamed on its encoding."""
    export = "\n".join([HEADER, *ROWS]).encode()
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" if kind == "pdf"
                     else _compressed(export, kind))
    message = _says(run, path)
    assert says in message
    assert "Headers found" not in message and "NUL" not in message


@pytest.mark.parametrize("sep", [";", "|", "\t", ","])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_excels_sep_line_is_honoured(run: Run, tmp_path: Path, sep: str, ending: str) -> None:
    path = tmp_path / "cases.csv"
    lines = [f"sep={sep}", HEADER.replace(",", sep),
             *(r.replace(",", sep) for r in ROWS),
             sep.join(["C9", "01/01/2024", "", "", "", '"x;y,z|w"'])]
    path.write_text(ending.join(lines) + ending, encoding="utf-8")
    raw = read_table(path)
    assert raw.headers[:2] == ["Case Ref", "Date Request Received"]
    frame = raw.frame.collect()
    assert frame.height == len(ROWS) + 1 and frame["__row"][0] == 2
    result = run("cases", path, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("C1,2024-01-15")


def test_an_undefined_xml_entity_names_its_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "return.xml"
    path.write_text('<?xml version="1.0"?>\n<Message>\n<Header/>\n<Person>\n'
                    "<UPN>&nbsp;</UPN></Person></Message>\n", encoding="utf-8")
    says = _says(run, path)
    assert "at line 5" in says and "Entity 'nbsp' not defined" in says
    assert "no element found" not in says


def test_an_output_name_near_the_length_limit_is_written(tmp_path: Path) -> None:
    for name in ("a" * 250 + ".csv", "é" * 125 + ".csv"):
        target = tmp_path / name
        write_output(b"x\n", target)
        assert target.read_bytes() == b"x\n"
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
        target.unlink()


def test_a_workbook_of_a_thousand_sheets_lists_a_few(tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    book = xlsxwriter.Workbook(path)
    for i in range(1000):
        book.add_worksheet(f"Child {i:04d}")
    book.close()
    with pytest.raises(InputFileError) as raised:
        read_table(path, sheet="Cases")
    message = str(raised.value)
    assert message.count("'Child ") == SHOWN_SHEETS
    assert "and 990 more (1,000 in all)" in message


@pytest.mark.parametrize(("words", "cell", "read"), [
    (("Да",), "да", True), (("Sí",), "SÍ", True), (("Sí",), "S", False), (("Sí",), "si", False),
    (("Ja bitte",), "ja-bitte", True), (("été",), "e\u0301te\u0301", True),
])
def test_true_words_in_any_script_are_kept_whole(words: tuple[str, ...], cell: str,
                                                 read: bool) -> None:
    keys = {boolean_key(w) for w in BooleansConfig(true_words=words).true_words}
    assert all(keys)  # "Да" was refused as having no letters
    assert (boolean_key(cell) in keys) is read
    assert pl.select(boolean_key_expr(pl.lit(cell))).item() == boolean_key(cell)


def test_true_words_in_any_script_are_read_in_an_export(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("Case Ref,Date Request Received,Request Outcome,Final EHCP Issued,Week20\n"
                    "C1,15/01/2024,Y,03/07/2024,Да\nC2,15/01/2024,Y,03/07/2024,S\n",
                    encoding="utf-8")
    config = tmp_path / "c.toml"
    config.write_text('[booleans]\ntrue_words = ["Да", "Sí"]\n', encoding="utf-8")
    result = run("cases", path, "--as-of", AS_OF, "-c", config)
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()
    exception = rows[0].split(",").index("exception_applies")
    assert rows[1].split(",")[exception] == "true"
    assert rows[2].split(",")[exception] == "false"


def test_a_chart_sheet_first_prints_no_library_text(run: Run, tmp_path: Path) -> None:
    """A workbook opening on a chart: calamine's own warning ("'chartsheet' not a valid
    worksheet") reached stderr raw, twice, among the tool's messages. Now the tool alone
    speaks: which sheet it read, and the others, one of which holds the cases."""
    path = tmp_path / "dashboard.xlsx"
    book = xlsxwriter.Workbook(path)
    charts = book.add_chartsheet("Chart1")
    cases = book.add_worksheet("Cases")
    for number, line in enumerate([HEADER, *ROWS]):
        cases.write_row(number, 0, line.split(","))
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Cases!$B$2:$B$3"})
    charts.set_chart(chart)
    charts.activate()
    book.close()
    # In a process of its own, as a user runs it: pytest's own log capture would hide the
    # library's output from Python's last-resort handler.
    for sheet in ([], ["--sheet", "Cases"]):
        done = subprocess.run([sys.executable, "-m", "ehcp_timeliness", "summary", str(path),
                               "--as-of", AS_OF, *sheet], capture_output=True, text=True,
                              check=False, timeout=120)
        assert done.returncode == (0 if sheet else 1), done.stderr
        assert "chartsheet" not in done.stderr and "valid worksheet" not in done.stderr
    assert "Sheet 'Chart1' was read (the first visible one); the workbook also has 'Cases'" \
        in _says(run, path)
