"""Errors that stop a run, each with the fix in its hint and a documented exit code.

Problems inside rows are not exceptions: they are issues (see schema/issue_codes.py).
Messages name files, columns, headers and case ids only, never other cell values from personal
columns.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    # Input unusable (unreadable file, missing column), or `validate` found row errors.
    INPUT = 1
    # Misuse: bad flag or argument, missing file, invalid configuration.
    USAGE = 2
    # `check`: the input was analysed, but a figure broke its threshold. Distinct from INPUT so
    # a pipeline can tell "the figures are bad" from "the export is bad".
    THRESHOLD = 3
    # A bug in this tool; rerun with --debug for the traceback.
    INTERNAL = 70


class EhcpError(Exception):
    """A problem the user can fix: a message, a hint saying how, and an exit code."""

    exit_code: ExitCode = ExitCode.INPUT

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class UsageError(EhcpError):
    """Bad flag, missing file, or a value the user typed that cannot be used."""

    exit_code = ExitCode.USAGE


class ConfigError(EhcpError):
    """The mapping/configuration file is unreadable or has an invalid key or value."""

    exit_code = ExitCode.USAGE


class InputFileError(EhcpError):
    """The input file cannot be read as a case table (encoding, format, empty, sheet)."""

    exit_code = ExitCode.INPUT


class MissingColumnError(InputFileError):
    """A required canonical column is neither mapped nor recognised."""
