"""`benchmark`: your 20-week rates beside DfE's published figures (your authority, its region,
England, the authorities named, its statistical neighbours), with the national rank: the
view-model, its CSV/JSON bytes and its Rich tables (only cli/ prints them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from ehcp_timeliness.config_text import conventions
from ehcp_timeliness.errors import UsageError
from ehcp_timeliness.io.writers import json_bytes, table_bytes
from ehcp_timeliness.pipeline import Analysis
from ehcp_timeliness.published import (
    CITATION,
    LOCAL_AUTHORITY,
    NATIONAL,
    NEIGHBOURS_CITATION,
    REGIONAL,
    TIMELINESS,
    Authority,
    find_authority,
    published_table,
    regions,
    statistical_neighbours,
)
from ehcp_timeliness.report.dfe_views import SCOPE_NOTE, figures_of
from ehcp_timeliness.report.periods import NOT_RANKED, PART_PERIOD_NOTE, PartPeriods
from ehcp_timeliness.report.views import (
    Accounting,
    analysis_figures,
    analysis_notes,
    part_periods,
)
from ehcp_timeliness.summaries.benchmark import RANKS, YOUR_DATA, area_key, benchmark_table
from ehcp_timeliness.summaries.dfe import TIME_PERIOD
from ehcp_timeliness.summaries.figures import Figures

if TYPE_CHECKING:
    from rich.console import RenderableType

RANK_NOTE = ("Rank among local authorities with a published percentage that year, 1 = highest, "
             "on the one-decimal figure; equal percentages share the best rank of their group "
             "(1, 2, 2, 4). Your data is placed among the other authorities (your own "
             "authority's published row left out).")
# An export with no plan DfE counts yet, said in place of the comparison (terminal, page,
# workbook).
NOTHING_TO_COMPARE = "No in-scope plans issued by the as-of date: nothing to compare."


@dataclass(frozen=True)
class BenchmarkView:
    table: pl.DataFrame              # summaries.benchmark columns + source
    authority: Authority | None
    years: tuple[int, ...]
    unpublished_years: tuple[int, ...]
    source: str | None               # your file, when one was given
    as_of: date | None
    accounting: Accounting | None
    conventions: tuple[tuple[str, str], ...]
    citations: tuple[str, ...]
    notes: tuple[str, ...] = ()  # where DfE's method and the case analysis part (analysis_notes)
    periods: PartPeriods | None = None  # your data's part years (None without your data)
    part_years: tuple[int, ...] = ()    # your data's years not ranked: periods.py


def unrank_part_years(table: pl.DataFrame, part_years: list[int]) -> pl.DataFrame:
    """TABLE (summaries.benchmark columns) with your data's part years marked and not ranked:
    a year the export does not cover whole is not comparable with a published whole year."""
    part = (pl.col("role") == YOUR_DATA) & pl.col(TIME_PERIOD).is_in(part_years)
    blanked = [pl.when(part).then(None).otherwise(pl.col(c)).alias(c)
               for pair in RANKS.values() for c in pair]
    return table.with_columns(
        *blanked, part.alias("is_part_period"),
        pl.when(part).then(pl.lit(NOT_RANKED)).otherwise(None).alias("rank_note"))


def split_names(items: list[str]) -> list[str]:
    """--compare "Bexley,E09000032" --compare Barnet -> ["Bexley", "E09000032", "Barnet"]."""
    return [name.strip() for item in items for name in item.split(",") if name.strip()]


def build_benchmark(analysis: Analysis | None, la: str | None, compare: list[str],
                    neighbours: bool, figures: tuple[Figures, pl.DataFrame] | None = None
                    ) -> BenchmarkView:
    """Your authority (from --la or config), its region, England, the authorities named and,
    with `neighbours`, its ten statistical neighbours; your own figures first when given.
    FIGURES: the analysis's case figures and DfE figures when the caller has them already
    (the board), else worked out here.
    """
    authority = find_authority(la) if la else None
    compared = [find_authority(name) for name in split_names(compare)]
    if neighbours and authority is None:
        raise UsageError("--neighbours needs your authority",
                         'Give --la NAME or CODE, or set la = "NAME" under [authority] in the '
                         "config file.")

    def la_key(a: Authority) -> str:
        return area_key(LOCAL_AUTHORITY, a.old_la_code)

    selection: list[tuple[str, str]] = []
    if authority is not None:
        selection += [("your authority", la_key(authority)),
                      ("region", area_key(REGIONAL, authority.region_code))]
    selection.append(("England", area_key(NATIONAL)))
    if authority is None and not compared and analysis is None:
        codes = regions(published_table(TIMELINESS))["region_code"].unique().sort()
        selection += [("region", area_key(REGIONAL, code)) for code in codes]
    selection += [("compared", la_key(a)) for a in compared]
    if neighbours and authority is not None:
        selection += [(f"neighbour {i}", la_key(a))
                      for i, a in enumerate(statistical_neighbours(authority), 1)]

    published_years = set(published_table(TIMELINESS)[TIME_PERIOD].unique().to_list())
    mine, years, case_figures = None, None, None
    if analysis is not None:
        case_figures, dfe = figures or (analysis_figures(analysis), figures_of(analysis))
        mine = dfe.filter(pl.col("plans_issued_den") > 0)
        years = mine[TIME_PERIOD].to_list()
    table = benchmark_table(selection, years, mine,
                            authority.old_la_code if authority else None,
                            authority.new_la_code if authority else None)
    periods = part_periods(case_figures) if case_figures is not None else None
    part_years = [y for y in years or [] if periods is not None and periods.year_is_part(y)]
    table = unrank_part_years(table, part_years)
    yours = (f"your data: {analysis.export.name}, as of {analysis.as_of.isoformat()}"
             if analysis is not None else "")
    table = table.with_columns(
        pl.when(pl.col("role") == YOUR_DATA).then(pl.lit(yours)).otherwise(pl.lit(CITATION))
        .alias("source"))
    shown_years = tuple(years) if years is not None else tuple(sorted(published_years))
    return BenchmarkView(
        table=table, authority=authority, years=shown_years,
        unpublished_years=tuple(y for y in shown_years if y not in published_years),
        source=analysis.export.name if analysis is not None else None,
        as_of=analysis.as_of if analysis is not None else None,
        accounting=Accounting.of(analysis) if analysis is not None else None,
        conventions=tuple(conventions(analysis.config)) if analysis is not None else (),
        citations=(CITATION, *((NEIGHBOURS_CITATION,) if neighbours else ())),
        notes=(analysis_notes(analysis, case_figures)
               if analysis is not None and case_figures is not None else ()),
        periods=periods, part_years=tuple(part_years),
    )


def benchmark_bytes(view: BenchmarkView, file_format: str) -> bytes:
    if file_format == "csv":
        return table_bytes(view.table, "csv")
    authority = view.authority
    data = {
        "authority": None if authority is None else {
            "la_name": authority.name, "new_la_code": authority.new_la_code,
            "old_la_code": authority.old_la_code, "region_name": authority.region_name},
        "input": view.source,
        "as_of": view.as_of.isoformat() if view.as_of else None,
        "rows": view.accounting.to_dict() if view.accounting else None,
        "conventions": dict(view.conventions),
        "sources": list(view.citations),
        "notes": [SCOPE_NOTE, RANK_NOTE, *view.notes],
        "not_yet_published": list(view.unpublished_years),
        "benchmark": view.table.to_dicts(),
    }
    return json_bytes(data)


# The benchmark table's columns, in the order shown (headings: report/headings.py).
_BENCHMARK_COLUMNS = (
    "area", "role", "new_la_code", "plans_issued_den_ex", "plans_issued_20_weeks_ex",
    "PC_plans_issued_20_weeks_ex", "rank_ex", "plans_issued_den", "plans_issued_within_20_weeks",
    "pc_plans_issued_within_20_weeks", "rank",
)


def _rank_text(rank: str, out_of: str) -> pl.Expr:
    # "not ranked" for a part year: the table's title says "(from 2 Jul)", its caption why.
    return (pl.when(pl.col("rank_note").is_not_null()).then(pl.lit("not ranked"))
            .when(pl.col(rank).is_not_null()).then(
        pl.concat_str(pl.col(rank).cast(pl.String), pl.lit(" of "),
                      pl.col(out_of).cast(pl.String)))).alias(rank)


def render_benchmark(view: BenchmarkView) -> RenderableType:
    """One table per year: your figures, your authority, region, England, others."""
    from rich.console import Group
    from rich.text import Text

    from ehcp_timeliness.report.terminal import frame_table, render_footer

    parts: list[RenderableType] = []
    if view.authority is not None:
        a = view.authority
        parts.append(Text(f"Your authority: {a.name} ({a.new_la_code}, LA {a.old_la_code}, "
                          f"{a.region_name})", style="bold"))
    if not view.years:
        parts.append(Text(NOTHING_TO_COMPARE, style="yellow"))
    shown = view.table.with_columns(
        *(_rank_text(rank, out_of) for rank, out_of in RANKS.values()))
    for year in view.years:
        rows = shown.filter(pl.col(TIME_PERIOD) == year).select(_BENCHMARK_COLUMNS)
        caption = (f"DfE has not published {year} yet: your figures only."
                   if year in view.unpublished_years else None)
        label = view.periods.year_label(year) if view.periods is not None else str(year)
        if year in view.part_years:
            caption = " ".join(c for c in (caption, PART_PERIOD_NOTE) if c)
        parts.append(frame_table(
            rows, f"{label}: new EHC plans issued within 20 weeks "
            "(ex = excluding exceptions, DfE's headline)", caption))
    notes = Text()
    notes.append(RANK_NOTE + "\n" + SCOPE_NOTE + "\n", style="dim")
    for citation in view.citations:
        notes.append(citation + "\n")
    parts.append(notes)
    if view.accounting is not None and view.source is not None:
        parts.append(render_footer(view.accounting, view.conventions, view.source, view.as_of,
                                   view.notes))
    return Group(*parts)
