"""make bench: whole-process timings of the tool against a bare Polars read and a pandas baseline.

On one generated 1M-case CSV, in one run, each measured as a separate process:
  (a) bare `polars.read_csv` of the file;
  (b) the pandas baseline (benchmarks/pandas_baseline.py);
  (c) `ehcp-timeliness summary`;
  (d) `ehcp-timeliness cases --format parquet`;
  (c2) `summary` of a copy with an unreadable date in every 50,000th case (repair and
       set-aside paths, which the generated file never takes);
  (e) `ehcp-timeliness trend --format json`: every month since the first request, within
      2× summary's time and with summary's memory (issue 15).
Prints medians, the ratios c/a, d/a and b/c, and each process's peak memory (its own maximum
resident set, from os.wait4), against the targets of issue 6; also the start-up time of
`--help` for every command. Writes benchmarks/results/latest.json. `--huge` adds a 10M-case
file analysed with `summary --streaming`.

    .venv/bin/python benchmarks/run_benchmark.py [--rows 1000000] [--repeat 5] [--huge]
"""

from __future__ import annotations

import argparse
import compileall
import csv as _csv
import json
import os
import platform
import shutil
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
TARGETS = {"c/a": ("<=", 1.5), "b/c": (">=", 3.0), "peak_c/csv": ("<=", 3.0),
           "help_max_s": ("<", 0.3), "e/c": ("<=", 2.0), "peak_e/peak_c": ("<=", 1.2)}


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and the process's own peak RSS in bytes."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err}")
    return wall, usage.ru_maxrss * 1024  # Linux reports KiB


def repeat(command: list[str], times: int) -> dict[str, float]:
    runs = [measure(command) for _ in range(times)]
    walls = [w for w, _ in runs]
    return {"median_s": statistics.median(walls), "min_s": min(walls),
            "peak_rss_bytes": max(m for _, m in runs), "runs": times}


def generate(rows: int, seed: int = 7) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"cases_{rows}.csv"
    if not path.exists():
        subprocess.run([TOOL, "sample", "--rows", str(rows), "--seed", str(seed),
                        "--output", str(path)], check=True)
    return path


def with_bad_cells(csv: Path, every: int = 50_000) -> Path:
    """A copy of CSV with an unreadable date of birth and request date in every EVERY-th case,
    as real exports have: the run then takes the repair and set-aside paths (the generated
    file has none)."""
    path = csv.with_name(f"{csv.stem}_bad_cells.csv")
    if not path.exists():
        with csv.open(newline="", encoding="utf-8") as source, \
                path.open("w", newline="", encoding="utf-8") as target:
            reader, writer = _csv.reader(source), _csv.writer(target, lineterminator="\n")
            header = next(reader)
            writer.writerow(header)
            dob, received = header.index("DOB"), header.index("Date Request Received")
            for number, row in enumerate(reader, start=1):
                if number % every == 0:
                    row[dob], row[received] = "unknown", "31/02/2024"
                writer.writerow(row)
        shutil.copyfile(f"{csv}.mapping.toml", f"{path}.mapping.toml")
    return path


def compile_package() -> None:
    """Byte-compile the package, as installing a wheel does. `make` installs it editable, so
    without this a machine with PYTHONDONTWRITEBYTECODE set (CI images often do) compiles
    every module from source on every run, about 0.2 s a process that users do not pay.
    """
    compileall.compile_dir(ROOT / "src" / "ehcp_timeliness", quiet=1)


