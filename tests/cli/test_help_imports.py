"""`--help` stays light: no help, root or any command's, imports the data stack or pydantic.

What each help imports is checked in a fresh interpreter (this test process has Polars loaded
already). How long help takes is measured only by benchmarks/run_benchmark.py (help_times),
never here; this is the cause that made `COMMAND --help` slow (docs/performance.md).
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

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
