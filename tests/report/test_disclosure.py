"""Disclosure control that holds (report/disclosure.py): drawn tables whose cells add up, by
rows, by columns, from month to month and across tables, are suppressed, then attacked as a
reader would: by subtracting shown cells from a shown total in every relation, and by solving
all the relations at once."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_attack import determined, differences
from ehcp_timeliness.report.disclosure import Cells, Key, Relation, is_small, protect

THRESHOLD = 10


counts = st.one_of(st.integers(0, 3), st.integers(0, 15), st.integers(0, 200))


@st.composite
def grouped_tables(draw: st.DrawFn) -> tuple[dict[Key, int], list[Relation]]:
    """Groups × parts, a total column per row and a total row per column (the shape of the
    monthly table, Issued = ≤20 + 20–52 + 52+, and of a --by table with the authority's
    totals)."""
    groups = draw(st.integers(1, 6))
    parts = draw(st.integers(1, 4))
    grid = [[draw(counts) for _ in range(parts)] for _ in range(groups)]
    frame = pl.DataFrame({"group": [f"g{i}" for i in range(groups)],
                          "total": [sum(row) for row in grid],
                          **{f"p{j}": [row[j] for row in grid] for j in range(parts)}})
    table = Cells("t", frame, ("group",))
    values: dict[Key, int] = dict(table.values())  # type: ignore[arg-type]
    relations = table.row_sums("total", [f"p{j}" for j in range(parts)])
    totals = {c: ("all", c) for c in table.count_columns}
    for column, key in totals.items():
        values[key] = int(frame[column].sum())
    relations += table.column_sums(totals)
    return values, relations


@st.composite
def monthly_stocks(draw: st.DrawFn) -> tuple[dict[Key, int], list[Relation]]:
    """A month-end stock carried from month to month by small flows, and the same figures
    shown again in a second table (the board's monthly table beside its trend)."""
    months = draw(st.integers(2, 8))
    stock = [draw(st.integers(0, 30))]
    received, left = [0], [0]
    for _ in range(months - 1):
        received.append(draw(st.integers(0, 15)))
        left.append(draw(st.integers(0, stock[-1] + received[-1])))
        stock.append(stock[-1] + received[-1] - left[-1])
    frame = pl.DataFrame({"month": [f"m{i}" for i in range(months)], "open": stock,
                          "received": received, "left": left})
    trend = Cells("trend", frame, ("month",))
    copy = Cells("copy", frame.select("month", "received"), ("month",))
    values = {**trend.values(), **copy.values()}
    relations = trend.carried("open", ["received"], ["left"])
    relations += [Relation.same(trend.key((m,), "received"), copy.key((m,), "received"))
                  for m in frame["month"]]
    return values, relations  # type: ignore[return-value]


def check(values: dict[Key, int], relations: list[Relation]) -> None:
    hidden = protect(values, THRESHOLD, relations)
    assert {k for k, v in values.items() if is_small(v, THRESHOLD)} <= hidden
    assert not differences(hidden, relations)
    assert not determined(hidden, relations)


@settings(deadline=None)
@given(grouped_tables())
def test_no_hidden_cell_of_a_table_with_totals_can_be_recovered(
        table: tuple[dict[Key, int], list[Relation]]) -> None:
    check(*table)


@settings(deadline=None)
@given(monthly_stocks())
def test_no_hidden_cell_of_a_carried_stock_can_be_recovered(
        table: tuple[dict[Key, int], list[Relation]]) -> None:
    check(*table)


def test_secondary_cell_is_the_smallest_non_zero_one_of_the_row() -> None:
    # Issued 41 = ≤20 wks 3 + 20–52 wks 30 + 52+ 8: the 3 and the 8 are small; a month of
    # 41 = 30 + 11 + 0 needs a second cell: the 11, not the zero.
    frame = pl.DataFrame({"month": ["a", "b"], "issued": [41, 41], "within": [3, 5],
                          "between": [30, 36], "over": [8, 0]})
    table = Cells("m", frame, ("month",))
    relations = table.row_sums("issued", ["within", "between", "over"])
    hidden = protect(table.values(), THRESHOLD, relations)
    assert hidden == {table.key(("a",), "within"), table.key(("a",), "over"),
                      table.key(("b",), "within"), table.key(("b",), "between")}
    mask = table.mask(hidden, {"pct": ("within", "issued")})
    assert mask["within"].to_list() == [True, True]
    assert mask["issued"].to_list() == [False, False]


def test_a_total_published_elsewhere_is_never_hidden_and_nothing_hides_below_two() -> None:
    values: dict[Key, int | None] = {"total": 12, "a": 4, "b": 8}
    relation = [Relation.total("total", ["a", "b"])]
    assert protect(values, 10, relation, fixed={"total"}) == {"a", "b"}
    assert protect(values, 1, relation) == frozenset()
    assert protect(values, 0, relation) == frozenset()


def test_an_expendable_cell_is_hidden_first_however_large() -> None:
    # The overdue card's 92 = the outlook's 76 + 16 left out: with the 16 small, the smaller
    # partner (76) goes by default; with the card's 92 expendable instead, the 92 goes.
    values: dict[Key, int | None] = {"card": 92, "outlook": 76, "left_out": 16}
    relation = [Relation.total("card", ["outlook", "left_out"])]
    assert protect(values, 20, relation) == {"left_out", "outlook"}
    assert protect(values, 20, relation, expendable={"card"}) == {"left_out", "card"}
    assert protect(values, 20, relation, rate_parts={"outlook"}) == {"left_out", "card"}
    assert protect(values, 20, relation, rate_parts={"outlook"},
                   expendable={"outlook"}) == {"left_out", "outlook"}
    assert protect(values, 5, relation, expendable={"outlook"}) == frozenset()


def test_a_rate_is_hidden_with_either_count_it_is_built_on() -> None:
    frame = pl.DataFrame({"within": [3, 20, 30], "issued": [40, 5, 60],
                          "pct": [7.5, 100.0, 50.0]})
    table = Cells("r", frame)
    hidden = protect(table.values(), THRESHOLD, [])
    mask = table.mask(hidden, {"pct": ("within", "issued")})
    assert mask.rows() == [(True, False, True), (False, True, True), (False, False, False)]
