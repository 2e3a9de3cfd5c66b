"""`dfe` and `benchmark` as a user meets them: data on stdout, citations, exit codes."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ehcp_timeliness.published import CITATION, OGL
from ehcp_timeliness.summaries.benchmark import BENCHMARK_COLUMNS
from ehcp_timeliness.summaries.dfe import DFE_COLUMNS

from published_rows import cases_for_published_row, census_day, published_figures, published_row

Run = Callable[..., Result]
AS = "2025-06-30"


def rows(result: Result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_dfe_csv_has_dfes_columns(run: Run, small_csv: Path) -> None:
    result = run("dfe", small_csv, "--as-of", AS, "--format", "csv")
    (row,) = rows(result)
    assert list(row) == [*DFE_COLUMNS, "is_part_period"]
    assert (row["time_period"], row["plans_issued_den"], row["plans_issued_within_20_weeks"],
            row["pc_plans_issued_within_20_weeks"], row["plans_issued_den_ex"],
            row["PC_plans_issued_20_weeks_ex"]) == ("2024", "2", "1", "50.0", "1", "100.0")
    assert "4 rows in: 4 analysed" in result.stderr


def test_dfe_json(run: Run, small_csv: Path) -> None:
    result = run("dfe", small_csv, "--as-of", AS, "--format", "json")
    data = json.loads(result.stdout)
    assert data["as_of"] == AS and data["rows"]["rows_in"] == 4
    assert list(data["figures"][0]) == [*DFE_COLUMNS, "is_part_period"]


def test_dfe_table(run: Run, small_csv: Path) -> None:
    result = run("dfe", small_csv, "--as-of", AS)
    assert result.exit_code == 0, result.stderr
    for text in ("PC_plans_issued_20_weeks_ex", "request_outcome_six_weeks",
                 "number_decsion_4weeks", "As of 2025-06-30", "receipt day not counted"):
        assert text in result.stdout


def test_dfe_reproduces_a_published_row_from_a_file(run: Run, tmp_path: Path) -> None:
    row = published_row("Redbridge", 2024)
    path = tmp_path / "redbridge.csv"
    cases_for_published_row(row).write_csv(path, date_format="%Y-%m-%d")
    result = run("dfe", path, "--as-of", census_day(2024).isoformat(), "--format", "json")
    figures = {r["time_period"]: r for r in json.loads(result.stdout)["figures"]}
    want = published_figures(row, DFE_COLUMNS[1:])
    assert {c: figures[2024][c] for c in want} == want


def test_benchmark_published_only(run: Run) -> None:
    got = rows(run("benchmark", "--la", "Redbridge", "--format", "csv"))
    assert list(got[0]) == [*BENCHMARK_COLUMNS, "is_part_period", "rank_note", "source"]
    year = [r for r in got if r["time_period"] == "2024"]
    assert [(r["role"], r["area"]) for r in year] == [
        ("your authority", "Redbridge"), ("region", "London"), ("England", "England")]
    redbridge, _, england = year
    assert (redbridge["PC_plans_issued_20_weeks_ex"], redbridge["rank_ex"],
            redbridge["rank_ex_of"]) == ("7.0", "145", "151")
    assert (england["plans_issued_20_weeks_ex"], england["plans_issued_den_ex"],
            england["PC_plans_issued_20_weeks_ex"]) == ("39407", "84866", "46.4")
    assert {r["time_period"] for r in got} == {str(y) for y in range(2019, 2025)}
    assert all(r["source"] == CITATION for r in got)


def test_benchmark_with_data_compare_and_neighbours(run: Run, small_csv: Path) -> None:
    got = rows(run("benchmark", small_csv, "--as-of", AS, "--la", "E09000026", "--compare",
                   "Bexley,E09000032", "--compare", "Redbridge", "--neighbours",
                   "--format", "csv"))
    assert {r["time_period"] for r in got} == {"2024"}
    assert [r["area"] for r in got] == [
        "Your data", "Redbridge", "London", "England", "Bexley", "Wandsworth", "Harrow",
        "Hillingdon", "Waltham Forest", "Ealing", "Hounslow", "Barnet", "Slough", "Reading",
        "Southampton", "Luton"]
    yours = got[0]
    # The export begins on 15 Jan 2024: 2024 is a part year, never ranked.
    assert (yours["role"], yours["PC_plans_issued_20_weeks_ex"], yours["rank_ex"]) == (
        "your data", "100.0", "")
    assert (yours["is_part_period"], yours["rank_note"]) == ("true", "not ranked: part year")
    assert yours["source"] == f"your data: cases.csv, as of {AS}"
    assert [r["role"] for r in got[6:]] == [f"neighbour {i}" for i in range(1, 11)]


def test_benchmark_table_cites_sources(run: Run, small_csv: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[authority]\nla = "Redbridge"\n', encoding="utf-8")
    result = run("benchmark", small_csv, "--as-of", AS, "--config", config, "--neighbours")
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    for text in ("Your authority: Redbridge", "145 of 151", OGL, "Statistical neighbours",
                 "unconfirmed", "Harrow", "As of 2025-06-30"):
        assert text in out


def test_benchmark_json(run: Run) -> None:
    result = run("benchmark", "--la", "Bexley", "--format", "json")
    data = json.loads(result.stdout)
    assert data["authority"]["new_la_code"] == "E09000004"
    assert CITATION in data["sources"]
    assert data["input"] is None and data["benchmark"][0]["area"] == "Bexley"
    assert OGL in result.stderr


def test_benchmark_without_anything_shows_england_and_regions(run: Run) -> None:
    got = rows(run("benchmark", "--format", "csv"))
    year = [r["area"] for r in got if r["time_period"] == "2024"]
    assert year[0] == "England" and len(year) == 10 and "London" in year


def test_year_not_yet_published_is_said(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("case_id,received_date,plan_issued_date\nC1,2025-01-06,2025-04-01\n",
                    encoding="utf-8")
    result = run("benchmark", path, "--as-of", AS, "--la", "Redbridge")
    assert result.exit_code == 0, result.stderr
    assert "DfE has not published 2025 yet" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--neighbours"], "--neighbours needs your authority"),
    (["--la", "Redbrige"], "Did you mean 'Redbridge'"),
    (["--compare", "Nowhere"], "No local authority 'Nowhere'"),
    (["--la", "Cumbria", "--neighbours"], "Cumberland and Westmorland and Furness"),
])
def test_benchmark_misuse_exits_2(run: Run, args: list[str], message: str) -> None:
    result = run("benchmark", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert result.stdout == ""


def test_same_input_same_bytes(run: Run, small_csv: Path, tmp_path: Path) -> None:
    for command in (["dfe", small_csv], ["benchmark", small_csv, "--la", "Redbridge",
                                         "--neighbours"]):
        outputs = []
        for name in ("a", "b"):
            out = tmp_path / f"{name}.json"
            result = run(*command, "--as-of", AS, "--format", "json", "--output", out)
            assert result.exit_code == 0, result.stderr
            outputs.append(out.read_bytes())
        assert outputs[0] == outputs[1]


def test_where_dfes_method_and_the_cases_part_each_output_says_so(run: Run,
                                                                   tmp_path: Path) -> None:
    """anchor_is_day_one: the day-140 plan is late in `cases` but within 20 weeks in `dfe`,
    `benchmark`, `summary` and `report`, each of which says so in one line; a plan with no
    request date is set aside and counted in the denominators, and that is said too (E50,
    E52)."""
    export = tmp_path / "cases.csv"
    export.write_text("case_id,received_date,request_outcome,assessment_outcome,"
                      "plan_issued_date\n"
                      "a,2024-01-10,Y,Y,2024-05-29\n"   # day 140
                      "b,,Y,Y,2024-06-03\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text("[rules]\nanchor_is_day_one = true\n", encoding="utf-8")
    common = [export, "--config", config, "--as-of", AS]
    cases = rows(run("cases", *common, "--format", "csv"))
    assert [(c["case_id"], c["plan_status"]) for c in cases] == [("a", "issued_late")]
    dfe = json.loads(run("dfe", *common, "--format", "json").stdout)
    (year,) = dfe["figures"]
    assert (year["plans_issued_den"], year["plans_issued_within_20_weeks"]) == (2, 1)
    differs = "1 plan is counted by DfE's rule"
    undated = "1 plan issued with no usable request date"
    method = [n for n in dfe["notes"][2:] if "not in this export" not in n]  # E71's notes
    assert [n[:len(differs)] for n in method] == [differs, undated[:len(differs)]]
    summary = json.loads(run("summary", *common, "--format", "json").stdout)
    assert [n[:len(differs)] for n in summary["dfe_method_notes"]] == [
        differs, undated[:len(differs)]]
    assert summary["timeliness"][0]["plans_issued"] == 2
    for command in (["dfe"], ["summary"], ["benchmark", "--la", "Redbridge"]):
        text = run(*command, *common).stdout
        assert differs in text and undated in text, command
    board = tmp_path / "board.html"
    assert run("report", *common, "--output", board).exit_code == 0
    page = html.unescape(board.read_text(encoding="utf-8"))
    assert differs in page and undated in page


@pytest.mark.parametrize("file_format", ["csv", "json", "table"])
def test_benchmark_never_ranks_the_samples_part_years(run: Run, file_format: str) -> None:
    """The sample begins on 2 Jul 2022 and is read as of 30 Jun 2025: 2022 and 2025 are part
    years, unranked in every format; 2023 and 2024 are whole and ranked."""
    from conftest import SAMPLE, SAMPLE_AS_OF

    result = run("benchmark", SAMPLE / "cases.csv", "--as-of", SAMPLE_AS_OF.isoformat(),
                 "--la", "Redbridge", "--format", file_format)
    assert result.exit_code == 0, result.stderr
    if file_format == "table":
        assert "2022 (from 2 Jul): new EHC plans" in result.stdout
        assert "2025 (to 30 Jun): new EHC plans" in result.stdout
        assert "2023: new EHC plans" in result.stdout
        assert result.stdout.count("not ranked") == 4  # two ranks in each of two part years
        return
    if file_format == "csv":
        got = [r for r in rows(result) if r["role"] == "your data"]
        ranked = {r["time_period"]: (r["rank_ex"], r["rank"], r["is_part_period"],
                                     r["rank_note"]) for r in got}
        for year in ("2022", "2025"):
            assert ranked[year] == ("", "", "true", "not ranked: part year")
    else:
        got = [r for r in json.loads(result.stdout)["benchmark"] if r["role"] == "your data"]
        ranked = {str(r["time_period"]): (r["rank_ex"], r["rank"], r["is_part_period"],
                                          r["rank_note"]) for r in got}
        for year in ("2022", "2025"):
            assert ranked[year] == (None, None, True, "not ranked: part year")
    for year in ("2023", "2024"):
        rank_ex, rank, is_part, note = ranked[year]
        assert rank_ex and rank and not note and is_part in ("false", False)


def test_benchmark_mid_month_as_of_is_a_part_year(run: Run, small_csv: Path) -> None:
    """Read on 15 Jun 2025 (a part month and year), the export's 2025 is not ranked; 2024,
    from 15 Jan, is a part year too."""
    got = rows(run("benchmark", small_csv, "--as-of", "2025-06-15", "--la", "Redbridge",
                   "--format", "csv"))
    yours = [r for r in got if r["role"] == "your data"]
    assert yours and all(r["is_part_period"] == "true" and r["rank_ex"] == "" for r in yours)
    assert all(r["is_part_period"] == "false" for r in got if r["role"] != "your data")
