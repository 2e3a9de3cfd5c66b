"""The board pack printed as a board member would print it: headless Chromium's print-to-PDF
(A4 portrait, the page's own @page rule) read back with pdftotext. Every monthly table is in
the printout, collapsed ones too, without any script.

Skipped, saying why, only when chromium or pdftotext is not installed.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehcp_timeliness.cli.app import app

from browser import FLAGS, find_chromium
from conftest import SAMPLE

SAMPLE_ARGS = [str(SAMPLE / "cases.csv"), "--config", str(SAMPLE / "board.toml"),
               "--as-of", "2025-06-30"]
PRINT_FLAGS = tuple(f for f in FLAGS if f != "--remote-debugging-pipe")


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def printed_text(page: Path, folder: Path) -> tuple[str, str]:
    """(pdftotext's text, pdfinfo's report) of PAGE printed to PDF by headless Chromium."""
    chromium, pdftotext = find_chromium(), shutil.which("pdftotext")
    if chromium is None or pdftotext is None:
        pytest.skip("chromium and pdftotext (poppler-utils) are needed to print the pack")
    pdf = folder / "board.pdf"
    subprocess.run([chromium, *PRINT_FLAGS, f"--user-data-dir={folder / 'profile'}",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.resolve().as_uri()],
                   check=True, timeout=120, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, timeout=60,
                          capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, timeout=60, capture_output=True,
                          text=True).stdout if shutil.which("pdfinfo") else ""
    return text, info


def test_the_printout_carries_every_monthly_table(tmp_path: Path) -> None:
    page = tmp_path / "board.html"
    cli("report", *SAMPLE_ARGS, "--output", str(page))
    text, info = printed_text(page, tmp_path)
    if info:
        assert "A4" in info
    trend = json.loads(cli("trend", *SAMPLE_ARGS, "--format", "json"))
    # Both monthly tables sit in collapsed <details> on screen; printed, each month is a row
    # of each: the monthly trend (by month of issue) and the backlog (month ends).
    months = [m["month"] for m in trend["months"]][-24:]
    for month in months:
        rows = re.findall(rf"^\s*{month}\s+\d", text, flags=re.MULTILINE)
        assert len(rows) == 2, month
    # the benchmark, the headline and data quality are in it too
    for heading in ("Headline", "Benchmark: Redbridge", "Data quality", "Monthly figures"):
        assert heading in text, heading


def _headings(page: Path) -> list[str]:
    found = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", page.read_text(encoding="utf-8"), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in found]


@pytest.mark.parametrize("extra", [[], ["--by", "Team", "--suppress-below", "10"]])
def test_no_printed_page_ends_with_a_heading_or_its_lead_in(tmp_path: Path,
                                                            extra: list[str]) -> None:
    """A heading is printed on the page of what it heads: not last on a page, nor followed
    there only by its lead-in paragraph, its chart or table overleaf."""
    page = tmp_path / "board.html"
    cli("report", *SAMPLE_ARGS, *extra, "--output", str(page))
    text, _ = printed_text(page, tmp_path)
    headings = _headings(page)
    pages = [[line.strip() for line in p.splitlines() if line.strip()]
             for p in text.split("\f")]
    assert len([p for p in pages if p]) > 3
    for number, lines in enumerate(pages, start=1):
        for at, line in enumerate(lines[-3:]):
            after = lines[len(lines) - 3 + at + 1:]
            if line in headings:
                # What follows it on the page is more than prose: a table's row or a chart's
                # labels, which pdftotext lays out in columns (runs of spaces).
                assert any("  " in a for a in after), (number, line, after)
