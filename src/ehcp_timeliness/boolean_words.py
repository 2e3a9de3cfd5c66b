"""The words a yes/no cell (week20_exception, mediation, tribunal) may hold: one definition,
read by the normaliser (schema/values.py) and by the SEN2 readers (io/sen2_common.py), and
listed in the data contract ("Booleans")."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

# Cells that mean "no value" in an export, in any column, besides an empty cell (read as
# blank by schema/values.py; in a yes/no column they are a no).
BLANK_TOKENS: tuple[str, ...] = ("", "n/a", "na", "null", "none", "-", "--", "nil", "#n/a")
# A cell is compared by its boolean_key (lower case; spaces and punctuation
# between words ignored). Blank cells and the blank-like tokens above are false too.
BOOLEAN_FALSE_WORDS: tuple[str, ...] = (
    "0", "0.0", "n", "no", "false", "f",
    *(t for t in BLANK_TOKENS if any(c.isalnum() for c in t)),
    "no exception", "no exceptions", "not applicable",
)
BOOLEAN_TRUE_WORDS: tuple[str, ...] = ("1", "1.0", "y", "yes", "true", "t")
# Exception reasons an export writes instead of yes (reg 10(4)(a)-(d), reg 5(4)(a)-(c)):
# the default of the config's [booleans] true_words, which replaces this list.
DEFAULT_TRUE_REASONS: tuple[str, ...] = (
    "school closure", "setting closure", "early years closure", "college closure",
    "closure", "exceptional personal circumstances", "personal circumstances",
    "exceptional circumstances", "absence", "absent from area", "away from area",
    "family absence", "family away", "family away from area", "exception",
    "exception applies", "week 20 exception",
)
# "No - parent asked for more time", "No: …": a no followed by a separator is false.
BOOLEAN_NO_PREFIX = r"^no\s*[-\u2013\u2014:;,(/]"


def boolean_key(text: str) -> str:
    """How a boolean word is compared: Unicode NFC, lower case, runs of anything but letters
    and digits (of any script: "Sí", "Да") as one space, trimmed ("School_Closure " and
    "school closure" are one word)."""
    folded = unicodedata.normalize("NFC", text).lower()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def boolean_key_expr(expr: pl.Expr) -> pl.Expr:
    """boolean_key as a Polars expression, cell by cell: the same classes of character
    (Python's \\w without the underscore is Unicode's letters and numbers)."""
    return (expr.str.normalize("NFC").str.to_lowercase()
            .str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars())
