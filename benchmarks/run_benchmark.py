"""make bench: every speed and memory target of the tool, measured in one run.

Each figure is a whole process (Python start-up included) run through the command line only,
so the harness measures any version of the engine. The processes are interleaved (one of each
per round, `--repeat` rounds) so the machine's load falls on all alike; a figure is the median
of its rounds, a peak the largest resident set of its rounds (os.wait4). Ratios are against
baselines measured in the same run, which carry over between machines better than seconds.

Files, made once into benchmarks/work/ from one `sample --rows 1000000 --seed 7` export:
  uk    every date day first (15/01/2024);
  iso   the same cases, every date ISO (2024-01-15);
  bad   uk with 20 unreadable cells, one in each 50,000th row, as real exports have;
  30k   a 30,000-case export (`sample --rows 30000`), an authority's size.

    .venv/bin/python benchmarks/run_benchmark.py [--rows 1000000] [--repeat 3] [--huge]

Prints one table, each figure beside its target, and writes benchmarks/results/latest.json.
`--huge` adds one 10M-case `summary` (seconds and peak only).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOOL = str(BIN / "ehcp-timeliness")
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results"
AS_OF = "2025-06-30"
SEED = "7"
BAD_CELLS = 20
AUTHORITY_ROWS = 30_000
DATE_FORMS = ("%d/%m/%Y", "%Y-%m-%d", "%d %b %Y")  # the forms `sample` writes


def measure(command: list[str]) -> tuple[float, int, float]:
    """Wall seconds, the process's own peak resident set in bytes and its CPU seconds."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err}")
    return wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime  # maxrss in KiB


def sample(rows: int, path: Path) -> Path:
    if not path.exists():
        subprocess.run([TOOL, "sample", "--rows", str(rows), "--seed", SEED, "--output",
                        str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def with_dates(source: Path, path: Path, form: str, bad_cells: int = 0) -> Path:
    """SOURCE with every date cell written in FORM (a column is a date column when each of
    its cells reads as a date), and BAD_CELLS request dates spread evenly replaced by an
    impossible date. Written by a child process: a process started later inherits the peak
    resident set of its parent at the fork, so the harness itself never holds an export."""
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--rewrite", str(source), str(path), form,
                        str(bad_cells)], check=True)
    return path


def rewrite(source: Path, path: Path, form: str, bad_cells: int) -> None:
    import polars as pl

    def as_date(column: pl.Series) -> pl.Series:
        text = column.str.strip_chars()
        return pl.select(pl.coalesce(text.str.to_date(f, strict=False) for f in DATE_FORMS)
                         ).to_series()

    table = pl.read_csv(source, infer_schema=False)
    dates = [name for name in table.columns
             if (parsed := as_date(table[name])).null_count() == table[name].null_count()
             and parsed.null_count() < table.height]
    table = table.with_columns(as_date(table[name]).dt.to_string(form) for name in dates)
    if bad_cells:
        every = table.height // bad_cells
        row = pl.int_range(1, pl.len() + 1)
        table = table.with_columns(pl.when(row % every == 0).then(pl.lit("31/02/2024"))
                                   .otherwise(pl.col("Date Request Received"))
                                   .alias("Date Request Received"))
    table.write_csv(path)
    mapping = Path(f"{source}.mapping.toml")
    Path(f"{path}.mapping.toml").write_bytes(mapping.read_bytes())


def compile_package() -> None:
    """Byte-compile the package, as installing a wheel does. `make` installs it editable, so
    with PYTHONDONTWRITEBYTECODE set (CI images often do) every module would otherwise be
    compiled from source on every run, about 0.2 s a process that users do not pay."""
    compileall.compile_dir(ROOT / "src" / "ehcp_timeliness", quiet=1)


def help_commands() -> list[list[str]]:
    """Every command and group, read from the root --help and each group's --help."""
    found: list[list[str]] = [[]]
    pending: list[list[str]] = [[]]
    while pending:
        group = pending.pop()
        text = subprocess.run([TOOL, *group, "--help"], capture_output=True, text=True).stdout
        listed = text.split("Commands:", 1)[1] if "Commands:" in text else ""
        for name in re.findall(r"^\W{0,3}([a-z][a-z-]*)\s{2,}", listed, re.MULTILINE):
            found.append([*group, name])
            pending.append([*group, name])
    return found


def processes(files: dict[str, Path], work: Path) -> dict[str, list[str]]:
    py = sys.executable

    def tool(command: str, name: str, *extra: str) -> list[str]:
        path = files[name]
        return [TOOL, command, str(path), "--config", f"{path}.mapping.toml", "--as-of", AS_OF,
                *extra]

    read = "import polars, sys; polars.read_csv(sys.argv[1])"
    return {
        **{f"read {name}": [py, "-c", read, str(files[name])] for name in ("iso", "uk", "bad")},
        **{f"summary {name}": tool("summary", name) for name in ("iso", "uk", "bad")},
        "floor uk": [py, str(ROOT / "benchmarks" / "stack_floor.py"), str(files["uk"])],
        "pandas uk": [py, str(ROOT / "benchmarks" / "pandas_baseline.py"), str(files["uk"]),
                      f"{files['uk']}.mapping.toml", AS_OF],
        "trend uk": tool("trend", "uk", "--format", "json"),
        "report uk": tool("report", "uk", "--output", str(work / "board.html")),
        "worklist uk": tool("worklist", "uk", "--format", "csv"),
        "dfe uk": tool("dfe", "uk", "--format", "json"),
        "report 30k": tool("report", "30k", "--output", str(work / "board_30k.html")),
    }


