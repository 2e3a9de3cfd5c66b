"""--where COLUMN=VALUE: one mechanism for worklist, cases, summary, trend and report; column
names matched as header mapping matches them (so --by too), checked before any work."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from typer.testing import Result

from ehcp_timeliness.cli.column_options import (
    match_column,
    parse_where,
)
from ehcp_timeliness.errors import UsageError
from ehcp_timeliness.summaries.where import Condition, matches, never_matching

from conftest import SAMPLE, app_commands

ARGS = [SAMPLE / "cases.csv", "--config", SAMPLE / "mapping.toml", "--as-of", "2025-06-30"]


def test_match_column_as_header_mapping_does() -> None:
    available = ["case_id", "Allocated Caseworker", "Team", "input:__meeting"]
    assert match_column("allocated caseworker", available) == "Allocated Caseworker"
    assert match_column("AllocatedCaseworker", available) == "Allocated Caseworker"
    assert match_column("TEAM", available) == "Team"
    assert match_column("__meeting", available) == "input:__meeting"
    assert match_column("Setting", available) is None


def test_a_name_several_columns_match_is_refused_naming_them() -> None:
    """`team` with both `Team` and `TEAM` in the export: neither is chosen, and the refusal
    names both rather than saying there is no such column."""
    available = ["case_id", "Team", "TEAM", "Team_"]
    assert match_column("TEAM", available) == "TEAM"  # an exact spelling is no guess
    with pytest.raises(UsageError) as refused:
        match_column("team", available, option="--by")
    assert "no such column" not in refused.value.message
    assert "--by team: several columns match: 'Team', 'TEAM', 'Team_'" in refused.value.message


def test_by_and_where_on_a_name_two_headers_share_say_so(run: Callable[..., Result],
                                                          tmp_path: Path) -> None:
    lines = (SAMPLE / "cases.csv").read_text(encoding="utf-8").splitlines()[:50]
    export = tmp_path / "two_teams.csv"
    export.write_text("\n".join([lines[0] + ",TEAM", *(line + ",x" for line in lines[1:])])
                      + "\n", encoding="utf-8")
    args = [export, "--config", SAMPLE / "mapping.toml", "--as-of", "2025-06-30"]
    for option in (["--by", "team"], ["--where", "team=North"]):
        result = run("summary", *args, *option)
        assert result.exit_code == 2, result.output
        assert f"{option[0]} team: several columns match: 'Team', 'TEAM'" in result.stderr
        assert "rows in" not in result.stderr  # refused before the analysis
    exact = run("summary", *args, "--by", "TEAM", "--format", "csv")
    assert exact.stdout.splitlines()[0].startswith("period,TEAM,"), exact.output


def test_a_filter_that_keeps_no_case_says_how_a_typed_column_holds_its_values(
        run: Callable[..., Result]) -> None:
    """The export's own spelling of a date, a yes/no word or a code word matches nothing (the
    tool holds 2024-01-15, true, Y): said, so an empty result is not read as no work."""
    said = {
        "Date Request Received=15/01/2024": "received_date holds dates as YYYY-MM-DD, "
                                            "whatever the export's form",
        "plan_status=late": "plan_status holds one of: issued_on_time, issued_late, "
                            "closed_no_plan, overdue, due_soon, in_progress.",
        "Mediation?=Yes": "mediation holds true or false",
        "Decision to Assess?=Yes": "request_outcome holds one of: Y, N, A, W, H, S.",
    }
    for where, note in said.items():
        result = run("summary", *ARGS, "--where", where)
        assert result.exit_code == 0, result.output
        assert ": 0 of 2,000 analysed." in result.stderr and note in result.stderr, where
    found = run("summary", *ARGS, "--where", "received_date=2024-01-15")
    assert ": 3 of 2,000 analysed.\n" in found.stderr  # a value in the column's form: no note
    schema = pl.Schema({"Team": pl.String, "received_date": pl.Date})
    assert never_matching([Condition("Team", "15/01/2024")], schema) == []  # text is text


def test_accents_match_however_they_are_encoded(run: Callable[..., Result],
                                                tmp_path: Path) -> None:
    """An export saved with accents as a letter and a combining mark (NFD, as some Mac
    software writes them) against a config and options typed with one character (NFC): the
    mapping, --by and --where find the column and the value. "no header 'Réf'; Headers found:
    'Réf'" was the answer."""
    import unicodedata

    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    export = tmp_path / "mac.csv"
    export.write_text(f"{nfd('Réf')},Date Request Received,{nfd('Équipe')}\n"
                      f"C1,01/01/2025,{nfd('Nörth')}\nC2,02/01/2025,South\n", encoding="utf-8")
    config = tmp_path / "mapping.toml"
    config.write_text('[columns]\ncase_id = "Réf"\n', encoding="utf-8")
    result = run("summary", export, "--config", config, "--as-of", "2025-06-30", "--by",
                 "Équipe", "--where", "équipe=NÖRTH", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert ": 1 of 2 analysed." in result.stderr
    [group] = json.loads(result.stdout)["open_requests"]
    assert group[nfd("Équipe")] == nfd("Nörth")  # the export's own spelling, as written


def test_where_needs_an_equals_sign() -> None:
    assert parse_where(["Team = North", "Caseworker=a=b"]) == [("Team", "North"),
                                                               ("Caseworker", "a=b")]
    with pytest.raises(UsageError):
        parse_where(["Team"])


def test_values_ignore_case_and_spaces_any_of_one_column() -> None:
    frame = pl.DataFrame({"Team": ["North", " north ", "South", None], "n": [1, 2, 3, 4]})
    kept = frame.filter(matches([Condition("Team", "NORTH")]))
    assert kept["n"].to_list() == [1, 2]
    both = frame.filter(matches([Condition("Team", "north"), Condition("Team", "south")]))
    assert both["n"].to_list() == [1, 2, 3]


def _case_ids(text: str) -> set[str]:
    return {row["case_id"] for row in csv.DictReader(io.StringIO(text))}


def test_cases_where_one_caseworker(run: Callable[..., Result]) -> None:
    everyone = run("cases", *ARGS)
    mine = run("cases", *ARGS, "--where", "allocated caseworker=caseworker 07")
    assert mine.exit_code == 0, mine.output
    rows = list(csv.DictReader(io.StringIO(mine.stdout)))
    assert rows and {r["Allocated Caseworker"] for r in rows} == {"Caseworker 07"}
    assert _case_ids(mine.stdout) < _case_ids(everyone.stdout)
    assert f"{len(rows):,} of 2,000 analysed" in mine.stderr


@pytest.mark.parametrize("command", [["summary", "--format", "json"],
                                     ["trend", "--format", "json"],
                                     ["worklist", "--format", "json"]])
def test_every_command_takes_where(run: Callable[..., Result], command: list[str]) -> None:
    result = run(*command, *ARGS, "--where", "Team=North", "--where", "plan_status=overdue")
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    assert "Only the cases where Team = North; plan_status = overdue" in result.stderr


def test_report_takes_where(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("report", *ARGS, "--where", "team=south", "-o", tmp_path / "b.html")
    assert result.exit_code == 0, result.output
    assert "Only the cases where Team = south" in result.stderr


def test_where_on_a_review_process_column_without_its_inputs(
        run: Callable[..., Result], small_csv: Path, tmp_path: Path) -> None:
    """--where may name a review-process column whatever the export holds (the sample has
    none of its inputs): every command that takes --where then works the column out, rather
    than skipping the stage and filtering on a column it never made (summary and trend once
    stopped with an internal error, exit 70)."""
    commands = [name for name, command in app_commands().items()
                if any(p.name == "where" for p in command.params)]
    assert {"summary", "trend", "cases", "worklist", "report"} <= set(commands)
    for name in commands:
        for value, kept in (("not_applicable", 4), ("overdue", 0)):
            result = run(name, small_csv, "--as-of", "2025-06-30", "-o",
                         tmp_path / ("out.html" if name == "report" else "out.json"),
                         "--where", f"review_decision_status={value}")
            assert result.exit_code == 0, (name, result.output)
            assert f"review_decision_status = {value} (--where): {kept} of 4 analysed" \
                in result.stderr, name


@pytest.mark.parametrize("case_columns", ["auto", "core"])
def test_by_a_review_process_column_whatever_cases_writes(
        run: Callable[..., Result], small_csv: Path, tmp_path: Path, case_columns: str) -> None:
    """--by, like --where, may name a review-process column on any export, whether or not
    `cases` writes it ([review_process] case_columns; the sample has none of its inputs)."""
    config = tmp_path / "c.toml"
    config.write_text(f'[review_process]\ncase_columns = "{case_columns}"\n', encoding="utf-8")
    result = run("summary", small_csv, "-c", config, "--as-of", "2025-06-30", "--format",
                 "csv", "--by", "review_decision_status")
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.startswith("period,review_decision_status,")
    assert {r.split(",")[1] for r in rows} == {"not_applicable"}


def test_an_unknown_where_column_is_refused_before_any_work(
        run: Callable[..., Result]) -> None:
    result = run("summary", *ARGS, "--where", "Setting=Oak School")
    assert result.exit_code == 2
    assert "--where Setting=Oak School: no such column" in result.stderr
    assert "Allocated Caseworker" in result.stderr
    assert "rows in" not in result.stderr  # refused before the analysis


def test_by_matches_headers_like_mapping(run: Callable[..., Result]) -> None:
    result = run("summary", *ARGS, "--by", "team", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("period,Team,")


def test_a_mapped_column_is_matched_by_its_header_too() -> None:
    """--by DOB and --where DOB=… name the column the mapping reads DOB as."""
    available = ["case_id", "date_of_birth", "Team"]
    mapped = {"case_id": "Case Ref", "date_of_birth": "DOB"}
    assert match_column("dob", available, mapped) == "date_of_birth"
    assert match_column("Case ref", available, mapped) == "case_id"
    assert match_column("DOB", available) is None  # by its header only through the mapping


def test_where_cuts_the_plans_set_aside_for_their_request_date_too(run: Callable[..., Result],
                                                                   tmp_path: Path) -> None:
    # C1 and C2 are set aside (no request date) but DfE counts their plans
    # (pipeline._undated_plans): only North's is North's.
    export = tmp_path / "cases.csv"
    export.write_text("Case Ref,Date Request Received,Final EHCP Issued,Team\n"
                      "C1,,01/03/2025,North\nC2,,01/03/2025,South\n"
                      "C3,02/01/2025,10/04/2025,North\nC4,02/01/2025,10/04/2025,South\n",
                      encoding="utf-8")

    def plans(*where: str) -> int:
        result = run("summary", export, "--as-of", "2025-06-30", "--format", "json", *where)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)["timeliness"][0]["plans_issued"]

    assert (plans(), plans("--where", "Team=North")) == (4, 2)


def test_every_row_is_accounted_for_under_where(run: Callable[..., Result]) -> None:
    """The cases --where leaves out are counted as left out, never as set aside, and the
    export's rows stay its rows: analysed + left out + set aside = rows in."""
    everyone = json.loads(run("summary", *ARGS, "--format", "json").stdout)["rows"]
    north = json.loads(run("summary", *ARGS, "--format", "json",
                           "--where", "Team=North").stdout)["rows"]
    assert everyone["rows_left_out_by_where"] == 0
    assert north["rows_in"] == everyone["rows_in"] == 2010
    assert north["rows_set_aside"] == everyone["rows_set_aside"] == 10
    assert north["set_aside_reasons"] == everyone["set_aside_reasons"]
    assert 0 < north["rows_analysed"] < everyone["rows_analysed"]
    assert north["rows_analysed"] + north["rows_left_out_by_where"] \
        == everyone["rows_analysed"]


def test_where_matching_nothing_says_so_not_that_nothing_could_be_analysed(
        run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("summary", *ARGS, "--where", "Team=Nowhere")
    assert result.exit_code == 0, result.output
    footer = " ".join(result.stdout.split())
    assert "No case matches --where: every figure counts nothing. 2,010 rows in: 0 analysed, " \
        "2,000 left out by --where, 10 set aside" in footer
    assert "No case could be analysed" not in result.output
    board = tmp_path / "b.html"
    assert run("report", *ARGS, "--where", "Team=Nowhere", "-o", board).exit_code == 0
    page = board.read_text(encoding="utf-8")
    assert "No case matches --where" in page and "No case could be analysed" not in page
    assert "2,010 rows in the export: 0 analysed, 2,000 left out by --where and 10 set aside" \
        in page
