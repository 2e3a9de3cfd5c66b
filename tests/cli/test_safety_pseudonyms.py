"""--pseudonymise is total: no raw case or person id of the sample appears in anything a
pseudonymising run shows or writes (stdout, stderr, HTML, XLSX, CSV, JSON, --issues-out),
including when an id column is a --by group.

Checked where the ids are replaced and where outputs are built: the pseudonymised analysis
(privacy.pseudonymise_analysis, which every output of such a run is built from) and every view
and format built from it, each from one analysis of the sample; then each command once
through the command line, for what only a whole run shows (stderr, --issues-out, file names).
The commands are found by their option, so a command that gains --pseudonymise is covered.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl
import pytest
from rich.console import Console
from typer.testing import CliRunner

from ehcp_timeliness.cli.app import app
from ehcp_timeliness.config import load_config
from ehcp_timeliness.pipeline import Analysis, analyse
from ehcp_timeliness.report.board import build_board
from ehcp_timeliness.report.compare import (
    build_compare,
    compare_bytes,
    render_compare,
)
from ehcp_timeliness.report.exception_audit import audit_bytes, build_audit, render_audit
from ehcp_timeliness.report.html import render_board_html
from ehcp_timeliness.report.privacy import KEY_ENV, pseudonymise_analysis, pseudonymise_issues
from ehcp_timeliness.report.tabular import table_bytes
from ehcp_timeliness.report.worklist import build_worklist, render_worklist, worklist_bytes
from ehcp_timeliness.report.xlsx import board_workbook

from conftest import SAMPLE, SAMPLE_AS_OF, app_commands

AS_OF = SAMPLE_AS_OF.isoformat()
KEY = "a test key that is long enough"
# One whole run of each command: a file, --issues-out and an id column as a --by group where
# the command has them. Every other format and grouping is built from the pseudonymised
# analysis below. {out} is a folder.
RUNS: dict[str, list[str]] = {
    "report": ["-o", "{out}/board.xlsx", "--issues-out", "{out}/i.json", "--by", "person_id"],
    "worklist": ["--by", "case_id", "--issues-out", "{out}/wi.csv"],
    "audit-exceptions": ["--format", "json", "-o", "{out}/a.json", "--issues-out",
                         "{out}/ai.csv"],
    # compare reads two exports: last month's (earlier_export) first.
    "compare": ["--format", "csv"],
}
ID_SHAPE = re.compile(r"REQ-\d{6}|P\d{7}")


def pseudonymising_commands() -> list[str]:
    return sorted(name for name, command in app_commands().items()
                  if any(p.name == "pseudonymise" for p in command.params))


@cache
def raw_ids() -> frozenset[str]:
    with (SAMPLE / "cases.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ids = {row[c] for row in rows for c in ("Case Ref", "Child ID")} - {""}
    # The search looks for this shape, so every id of the sample must have it.
    assert all(ID_SHAPE.fullmatch(i) for i in ids)
    assert len(ids) > 3000
    return frozenset(ids)


def workbook_text(data: bytes) -> str:
    """The text of every part inside a workbook."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace")
                         for n in archive.namelist())


def readable(path: Path) -> str:
    """A written file as text; a workbook as the text of every part inside it."""
    if path.suffix == ".xlsx":
        return workbook_text(path.read_bytes())
    return path.read_text(encoding="utf-8")


def shown(renderable: object) -> str:
    """What the terminal would show."""
    console = Console(file=io.StringIO(), width=140, record=True)
    console.print(renderable)
    return console.export_text()


def earlier_export(folder: Path) -> Path:
    """The sample as last month's export might have held it, for `compare`: every fourth
    case's request date a day earlier (a date edited since), every tenth case absent."""
    lines = (SAMPLE / "cases.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines))
    received = rows[0].index("Date Request Received")
    kept = [rows[0]]
    for i, row in enumerate(rows[1:]):
        if i % 10 == 9:
            continue
        if i % 4 == 0 and row[received]:
            row = [*row[:received], "01/01/2020", *row[received + 1:]]
        kept.append(row)
    path = folder / "earlier.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)
    return path


def every_group_config(folder: Path, extra: str = "") -> Path:
    """The sample's mapping, with room for a group per case (--by case_id)."""
    path = folder / "mapping.toml"
    path.write_text((SAMPLE / "mapping.toml").read_text(encoding="utf-8")
                    + "\n[output]\nmax_groups = 100000\n" + extra, encoding="utf-8")
    return path


def leaked(text: str, ids: frozenset[str]) -> set[str]:
    return {found for found in ID_SHAPE.findall(text) if found in ids}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Analysis]:
    """The sample analysed once as each command analyses it (compare: the earlier export too,
    narrow), plainly and pseudonymised."""
    config = load_config(SAMPLE / "mapping.toml")
    as_of = SAMPLE_AS_OF
    earlier = earlier_export(tmp_path_factory.mktemp("earlier"))
    plain = {
        "whole": analyse(SAMPLE / "cases.csv", config, as_of),
        "current": analyse(SAMPLE / "cases.csv", config, as_of, review_process=False),
        "previous": analyse(earlier, config, date(2025, 5, 31), review_process=False),
    }
    key = KEY.encode()
    return {**{f"plain {k}": a for k, a in plain.items()},
            **{k: pseudonymise_analysis(a, key) for k, a in plain.items()}}


