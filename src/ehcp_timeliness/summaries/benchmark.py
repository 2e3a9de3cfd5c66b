"""The 20-week rates beside DfE's published figures, with each authority's national rank.

Rank among local authorities in the year (England and regions are not ranked): 1 = the highest
published percentage, on DfE's one-decimal figure; authorities with the same percentage share
the best rank of their group and the next rank is skipped (1, 2, 2, 4); authorities without a
published percentage (`x`, e.g. no plans issued without an exception) are left out of the
ranking and of its count. Your own figure is placed among the other authorities: 1 + the number
of them with a higher percentage, out of those authorities and you.
"""

from __future__ import annotations

import polars as pl

from ehcp_timeliness.published import (
    ENGLAND_CODE,
    LOCAL_AUTHORITY,
    NATIONAL,
    REGIONAL,
    TIMELINESS,
    figures,
)
from ehcp_timeliness.summaries.dfe import TIME_PERIOD

RATE_COLUMNS = (
    "plans_issued_den_ex", "plans_issued_20_weeks_ex", "PC_plans_issued_20_weeks_ex",
    "plans_issued_den", "plans_issued_within_20_weeks", "pc_plans_issued_within_20_weeks",
)
# percentage -> (rank, out of how many)
RANKS = {"PC_plans_issued_20_weeks_ex": ("rank_ex", "rank_ex_of"),
         "pc_plans_issued_within_20_weeks": ("rank", "rank_of")}
BENCHMARK_COLUMNS = (
    TIME_PERIOD, "role", "area", "new_la_code",
    "plans_issued_den_ex", "plans_issued_20_weeks_ex", "PC_plans_issued_20_weeks_ex",
    "rank_ex", "rank_ex_of",
    "plans_issued_den", "plans_issued_within_20_weeks", "pc_plans_issued_within_20_weeks",
    "rank", "rank_of",
)
YOUR_DATA = "your data"
KEY = "__key"
ORDER = "__order"


def area_key(level: str, code: str | None = None) -> str:
    """How a published row is picked: England, a region by code, an authority by LA number."""
    if level == NATIONAL:
        return f"{NATIONAL}:{ENGLAND_CODE}"
    return f"{level}:{code}"


def published_rates() -> pl.DataFrame:
    """Every published row's 20-week rates; authorities with their national rank each year."""
    level = pl.col("geographic_level")
    is_la = level == LOCAL_AUTHORITY
    ranks = []
    for pc, (rank, out_of) in RANKS.items():
        ranked = is_la & pl.col(pc).is_not_null()
        ranks += [
            pl.when(ranked).then(pl.col(pc).rank("min", descending=True)
                                 .over(TIME_PERIOD, "geographic_level")).cast(pl.Int64)
            .alias(rank),
            pl.when(ranked).then(pl.col(pc).count().over(TIME_PERIOD, "geographic_level"))
            .cast(pl.Int64).alias(out_of),
        ]
    code = (pl.when(is_la).then(pl.col("old_la_code"))
            .when(level == REGIONAL).then(pl.col("region_code")).otherwise(pl.lit(ENGLAND_CODE)))
    area = pl.coalesce("la_name", "region_name", pl.lit("England"))
    return figures(TIMELINESS, RATE_COLUMNS).with_columns(
        *ranks, area.alias("area"), pl.concat_str(level, pl.lit(":"), code).alias(KEY))


def place_among_authorities(mine: pl.DataFrame, exclude_la: str | None) -> pl.DataFrame:
    """Your rates (time_period + RATE_COLUMNS) with the rank they would have among the
    authorities (other than `exclude_la`, your own, by LA number) that year.
    """
    others = published_rates().filter(pl.col("geographic_level") == LOCAL_AUTHORITY)
    if exclude_la is not None:
        others = others.filter(pl.col("old_la_code") != exclude_la)
    placed = mine
    for pc, (rank, out_of) in RANKS.items():
        theirs = others.select(TIME_PERIOD, pl.col(pc).alias("__theirs"))
        counted = (mine.select(TIME_PERIOD, pc).join(theirs, on=TIME_PERIOD, how="left")
                   .group_by(TIME_PERIOD).agg(
                       (pl.col("__theirs") > pl.col(pc)).sum().alias("__higher"),
                       pl.col("__theirs").count().alias("__others"),
                       pl.col(pc).first().is_not_null().alias("__has")))
        ok = (pl.col("__others") > 0) & pl.col("__has")
        counted = counted.select(
            TIME_PERIOD,
            pl.when(ok).then(pl.col("__higher") + 1).cast(pl.Int64).alias(rank),
            pl.when(ok).then(pl.col("__others") + 1).cast(pl.Int64).alias(out_of))
        placed = placed.join(counted, on=TIME_PERIOD, how="left")
    return placed


def benchmark_table(selection: list[tuple[str, str]], years: list[int] | None = None,
                    mine: pl.DataFrame | None = None, own_la: str | None = None,
                    own_code: str | None = None) -> pl.DataFrame:
    """Rows year by year in the order given: your figures first (if any), then each
    (role, area_key) of `selection` (first occurrence of an area kept).

    `mine`: time_period + RATE_COLUMNS worked out from your cases (summaries.dfe);
    `own_la`: your authority's LA number, left out when placing your figure.
    """
    seen: dict[str, str] = {}
    for role, key in selection:
        seen.setdefault(key, role)
    chosen = pl.DataFrame({KEY: list(seen), "role": list(seen.values()),
                           ORDER: list(range(1, len(seen) + 1))},
                          schema={KEY: pl.String, "role": pl.String, ORDER: pl.Int64})
    rows = published_rates().join(chosen, on=KEY, how="inner")
    if mine is not None:
        yours = place_among_authorities(mine.select(TIME_PERIOD, *RATE_COLUMNS), own_la)
        rows = pl.concat([yours.with_columns(
            pl.lit(YOUR_DATA).alias("role"), pl.lit("Your data").alias("area"),
            pl.lit(own_code, pl.String).alias("new_la_code"), pl.lit(0, pl.Int64).alias(ORDER)),
            rows], how="diagonal_relaxed")
    if years is not None:
        rows = rows.filter(pl.col(TIME_PERIOD).is_in(years))
    return rows.sort(TIME_PERIOD, ORDER).select(BENCHMARK_COLUMNS)
