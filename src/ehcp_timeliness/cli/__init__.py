"""The command line: thin Typer commands over ehcp_timeliness.pipeline.

Polars and the pipeline are imported inside each command, so `--help` stays instant.
"""