def analysis_text(analysis: Analysis) -> str:
    frames = [analysis.cases, analysis.issues, analysis.undated_plans]
    return "\n".join(f.cast({c: pl.String for c in f.columns}).write_csv()
                     for f in frames if f is not None)


@pytest.mark.parametrize("which", ["whole", "current", "previous"])
def test_the_pseudonymised_analysis_holds_no_raw_id(sample: dict[str, Analysis],
                                                    which: str) -> None:
    ids = raw_ids()
    # The search finds the ids where they were not replaced.
    assert leaked(analysis_text(sample[f"plain {which}"]), ids)
    text = analysis_text(sample[which])
    assert "C-" in text and ("P-" in text or "person_id" not in sample[which].cases.columns)
    assert not leaked(text, ids)


def outputs(sample: dict[str, Analysis]) -> dict[str, str]:
    """Everything the commands build from a pseudonymised analysis, in every format, with
    each id column as a --by group."""
    whole = sample["whole"]
    texts = {"issues csv": table_bytes(whole.issues, "csv").decode(),
             "issues json": table_bytes(whole.issues, "json").decode()}
    for by in ([], ["case_id"], ["person_id", "Team"]):
        board = build_board(whole, by, 0, True)
        texts[f"board html {by}"] = render_board_html(board).decode()
        texts[f"board xlsx {by}"] = workbook_text(board_workbook(board))
        for within in (None, 3650):  # 3650 days: nearly every open case
            worklist = build_worklist(whole, within, by[:1], True)
            # A terminal table of hundreds of rows is slow to draw: one here, one grouped by
            # case_id in the worklist run below.
            if within is None and not by:
                texts["worklist table"] = shown(render_worklist(worklist))
            for fmt in ("csv", "json"):
                texts[f"worklist {fmt} {by} {within}"] = worklist_bytes(worklist, fmt).decode()
            texts[f"worklist xlsx {by} {within}"] = workbook_text(worklist_bytes(worklist,
                                                                                 "xlsx"))
    audit = build_audit(whole, True)
    texts["audit table"] = shown(render_audit(audit))
    for fmt in ("csv", "json"):
        texts[f"audit {fmt}"] = audit_bytes(audit, fmt).decode()
    compared = build_compare(sample["previous"], sample["current"], pseudonymised=True)
    texts["compare table"] = shown(render_compare(compared, 50))
    for fmt in ("csv", "json"):
        texts[f"compare {fmt}"] = compare_bytes(compared, fmt).decode()
    return texts


def test_no_output_built_from_a_pseudonymised_analysis_shows_a_raw_id(
        sample: dict[str, Analysis]) -> None:
    ids = raw_ids()
    built = outputs(sample)
    for where, text in built.items():
        assert not leaked(text, ids), (where, sorted(leaked(text, ids))[:5])
    # Each lists cases, so each shows pseudonyms (a blank output would pass the search).
    for where, text in built.items():
        if not where.startswith("audit"):  # the sample has few audited cases; see the run
            assert "C-" in text, where


def test_every_pseudonymising_command_is_run() -> None:
    assert pseudonymising_commands() == sorted(RUNS)


@pytest.mark.parametrize("command", sorted(RUNS))
def test_no_raw_id_in_any_output_of_a_pseudonymised_run(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, KEY)
    ids = raw_ids()
    extra = RUNS[command]
    out = tmp_path / "out"
    out.mkdir()
    exports = [str(SAMPLE / "cases.csv")]
    if command == "compare":
        exports.insert(0, str(earlier_export(tmp_path)))
    args = [command, *exports, "--config", str(every_group_config(tmp_path)),
            "--as-of", AS_OF, "--pseudonymise", *(a.format(out=out) for a in extra)]
    result = CliRunner().invoke(app, args)
    # compare exits 1: the earlier export has dates edited since (its point).
    assert result.exit_code == (1 if command == "compare" else 0), (args, result.stderr)
    written = sorted(out.iterdir())
    assert len(written) == sum("{out}" in a for a in extra)
    texts = {"stdout": result.stdout, "stderr": result.stderr,
             **{p.name: readable(p) for p in written}}
    assert any("C-" in text for text in texts.values()), "no pseudonym shown at all"
    for where, text in texts.items():
        assert not leaked(text, ids), (args, where, sorted(leaked(text, ids))[:5])


