"""--pseudonymise is total: no raw case or person id of the sample appears in anything a
pseudonymising run shows or writes (stdout, stderr, HTML, XLSX, CSV, JSON, --issues-out),
including when an id column is a --by group.

The commands are found by their option, so a command that gains --pseudonymise is covered.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from ehcp_timeliness.cli.app import app
from ehcp_timeliness.report.privacy import KEY_ENV, pseudonymise_issues

from conftest import SAMPLE

AS_OF = "2025-06-30"
KEY = "a test key that is long enough"
# Every output the commands offer, and both id columns as --by groups. {out} is a folder.
RUNS: dict[str, list[list[str]]] = {
    "report": [["-o", "{out}/board.html", "--issues-out", "{out}/i.csv"],
               ["-o", "{out}/board.xlsx", "--issues-out", "{out}/i.json"],
               ["-o", "{out}/by_case.html", "--by", "case_id"],
               ["-o", "{out}/by_person.xlsx", "--by", "person_id", "--by", "Team"]],
    "worklist": [[], ["--format", "csv"], ["--format", "json", "-o", "{out}/w.json"],
                 ["--format", "xlsx", "-o", "{out}/w.xlsx", "--issues-out", "{out}/wi.csv"],
                 ["--by", "person_id"], ["--by", "case_id", "--format", "csv"],
                 ["--within", "3650", "--format", "csv"]],
    "audit-exceptions": [[], ["--format", "csv"], ["--format", "json", "-o", "{out}/a.json",
                                                   "--issues-out", "{out}/ai.json"]],
    # compare reads two exports: last month's (earlier_export) first.
    "compare": [[], ["--format", "csv"], ["--format", "json", "-o", "{out}/cmp.json"]],
}
ID_SHAPE = re.compile(r"REQ-\d{6}|P\d{7}")


def pseudonymising_commands() -> list[str]:
    root = typer.main.get_command(app)
    return sorted(name for name, command in root.commands.items()  # type: ignore[attr-defined]
                  if any(p.name == "pseudonymise" for p in command.params))


def raw_ids() -> set[str]:
    with (SAMPLE / "cases.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ids = {row[c] for row in rows for c in ("Case Ref", "Child ID")} - {""}
    # The search looks for this shape, so every id of the sample must have it.
    assert all(ID_SHAPE.fullmatch(i) for i in ids)
    assert len(ids) > 3000
    return ids


def readable(path: Path) -> str:
    """A written file as text; a workbook as the text of every part inside it."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace")
                             for n in archive.namelist())
    return path.read_text(encoding="utf-8")


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


def leaked(text: str, ids: set[str]) -> set[str]:
    return {found for found in ID_SHAPE.findall(text) if found in ids}


def test_every_pseudonymising_command_is_run() -> None:
    assert pseudonymising_commands() == sorted(RUNS)


@pytest.mark.parametrize("command", sorted(RUNS))
def test_no_raw_id_in_any_output_of_a_pseudonymised_run(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, KEY)
    ids = raw_ids()
    for i, extra in enumerate(RUNS[command]):
        out = tmp_path / f"run{i}"
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
        shown = {"stdout": result.stdout, "stderr": result.stderr,
                 **{p.name: readable(p) for p in written}}
        assert any("C-" in text for text in shown.values()), "no pseudonym shown at all"
        for where, text in shown.items():
            assert not leaked(text, ids), (args, where, sorted(leaked(text, ids))[:5])
        # The same runs without --pseudonymise do show raw ids: the search can find them.
        if i == 0:
            plain = CliRunner().invoke(app, [a for a in args if a != "--pseudonymise"])
            everything = plain.stdout + "".join(readable(p) for p in sorted(out.iterdir()))
            assert leaked(everything, ids)


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
    root = typer.main.get_command(app)
    return sorted(name for name in pseudonymising_commands()
                  if any(p.name == "by" for p in root.commands[name].params))  # type: ignore


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