def help_times(times: int) -> dict[str, float]:
    commands = [[], ["summary"], ["cases"], ["validate"], ["sample"], ["config"],
                ["config", "init"]]
    extra = subprocess.run([TOOL, "--help"], capture_output=True, text=True).stdout
    for name in ("check", "dfe", "benchmark", "report", "worklist", "audit-exceptions",
                 "trend"):
        if f" {name} " in extra:
            commands.append([name])
    return {" ".join(c) or "(root)": repeat([TOOL, *c, "--help"], times)["median_s"]
            for c in commands}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--huge", action="store_true", help="also the 10M-case streaming run")
    args = parser.parse_args()

    compile_package()
    csv = generate(args.rows)
    dirty = with_bad_cells(csv)
    mapping = f"{csv}.mapping.toml"
    tool_args = [str(csv), "--config", mapping, "--as-of", AS_OF]
    py = sys.executable
    procs = {
        "a_polars_read_csv": [py, "-c", f"import polars; polars.read_csv({str(csv)!r})"],
        "b_pandas_baseline": [py, str(ROOT / "benchmarks" / "pandas_baseline.py"), str(csv),
                              mapping, AS_OF],
        "c_summary": [TOOL, "summary", *tool_args],
        "d_cases_parquet": [TOOL, "cases", *tool_args, "--format", "parquet", "--output",
                            str(WORK / "cases.parquet")],
        "c2_summary_bad_cells": [TOOL, "summary", str(dirty), "--config",
                                 f"{dirty}.mapping.toml", "--as-of", AS_OF],
        "e_trend": [TOOL, "trend", *tool_args, "--format", "json"],
    }
    measured = {}
    for name, command in procs.items():
        print(f"measuring {name} ({args.repeat} runs)…", flush=True)
        measured[name] = repeat(command, args.repeat)
    a, b, c, d = (measured[k]["median_s"] for k in list(procs)[:4])
    size = csv.stat().st_size
    helps = help_times(args.repeat)
    ratios = {"c/a": c / a, "d/a": d / a, "b/c": b / c,
              "peak_c/csv": measured["c_summary"]["peak_rss_bytes"] / size,
              "peak_d/csv": measured["d_cases_parquet"]["peak_rss_bytes"] / size,
              "c2/a": measured["c2_summary_bad_cells"]["median_s"] / a,
              "peak_c2/csv": measured["c2_summary_bad_cells"]["peak_rss_bytes"] / size,
              "help_max_s": max(helps.values()),
              "e/c": measured["e_trend"]["median_s"] / c,
              "peak_e/peak_c": measured["e_trend"]["peak_rss_bytes"]
              / measured["c_summary"]["peak_rss_bytes"]}
    result = {"rows": args.rows, "csv_bytes": size, "as_of": AS_OF, "processes": measured,
              "ratios": ratios, "help_median_s": helps, "targets": TARGETS,
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "platform": platform.platform()}}
    if args.huge:
        big = generate(10_000_000)
        command = [TOOL, "summary", str(big), "--config", f"{big}.mapping.toml", "--as-of",
                   AS_OF, "--streaming"]
        print("measuring the 10M-case streaming summary (1 run)…", flush=True)
        result["huge"] = {"rows": 10_000_000, "csv_bytes": big.stat().st_size,
                          **repeat(command, 1)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    print(report(result))


def verdict(name: str, value: float) -> str:
    op, limit = TARGETS.get(name, ("", 0.0))
    if not op:
        return ""
    ok = {"<=": value <= limit, ">=": value >= limit, "<": value < limit}[op]
    return f"target {op} {limit}: {'met' if ok else 'NOT met'}"


def report(result: dict) -> str:
    mib = 1024 * 1024
    lines = [f"{result['rows']:,} cases, CSV {result['csv_bytes'] / mib:,.0f} MiB"]
    for name, m in result["processes"].items():
        lines.append(f"  {name:20s} median {m['median_s']:6.2f} s   "
                     f"peak {m['peak_rss_bytes'] / mib:7,.0f} MiB")
    for name, value in result["ratios"].items():
        lines.append(f"  {name:12s} {value:6.2f}   {verdict(name, value)}")
    slowest = max(result["help_median_s"], key=result["help_median_s"].get)
    lines.append(f"  --help: slowest {slowest!r} {result['help_median_s'][slowest]:.3f} s")
    if "huge" in result:
        h = result["huge"]
        lines.append(f"  10M streaming summary: {h['median_s']:.1f} s, peak "
                     f"{h['peak_rss_bytes'] / mib:,.0f} MiB for a "
                     f"{h['csv_bytes'] / mib:,.0f} MiB CSV")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
