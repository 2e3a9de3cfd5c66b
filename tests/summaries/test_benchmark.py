"""summaries/benchmark.py: national ranks (ties, unranked authorities) and the comparison rows."""

from __future__ import annotations

import polars as pl

from ehcp_timeliness.published import LOCAL_AUTHORITY, NATIONAL, REGIONAL, find_authority
from ehcp_timeliness.summaries.benchmark import (
    BENCHMARK_COLUMNS,
    area_key,
    benchmark_table,
    place_among_authorities,
    published_rates,
)


def las(year: int) -> pl.DataFrame:
    return published_rates().filter(pl.col("time_period") == year,
                                    pl.col("geographic_level") == LOCAL_AUTHORITY)


def rank_of(name: str, year: int) -> tuple[int, int, int, int]:
    got = las(year).filter(pl.col("area") == name).row(0, named=True)
    return got["rank_ex"], got["rank_ex_of"], got["rank"], got["rank_of"]


def test_redbridge_2024_ranks() -> None:
    # 7.0% excluding exceptions; Cornwall also 7.0%: both 145th of 151 ranked.
    assert rank_of("Redbridge", 2024) == (145, 151, 148, 153)
    assert rank_of("Cornwall", 2024)[0] == 145
    assert rank_of("Devon", 2024)[:2] == (151, 151)


def test_ties_share_the_best_rank_and_the_next_is_skipped() -> None:
    table = las(2024).filter(pl.col("rank_ex").is_not_null())
    top = table.filter(pl.col("PC_plans_issued_20_weeks_ex") == 100.0)
    assert top.height == 6 and set(top["rank_ex"]) == {1}
    assert table["rank_ex"].unique().sort().to_list()[:2] == [1, 7]  # six at 1, then 7th
    # every rank = 1 + the number of authorities with a strictly higher percentage
    higher = table.select(pl.col("PC_plans_issued_20_weeks_ex").rank("min", descending=True)
                          .cast(pl.Int64))
    assert higher.to_series().to_list() == table["rank_ex"].to_list()


def test_authorities_without_a_percentage_are_not_ranked_or_counted() -> None:
    table = las(2024)
    unranked = table.filter(pl.col("rank_ex").is_null())["area"].to_list()
    assert sorted(unranked) == ["City of London", "Dorset"]  # every plan an exception
    assert table["rank_ex_of"].drop_nulls().unique().to_list() == [table.height - 2]


def test_england_and_regions_are_not_ranked() -> None:
    other = published_rates().filter(pl.col("geographic_level") != LOCAL_AUTHORITY)
    assert other["rank"].null_count() == other.height


def test_your_figure_is_placed_among_the_other_authorities() -> None:
    mine = pl.DataFrame({"time_period": [2024, 2025], "PC_plans_issued_20_weeks_ex": [7.0, 50.0],
                         "pc_plans_issued_within_20_weeks": [100.0, None]})
    placed = place_among_authorities(mine, exclude_la="317").sort("time_period")
    assert placed.row(0, named=True) == {
        "time_period": 2024, "PC_plans_issued_20_weeks_ex": 7.0,
        "pc_plans_issued_within_20_weeks": 100.0,
        "rank_ex": 145, "rank_ex_of": 151, "rank": 1, "rank_of": 153}
    later = placed.row(1, named=True)
    assert (later["rank_ex"], later["rank"]) == (None, None)  # 2025 not published
    without_own = place_among_authorities(mine, exclude_la=None).row(0, named=True)
    assert (without_own["rank_ex"], without_own["rank_ex_of"]) == (145, 152)


def test_rows_in_the_order_asked_each_area_once() -> None:
    redbridge, bexley = find_authority("Redbridge"), find_authority("Bexley")
    selection = [("your authority", area_key(LOCAL_AUTHORITY, redbridge.old_la_code)),
                 ("region", area_key(REGIONAL, redbridge.region_code)),
                 ("England", area_key(NATIONAL)),
                 ("compared", area_key(LOCAL_AUTHORITY, bexley.old_la_code)),
                 ("compared", area_key(LOCAL_AUTHORITY, redbridge.old_la_code))]
    table = benchmark_table(selection, years=[2023, 2024])
    assert table.columns == list(BENCHMARK_COLUMNS)
    assert table.filter(pl.col("time_period") == 2024)["area"].to_list() == [
        "Redbridge", "London", "England", "Bexley"]
    assert table["time_period"].to_list() == [2023] * 4 + [2024] * 4
    england = table.filter(pl.col("role") == "England", pl.col("time_period") == 2024)
    assert england["PC_plans_issued_20_weeks_ex"].item() == 46.4
