"""`report` and `worklist` as a user meets them: files written, formats, privacy, safety."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import Result

from ehcp_timeliness.report.privacy import KEY_ENV

from board_data import AS_OF, EXPECTED_WORKLIST, HEADER, ROWS, write_export
from conftest import SAMPLE

Run = Callable[..., Result]
SHEETS = ["Summary", "Trend", "Over time", "Open cases", "Reviews", "Worklist", "Data quality"]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(tmp_path)


def board(run: Run, export: Path, name: str, *args: object) -> Path:
    out = export.parent / name
    result = run("report", export, "--as-of", AS_OF, "-o", out, *args)
    assert result.exit_code == 0, result.stderr
    return out


def test_report_html_is_self_contained(run: Run, export: Path) -> None:
    html = board(run, export, "board.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    for outside in ("<script", "<link", " src=", "url(", "@import", "<iframe"):
        assert outside not in html
    assert html.count("<svg") >= 2  # trend and ageing charts, inline
    assert 'data-kpi="pct_within_20_weeks_ex_12_months"' in html
    assert "As of" in html and "30 Jun 2025" in html
    assert "46.4%" in html  # England 2024 excluding exceptions, from the shipped DfE figures


def test_report_escapes_text_from_the_data(run: Run, tmp_path: Path) -> None:
    rows = [*ROWS, 'C8,P8,01/06/2025,,,,<script>alert(1)</script>,',
            '<img src=x onerror=alert(2)>,P9,02/06/2025,,,,South,']
    export = write_export(tmp_path, rows)
    html = board(run, export, "board.html", "--by", "Team").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_report_is_byte_identical_and_leaves_no_temporary_files(run: Run, export: Path) -> None:
    first = board(run, export, "a.html").read_bytes()
    assert board(run, export, "b.html").read_bytes() == first
    first_xlsx = board(run, export, "a.xlsx").read_bytes()
    assert board(run, export, "b.xlsx").read_bytes() == first_xlsx
    assert sorted(p.name for p in export.parent.iterdir()) == [
        "a.html", "a.xlsx", "b.html", "b.xlsx", "board_cases.csv"]


def test_report_refuses_to_write_over_the_input(run: Run, export: Path) -> None:
    before = export.read_bytes()
    result = run("report", export, "--as-of", AS_OF, "-o", export, "--format", "html")
    assert result.exit_code == 2
    assert "the command reads it" in result.stderr
    assert export.read_bytes() == before


def measure_row(sheet, measure: str, window: str) -> dict[str, object]:
    """The Summary sheet's row of every measure against its target for MEASURE in the window
    starting WINDOW, by heading."""
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[:2] == ["Measure", "Window"])
    header = rows[start]
    for values in rows[start + 1:]:
        if values[0] == measure and str(values[1]).startswith(window):
            return dict(zip(header, values, strict=False))
    raise AssertionError(f"no row for {measure}, {window}")


def test_workbook_sheets_and_known_cells(run: Run, export: Path) -> None:
    book = openpyxl.load_workbook(board(run, export, "board.xlsx", "--by", "Team"))
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref, sheet.title
    summary = book["Summary"]
    # the headline first, in words: no KPI ids in column A
    assert summary["A1"].value == "Measure"
    assert summary["A2"].value == "New plans issued within 20 weeks (DfE's headline)"
    assert not any(str(c.value).startswith(("pct_", "open_cases", "reviews_overdue"))
                   for c in summary["A"])
    assert "What each column means" in [c.value for c in summary["A"]]
    for name in ("Trend", "Open cases", "Reviews", "Worklist", "Data quality"):
        cells = [c.value for row in book[name].iter_rows(max_row=1) for c in row]
        assert "What each column means" in cells, name
    assert book["Data quality"]["A1"].value == "Problem"
    row = measure_row(summary, "New plans issued within 20 weeks", "June 2025")
    assert (row["Actual"], row["Numerator"], row["Denominator"]) == (50.0, 1, 2)
    assert row["England"] == 45.9  # England 2024 including exceptions
    assert summary.column_dimensions["B"].width > 20
    trend = book["Trend"]
    assert trend["A25"].value == datetime(2025, 6, 1) and trend["A25"].number_format == "mmm yyyy"
    assert (trend["B25"].value, trend["C25"].value) == (2, 1)
    work = book["Worklist"]
    header = [c.value for c in work[1]]
    assert header[:3] == ["Team", "Case", "Person"]
    first = {h: c.value for h, c in zip(header, work[2], strict=True)}
    assert (first["Team"], first["Case"]) == ("North", "C7")
    assert first["Due"] == datetime(2025, 7, 9)
    assert work.cell(2, header.index("Due") + 1).is_date
    assert book.properties.created == datetime(2025, 6, 30)
    assert book["Reviews"]["A2"].value == "North"


def test_workbook_neutralises_formulas(run: Run, tmp_path: Path) -> None:
    export = write_export(tmp_path, [*ROWS, "C8,P8,01/06/2025,,,,=HYPERLINK(\"x\"),",
                                     "C9,P9,02/06/2025,,,,@SUM(A1),"])
    book = openpyxl.load_workbook(board(run, export, "board.xlsx", "--by", "Team"))
    teams = [c.value for c in book["Worklist"]["A"]]
    assert "'=HYPERLINK(\"x\")" in teams and "'@SUM(A1)" in teams
    assert all(c.data_type != "f" for row in book["Worklist"].iter_rows() for c in row)


def test_suppression_in_html_and_workbook(run: Run, export: Path) -> None:
    html = board(run, export, "board.html", "--suppress-below", "5").read_text(encoding="utf-8")
    assert "Counts below 5 suppressed" in html
    assert '<span class="kpi-value">c</span>' in html
    assert '<span class="kpi-value">50.0%</span>' not in html
    summary = openpyxl.load_workbook(board(run, export, "board.xlsx",
                                           "--suppress-below", "5"))["Summary"]
    row = measure_row(summary, "New plans issued within 20 weeks", "June 2025")
    assert (row["Actual"], row["Numerator"], row["Denominator"]) == ("c", "c", "c")


def test_targets_and_slippage(run: Run, export: Path) -> None:
    config = export.parent / "board.toml"
    config.write_text("[targets.pct_within_20_weeks_month]\ntarget = 80\n"
                      "milestones = [{ date = 2025-06-01, value = 60 }]\n"
                      "[targets.reviews_overdue]\ntarget = 0\n"
                      "milestones = [{ date = 2025-06-01, value = 2 }]\n", encoding="utf-8")
    html = board(run, export, "board.html", "-c", config).read_text(encoding="utf-8")
    # a target on a window the headline leaves out: in the windows table, not a card
    assert 'data-kpi="pct_within_20_weeks_month"' not in html
    assert "<td>Slippage (-10.0 pts)</td>" in html
    assert 'class="kpi" data-kpi="reviews_in_time"' in html
    # a count's gap is whole; on track, but the export cannot show the trend: it says so
    assert "On track (-1); trend not known" in html
    summary = openpyxl.load_workbook(board(run, export, "board.xlsx", "-c", config))["Summary"]
    row = measure_row(summary, "New plans issued within 20 weeks", "June 2025")
    assert (row["Milestone now"], row["Target"], row["Status"]) == (60, 80, "slippage")


def test_pseudonymise_needs_a_key(run: Run, export: Path, monkeypatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    result = run("worklist", export, "--as-of", AS_OF, "--pseudonymise")
    assert result.exit_code == 2 and KEY_ENV in result.stderr


def test_pseudonymised_ids_are_stable(run: Run, export: Path, monkeypatch) -> None:
    monkeypatch.setenv(KEY_ENV, "a test key that is long enough")
    first = run("worklist", export, "--as-of", AS_OF, "--format", "csv", "--pseudonymise")
    again = run("worklist", export, "--as-of", AS_OF, "--format", "csv", "--pseudonymise")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == again.stdout
    ids = [r["case_id"] for r in csv.DictReader(io.StringIO(first.stdout))]
    assert all(i.startswith("C-") for i in ids) and "C3" not in ids
    html = board(run, export, "board.html", "--pseudonymise").read_text(encoding="utf-8")
    assert ">C3<" not in html and ids[0] in html


def test_worklist_terminal_table(run: Run, export: Path) -> None:
    result = run("worklist", export, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "18 days overdue" in result.stdout and "due in 10 days" in result.stdout
    assert result.stdout.index("C3") < result.stdout.index("C5")
    assert "5 items, 3 overdue" in result.stdout


def test_worklist_csv_json_xlsx(run: Run, export: Path, tmp_path: Path) -> None:
    result = run("worklist", export, "--as-of", AS_OF, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["case_id"], r["step_due_date"], int(r["days_left"])) for r in rows] == \
        EXPECTED_WORKLIST
    data = json.loads(run("worklist", export, "--as-of", AS_OF, "--format", "json",
                          "--within", "0", "--by", "Team").stdout)
    assert [(r["Team"], r["case_id"]) for r in data] == [("South", "C3"), ("South", "C6"),
                                                          ("South", "C4")]
    out = tmp_path / "work.xlsx"
    assert run("worklist", export, "--as-of", AS_OF, "--format", "xlsx", "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Worklist"]
    # A labelled "As of" cell and the filter used, above the list
    assert (sheet["A1"].value, sheet["B1"].value) == ("As of", datetime(2025, 6, 30))
    assert (sheet["A2"].value, sheet["B2"].value) == ("Filter (--where)", "none: every case")
    assert sheet["A5"].value == "C3" and sheet.freeze_panes == "A5"


def test_unknown_by_column(run: Run, export: Path) -> None:
    result = run("worklist", export, "--as-of", AS_OF, "--by", "caseworker")
    assert result.exit_code == 2 and "Columns you can group by" in result.stderr


def test_sample_board_config_maps_the_sample_like_mapping_toml() -> None:
    def columns(name: str) -> dict[str, str]:
        return tomllib.loads((SAMPLE / name).read_text(encoding="utf-8"))["columns"]

    assert columns("board.toml") == columns("mapping.toml")


def test_the_sample_workbook_has_the_benchmark_and_the_headline(run: Run,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "board.xlsx"
    result = run("report", SAMPLE / "cases.csv", "-c", SAMPLE / "board.toml", "--as-of",
                 "2025-06-30", "-o", out)
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["Summary", "Benchmark"]
    summary = [[c.value for c in r] for r in book["Summary"].iter_rows()]
    assert [r[0] for r in summary[1:6]] == [
        "New plans issued within 20 weeks (DfE's headline)", "Open requests overdue",
        "Plans reviewed within 12 months", "Decisions whether to assess within 6 weeks",
        "Median weeks from request to plan"]
    assert summary[1][3] == "44.8%" and summary[2][3] == "92"
    data = json.loads(run("benchmark", SAMPLE / "cases.csv", "-c", SAMPLE / "board.toml",
                          "--as-of", "2025-06-30", "--neighbours", "--format", "json").stdout)
    yours = {r["time_period"]: r for r in data["benchmark"] if r["role"] == "your data"}
    rows = [[c.value for c in r] for r in book["Benchmark"].iter_rows()]
    assert rows[0][:5] == ["Year", "Your plans (ex)", "Your plans within 20 weeks (ex)",
                           "Your data %", "Your national rank"]
    assert [r[0] for r in rows[1:5]] == ["2022 (from 2 Jul)", "2023", "2024", "2025 (to 30 Jun)"]
    for values in rows[1:5]:
        mine = yours[int(values[0][:4])]
        assert values[3] == mine["PC_plans_issued_20_weeks_ex"]
        assert values[4] == ("not ranked: part year" if "(" in values[0]
                             else f"{mine['rank_ex']} of {mine['rank_ex_of']}")
    assert "What each column means" in [r[0] for r in rows]


def test_a_pack_cut_by_where_says_so_on_the_page_and_in_the_workbook(run: Run,
                                                                      export: Path) -> None:
    """A board reading a team's figures as the authority's would be misled: the filter is
    named in the page's header, its conventions, the benchmark's caption and the workbook."""
    html = board(run, export, "board.html", "--where", "Team=North").read_text(encoding="utf-8")
    header = html[html.index("<header>"):html.index("</header>")]
    assert "Only the cases where Team = North" in header
    assert "only the cases where Team = North; every figure" in html
    book = openpyxl.load_workbook(board(run, export, "board.xlsx", "--where", "Team=North"))
    notes = [row[0] for row in book["Summary"].iter_rows(values_only=True) if row[0]]
    assert any(str(n).startswith("Filter (--where): only the cases where Team = North")
               for n in notes)
    whole = board(run, export, "whole.html").read_text(encoding="utf-8")
    assert "Only the cases where" not in whole and "Filter (" not in whole


def test_a_board_grouped_by_a_personal_column_says_so(run: Run, tmp_path: Path) -> None:
    """Without --pseudonymise a board may be grouped by any column, but the labels of a
    personal one are children's details: said beside the note about ids, naming the column
    (with --pseudonymise such grouping is refused)."""
    export = write_export(tmp_path, [f"{row},{2010 + n % 3}-01-0{1 + n % 5}"
                                     for n, row in enumerate(ROWS)], HEADER + ",DOB")
    said = "The board pack's groups are the values of DOB, children's personal details"
    for by in ("DOB", "date_of_birth"):
        result = run("report", export, "--as-of", AS_OF, "--by", by, "-o", tmp_path / "b.html")
        assert result.exit_code == 0, result.stderr
        assert said in " ".join(result.stderr.split())
    team = run("report", export, "--as-of", AS_OF, "--by", "Team", "-o", tmp_path / "b.html")
    assert team.exit_code == 0 and "personal details" not in team.stderr
