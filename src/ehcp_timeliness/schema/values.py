"""Value normalisation as Polars expressions: dates (day first, never month first), SEN2 outcome
codes and booleans, in the forms the data contract accepts. No per-row Python.
"""

from __future__ import annotations

import re

import polars as pl

# Cells that mean "no value" in exports, besides an empty cell.
BLANK_TOKENS = ("", "n/a", "na", "null", "none", "-", "--", "nil", "#n/a")

# Tried in order; the first that parses wins. Day-first only: 03/04/2024 is 3 April.
DATE_FORMATS = (
    "%Y-%m-%d",   # ISO 2024-01-15
    "%d/%m/%Y",   # UK 15/01/2024
    "%d-%m-%Y",   # 15-01-2024
    "%d.%m.%Y",   # 15.01.2024
    "%d %b %Y",   # 15 Jan 2024
    "%d-%b-%Y",   # 15-Jan-2024
    "%d %B %Y",   # 15 January 2024
    "%Y-%b-%d",   # SEN2 COLLECT 2024-Jan-15 (time removed first)
    "%Y/%m/%d",   # 2024/01/15
)
# A trailing time of day (datetimes: the time is dropped).
_TIME_SUFFIX = (r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?"
                r"(?:Z|[+-]\d{2}:?\d{2})?)$")
# Years outside this range are typing errors or two-digit years read as 00xx.
MIN_YEAR, MAX_YEAR = 1950, 2100


# Every capitalisation of the tokens, so matching needs no lower-casing of every cell.
_BLANK_VARIANTS = sorted({v for t in BLANK_TOKENS
                          for v in (t, t.upper(), t.title(), t.capitalize())})


def clean_text(expr: pl.Expr) -> pl.Expr:
    """Trim and turn blank-like tokens (empty, 'N/A', 'NULL', …) into null."""
    stripped = expr.str.strip_chars()
    return pl.when(stripped.is_in(_BLANK_VARIANTS)).then(None).otherwise(stripped)


def parse_date(expr: pl.Expr) -> pl.Expr:
    """Text -> pl.Date, null where blank or unparseable (checks report the unparseable ones)."""
    text = clean_text(expr).str.replace(_TIME_SUFFIX, "")
    parsed = pl.coalesce([text.str.to_date(fmt, strict=False) for fmt in DATE_FORMATS])
    year = parsed.dt.year()
    return pl.when((year >= MIN_YEAR) & (year <= MAX_YEAR)).then(parsed)


def _key(text: str) -> str:
    return re.sub(r"[\s\-_]", "", text.lower())


# Data contract "Outcome codes" (case, spaces, '-', '_' ignored).
OUTCOME_VALUES: dict[str, str] = {
    **{_key(t): "Y" for t in ("Y", "yes", "assess", "issue", "issued")},
    **{_key(t): "N" for t in ("N", "no", "not assess", "not issue", "refused", "declined")},
    **{_key(t): "A" for t in ("A", "awaiting", "pending")},
    **{_key(t): "W" for t in ("W", "withdrawn", "ceased")},
    **{_key(t): "H" for t in ("H", "historical", "transferred in")},
    **{_key(t): "S" for t in ("S",)},
}


def outcome_key(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().str.replace_all(r"[\s\-_]", "")


def parse_outcome(expr: pl.Expr, extra: dict[str, str] | None = None) -> pl.Expr:
    """Text -> SEN2 code. Blank is A (awaiting); unknown text is null (reported as an issue)."""
    table = {**OUTCOME_VALUES, **{_key(k): v for k, v in (extra or {}).items()}}
    cleaned = clean_text(expr)
    code = outcome_key(cleaned).replace_strict(
        list(table), list(table.values()), default=None, return_dtype=pl.String)
    return pl.when(cleaned.is_null()).then(pl.lit("A")).otherwise(code)


_TRUE = ("1", "1.0", "y", "yes", "true", "t")
_FALSE = ("0", "0.0", "n", "no", "false", "f")


def parse_boolean(expr: pl.Expr) -> pl.Expr:
    """1/0, Y/N, yes/no, true/false; blank = false; any other text (a reason) = true."""
    key = clean_text(expr).str.to_lowercase()
    return (
        pl.when(key.is_null()).then(pl.lit(False))
        .when(key.is_in(_FALSE)).then(pl.lit(False))
        .when(key.is_in(_TRUE)).then(pl.lit(True))
        .otherwise(pl.lit(True))
    )
