"""The board pack printed as a board member would print it: headless Chromium's print-to-PDF
(A4 portrait, the page's own @page rule) read back with pdftotext. Every monthly table is in
the printout, collapsed ones too, without any script.

Skipped, saying why, only when chromium or pdftotext is not installed.
"""

from __future__ import annotations

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
