"""The command line: thin Typer commands over ehcp_timeliness.pipeline.

Polars and the pipeline are imported inside each command, so `--help` stays instant. The
command modules (app.py and one per command) do without `from __future__ import annotations`:
Typer reads every command's signature on every start-up, `--help` included, and annotations
kept as strings would each be compiled then.
"""
