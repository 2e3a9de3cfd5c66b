"""The documentation's command lines run, and its options are the CLI's.

Every `ehcp-timeliness …` line in an indented block of README.md and docs/commands.md runs on
the shipped sample, in a folder where the docs' file names are the sample's (`cases.csv`,
`cases.xlsx`, `may.csv` and `june.csv` for compare, `mapping.toml`, `board.toml`, and
`sample_data/` itself). Each must end with the
exit code the docs give it: the `# exit N` comment after it, or else the one the exit-code
table gives the command (0; `validate` 1 when rows have errors, as the sample's do; `check` 3
when a threshold fails). Never a traceback. So do the examples in each command's --help.

Every option docs/commands.md names in a command's section is an option of that command, and
every option of the command (one spelling of it, e.g. `--config` for `-c`) is named there.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from ehcp_timeliness.cli.app import app

from conftest import ROOT, SAMPLE, app_commands

DOCUMENTED_EXAMPLES = ("README.md", "docs/commands.md")
# The exit codes a command may end with on the sample, from docs/commands.md "Exit codes".
DOCUMENTED_EXITS = {"validate": {0, 1}, "check": {0, 3}, "compare": {0, 1}}
_LINE = re.compile(r"^ {4,}(?:\.venv/bin/)?ehcp-timeliness (?P<args>.+?)"
                   r"(?:\s+#\s*(?:exit (?P<exit>\d+))?.*)?$")


def example_lines(name: str) -> list[tuple[str, int | None]]:
    """(the arguments, the exit code its comment gives or None) of each runnable line: the
    synopses (`INPUT [--config FILE]`) and elisions (`…`) are not command lines."""
    found = []
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = _LINE.match(line)
        if match is None or re.search(r"\bINPUT\b|…|\[", match["args"]):
            continue
        found.append((match["args"], None if match["exit"] is None else int(match["exit"])))
    return found


def test_the_docs_have_examples_to_run() -> None:
    for name in DOCUMENTED_EXAMPLES:
        assert len(example_lines(name)) >= 4, name


@pytest.fixture(scope="module")
def sample_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample as a workbook, written once: each test gets its own copy."""
    path = tmp_path_factory.mktemp("workbook") / "cases.xlsx"
    pl.read_csv(SAMPLE / "cases.csv", infer_schema=False).write_excel(path)
    return path


@pytest.fixture
def sample_folder(tmp_path: Path, sample_workbook: Path, monkeypatch: pytest.MonkeyPatch
                  ) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "sample_data")
    for name in ("cases.csv", "mapping.toml", "board.toml"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    for month in ("may.csv", "june.csv"):  # compare's two exports: the sample, twice
        shutil.copy(SAMPLE / "cases.csv", tmp_path / month)
    shutil.copy(sample_workbook, tmp_path / "cases.xlsx")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_lines(lines: list[tuple[str, int | None]], folder: Path) -> None:
    """Each line's arguments through the CLI, as the shell would split them; `> FILE` writes
    stdout into FOLDER."""
    runner = CliRunner()
    for line, documented_exit in lines:
        words = shlex.split(line)
        redirect = words.index(">") if ">" in words else None
        args, target = (words, None) if redirect is None else \
            (words[:redirect], words[redirect + 1])
        result = runner.invoke(app, args)
        assert "Traceback" not in result.stderr, line
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (line, result.exception)
        command = next(w for w in args if not w.startswith("-"))
        allowed = ({documented_exit} if documented_exit is not None
                   else DOCUMENTED_EXITS.get(command, {0}))
        assert result.exit_code in allowed, (line, result.exit_code, result.stderr[-500:])
        if target is not None:
            (folder / target).write_text(result.stdout, encoding="utf-8")


@pytest.mark.parametrize("document", DOCUMENTED_EXAMPLES)
def test_documented_command_lines_run_on_the_sample(document: str, sample_folder: Path) -> None:
    run_lines(example_lines(document), sample_folder)


COMMANDS = app_commands()
SECTIONS = dict(re.findall(r"^## `([^`]+)`\n(.*?)(?=^## |\Z)",
                           (ROOT / "docs" / "commands.md").read_text(encoding="utf-8"),
                           re.MULTILINE | re.DOTALL))
_OPTION = re.compile(r"(?<![\w-])(--?[a-z][\w-]*)")


def _options(command: Any) -> list[tuple[str, ...]]:
    """Each option shown in the command's --help, as its spellings."""
    return [(*p.opts, *p.secondary_opts) for p in command.params
            if p.param_type_name == "option" and not p.hidden]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_documented_option_is_in_the_commands_help(name: str) -> None:
    spelled = {o for option in _options(COMMANDS[name]) for o in option}
    named = set(_OPTION.findall(SECTIONS[name]))
    assert named <= spelled, f"docs/commands.md names options `{name}` does not have"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_in_the_commands_help_is_documented(name: str) -> None:
    named = set(_OPTION.findall(SECTIONS[name]))
    missing = [option for option in _options(COMMANDS[name])
               if "--help" not in option and not named & set(option)]
    assert not missing, f"`{name}` --help has options its docs/commands.md section misses"


def test_the_options_every_command_shares_are_documented() -> None:
    shared = SECTIONS.get("Options every command shares") or \
        (ROOT / "docs" / "commands.md").read_text(encoding="utf-8").split(
            "## Options every command shares", 1)[1].split("\n## ", 1)[0]
    root = typer.main.get_command(app)
    for option in _options(root):
        assert set(_OPTION.findall(shared)) & set(option), option


# A help example too slow for the suite: `make bench` writes and reads that million.
_SLOW = "--rows 1000000"


def help_example_lines(command: Any) -> list[tuple[str, int | None]]:
    lines = [line.strip().removeprefix("ehcp-timeliness ") for line in
             (command.help or "").splitlines() if line.strip().startswith("ehcp-timeliness ")]
    return [(line, None) for line in lines if _SLOW not in line]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_examples_in_each_commands_help_run_on_the_sample(
        name: str, sample_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the README's: `sen2.xml` is the sample return, and `mapping.toml` a config with a
    [check] threshold (a `check` example without flags reads its thresholds from there)."""
    lines = help_example_lines(COMMANDS[name])
    assert lines, f"`{name}` --help has no example"
    shutil.copy(SAMPLE / "sen2" / "sen2_sample.xml", sample_folder / "sen2.xml")
    with (sample_folder / "mapping.toml").open("a", encoding="utf-8") as config:
        config.write("\n[check]\nmax_error_rows = 20\n")
    monkeypatch.setenv("EHCP_PSEUDONYMISE_KEY", "a key for the docs examples, not a secret")
    run_lines(lines, sample_folder)
