"""`--help` stays light: no help, root or any command's, imports the data stack or pydantic;
and a command's run imports what its output needs, no more.

What each help imports is checked in a fresh interpreter (this test process has Polars loaded
already). How long help takes is measured only by benchmarks/run_benchmark.py (help_times),
never here; this is the cause that made `COMMAND --help` slow (docs/performance.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLE, SAMPLE_AS_OF

# Imported only inside command bodies (the data stack) or, by Typer 0.29, to coerce a value
# (pydantic: see GroupHelpOpt in ehcp_timeliness/cli/common.py).
HEAVY = ["polars", "numpy", "jinja2", "lxml", "holidays", "pydantic", "pydantic_core",
         "fastexcel", "xlsxwriter", "ehcp_timeliness.pipeline"]

# Every help the tool has, found from the app itself (so a new command or group is covered),
# each run as the console script runs it (run() with sys.argv), in one fresh interpreter.
# Modules accumulate, so the first help that imports a heavy module is the one reported.
SCRIPT = """
import contextlib, io, json, sys

heavy = json.loads(sys.argv[1])
import typer
from ehcp_timeliness.cli.app import app, run

def paths(command, ctx, prefix):
    yield prefix
    if isinstance(command, typer.core.TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            yield from paths(sub, typer.Context(sub, parent=ctx, info_name=name),
                             [*prefix, name])

root = typer.main.get_command(app)
helps = list(paths(root, typer.Context(root, info_name="ehcp-timeliness"), []))
report = {"before": sorted(m for m in heavy if m in sys.modules), "helps": []}
for args in helps:
    sys.argv = ["ehcp-timeliness", *args, "--help"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run()  # main() without its sys.exit
    report["helps"].append({"args": args, "code": code, "usage": "Usage" in out.getvalue(),
                            "heavy": sorted(m for m in heavy if m in sys.modules)})
print(json.dumps(report))
"""


def test_no_help_imports_the_data_stack_or_pydantic() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(HEAVY)], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["before"] == [], "importing the app alone loads " + str(report["before"])
    helps = report["helps"]
    names = [" ".join(h["args"]) for h in helps]
    # The walk found the commands and the subgroup's command, not just the root.
    assert {"", "summary", "cases", "config", "config init"} <= set(names), names
    for h in helps:
        label = " ".join(["ehcp-timeliness", *h["args"], "--help"])
        assert h["code"] == 0 and h["usage"], f"{label} printed no help"
        assert h["heavy"] == [], f"{label} imported {h['heavy']}"


# A command's run imports what its output needs and no more: the board pack's renderers and
# their libraries belong to `report`, the workbook writer to an xlsx output, the terminal
# tables and Rich to --format table (or a terminal), the pseudonymiser to --pseudonymise, the
# workbook, Parquet and COLLECT readers to inputs of their formats. Each run in a fresh
# interpreter, as the console script runs it, on the shipped sample.
RUN = """
import json, sys
sys.argv = ["ehcp-timeliness", *json.loads(sys.argv[1])]
from ehcp_timeliness.cli.app import run
code = run()
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""
BOARD = ["jinja2", "ehcp_timeliness.report.html", "ehcp_timeliness.report.board"]
WORKBOOK = ["xlsxwriter", "ehcp_timeliness.report.xlsx"]
TERMINAL = ["rich", "ehcp_timeliness.report.terminal"]
PRIVACY = ["ehcp_timeliness.report.privacy"]
OTHER_READERS = ["fastexcel", "ehcp_timeliness.io.excel_reader",
                 "ehcp_timeliness.io.parquet_reader", "ehcp_timeliness.io.sen2_collect"]


@pytest.mark.parametrize(("args", "needs", "not_needed"), [
    (["summary", "--format", "csv"], ["ehcp_timeliness.report.tabular"],
     [*BOARD, *WORKBOOK, *TERMINAL, *PRIVACY, *OTHER_READERS]),
    (["cases", "--format", "csv"], [], [*BOARD, *WORKBOOK, *TERMINAL, *PRIVACY]),
    (["worklist", "--format", "json"], ["ehcp_timeliness.report.worklist"],
     ["jinja2", "ehcp_timeliness.report.html", *WORKBOOK, *TERMINAL, *PRIVACY]),
    (["trend", "--format", "json"], ["ehcp_timeliness.report.trend"],
     [*BOARD, *WORKBOOK, *TERMINAL]),
    (["report", "--format", "html", "--pseudonymise"], [*BOARD, *PRIVACY],
     [*WORKBOOK, *TERMINAL]),
], ids=["summary-csv", "cases", "worklist-json", "trend-json", "report-pseudonymised"])
def test_a_run_imports_what_its_output_needs(args: list[str], needs: list[str],
                                            not_needed: list[str]) -> None:
    full = [*args, str(SAMPLE / "cases.csv"), "-c", str(SAMPLE / "mapping.toml"),
            "--as-of", SAMPLE_AS_OF.isoformat()]
    done = subprocess.run([sys.executable, "-c", RUN, json.dumps(full)], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, "EHCP_PSEUDONYMISE_KEY": "k" * 40})
    report = json.loads(done.stderr.splitlines()[-1])
    assert report["code"] == 0, done.stderr
    modules = set(report["modules"])
    assert set(needs) <= modules, set(needs) - modules
    assert not modules & set(not_needed), sorted(modules & set(not_needed))
