"""Inputs that used to end in an internal error (exit 70): each now gets a message naming what
is wrong and exit 1 or 2.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import PrivateAttr
from typer.testing import Result

from ehcp_timeliness.config import MAX_CONFIG_BYTES, Config, load_config
from ehcp_timeliness.errors import ConfigError, InputFileError
from ehcp_timeliness.pipeline import analyse

from conftest import AS_OF, SAMPLE, SAMPLE_AS_OF

Run = Callable[..., Result]
PSEUDONYM_COMMANDS = {"report": "board.html", "worklist": "work.xlsx",
                      "audit-exceptions": "audit.csv"}


def refused(result: Result, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert "Internal error" not in result.stderr and "Traceback" not in result.stderr
    return " ".join(result.stderr.split())


def _loop(folder: Path, name: str) -> Path:
    one, other = folder / name, folder / f"{name}.other"
    one.symlink_to(other.name)
    other.symlink_to(one.name)
    return one


def test_a_symlink_loop_as_input_config_or_output_is_named(run: Run, tmp_path: Path,
                                                           small_csv: Path) -> None:
    loop = _loop(tmp_path, "loop.csv")
    says = refused(run("cases", loop, "--as-of", AS_OF, "-o", tmp_path / "out.csv"), 1)
    assert "leads back to itself (a loop)" in says
    says = refused(run("summary", small_csv, "--as-of", AS_OF, "-c", loop), 2)
    assert "does not lead to a file (broken, or a loop)" in says
    for option in ("-o", "--issues-out"):
        says = refused(run("cases", small_csv, "--as-of", AS_OF, option, loop), 2)
        assert "Too many levels of symbolic links" in says
    # A loop inside the output's folder path.
    folder = _loop(tmp_path, "dir")
    refused(run("cases", small_csv, "--as-of", AS_OF, "-o", folder / "x.csv"), 2)
    refused(run("compare", small_csv, loop, "--as-of", AS_OF), 1)


@pytest.mark.parametrize("depth", [500, 5000])
def test_a_config_nested_hundreds_deep_is_refused(run: Run, tmp_path: Path, small_csv: Path,
                                                  depth: int) -> None:
    config = tmp_path / "deep.toml"
    config.write_text("a = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    says = refused(run("summary", small_csv, "--as-of", AS_OF, "-c", config), 2)
    assert "nested too deeply" in says
    tables = tmp_path / "tables.toml"
    tables.write_text("a = " + "{b = " * depth + "1" + "}" * depth + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(tables)


def test_a_config_file_over_the_size_bound_is_refused_unread(tmp_path: Path) -> None:
    config = tmp_path / "huge.toml"
    config.write_bytes(b"# " + b"x" * MAX_CONFIG_BYTES + b"\n")
    with pytest.raises(ConfigError, match="too large to be a configuration file"):
        load_config(config)


@pytest.mark.parametrize("command", PSEUDONYM_COMMANDS)
def test_a_pseudonymisation_key_that_is_not_utf8_is_refused_unshown(
        run: Run, tmp_path: Path, small_csv: Path, command: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    secret = os.fsdecode(b"a-long-enough-secret-\xff\xfe-key")  # how the environment hands it
    monkeypatch.setenv("EHCP_PSEUDONYMISE_KEY", secret)
    says = refused(run(command, small_csv, "--as-of", AS_OF, "--pseudonymise",
                       "-o", tmp_path / PSEUDONYM_COMMANDS[command]), 2)
    assert "not valid UTF-8 text" in says and "a-long-enough" not in says


class ChangedOnceTheHeaderIsRead(Config):
    """The default configuration, save that the first time the analysis asks for the column
    mapping (pipeline.read_export: once the export's header is read, before its rows are) it
    runs CHANGE: a file changed under the reader at a known point, passed in as an argument."""

    _change: Callable[[], object] | None = PrivateAttr(None)

    def column_mapping(self) -> dict[str, str]:
        if self._change is not None:
            change, self._change = self._change, None
            change()
        return super().column_mapping()


def changing(change: Callable[[], object]) -> Config:
    config = ChangedOnceTheHeaderIsRead()
    config._change = change
    return config


@pytest.mark.parametrize("shrink", [True, False])
def test_an_export_cut_short_or_replaced_while_read_is_refused(
        tmp_path: Path, small_csv: Path, shrink: bool) -> None:
    export = tmp_path / "big.csv"
    lines = small_csv.read_text(encoding="utf-8").splitlines()
    export.write_text("\n".join([lines[0], *[lines[1].replace("C1", f"C{n}")
                                             for n in range(5000)]]) + "\n", encoding="utf-8")

    def replace() -> None:
        replacement = tmp_path / "new.csv"
        replacement.write_text(small_csv.read_text(encoding="utf-8"), encoding="utf-8")
        os.replace(replacement, export)

    change = (lambda: os.truncate(export, 2000)) if shrink else replace
    assert analyse(export, Config(), SAMPLE_AS_OF).rows_in == 5000  # unchanged, it is read
    with pytest.raises(InputFileError, match="changed while it was being read"):
        analyse(export, changing(change), SAMPLE_AS_OF)


def test_a_parquet_export_cut_short_while_read_is_refused_not_a_panic(
        run: Run, tmp_path: Path, small_csv: Path) -> None:
    export = tmp_path / "cases.parquet"
    assert run("cases", small_csv, "--as-of", AS_OF, "-o", export).exit_code == 0
    # pytest.raises lets anything else through: a Polars panic (no Exception) fails the test.
    with pytest.raises(InputFileError, match="changed while it was being read"):
        analyse(export, changing(lambda: os.truncate(export, export.stat().st_size // 2)),
                SAMPLE_AS_OF)


@pytest.mark.parametrize("header", ["*", "^Team$"])
@pytest.mark.parametrize("command", ["report", "dfe", "summary", "benchmark", "trend",
                                     "worklist", "audit-exceptions", "cases", "compare"])
def test_a_header_polars_would_read_as_a_pattern_is_a_column_like_any_other(
        run: Run, tmp_path: Path, header: str, command: str) -> None:
    lines = (SAMPLE / "cases.csv").read_text(encoding="utf-8").splitlines()
    export = tmp_path / "cases.csv"
    export.write_text("\n".join([lines[0].replace(",Team,", f",{header},"), *lines[1:]])
                      + "\n", encoding="utf-8")
    args: list[object] = [command, export]
    if command == "compare":
        args.append(export)
    if command == "report":
        args += ["-o", tmp_path / "board.html"]
    result = run(*args, "--as-of", AS_OF, "-c", SAMPLE / "mapping.toml")
    # compare exits 1 when it finds changes needing attention: here, the sample's errors.
    assert result.exit_code in ((0, 1) if command == "compare" else (0,)), result.stderr
    assert "Internal error" not in result.stderr
    if command == "cases":
        assert result.stdout.splitlines()[0].split(",")[3] == header
    if command == "summary":
        grouped = run("summary", export, "--as-of", AS_OF, "--by", header)
        assert grouped.exit_code == 0, grouped.stderr
        assert "East" in grouped.stdout and "North" in grouped.stdout