def run_rounds(commands: dict[str, list[str]], rounds: int, what: str
               ) -> dict[str, dict[str, float]]:
    walls: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[int]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for number in range(1, rounds + 1):
        print(f"{what}: round {number} of {rounds}…", flush=True)
        for name, command in commands.items():
            wall, peak, cpu = measure(command)
            walls[name].append(wall)
            peaks[name].append(peak)
            cpus[name].append(cpu)
    return {name: {"median_s": statistics.median(walls[name]), "min_s": min(walls[name]),
                   "cpu_median_s": statistics.median(cpus[name]),
                   "peak_bytes": max(peaks[name]), "runs": rounds} for name in commands}


Figure = tuple[str, float, str, float, float | None]


def figures(measured: dict[str, dict[str, float]], helps: dict[str, float]) -> list[Figure]:
    """(figure, value, comparison, target, the same ratio of CPU seconds) for each target.
    The targets are wall time; the CPU ratio is shown beside it because on a shared machine
    it moves far less."""
    def ratio(top: str, bottom: str, key: str = "median_s") -> float:
        return measured[top][key] / measured[bottom][key]

    def timed(name: str, top: str, bottom: str, op: str, target: float) -> Figure:
        return name, ratio(top, bottom), op, target, ratio(top, bottom, "cpu_median_s")

    rows = [timed(f"summary ÷ bare read, {name}", f"summary {name}", f"read {name}", "<=", 1.8)
            for name in ("iso", "uk", "bad")]
    # No target: what the stack's imports, the text read and the least parse cost together
    # (benchmarks/stack_floor.py), the part of summary's ratio spent before any analysis.
    rows.append(timed("stack floor ÷ bare read, uk", "floor uk", "read uk", "", 0.0))
    rows.append(timed("pandas script ÷ summary, uk", "pandas uk", "summary uk", ">=", 2.5))
    rows += [(f"peak of summary ÷ bare read's, {name}",
              ratio(f"summary {name}", f"read {name}", "peak_bytes"), "<=", 1.3, None)
             for name in ("iso", "uk", "bad")]
    rows += [timed(f"{command} ÷ summary, uk", f"{command} uk", "summary uk", "<=", 2.0)
             for command in ("trend", "report", "worklist", "dfe")]
    rows.append(("report on 30k cases, s", measured["report 30k"]["median_s"], "<=", 0.5,
                 measured["report 30k"]["cpu_median_s"]))
    slowest = max(helps, key=helps.__getitem__)
    rows.append((f"slowest --help ({slowest}), s", helps[slowest], "<=", 0.3, None))
    return rows


def table(rows: list[Figure]) -> str:
    width = max(len(name) for name, *_ in rows)
    lines = [f"{'figure':{width}}  {'value':>6}  {'target':15} {'CPU':>6}", "-" * (width + 33)]
    for name, value, op, target, cpu in rows:
        met = value <= target if op == "<=" else value >= target
        shown = f"{op} {target:<4} {'met' if met else 'NOT met'}" if op else "(reference)"
        lines.append(f"{name:{width}}  {value:6.2f}  {shown:15} "
                     f"{'' if cpu is None else f'{cpu:6.2f}'}")
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["--rewrite"]:
        source, path, form, bad_cells = sys.argv[2:6]
        rewrite(Path(source), Path(path), form, int(bad_cells))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--huge", action="store_true", help="also one 10M-case summary")
    args = parser.parse_args()

    compile_package()
    WORK.mkdir(parents=True, exist_ok=True)
    source = sample(args.rows, WORK / f"export_{args.rows}.csv")
    files = {"uk": with_dates(source, WORK / f"uk_{args.rows}.csv", "%d/%m/%Y"),
             "iso": with_dates(source, WORK / f"iso_{args.rows}.csv", "%Y-%m-%d"),
             "bad": with_dates(source, WORK / f"bad_{args.rows}.csv", "%d/%m/%Y", BAD_CELLS),
             "30k": sample(AUTHORITY_ROWS, WORK / f"export_{AUTHORITY_ROWS}.csv")}
    measured = run_rounds(processes(files, WORK), args.repeat, "the analyses")
    helps = {name: m["median_s"] for name, m in run_rounds(
        {" ".join(c) or "(root)": [TOOL, *c, "--help"] for c in help_commands()},
        args.repeat, "--help of every command").items()}
    rows = figures(measured, helps)
    result = {"rows": args.rows, "csv_bytes": files["uk"].stat().st_size, "as_of": AS_OF,
              "figures": [{"figure": n, "value": v, "target": f"{op} {t}", "cpu": cpu}
                          for n, v, op, t, cpu in rows],
              "processes": measured, "help_median_s": helps,
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "platform": platform.platform(),
                          "load_average": os.getloadavg()}}
    if args.huge:
        big = sample(10_000_000, WORK / "export_10000000.csv")
        print("one 10M-case summary…", flush=True)
        wall, peak, _ = measure([TOOL, "summary", str(big), "--config", f"{big}.mapping.toml",
                              "--as-of", AS_OF])
        result["huge"] = {"rows": 10_000_000, "csv_bytes": big.stat().st_size,
                          "seconds": wall, "peak_bytes": peak}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\n{args.rows:,} cases ({files['uk'].stat().st_size / 2**20:,.0f} MiB uk CSV), "
          f"{args.repeat} rounds, load average {os.getloadavg()[0]:.1f}\n")
    print(table(rows))
    if args.huge:
        h = result["huge"]
        print(f"10M cases: {h['seconds']:.1f} s, peak {h['peak_bytes'] / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
