"""The board pack in a real headless browser (Debian's chromium, driven over a pipe by
tests/browser.py): it renders without console errors, its KPI figures are the ones
`summary --format json` gives, and a screenshot is kept in test-artifacts/ to look at.

Skipped, saying why, only when chromium is not installed (`make browser` installs it when it
can; `make test` runs that first).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehcp_timeliness.cli.app import app

from board_data import ROWS, write_export
from browser import Chromium, find_chromium
from conftest import ROOT, SAMPLE

ARTIFACTS = ROOT / "test-artifacts"
SAMPLE_ARGS = [str(SAMPLE / "cases.csv"), "--config", str(SAMPLE / "board.toml"),
               "--as-of", "2025-06-30"]
KPI_JS = """[...document.querySelectorAll('[data-kpi]')].map(card => ({
  kpi: card.dataset.kpi,
  value: card.querySelector('.kpi-value').textContent.trim(),
  detail: (card.querySelector('.detail') || {textContent: ''}).textContent.trim(),
  slipped: card.classList.contains('slippage')}))"""


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    executable = find_chromium()
    if executable is None:
        pytest.skip("chromium is not installed and could not be installed here (`make browser` "
                    "runs `apt-get install -y chromium`); the board pack was not checked in a "
                    "browser")
    browser = Chromium(executable)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def sample_board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("board") / "board.html"
    cli("report", *SAMPLE_ARGS, "--by", "Team", "--output", str(out))
    return out


def test_the_harness_sees_console_errors(chromium: Chromium, tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><title>t</title><script>console.error('boom')</script>",
                    encoding="utf-8")
    assert any("boom" in p for p in chromium.load(page).problems)


def test_board_renders_cleanly_and_matches_summary_json(chromium: Chromium,
                                                        sample_board: Path) -> None:
    page = chromium.load(sample_board)
    assert page.problems == [] and page.console == []
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "board.png"
    chromium.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000

    expected = json.loads(cli("summary", *SAMPLE_ARGS, "--format", "json"))["kpis"]
    cards = {c["kpi"]: c for c in chromium.evaluate(KPI_JS)}
    assert list(cards) == list(expected)
    for kpi, figures in expected.items():
        shown = cards[kpi]["value"]
        if figures["numerator"] is None:
            assert int(shown.replace(",", "")) == figures["value"], kpi
        else:
            assert shown.endswith("%") and float(shown[:-1]) == figures["value"], kpi
            assert cards[kpi]["detail"] == (
                f"{figures['numerator']:,} of {figures['denominator']:,} plans"), kpi
    # sample_data/board.toml sets milestones the sample misses for these two
    assert cards["pct_within_20_weeks_ex_12_months"]["slipped"]
    assert cards["open_cases_overdue"]["slipped"] and not cards["reviews_overdue"]["slipped"]
    assert chromium.evaluate("document.querySelectorAll('svg.chart').length") >= 3
    assert chromium.evaluate("document.getElementById('as-of').dataset.date") == "2025-06-30"


def test_text_from_the_data_stays_text(chromium: Chromium, tmp_path: Path) -> None:
    export = write_export(tmp_path, [*ROWS, "C8,P8,01/06/2025,,,,<script>alert(1)</script>,",
                                     "<img src=x onerror=alert(2)>,P9,02/06/2025,,,,South,"])
    out = tmp_path / "board.html"
    cli("report", str(export), "--as-of", "2025-06-30", "--by", "Team", "-o", str(out))
    page = chromium.load(out)
    assert page.problems == [] and page.console == []
    assert chromium.evaluate("document.scripts.length + document.images.length") == 0
    text = chromium.evaluate("document.body.textContent")
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text


TREND_JS = """(() => {
  const year = document.querySelector('.year-end').dataset;
  const rows = [...document.querySelectorAll('#over-time table tbody tr')];
  const last = [...rows[rows.length - 1].querySelectorAll('td')].map(td => td.textContent.trim());
  const heads = [...document.querySelectorAll('#over-time table thead th')].map(
    th => th.textContent.trim());
  return {year: {so_far: year.soFar, lowest: year.lowest, central: year.central,
                 highest: year.highest, likely_low: year.likelyLow,
                 likely_high: year.likelyHigh},
          basis: year.basis,
          backlog: document.querySelector('.clearance').dataset.backlog,
          last: Object.fromEntries(heads.map((h, i) => [h, last[i]])),
          charts: document.querySelectorAll('#over-time svg.chart').length,
          changes: [...document.querySelectorAll('[data-kpi]')].map(
            card => card.querySelectorAll('.change').length)};
})()"""


def test_the_trend_section_shows_trend_and_summary_figures(chromium: Chromium,
                                                           sample_board: Path) -> None:
    page = chromium.load(sample_board)
    assert page.problems == [] and page.console == []
    chromium.evaluate("document.getElementById('over-time').scrollIntoView()")
    ARTIFACTS.mkdir(exist_ok=True)
    chromium.screenshot(ARTIFACTS / "board-trend.png")
    shown = chromium.evaluate(TREND_JS)
    trend = json.loads(cli("trend", *SAMPLE_ARGS, "--format", "json"))
    year = trend["year_end"]
    assert {k: float(v) for k, v in shown["year"].items()} == {
        "so_far": year["pct_so_far"], "lowest": year["lowest"], "central": year["central"],
        "highest": year["highest"], "likely_low": year["likely_low"],
        "likely_high": year["likely_high"]}
    assert shown["basis"] == year["basis"]
    assert json.loads(cli("summary", *SAMPLE_ARGS, "--format", "json"))["year_end"] == year
    last = trend["months"][-1]
    assert int(shown["backlog"]) == last["open_overdue_at_month_end"]
    assert shown["last"]["Month"] == last["month"]
    assert int(shown["last"]["Open"].replace(",", "")) == last["open_at_month_end"]
    assert int(shown["last"]["Overdue"]) == last["open_overdue_at_month_end"]
    assert float(shown["last"]["Due %"].rstrip("%")) == last["pct_due_issued_on_time"]
    assert shown["charts"] == 4
    assert shown["changes"] == [2] * len(shown["changes"])