def test_issue_ids_and_quoted_ids_are_pseudonymised() -> None:
    issues = pl.DataFrame({
        "row": [2, 3, 4], "case_id": ["C1", "C1", None], "column": ["case_id", "received_date",
                                                                     "person_id"],
        "value": ["C1", "31/02/2024", "P9"], "code": ["duplicate-case-id", "x", "y"],
        "severity": ["error"] * 3, "message": ["m"] * 3})
    out = pseudonymise_issues(issues, KEY.encode())
    assert out["case_id"][0] == out["case_id"][1] == out["value"][0]
    assert out["case_id"][0].startswith("C-") and out["case_id"][2] is None
    assert out["value"][1] == "31/02/2024"  # not an id: kept
    assert out["value"][2].startswith("P-")


def grouping_commands() -> list[str]:
    commands = app_commands()
    return sorted(name for name in pseudonymising_commands()
                  if any(p.name == "by" for p in commands[name].params))


# A personal column by its canonical name, by its header, by a header naming personal data,
# and by a header the config lists as personal.
PERSONAL_BY = ["date_of_birth", "DOB", "Child Name", "Home Address", "NHS Number",
               "School Phase"]


@pytest.mark.parametrize("command", ["report", "worklist"])
@pytest.mark.parametrize("by", PERSONAL_BY)
def test_by_on_a_personal_column_is_refused_when_pseudonymising(
        command: str, by: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert grouping_commands() == ["report", "worklist"]
    monkeypatch.setenv(KEY_ENV, KEY)
    lines = (SAMPLE / "cases.csv").read_text(encoding="utf-8").splitlines()
    export = tmp_path / "cases.csv"
    export.write_text("\n".join([lines[0] + ",Child Name,Home Address,NHS Number",
                                 *(f"{line},Ann Smith {i},{i} High St,943 476 {i:04d}"
                                   for i, line in enumerate(lines[1:]))]) + "\n",
                      encoding="utf-8")
    config = every_group_config(tmp_path, '\n[privacy]\npersonal_columns = ["School Phase"]\n')
    for output in ({"report": "board.html", "worklist": "work.csv"}[command],
                   {"report": "board.xlsx", "worklist": "work.xlsx"}[command]):
        result = CliRunner().invoke(app, [command, str(export), "-c", str(config), "--as-of",
                                          AS_OF, "--pseudonymise", "--by", by, "-o",
                                          str(tmp_path / output)])
        assert result.exit_code == 2, result.stderr
        assert "identify a child" in result.stderr and "Ann Smith" not in result.stderr
        assert not (tmp_path / output).exists()
    # Without --pseudonymise the team's own report may group by it.
    plain = CliRunner().invoke(app, [command, str(export), "-c", str(config), "--as-of", AS_OF,
                                     "--by", by, "-o", str(tmp_path / "plain.xlsx")])
    assert plain.exit_code in (0, 2), plain.stderr
    assert "identify a child" not in plain.stderr


@pytest.mark.parametrize(("command", "option"), [("report", ["--where", "DOB=01/01/2015"]),
                                                 ("worklist", ["--where", "DOB=01/01/2015"]),
                                                 ("worklist", ["--show", "DOB"]),
                                                 ("worklist", ["--show", "School Phase"])])
def test_where_and_show_on_a_personal_column_are_refused_when_pseudonymising(
        command: str, option: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A filter's value is printed as the filter used, and a --show column in every row: with
    --pseudonymise neither may be a column whose values identify a child, as --by may not."""
    monkeypatch.setenv(KEY_ENV, KEY)
    config = every_group_config(tmp_path, '\n[privacy]\npersonal_columns = ["School Phase"]\n')
    out = tmp_path / {"report": "board.html", "worklist": "work.csv"}[command]
    args = [command, str(SAMPLE / "cases.csv"), "-c", str(config), "--as-of", AS_OF,
            *option, "-o", str(out)]
    result = CliRunner().invoke(app, [*args, "--pseudonymise"])
    assert result.exit_code == 2, result.stderr
    assert f"{option[0]} " in result.stderr and "identify a child" in result.stderr
    assert not out.exists()
    # Without --pseudonymise the team's own list may filter on it or show it.
    plain = CliRunner().invoke(app, args)
    assert "identify a child" not in plain.stderr
