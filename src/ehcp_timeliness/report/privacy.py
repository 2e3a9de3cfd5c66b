"""Privacy for outputs meant for a board (docs/reports.md#privacy).

Pseudonymisation: case and person ids become a keyed hash (HMAC-SHA256), stable across runs
with the same key and unlinkable without it. Small-number suppression, shown as SUPPRESSED
(`c`, DfE's symbol for confidential), is report/disclosure.py's.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os

import polars as pl

from ehcp_timeliness.columns import CASE_ID, PERSON_ID
from ehcp_timeliness.errors import UsageError
from ehcp_timeliness.pipeline import Analysis

KEY_ENV = "EHCP_PSEUDONYMISE_KEY"
MIN_KEY_CHARS = 16
SUPPRESSED = "c"
# Pseudonyms say which id they replace; 16 hex digits (64 bits) leave collisions among even a
# million ids at about one chance in 36 million.
_PREFIX = {CASE_ID: "C-", PERSON_ID: "P-"}
_DIGITS = 16


def pseudonymise_key(config_key: str | None) -> bytes:
    """The key from EHCP_PSEUDONYMISE_KEY, else from [privacy] pseudonymise_key; refuse none."""
    key = os.environ.get(KEY_ENV) or config_key
    if not key:
        raise UsageError(
            f"--pseudonymise needs a secret key: set the environment variable {KEY_ENV}",
            "Use the same long random secret every month so the pseudonyms stay the same, e.g. "
            f"export {KEY_ENV}=\"$(python3 -c 'import secrets; print(secrets.token_hex(32))')\" "
            "and keep it somewhere safe; or set pseudonymise_key under [privacy] in the config.")
    if len(key) < MIN_KEY_CHARS:
        raise UsageError(f"The pseudonymisation key is shorter than {MIN_KEY_CHARS} characters",
                         "A short key can be guessed, and with it every id: use a long random "
                         "secret.")
    try:
        return key.encode("utf-8")
    except UnicodeEncodeError:
        # An environment value that is not UTF-8 arrives with its odd bytes escaped as lone
        # surrogates; hashed as they are, the pseudonyms would depend on this machine's locale.
        raise UsageError(f"The pseudonymisation key ({KEY_ENV} or [privacy] "
                         "pseudonymise_key) is not valid UTF-8 text (it is not shown: it is "
                         "a secret)",
                         "Use a key of letters and digits, e.g. one made by python3 -c "
                         "'import secrets; print(secrets.token_hex(32))'.") from None


def pseudonym(key: bytes, column: str, value: str) -> str:
    # The column name is part of the message, so a case id equal to some person id does not
    # get the same pseudonym and the two cannot be linked through it.
    digest = hmac.new(key, f"{column}\x1f{value}".encode(), hashlib.sha256).hexdigest()
    return _PREFIX.get(column, "") + digest[:_DIGITS]


def _pseudonyms(values: pl.Series, key: bytes, column: str) -> pl.Series:
    """Each value's pseudonym as COLUMN's id; blanks stay blank.

    Polars has no HMAC expression, so each distinct id is hashed once in Python and the
    results are mapped back onto the column in one vectorised replace.
    """
    values = values.cast(pl.String)
    distinct = values.drop_nulls().unique(maintain_order=True)
    hashed = pl.Series([pseudonym(key, column, v) for v in distinct], dtype=pl.String)
    return values.replace_strict(distinct, hashed, default=None, return_dtype=pl.String)


def pseudonymise(frame: pl.DataFrame, key: bytes,
                 columns: tuple[str, ...] = (CASE_ID, PERSON_ID)) -> pl.DataFrame:
    """Replace each id column's values by their pseudonyms; blanks stay blank."""
    return frame.with_columns(_pseudonyms(frame.get_column(c), key, c).alias(c)
                              for c in columns if c in frame.columns)


def pseudonymise_issues(issues: pl.DataFrame, key: bytes) -> pl.DataFrame:
    """The issue list's case ids, and the value of each issue about an id column (a
    duplicate case id quotes it), as pseudonyms."""
    out = pseudonymise(issues, key, (CASE_ID,))
    values = out.get_column("value")
    for column in (CASE_ID, PERSON_ID):
        about = out.get_column("column") == column
        if about.any():
            ids = pl.select(pl.when(about).then(values)).to_series()  # only these are ids
            values = pl.select(pl.when(about).then(_pseudonyms(ids, key, column))
                               .otherwise(values)).to_series()
    return out.with_columns(values.alias("value"))


def pseudonymise_analysis(analysis: Analysis, key: bytes) -> Analysis:
    """The analysis every output of a --pseudonymise run is built from: case and person ids
    replaced in the cases and the issues before any view, file or message sees them, so no
    output can show a raw id (a --by case_id group label, the --issues-out file, ...)."""
    undated = analysis.undated_plans  # set-aside plans DfE's denominators still count
    return dataclasses.replace(
        analysis, cases=pseudonymise(analysis.cases, key),
        issues=pseudonymise_issues(analysis.issues, key),
        undated_plans=None if undated is None else pseudonymise(undated, key))
