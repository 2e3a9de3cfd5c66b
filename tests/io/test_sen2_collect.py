"""COLLECT per-table CSV export: the same `cases` output as the XML of the same return, tables
found by their headers in a folder or a zip, and clear errors for incomplete exports.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import Result

from ehcp_timeliness.config import Config
from ehcp_timeliness.errors import InputFileError
from ehcp_timeliness.io.readers import read_table
from ehcp_timeliness.io.sen2_collect import table_of
from ehcp_timeliness.io.sen2_common import LINE
from ehcp_timeliness.io.zip_input import list_zip
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.synthetic import generate_cases

from conftest import AS_OF, SAMPLE, load_script

Run = Callable[..., Result]
SEN2 = SAMPLE / "sen2"
collect_tables = load_script("make_sen2_sample").collect_tables


def cases_output(run: Run, source: Path) -> pl.DataFrame:
    result = run("cases", source, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "set aside" in result.stderr
    return pl.read_csv(io.StringIO(result.stdout), infer_schema=False)


def zip_folder(folder: Path, target: Path, rename: Callable[[str], str] = str) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, rename(path.name))
    return target


def test_sample_xml_and_collect_give_identical_cases(run: Run, tmp_path: Path) -> None:
    from_xml = cases_output(run, SEN2 / "sen2_sample.xml")
    from_collect = cases_output(run, SEN2 / "collect")
    from_zip = cases_output(run, zip_folder(SEN2 / "collect", tmp_path / "export.zip"))
    assert from_xml.height == 400
    # sen2_line is where each request is in its own source: an XML line, a requests-table row.
    assert_frame_equal(from_xml.drop(LINE), from_collect.drop(LINE))
    assert_frame_equal(from_collect, from_zip)
    assert from_xml["plan_status"].n_unique() >= 5  # a real mixture, not all one status


def test_shipped_sample_is_what_the_script_writes(tmp_path: Path) -> None:
    load_script("make_sen2_sample").main(["--out", str(tmp_path)])
    assert (tmp_path / "sen2_sample.xml").read_bytes() == (SEN2 / "sen2_sample.xml").read_bytes()
    for path in sorted((tmp_path / "collect").glob("*.csv")):
        assert path.read_bytes() == (SEN2 / "collect" / path.name).read_bytes(), path.name


def test_tables_found_by_headers_not_names(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "Blade export"
    folder.mkdir()
    for path in (SEN2 / "collect").glob("*.csv"):
        frame = pl.read_csv(path, infer_schema=False)
        # COLLECT's own file names, and headers in another case.
        frame.rename({c: c.upper() if "id" in c else c.title() for c in frame.columns}) \
            .write_csv(folder / f"Blade-Export_30-06-2025_{path.stem}.csv")
    (folder / "notes.csv").write_text("Note,Author\nchecked,me\n", encoding="utf-8")
    (folder / "README.txt").write_text("not a table", encoding="utf-8")
    expected = cases_output(run, SEN2 / "collect")
    assert_frame_equal(cases_output(run, folder), expected)


@pytest.mark.parametrize(("headers", "table"), [
    (["requeststableid", "persontableid", "receiveddate"], "requests"),
    (["PersonTableID", "sen2TableId", "upn"], "person"),
    (["senneedtableid", "activeplanstableid", "sentype"], "senneed"),
    (["Case Ref", "Date Received"], None),
])
def test_table_of(headers: list[str], table: str | None) -> None:
    assert table_of(headers) == table


def test_folder_that_is_not_a_collect_export_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    (tmp_path / "cases.csv").write_text("Case Ref,Date Received\nA,01/01/2025\n", encoding="utf-8")
    result = run("cases", tmp_path)
    assert result.exit_code == 2
    assert "is a folder, but not a SEN2 COLLECT export (found: cases.csv)" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("cases", empty).exit_code == 2


def test_missing_tables_are_named(run: Run, tmp_path: Path) -> None:
    shutil.copytree(SEN2 / "collect", tmp_path / "x")
    (tmp_path / "x" / "assessment.csv").unlink()
    (tmp_path / "x" / "namedplan.csv").unlink()
    result = run("cases", tmp_path / "x")
    assert result.exit_code == 1
    assert "COLLECT tables assessment, namedplan not found" in result.stderr
    assert "Traceback" not in result.stderr


def write_tables(folder: Path, tables: dict[str, pl.DataFrame]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, frame in tables.items():
        frame.write_csv(folder / f"{name}.csv")
    return folder


@pytest.fixture
def tables() -> dict[str, pl.DataFrame]:
    return collect_tables(generate_cases(rows=30, seed=7, as_of=dt.date(2025, 6, 30)))


def test_two_files_for_one_table(tmp_path: Path, tables: dict[str, pl.DataFrame]) -> None:
    folder = write_tables(tmp_path / "x", tables)
    tables["person"].write_csv(folder / "person copy.csv")
    with pytest.raises(InputFileError, match="two files are the COLLECT person table"):
        read_table(folder)


def test_request_for_unknown_person(tmp_path: Path, tables: dict[str, pl.DataFrame]) -> None:
    tables["requests"] = tables["requests"].with_columns(
        pl.when(pl.col("requeststableid") == "4").then(pl.lit("999"))
        .otherwise(pl.col("persontableid")).alias("persontableid"))
    with pytest.raises(InputFileError, match=r"1 request row\(s\) name a person not in the "
                                             r"person table \(first at row 5"):
        read_table(write_tables(tmp_path / "x", tables))


def test_one_assessment_per_request_and_primary_need(tmp_path: Path,
                                                     tables: dict[str, pl.DataFrame]) -> None:
    first = tables["assessment"].head(1)
    tables["assessment"] = pl.concat([tables["assessment"], first.with_columns(
        pl.lit("extra").alias("assessmenttableid"), pl.lit("W").alias("assessmentoutcome"))])
    active = tables["activeplans"]["activeplanstableid"][0]
    tables["senneed"] = pl.DataFrame({
        "senneedtableid": ["1", "2"], "activeplanstableid": [active, active],
        "sentype": ["SPLD", "ASD"], "sentyperank": ["2", "1"]})
    raw = read_table(write_tables(tmp_path / "x", tables))
    frame = raw.frame.collect()
    assert frame.height == tables["requests"].height  # the second assessment adds no row
    request = first["requeststableid"][0]
    row = int(tables["requests"]["requeststableid"].to_list().index(request))
    assert frame["assessment_outcome"][row] == first["assessmentoutcome"][0]
    assert frame["sen_type"].drop_nulls().to_list() == ["ASD"]


def test_zip_of_tables_is_collect_and_workbook_is_not(tmp_path: Path) -> None:
    archive = zip_folder(SEN2 / "collect", tmp_path / "export.zip",
                         rename=lambda name: f"return/{name}")
    listing = list_zip(archive)
    assert listing.csv_members and not listing.is_workbook
    assert read_table(archive).file_format == "sen2-collect"
    workbook = tmp_path / "book.xlsx"
    with zipfile.ZipFile(workbook, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("notes.csv", "a,b\n")
    assert list_zip(workbook).is_workbook


def test_person_listed_twice_does_not_double_requests(tmp_path: Path,
                                                      tables: dict[str, pl.DataFrame]) -> None:
    tables["person"] = pl.concat([tables["person"], tables["person"].head(1)])
    frame = read_table(write_tables(tmp_path / "x", tables)).frame.collect()
    assert frame.height == tables["requests"].height


@pytest.mark.parametrize(("table", "parent_id"), [
    ("assessment", "requeststableid"), ("namedplan", "assessmenttableid"),
    ("activeplans", "requeststableid"), ("senneed", "activeplanstableid"),
])
def test_a_child_row_whose_parent_is_missing_is_set_aside_with_an_issue(
        tmp_path: Path, tables: dict[str, pl.DataFrame], table: str, parent_id: str) -> None:
    if table == "senneed":
        active = tables["activeplans"]["activeplanstableid"][0]
        tables["senneed"] = pl.DataFrame({"senneedtableid": ["1"], "activeplanstableid": [active],
                                          "sentype": ["ASD"], "sentyperank": ["1"]})
        tables["senneed"] = pl.concat([tables["senneed"]] * 3)
    child = tables[table]
    assert child.height >= 3
    # The third row's parent id matches nothing; the first row's is blank.
    tables[table] = child.with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("no-such-id"))
        .when(pl.int_range(pl.len()) == 0).then(pl.lit(None))
        .otherwise(pl.col(parent_id)).alias(parent_id))
    folder = write_tables(tmp_path / "x", tables)
    analysis = analyse(folder, Config(), dt.date(2025, 6, 30))
    requests = tables["requests"].height
    unmatched = analysis.issues.filter(pl.col("code") == "unmatched-sen2-row")
    expected = [f"{table} table row 2", f"{table} table row 4"]  # the header is row 1
    assert unmatched["value"].to_list() == expected
    assert unmatched["column"].unique().to_list() == [parent_id]
    assert unmatched["severity"].unique().to_list() == ["error"]
    # Counted as rows in and set aside, numbered after the last request.
    assert unmatched["row"].to_list() == list(range(requests + 2, requests + 2 + len(expected)))
    assert analysis.rows_in == requests + len(expected)
    assert analysis.rows_set_aside >= len(expected)


def test_validate_lists_unmatched_rows_and_fails(run: Run, tmp_path: Path,
                                                 tables: dict[str, pl.DataFrame]) -> None:
    tables["assessment"] = tables["assessment"].with_columns(
        pl.lit("999999").alias("requeststableid"))
    result = run("validate", write_tables(tmp_path / "x", tables), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "unmatched-sen2-row" in result.stdout + result.stderr


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_tables_re_saved_in_another_encoding_read_the_same(run: Run, tmp_path: Path,
                                                           encoding: str) -> None:
    """COLLECT tables are decoded as every CSV export is (io/text_encoding.py): Excel's
    "CSV UTF-8" (BOM), "Unicode text" (UTF-16) and Windows-1252 give the same cases."""
    folder, reference = tmp_path / encoding, tmp_path / "utf-8"
    folder.mkdir()
    reference.mkdir()
    for path in sorted((SEN2 / "collect").glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if path.name == "person.csv":  # a column the reader does not use, with accents
            lines = [lines[0] + ",notes", *(line + ",Zoë café" for line in lines[1:])]
        text = "\r\n".join(lines) + "\r\n"
        (folder / path.name).write_bytes(text.encode(encoding))
        (reference / path.name).write_bytes(text.encode("utf-8"))
    assert_frame_equal(cases_output(run, folder), cases_output(run, reference))
