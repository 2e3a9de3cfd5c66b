"""The gate never passes on nothing: no case analysed, or no threshold measured, is exit 1;
summary and report say so plainly; an export in UTF-16 or UTF-32 without a byte-order mark is
read as such, never as UTF-8 full of NULs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from ehcp_timeliness.io.readers import read_table
from ehcp_timeliness.io.text_encoding import unmarked_wide

from conftest import AS_OF, HEADER, ROWS, SAMPLE

Run = Callable[..., Result]
NOTHING = "no case could be analysed"


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.mark.parametrize("how", ["as-of before the data", "every row set aside"])
def test_check_with_no_case_analysed_exits_1(run: Run, tmp_path: Path, small_csv: Path,
                                             how: str) -> None:
    export, as_of = small_csv, AS_OF
    if how == "as-of before the data":
        as_of = "2000-01-01"
    else:
        export = tmp_path / "unreadable.csv"
        export.write_text("\n".join([HEADER, *(r.replace("/", "?") for r in ROWS)]) + "\n",
                          encoding="utf-8")
    for thresholds in (["--max-overdue", "0"], ["--max-error-rows", "99"],
                       ["--min-pct-within-20-weeks", "0"]):
        result = run("check", export, "--as-of", as_of, *thresholds)
        assert result.exit_code == 1, result.stdout + result.stderr
        assert NOTHING in _flat(result.stderr)
        assert "check passed" not in result.stderr


def test_the_as_of_date_is_blamed_only_when_it_set_the_rows_aside(run: Run, tmp_path: Path,
                                                                   small_csv: Path) -> None:
    unreadable = tmp_path / "unreadable.csv"
    unreadable.write_text("\n".join([HEADER, *(r.replace("/", "?") for r in ROWS)]) + "\n",
                          encoding="utf-8")
    dates = _flat(run("summary", unreadable, "--as-of", AS_OF).stderr)
    assert NOTHING in dates and "(unparseable-date: 4)" in dates
    assert "check --as-of" not in dates and "run `validate` to list each row's issues" in dates
    early = _flat(run("summary", small_csv, "--as-of", "2000-01-01").stderr)
    assert "received-after-as-of" in early and "check --as-of is after the export's dates" in early
    # validate lists the issues itself: it does not send the analyst to validate.
    listed = _flat(run("validate", unreadable, "--as-of", AS_OF).stderr)
    assert NOTHING in listed and "each row's issues are listed" in listed
    assert "`validate`" not in listed


def test_check_where_no_threshold_measured_anything_exits_1(run: Run, small_csv: Path) -> None:
    # One month's window holding no plan: the rate is a % of nothing.
    result = run("check", small_csv, "--as-of", AS_OF, "--min-pct-within-20-weeks", "50",
                 "--window-months", "1")
    assert result.exit_code == 1, result.stderr
    assert "none of the thresholds measured anything" in _flat(result.stderr)
    # Its JSON, which a job may read instead of the exit code, does not say it passed.
    result = run("check", small_csv, "--as-of", AS_OF, "--min-pct-within-20-weeks", "50",
                 "--window-months", "1", "--format", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)["passed"] is False
    # Beside a threshold that measured something it is "no data", never a pass of its own.
    result = run("check", small_csv, "--as-of", AS_OF, "--min-pct-within-20-weeks", "50",
                 "--window-months", "1", "--max-overdue", "99", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"result": "no data"' in result.stdout and "1 had no data" in _flat(result.stderr)
    assert json.loads(result.stdout)["passed"] is True


def test_check_where_every_threshold_is_only_a_lower_bound_exits_1(run: Run,
                                                                    tmp_path: Path) -> None:
    """Reviews overdue as of a date before a plan's only recorded review: a lower bound
    within the limit is `not known`, and a gate that decided nothing does not pass."""
    export = tmp_path / "reviews.csv"
    export.write_text("Case Ref,Date Request Received,Request Outcome,Final EHCP Issued,"
                      "Last Review Date\n"
                      "C1,15/01/2022,Y,03/06/2022,10/09/2023\n"    # review overdue since Sep 2024
                      "C2,15/01/2022,Y,03/06/2022,01/06/2025\n"    # its review: not known
                      "C3,15/02/2022,Y,03/07/2022,01/06/2025\n"
                      "C4,15/03/2022,Y,03/08/2022,01/06/2025\n", encoding="utf-8")
    result = run("check", export, "--as-of", "2025-03-31", "--max-reviews-overdue-pct", "50",
                 "--format", "json")
    assert json.loads(result.stdout)["thresholds"][0]["result"] == "not known"
    assert json.loads(result.stdout)["passed"] is False
    assert result.exit_code == 1, result.stderr
    assert "none of the thresholds could be decided" in _flat(result.stderr)
    assert "check passed" not in result.stderr
    # Beside a threshold that decided something it stays `not known`, never a pass.
    result = run("check", export, "--as-of", "2025-03-31", "--max-reviews-overdue-pct", "50",
                 "--max-error-rows", "0")
    assert result.exit_code == 0, result.stderr
    assert "1 could not be decided from a lower bound" in _flat(result.stderr)


@pytest.mark.parametrize("command", ["summary", "report", "trend", "worklist", "dfe"])
def test_outputs_say_plainly_when_nothing_was_analysed(run: Run, tmp_path: Path,
                                                       small_csv: Path, command: str) -> None:
    output = {"report": ["-o", tmp_path / "board.html"]}.get(command, [])
    result = run(command, small_csv, "--as-of", "2000-01-01", *output)
    assert result.exit_code == 0, result.stderr
    assert NOTHING in _flat(result.stderr)
    shown = result.stdout if not output else (tmp_path / "board.html").read_text("utf-8")
    if command in ("summary", "report"):
        assert NOTHING in _flat(shown)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be",
                                      "utf-32"])
def test_utf16_and_utf32_without_a_byte_order_mark_are_read_as_such(
        run: Run, tmp_path: Path, encoding: str) -> None:
    text = (SAMPLE / "cases.csv").read_text(encoding="utf-8").replace("Caseworker 02",
                                                                      "Zoë Ångström")
    wide = tmp_path / "wide.csv"
    wide.write_bytes(text.encode(encoding))  # "utf-32": with its byte-order mark
    raw = read_table(wide)
    assert raw.details["encoding"] in (encoding, "utf-32")
    assert raw.headers[0] == "Case Ref" and not any("\0" in h for h in raw.headers)
    assert "Zoë Ångström" in raw.frame.collect()["Allocated Caseworker"].to_list()
    plain = run("summary", SAMPLE / "cases.csv", "--as-of", AS_OF, "--format", "json")
    read = run("summary", wide, "--as-of", AS_OF, "--format", "json")
    assert read.exit_code == 0, read.stderr
    assert read.stdout.replace("wide.csv", "cases.csv").split('"rows"')[1] == \
        plain.stdout.split('"rows"')[1]


def test_zero_bytes_in_no_pattern_of_an_encoding_are_refused(run: Run, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_bytes(HEADER.encode().replace(b"Ref", b"R\0\0f\0") + b"\n"
                    + "\n".join(ROWS).encode() + b"\n")
    result = run("summary", odd, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "holds NUL (zero) bytes" in _flat(result.stderr).replace("nul (zero)", "NUL (zero)")
    assert unmarked_wide(b"Case,Ref\n" * 8) is None
    assert unmarked_wide("Case,Ref\n".encode("utf-16-le")) == "utf-16-le"
