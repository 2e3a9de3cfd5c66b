"""`sample`: deterministic synthetic exports for demos, tests and benchmarks."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ehcp_timeliness.cli.common import chosen_format, parse_as_of, say

# The sample is built in memory; 10 million rows is the largest size benchmarked (make
# bench-huge). Past it, numpy fails to allocate, which would end the command as an internal
# error rather than a usage message.
MAX_SAMPLE_ROWS = 10_000_000


SampleFormat = StrEnum("SampleFormat", "csv parquet sen2")


def sample(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="File to write.", show_default=False)],
    rows: Annotated[int, typer.Option(
        "--rows", min=1, max=MAX_SAMPLE_ROWS,
        help="How many requests, up to 10,000,000 (the largest benchmarked).")] = 2000,
    seed: Annotated[int, typer.Option(
        "--seed", min=0, max=2**63 - 1, help="Same seed, same file: a whole number from 0.")] = 1,
    as_of: Annotated[str, typer.Option(
        "--as-of", help="Last day of the synthetic history, YYYY-MM-DD.")] = "2025-06-30",
    output_format: Annotated[SampleFormat | None, typer.Option(
        "--format", help="csv/parquet: an authority-style export; sen2: a SEN2 XML return "
        "(default: what the --output name says, .xml for sen2, else csv).",
        show_default=False)] = None,
    clean: Annotated[bool, typer.Option(
        "--clean", help="Canonical column names and ISO dates instead of a messy export.")] =
        False,
    bad_rows: Annotated[bool, typer.Option(
        "--bad-rows", help="Add the fixed set of deliberately faulty rows (see validate).")] =
        False,
) -> None:
    """Write a synthetic case export: national-like outcomes, timings, exceptions, reviews and
    teams, deterministic for a seed. No real person is described.

    A messy export gets a mapping file beside it (OUTPUT.mapping.toml) for --config.

    Examples:

    \b
      ehcp-timeliness sample --rows 1000000 --seed 7 --output big.csv
      ehcp-timeliness sample --rows 500 --format sen2 --output return.xml
    """
    from ehcp_timeliness import synthetic, synthetic_export
    from ehcp_timeliness.errors import UsageError
    from ehcp_timeliness.io.writers import (
        check_outputs,
        output_stream,
        table_bytes,
        write_output,
        writes_a_file,
    )

    output_format = chosen_format(output_format, output, SampleFormat.csv)
    # The mapping goes beside a file; a sample sent to a device or stdout has no "beside".
    mapping = (output.with_name(output.name + ".mapping.toml")
               if not clean and output_format is not SampleFormat.sen2
               and writes_a_file(output) else None)
    check_outputs((), mapping)
    end = parse_as_of(as_of)
    # Every option checked before the cases are made (10 million take a minute).
    if output_format is SampleFormat.sen2 and (clean or bad_rows):
        raise UsageError("--clean and --bad-rows apply to csv and parquet samples",
                         "Drop them for --format sen2.")
    if bad_rows and clean:
        raise UsageError("--bad-rows needs the messy export", "Drop --clean.")
    cases = synthetic.generate_cases(rows, seed, end)
    if output_format is SampleFormat.sen2:
        from ehcp_timeliness.synthetic_sen2 import write_sen2_xml

        with output_stream(output) as handle:
            write_sen2_xml(cases, handle)
        say(f"Wrote {output}: a SEN2 return with {rows:,} requests (seed {seed}).")
        return
    export = cases if clean else synthetic_export.to_messy_export(cases, seed)
    if bad_rows:
        export = synthetic_export.add_bad_rows(export, seed, as_of=end)
    text = synthetic_export.mapping_toml(export.columns,
                                  f"# Mapping for {output.name} (ehcp-timeliness sample).")
    if mapping is not None and mapping.exists() and mapping.read_bytes() != text.encode():
        # A mapping someone edited (or wrote for a real export) is never replaced silently.
        raise UsageError(f"{mapping} exists and differs from the mapping this sample needs, "
                         "so writing the sample would replace it",
                         "Move or delete it if it is not needed, or write the sample under "
                         "another name; --clean writes no mapping.")
    write_output(table_bytes(export, output_format.value), output)
    note = f"Wrote {output}: {export.height:,} rows (seed {seed}, history to {end})."
    if mapping is not None:
        write_output(text.encode("utf-8"), mapping)
        note += f" Use --config {mapping}."
    say(note)
