"""Documentation stays complete: every command, config key, issue code and contract column."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from ehcp_timeliness.columns import CANONICAL_COLUMNS, RECOMPUTED_OUTPUTS, SUMMARY_COLUMNS
from ehcp_timeliness.config import Closure, Config, KpiTarget
from ehcp_timeliness.schema.issue_codes import ISSUE_CODES, catalogue_markdown

from conftest import ROOT, app_commands

DOCS = ROOT / "docs"


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def config_keys() -> list[str]:
    """Every key a config file may hold, dotted (`rules.due_soon_days`)."""
    keys = ["outcome_codes", *(f"targets.<kpi>.{k}" for k in KpiTarget.model_fields),
            *(f"term_dates.closures.{k}" for k in Closure.model_fields)]
    for section, field in Config.model_fields.items():
        if isinstance(field.default, BaseModel):  # a [section] of keys
            keys += [f"{section}.{k}" for k in type(field.default).model_fields]
    return keys


def command_names() -> list[str]:
    return list(app_commands())


def test_there_are_commands_to_check() -> None:
    assert {"summary", "cases", "validate", "config init"} <= set(command_names())


@pytest.mark.parametrize("command", command_names())
def test_every_command_is_documented(command: str) -> None:
    assert re.search(rf"^## `{re.escape(command)}`", read("commands.md"), re.MULTILINE), \
        f"docs/commands.md has no '## `{command}`' section"


@pytest.mark.parametrize("key", config_keys())
def test_every_config_key_is_documented(key: str) -> None:
    assert f"`{key}`" in read("configuration.md")


@pytest.mark.parametrize("code", list(ISSUE_CODES))
def test_every_issue_code_is_documented(code: str) -> None:
    assert f"`{code}`" in read("issue-codes.md")


def test_issue_code_table_is_current() -> None:
    assert catalogue_markdown() in read("issue-codes.md"), "run `make docs`"


@pytest.mark.parametrize("column", [c.name for c in CANONICAL_COLUMNS]
                         + list(RECOMPUTED_OUTPUTS) + list(SUMMARY_COLUMNS))
def test_every_contract_column_is_documented(column: str) -> None:
    assert f"`{column}`" in read("data-contract.md")


def test_readme_first_screen_gives_the_two_setup_commands() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:30])
    commands = re.findall(r"^\s*(make \w+)", first_screen, re.MULTILINE)
    assert commands == ["make run", "make test"]


def test_every_test_named_in_the_hostile_input_table_exists() -> None:
    """docs/reliability.md "Hostile input": each row's proof is a test that is there."""
    section = read("reliability.md").split("## Hostile input", 1)[1]
    named = re.findall(r"`((?:[\w/]+/)?test_\w+\.py)(?:::(\w+))?`", section)
    assert named
    tests = ROOT / "tests"
    for path, name in named:
        found = [tests.parent / path] if "/" in path else list(tests.rglob(path))
        assert found and found[0].is_file(), path
        if name:
            assert f"def {name}(" in found[0].read_text(encoding="utf-8"), f"{path}::{name}"


def test_readme_command_table_lists_each_command_once() -> None:
    table = (ROOT / "README.md").read_text(encoding="utf-8").split("## Commands", 1)[1]
    listed = re.findall(r"^\| `([\w -]+)` \|", table.split("\n## ", 1)[0], re.MULTILINE)
    assert sorted(listed) == sorted(set(listed)), "a command is listed twice"
    assert set(listed) == set(command_names())


def test_no_hand_written_count_of_worked_examples() -> None:
    """A count written into prose goes stale as examples are added."""
    for text in ((ROOT / "README.md").read_text(encoding="utf-8"), read("architecture.md")):
        assert not re.search(r"\b\d+ worked (deadline )?(examples|calculations)", text)


def test_sample_readme_figures_are_the_tools(run) -> None:  # type: ignore[no-untyped-def]
    """sample_data/README.md's summary table and open/review counts, from `summary`."""
    import json

    from conftest import SAMPLE

    result = run("summary", SAMPLE / "cases.csv", "--config", SAMPLE / "mapping.toml",
                 "--as-of", "2025-06-30", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    text = (SAMPLE / "README.md").read_text(encoding="utf-8").split(
        "## What the summary shows", 1)[1]
    rows = re.findall(r"^\| (\d{4})[^|]* \| ([^\n]+) \|$", text, re.MULTILINE)
    assert len(rows) == len(summary["timeliness"])
    for (year, cells), want in zip(rows, summary["timeliness"], strict=True):
        assert year == want["period"]
        shown = [c.strip() for c in cells.split("|")]
        assert shown == [str(want[k]) for k in (
            "plans_issued", "issued_within_20_weeks", "pct_within_20_weeks",
            "pct_within_20_weeks_ex", "issued_20_to_52_weeks", "issued_over_52_weeks",
            "median_weeks_to_issue")], year
    opened, reviews = summary["open_requests"][0], summary["reviews"][0]
    assert (f"Open requests: {opened['open_cases']:,} ({opened['overdue']} overdue, "
            f"{opened['due_soon']} due soon, {opened['in_progress']} in progress)") in text
    assert (f"Annual reviews: {reviews['plans_to_review']:,} plans\n"
            f"({reviews['reviews_overdue']} overdue, {reviews['reviews_due_soon']} due soon, "
            f"{reviews['reviews_not_due']} not due)") in text
