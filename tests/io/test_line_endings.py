"""No record lost to line endings: every record the csv module (and Excel) sees is a row in,
whether lines end with LF, CRLF, a lone CR or a mix, with or without a final line break."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from ehcp_timeliness.config import Config
from ehcp_timeliness.io.csv_reader import bare_cr_to_lf, read_csv
from ehcp_timeliness.pipeline import analyse
from fuzz.generators import AS_OF

from conftest import SAMPLE

HEADER = "Case Ref,Date Request Received,Team"
RECORDS = ["C1,15/01/2024,North", 'C2,16/01/2024,"South\rEast"', "C3,17/01/2024,",
           'C4,18/01/2024,"a\nb"', "C5,19/01/2024,West"]

# name -> the ending after the header, then after each record ("" = none at the end).
ENDINGS = {
    "header ended by a lone CR, LF after": ["\r", "\n", "\n", "\n", "\n", "\n"],
    "header ended by a lone CR, CRLF after": ["\r", "\r\n", "\r\n", "\r\n", "\r\n", "\r\n"],
    "mixed CR, LF and CRLF": ["\r\n", "\r", "\n", "\r\n", "\r", "\n"],
    "old Mac CR only": ["\r"] * 6,
    "a lone CR in the middle of an LF file": ["\n", "\n", "\r", "\n", "\n", "\n"],
    "no final line break (LF)": ["\n"] * 5 + [""],
    "no final line break (CR)": ["\r"] * 5 + [""],
    "no final line break (mixed)": ["\r", "\r\n", "\n", "\r", "\n", ""],
    "final lone CR after CRLF": ["\r\n"] * 5 + ["\r"],
}


def export(ends: list[str]) -> bytes:
    lines = [HEADER, *RECORDS]
    return "".join(line + end for line, end in zip(lines, ends, strict=True)).encode("utf-8")


def csv_module_records(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))[1:]


@pytest.mark.parametrize("name", sorted(ENDINGS))
def test_every_record_is_a_row_in_whatever_the_line_endings(tmp_path: Path, name: str) -> None:
    data = export(ENDINGS[name])
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    raw = read_csv(path)
    assert raw.headers == HEADER.split(","), "a record was folded into the header"
    analysis = analyse(path, Config(), AS_OF)
    expected = csv_module_records(data)
    assert analysis.rows_in == len(expected) == len(RECORDS)
    assert analysis.rows_analysed + analysis.rows_set_aside == analysis.rows_in
    cells = raw.frame.drop("__row").collect().rows()
    # A quoted value keeps its own line break; every other CR ended a record.
    assert [[c or "" for c in r] for r in cells] == expected


def test_a_lone_cr_far_into_a_large_file_still_ends_its_record(tmp_path: Path) -> None:
    """Found by scanning the whole file, not a sample of its first bytes."""
    rows = [f"C{i},15/01/2024,North\n" for i in range(60_000)]  # about 1.2 MB
    rows[-2] = rows[-2].replace("\n", "\r")
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + "".join(rows), encoding="utf-8")
    assert analyse(path, Config(), AS_OF).rows_in == 60_000


def test_a_cr_inside_quotes_stays_and_others_end_lines() -> None:
    assert bare_cr_to_lf(b'a,"x\ry"\rb,"""q""\r"\r\nc') == b'a,"x\ry"\nb,"""q""\r"\r\nc'


def test_collect_tables_with_lone_cr_endings_read_as_with_lf(tmp_path: Path) -> None:
    """COLLECT tables re-saved by Excel for Mac: the same cases as the tables as written."""
    source = SAMPLE / "sen2" / "collect"
    mac = tmp_path / "collect"
    shutil.copytree(source, mac)
    for i, table in enumerate(sorted(mac.glob("*.csv"))):
        lines = table.read_bytes().replace(b"\r\n", b"\n").split(b"\n")
        # Alternate styles: every line ended by CR, or only the header ended by CR.
        ends = [b"\r"] * len(lines) if i % 2 else [b"\r"] + [b"\n"] * (len(lines) - 1)
        table.write_bytes(b"".join(line + end for line, end in zip(lines, ends, strict=True)
                                   if line))
    expected = analyse(source, Config(), AS_OF)
    found = analyse(mac, Config(), AS_OF)
    assert found.rows_in == expected.rows_in == 400
    assert found.issues.equals(expected.issues)
