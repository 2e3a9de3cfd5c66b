"""Safe to run on children's data, unattended: offline, silent about personal data, and never
touching the input (read-only, checksummed, never overwritten under any spelling of its path).

INVOCATIONS runs every command the way users do; a new command must be added to it
(test_every_command_is_covered says so), so each of these guarantees covers it too.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import socket
import stat
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from ehcp_timeliness.cli.app import app
from ehcp_timeliness.config import Config
from ehcp_timeliness.errors import EhcpError
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.tabular import table_bytes
from ehcp_timeliness.report.terminal import render_issue_counts, render_issues, render_mapping
from ehcp_timeliness.report.views import Accounting

from conftest import SAMPLE, app_commands

AS_OF = "2025-06-30"
# {input} is the export, {out} a fresh folder. DATA marks invocations whose stdout or files are
# the data itself (case rows), which of course hold whatever the export holds.
DATA = "data"
INVOCATIONS: dict[str, list[tuple[list[str], str]]] = {
    "summary": [(["summary", "{input}"], ""),
                (["summary", "{input}", "--format", "json", "--issues-out", "{out}/i.csv"], ""),
                (["summary", "{input}", "--format", "csv", "--period", "month",
                  "-o", "{out}/s.csv"], "")],
    "cases": [(["cases", "{input}", "-o", "{out}/c.csv", "--issues-out", "{out}/i.json"], DATA),
              (["cases", "{input}", "--format", "parquet", "-o", "{out}/c.parquet"], DATA)],
    "validate": [(["validate", "{input}", "--issues-out", "{out}/i.csv", "--limit", "500"], "")],
    "check": [(["check", "{input}", "--max-overdue", "0", "--min-pct-within-20-weeks", "50",
                "--max-reviews-overdue-pct", "10", "--max-error-rows", "0"], ""),
              (["check", "{input}", "--max-error-rows", "0", "--format", "json",
                "-o", "{out}/check.json"], "")],
    "dfe": [(["dfe", "{input}"], ""), (["dfe", "{input}", "--format", "json"], "")],
    "benchmark": [(["benchmark", "{input}", "--la", "Redbridge", "--neighbours"], "")],
    "report": [(["report", "{input}", "-o", "{out}/board.html"], DATA),
               (["report", "{input}", "-o", "{out}/board.xlsx"], DATA)],
    "worklist": [(["worklist", "{input}"], DATA),
                 (["worklist", "{input}", "--format", "xlsx", "-o", "{out}/w.xlsx"], DATA)],
    "audit-exceptions": [(["audit-exceptions", "{input}"], DATA),
                         (["audit-exceptions", "{input}", "--format", "json",
                           "-o", "{out}/a.json"], DATA)],
    # Compared with itself: every guarantee about an input holds for both of compare's.
    "compare": [(["compare", "{input}", "{input}"], ""),
                (["compare", "{input}", "{input}", "--format", "json", "-o", "{out}/cmp.json"],
                 "")],
    "sample": [(["sample", "-o", "{out}/synthetic.csv", "--rows", "50"], DATA)],
    "trend": [(["trend", "{input}"], ""),
              (["trend", "{input}", "--format", "json", "--by", "Team", "--suppress-below", "5",
                "-o", "{out}/t.json"], "")],
    "config init": [(["config", "init"], "")],
}
OK = {0, 1, 3}  # validate and compare exit 1 and check 3 on the sample's planted errors


def command_names() -> list[str]:
    return list(app_commands())


def invocations() -> Iterator[tuple[list[str], str]]:
    """Every invocation of a registered command (one still being written may be listed)."""
    registered = set(command_names())
    for command, runs in INVOCATIONS.items():
        if command in registered:
            yield from runs


def one_invocation_per_command() -> Iterator[tuple[list[str], str]]:
    """The first invocation of each command: for a guarantee about how a command reads its
    input, which its other options do not change."""
    registered = set(command_names())
    for command, runs in INVOCATIONS.items():
        if command in registered:
            yield runs[0]


def run(args: list[str], export: Path, out: Path, *extra: str) -> Result:
    """Run ARGS; commands that read an export also get the as-of date and EXTRA."""
    filled = [a.format(input=export, out=out) for a in args]
    if "{input}" in args:
        filled += ["--as-of", AS_OF, *extra]
    return CliRunner().invoke(app, filled)


def small_export(folder: Path) -> Path:
    """The sample's first 200 cases: every command, quicker than the full 2,000."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cases.csv"
    lines = (SAMPLE / "cases.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:201]), encoding="utf-8")
    return path


def test_every_command_is_covered() -> None:
    missing = set(command_names()) - set(INVOCATIONS)
    assert not missing, f"add invocations of {sorted(missing)} to INVOCATIONS in {__file__}"


# --- No network --------------------------------------------------------------------------

_NETWORK_ATTEMPTS: list[str] = []
_WATCHING = False


def _audit(event: str, args: tuple[object, ...]) -> None:
    # Audit hooks cannot be removed, so this one only records while a test is watching.
    if _WATCHING and event.startswith(("socket.", "http.client.", "urllib.", "ftplib.",
                                       "smtplib.")):
        _NETWORK_ATTEMPTS.append(event)


sys.addaudithook(_audit)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Sockets disabled: any attempt raises, and the audit hook records even the attempts a
    library might catch and hide."""
    global _WATCHING

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted during an offline test")

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    _NETWORK_ATTEMPTS.clear()
    _WATCHING = True
    try:
        yield
    finally:
        _WATCHING = False


@pytest.mark.usefixtures("no_network")
def test_the_whole_cli_runs_offline(tmp_path: Path) -> None:
    export = small_export(tmp_path / "inputs")
    for args, _ in invocations():
        result = run(args, export, tmp_path, "--config", str(SAMPLE / "mapping.toml"))
        assert result.exit_code in OK, (args, result.stdout[-500:], result.stderr[-500:])
        assert "network access attempted" not in result.stdout + result.stderr
    for args in (["--help"], ["--version"], *([c, "--help"] for c in INVOCATIONS)):
        assert CliRunner().invoke(app, [*args[0].split(), *args[1:]]).exit_code == 0
    assert _NETWORK_ATTEMPTS == []


# --- Inputs read-only and never modified ----------------------------------------------------

def fingerprint(path: Path) -> tuple[str, int, int]:
    info = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), info.st_size, info.st_mtime_ns


def exports(tmp_path: Path) -> list[Path]:
    """The sample in each format the readers take, each made read-only."""
    csv_path = small_export(tmp_path / "inputs")
    folder = csv_path.parent
    frame = pl.read_csv(csv_path, infer_schema=False)
    parquet_path = folder / "cases.parquet"
    frame.write_parquet(parquet_path)
    xlsx_path = folder / "cases.xlsx"
    frame.write_excel(xlsx_path)
    paths = [csv_path, parquet_path, xlsx_path]
    for path in paths:
        path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    return paths


def test_inputs_are_read_only_and_unchanged_by_every_command(tmp_path: Path) -> None:
    """Every invocation on the CSV; each command once on the other formats, which are read
    by other readers but written to by no option differently."""
    for export in exports(tmp_path):
        before = fingerprint(export)
        runs = invocations() if export.suffix == ".csv" else one_invocation_per_command()
        for i, (args, _) in enumerate(runs):
            out = tmp_path / f"{export.suffix[1:]}{i}"
            out.mkdir()
            result = run(args, export, out, "--config", str(SAMPLE / "mapping.toml"))
            assert result.exit_code in OK, (export.name, args, result.stderr[-500:])
            assert fingerprint(export) == before, (export.name, args)


def spellings(export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The input's path as a user might type it, all naming the same file."""
    monkeypatch.chdir(export.parent)
    link = tmp_path / "link.csv"
    link.symlink_to(export)
    hard = export.parent / "hard.csv"
    os.link(export, hard)
    sub = export.parent / "x"
    sub.mkdir()
    return [str(export), export.name, f"./{export.name}", f"x/../{export.name}",
            f"{export.parent}/./x/../{export.name}", str(link), str(hard)]


@pytest.mark.parametrize("option", ["--output", "--issues-out"])
def test_writing_over_the_input_is_refused_under_any_spelling(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str) -> None:
    export = small_export(tmp_path / "data")
    before = fingerprint(export)
    writers = [args for args, _ in invocations() if "{input}" in args
               and (option in args or (option == "--output" and "-o" in args))]
    assert writers
    names = spellings(export, tmp_path, monkeypatch)
    # Every spelling through the first command, and each command with a spelling in turn:
    # every command names its outputs through the same check, so each pair need not run.
    pairs = [(name, writers[0]) for name in names] + [
        (names[i % len(names)], args) for i, args in enumerate(writers[1:], start=1)]
    for spelling, args in pairs:
        flag = option if option in args else "-o"
        i = args.index(flag)
        changed = [*args[:i + 1], spelling, *args[i + 2:]]
        result = run(changed, export, tmp_path, "--config", str(SAMPLE / "mapping.toml"))
        assert result.exit_code == 2, (changed, result.stderr)
        assert "the command reads it" in result.stderr
        assert fingerprint(export) == before, (changed, spelling)


@pytest.mark.parametrize("option", ["--output", "--issues-out"])
def test_writing_over_the_config_is_refused(tmp_path: Path, option: str) -> None:
    """A mapping file takes work to write: `-o mapping.toml` must not replace it."""
    export = small_export(tmp_path / "data")
    config = tmp_path / "mapping.toml"
    config.write_bytes((SAMPLE / "mapping.toml").read_bytes())
    before = fingerprint(config)
    writers = [args for args, _ in invocations() if "{input}" in args
               and (option in args or (option == "--output" and "-o" in args))]
    assert writers
    for args in writers:
        flag = option if option in args else "-o"
        i = args.index(flag)
        changed = [*args[:i + 1], str(config), *args[i + 2:]]
        result = run(changed, export, tmp_path, "--config", str(config))
        assert result.exit_code == 2, (changed, result.stderr)
        assert f"Refusing to write over {config}: the command reads it" in result.stderr
        assert fingerprint(config) == before, changed


# --- No personal data in messages, logs or issue exports ---------------------------------

# Names, dates of birth and person ids, in pass-through columns and in person_id and
# date_of_birth; rows built to raise every kind of issue.
SECRETS = ("Zebedee", "Quartermaine", "Ottoline", "Featherstonehaugh", "PID-93817",
           "PID-40021", "17/03/2013", "2013-03-17", "04 Feb 2012", "2012-02-04", "31/02/2011",
           "Flat 9, Acacia", "7th April 2011", "40275", "April 7 2011")
HEADER = ("Case Ref,Child ID,Child Name,DOB,Parent Name,Birthday,Home Address,"
          "Date Request Received,Request Outcome,Final EHCP Issued,Team")
ROWS = [
    'C1,PID-93817,Zebedee Quartermaine,17/03/2013,Ottoline Quartermaine,17/03/2013,'
    '"Flat 9, Acacia Road",15/01/2024,Y,03/06/2024,North',
    'C2,PID-40021,Ottoline Featherstonehaugh,31/02/2011,Zebedee,2012-02-04,"Flat 9, Acacia",'
    "15/01/2024,Y,01/01/2024,South",                  # issued before received; bad DOB
    "C2,PID-93817,Zebedee,04 Feb 2012,Ottoline,04 Feb 2012,x,31/02/2024,maybe,,North",
    ",PID-40021,Quartermaine,2013-03-17,Zebedee,2013-03-17,x,,Y,,North",  # no id or date
    "C5,PID-93817 Zebedee,Featherstonehaugh,Zebedee,Ottoline,17/03/2013,x,01/08/2025,Y,,",
    ",,,,,,,,,,",
    # Personal details typed into columns that are not personal: the dates and the outcome
    # cannot be read, and their issues must describe them without quoting them.
    "C7,PID-40021,x,x,x,x,x,15/01/2024 Zebedee,Quartermaine,Ottoline 03/06/2024,North",
]
# A first line of data (no header row) whose date is written as each of these.
FIRST_ROW_DATES = ("7th April 2011", "40275", "April 7 2011")


def hostile_exports(folder: Path) -> dict[str, Path]:
    """The personal export, and broken versions whose errors tempt a message to quote data."""
    good = "\n".join([HEADER, *ROWS]) + "\n"
    files = {
        "issues": good,
        "ragged row": good + "C9,PID-93817,Zebedee,17/03/2013,Ottoline,x,y,01/01/2024,Y,,N,Z\n",
        "unclosed quote": good + 'C9,PID-93817,"Zebedee Quartermaine,17/03/2013\n',
        "lone quote": good + 'C9,PID-93817,Zebedee "Z" Quartermaine",17/03/2013,,,,,,,\n',
        "no header row": "\n".join(ROWS[:3]) + "\n",
        "header quote never closed": '"' + good,
        "old mac line endings": good.replace("\n", "\r"),
        "header ended by a lone CR": good.replace("\n", "\r", 1),
        "mixed line endings": "".join(line + ("\r", "\n", "\r\n")[i % 3]
                                      for i, line in enumerate([HEADER, *ROWS])),
    }
    for i, written in enumerate(FIRST_ROW_DATES):
        first = f"C1,PID-93817,Zebedee Quartermaine,{written},Ottoline,{written},x,{written},Y,,N"
        files[f"no header row {i}"] = "\n".join([first, *ROWS[:3]]) + "\n"
    paths = {}
    for name, text in files.items():
        path = folder / f"{name.replace(' ', '_')}.csv"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def leaked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def shown(renderable: object) -> str:
    """What the terminal would show."""
    console = Console(file=io.StringIO(), width=140, record=True)
    console.print(renderable)
    return console.export_text()


def what_the_analysis_says(export: Path, config: Config) -> str:
    """Every message the analysis of EXPORT gives: the refusal (message and hint, as
    cli/common.handle_errors shows it), or what validate shows and the issue export writes."""
    try:
        analysis = analyse(export, config, date.fromisoformat(AS_OF), review_process=False)
    except EhcpError as exc:
        return f"{exc.message}\n{exc.hint or ''}"
    issues = analysis.issues
    headers = analysis.export.headers
    return "\n".join([
        analysis.export.description, Accounting.of(analysis).sentence(),
        shown(render_mapping(headers.mapped, headers.recognised)),
        shown(render_issue_counts(issues)), shown(render_issues(issues, issues.height)),
        table_bytes(issues, "csv").decode(), table_bytes(issues, "json").decode()])


@pytest.mark.parametrize("mapped", [False, True])
def test_no_message_or_issue_export_echoes_personal_data(tmp_path: Path, mapped: bool) -> None:
    """Each hostile export through the reader, the checks and the message builders, with and
    without a mapping to a header that is absent."""
    config = Config.model_validate(
        {"columns": {"plan_start_date": "Date Plan Started"}} if mapped else {})
    for name, export in hostile_exports(tmp_path).items():
        said = what_the_analysis_says(export, config)
        assert said.strip(), name
        assert not leaked(said), (name, mapped, leaked(said), said[-800:])


@pytest.mark.parametrize("command", sorted(INVOCATIONS))
def test_no_command_echoes_personal_data(tmp_path: Path, command: str) -> None:
    """Each command's invocations once, on the export with personal data in every column:
    what the command itself says and writes, beside the analysis' messages above."""
    export = hostile_exports(tmp_path)["issues"]
    for i, (args, kind) in enumerate(INVOCATIONS[command]):
        out = tmp_path / f"out_{i}"
        out.mkdir()
        result = run(args, export, out)
        assert result.exit_code in {0, 1, 2, 3}, (args, result.stderr)
        said = result.stderr + ("" if kind == DATA else result.stdout)
        assert not leaked(said), (args, leaked(said), said[-800:])
        for written in out.iterdir():
            if written.name.startswith("i.") or (kind != DATA and written.suffix in
                                                 (".json", ".csv")):
                text = written.read_text(encoding="utf-8")
                assert not leaked(text), (args, written.name, leaked(text))


def test_personal_columns_are_hidden_in_the_issue_export_but_case_ids_shown(
        tmp_path: Path) -> None:
    export = hostile_exports(tmp_path)["issues"]
    out = tmp_path / "issues.json"
    result = CliRunner().invoke(app, ["validate", str(export), "--as-of", AS_OF,
                                      "--issues-out", str(out)])
    assert result.exit_code == 1
    issues = json.loads(out.read_text(encoding="utf-8"))
    codes = {(i["case_id"], i["column"], i["code"]) for i in issues}
    assert ("C2", "date_of_birth", "unparseable-optional-date") in codes
    assert ("C2", "received_date", "unparseable-date") in codes
    assert ("C2", "case_id", "duplicate-case-id") in codes
    hidden = [i["value"] for i in issues if i["column"] in ("date_of_birth", "person_id")]
    assert hidden and set(hidden) == {"(not shown: personal data)"}


def endless_and_oversized_inputs(folder: Path) -> dict[str, Path]:
    """Inputs whose reading need not end, or would not fit: each must be refused up front."""
    import zipfile

    fifo = folder / "fifo.csv"
    os.mkfifo(fifo)
    bomb = folder / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in sorted((SAMPLE / "sen2" / "collect").glob("*.csv")):
            data = table.read_bytes()
            archive.writestr(table.name, data + b"0" * 2**24 if "requests" in table.name
                             else data)
    long_line = folder / "long.csv"
    long_line.write_bytes(b"Case Ref,Date Request Received\n" + b"x" * (17 * 2**20))
    return {"stdin": Path("-"), "/dev/stdin": Path("/dev/stdin"), "fifo": fifo,
            "device": Path("/dev/zero"), "kernel file": Path("/proc/self/environ"),
            "zip bomb": bomb, "long line": long_line}


def test_endless_and_oversized_inputs_are_refused_by_every_command(tmp_path: Path) -> None:
    """A FIFO or /dev/zero would hang or fill memory: every command refuses them, with exit 1
    or 2 and a message, within seconds (an alarm fails the test rather than hang it)."""
    import signal

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("a command kept reading")

    previous = signal.signal(signal.SIGALRM, hung)
    try:
        for name, export in endless_and_oversized_inputs(tmp_path).items():
            for args, _ in one_invocation_per_command():
                if "{input}" not in args:
                    continue
                signal.alarm(60)
                result = run(args, export, tmp_path)
                signal.alarm(0)
                assert result.exit_code in {1, 2}, (name, args, result.stderr)
                assert result.stderr.startswith("Error: "), (name, args, result.stderr)
                assert "Internal error" not in result.stderr
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_cell_that_cannot_be_read_is_described_by_its_shape_in_every_issue_view(
        tmp_path: Path) -> None:
    export = hostile_exports(tmp_path)["issues"]
    out = tmp_path / "issues.json"
    result = CliRunner().invoke(app, ["validate", str(export), "--as-of", AS_OF,
                                      "--issues-out", str(out)])
    issues = {(i["case_id"], i["column"], i["code"]): i["value"]
              for i in json.loads(out.read_text(encoding="utf-8"))}
    assert issues[("C7", "received_date", "unparseable-date")] == \
        "18 characters (letters, digits, spaces, punctuation), looks like a date with extra text"
    assert issues[("C7", "request_outcome", "unknown-outcome-code")] == \
        "12 characters (letters)"
    # A date no calendar has, in a column that is not personal, says why it cannot be read.
    assert issues[("C2", "received_date", "unparseable-date")] == \
        "31/02/2024: February 2024 has 29 days"
    assert "18 characters (letters, digits, spaces, punctuation)" in result.stdout
    assert not leaked(result.stdout + result.stderr)
