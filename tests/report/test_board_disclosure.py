"""The board pack's suppression attacked as a reader would (report/board_disclosure.py): the
identities the pack's figures obey are written here again, from the tables as shown, and no
hidden figure may be the difference of shown ones, nor solvable from all of them at once. The
shipped sample, at several thresholds, whole and by team, and drawn exports."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_attack import determined
from ehcp_timeliness.config import Config, load_config
from ehcp_timeliness.pipeline import Analysis, analyse
from ehcp_timeliness.report.board import BoardView, build_board
from ehcp_timeliness.report.board_tables import Table
from ehcp_timeliness.report.disclosure import Relation
from ehcp_timeliness.report.privacy import SUPPRESSED
from ehcp_timeliness.report.trend import build_trend
from ehcp_timeliness.summaries.trend import TREND_RATES

from board_data import write_export
from conftest import SAMPLE

Cell = tuple[str, int, str]  # table, row, column


def _tables(view: BoardView) -> dict[str, Table]:
    tables = {"monthly": view.trend, "open": view.open_requests, "ageing": view.ageing,
              "reviews": view.reviews}
    if view.over_time is not None:
        tables["months"] = view.over_time.months
    if view.benchmark is not None:
        tables["benchmark"] = view.benchmark.table
    return tables


def _year_months(label: str, as_of: date) -> list[str]:
    """The months a benchmark year's row covers, read off its label: "2024", "2022 (from 2
    Jul)", "2025 (to 30 Jun)"."""
    year = int(label[:4])
    first, last = 1, 12
    if "(from " in label:
        first = datetime.strptime(label.split("(from ")[1].rstrip(")") + f" {year}",
                                  "%d %b %Y").month
    if "(to " in label:
        last = as_of.month
    return [f"{year}-{m:02d}" for m in range(first, last + 1)]


def _hidden(view: BoardView) -> set[Cell]:
    out = set()
    for name, table in _tables(view).items():
        for column in table.columns:
            for row, (value, hidden) in enumerate(zip(table.frame[column], table.mask[column],
                                                      strict=True)):
                assert (value is None) >= hidden  # a hidden cell is blank in the view
                if hidden:
                    out.add((name, row, column))
    return out


def _unshown(view: BoardView) -> set[Cell]:
    """Card figures a card does not show: unknown to the reader, so an identity through
    them gives nothing away (the secret cells they stand for are hidden in the tables)."""
    out = set()
    for card in view.kpis:
        if card.is_rate and card.parts_hidden:
            out |= {("card", 0, f"{card.kpi}.numerator"), ("card", 0, f"{card.kpi}.denominator")}
    return out


def _hidden_counts(view: BoardView) -> set[Cell]:
    """A count card shown as c: a secret of its own, which no identity may give back (the
    reviews card's reviewed and due counts once did: due − reviewed is the overdue count)."""
    return {("card", 0, card.kpi) for card in view.kpis if not card.is_rate and card.hidden}


def _identities(view: BoardView) -> list[Relation]:
    """What the figures add up to, read off the page: rows, the groups to the totals the
    page shows (age profile, cards, the as-of month end), the month-end stock, a figure
    shown twice, the cards' windows. A total the page does not show is not known."""
    tables = _tables(view)
    relations: list[Relation] = []

    def rows(name: str, total: str, parts: list[str]) -> None:
        for r in range(tables[name].frame.height):
            relations.append(Relation.total((name, r, total), [(name, r, p) for p in parts]))

    bands = ["weeks_0_6", "weeks_6_16", "weeks_16_20", "weeks_20_30", "weeks_30_52",
             "weeks_52_plus"]
    rows("monthly", "plans_issued", ["issued_within_20_weeks", "issued_20_to_52_weeks",
                                     "issued_over_52_weeks"])
    rows("open", "open_cases", ["overdue", "due_soon", "in_progress"])
    rows("open", "open_cases", bands)
    rows("reviews", "plans_to_review", ["reviews_overdue", "reviews_due_soon",
                                        "reviews_not_due", "reviews_not_known"])
    groups = {name: tables[name].frame.height for name in ("open", "reviews")}
    for band in bands:  # the age profile is the groups' total
        relations.append(Relation.total(("ageing", 0, band),
                                        [("open", r, band) for r in range(groups["open"])]))
    cards = {c.kpi: c for c in view.kpis}
    relations.append(Relation.total(("card", 0, "open_cases_overdue"),
                                    [("open", r, "overdue") for r in range(groups["open"])]))
    relations.append(Relation.total(("card", 0, "reviews_overdue"),
                                    [("reviews", r, "reviews_overdue")
                                     for r in range(groups["reviews"])]))
    # The reviews card's "502 of 568 plans": those not reviewed in 12 months are the overdue
    # ones (where the as-of date's review figures are exact).
    reviewed = next((c for c in view.headline if c.key == "reviews_in_time"), None)
    if reviewed is not None and not reviewed.hidden and " of " in reviewed.detail:
        relations.append(Relation.total(("card", 0, "reviews_in_time.due"),
                                        [("card", 0, "reviews_in_time.reviewed"),
                                         ("card", 0, "reviews_overdue")]))
    periods = list(tables["monthly"].frame["period"])
    for kpi, card in cards.items():
        if not card.is_rate:
            continue
        months = {"month": 1, "3_months": 3, "12_months": 12}[kpi.rsplit("weeks_", 1)[1]
                                                               .removeprefix("ex_")]
        ex = "_ex" if "_ex_" in kpi else ""
        last = range(len(periods) - months, len(periods))
        relations.append(Relation.total(("card", 0, f"{kpi}.denominator"),
                                        [("monthly", r, f"plans_issued{ex}") for r in last]))
        relations.append(Relation.total(("card", 0, f"{kpi}.numerator"),
                                        [("monthly", r, f"issued_within_20_weeks{ex}")
                                         for r in last]))
    if "benchmark" in tables:
        # A year's plans (excluding exceptions) are its months added up, where the monthly
        # table holds every one of them.
        for r, label in enumerate(tables["benchmark"].frame["year"]):
            months = _year_months(label, view.as_of)
            if all(m in periods for m in months):
                for ours, theirs in (("plans_issued_ex", "plans_issued_ex"),
                                     ("issued_within_20_weeks_ex",
                                      "issued_within_20_weeks_ex")):
                    relations.append(Relation.total(
                        ("benchmark", r, ours),
                        [("monthly", periods.index(m), theirs) for m in months]))
    if "months" in tables:
        rows("months", "plans_issued", ["plans_issued_from_backlog", "plans_issued_current"])
        months = list(tables["months"].frame["month"])
        for r in range(1, len(months)):
            relations.append(Relation((
                (("months", r, "open_at_month_end"), -1),
                (("months", r - 1, "open_at_month_end"), 1),
                (("months", r, "requests_received"), 1),
                (("months", r, "left_open_by_issue"), -1),
                (("months", r, "left_open_by_closure"), -1))))
        for r, month in enumerate(months):
            if month in periods:
                for ours, theirs in (("plans_issued", "plans_issued"),
                                     ("plans_issued_within_20_weeks", "issued_within_20_weeks")):
                    relations.append(Relation.same(("months", r, ours),
                                                   ("monthly", periods.index(month), theirs)))
        # The year-end sentence: the year's plans and plans within 20 weeks so far, both
        # excluding exceptions, the monthly table's months of the year added up; the
        # clearance's average falls give the backlog
        # 3 and 6 months back, so those month ends must show. Withheld: nothing to read.
        assert view.over_time is not None
        if not view.over_time.outlook_hidden:
            year = str(view.as_of.year)
            in_year = [r for r, p in enumerate(periods) if p.startswith(year)]
            for column in ("plans_issued_ex", "issued_within_20_weeks_ex"):
                relations.append(Relation.total(("year_end", 0, column),
                                                [("monthly", r, column) for r in in_year]))
            for back in (3, 6):
                if back < len(months):
                    assert not tables["months"].mask["open_overdue_at_month_end"][-1 - back]
        last = len(months) - 1
        for ours, theirs in (("open_at_month_end", "open_cases"),
                             ("open_overdue_at_month_end", "overdue"),
                             ("open_over_52_weeks_at_month_end", "weeks_52_plus")):
            relations.append(Relation.total(("months", last, ours),
                                            [("open", r, theirs) for r in range(groups["open"])]))
    return relations


def _left_out(view: BoardView) -> tuple[list[Relation], set[Cell]]:
    """The overdue card's total is the year-end outlook's open overdue count (DfE's headline
    basis) plus the requests it leaves out (outside DfE's scope, with a reg 10(4) exception,
    on day 140): with both shown, the left-out count is their difference, a secret when
    small. Unknown (a secret too) when the card is hidden; withheld outlook: nothing to read."""
    card = next((c for c in view.kpis if c.kpi == "open_cases_overdue"), None)
    if card is None or card.not_in_export or view.over_time is None \
            or view.over_time.outlook_hidden:
        return [], set()
    shown, left_out = ("year_end", 0, "open_overdue"), ("year_end", 0, "left_out")
    relation = Relation.total(("card", 0, card.kpi), (shown, left_out))
    if card.hidden:
        return [relation], {left_out}
    difference = int(card.value or 0) - view.over_time.year_end.open_overdue
    return [relation], {left_out} if 0 < difference < view.suppress_below else set()


def _median_plans_shown(view: BoardView) -> set[Cell]:
    """The median card's "over 469 plans": the 12 months' plans with exceptions, shown there
    even where the windows card hides them (the median card once did)."""
    median = next((c for c in view.headline if c.key == "median_weeks_to_issue"), None)
    kpi = next((k for k in view.kpis if k.kpi == "pct_within_20_weeks_12_months"), None)
    if median is None or kpi is None or not median.detail.startswith("over "):
        return set()
    return {("card", 0, f"{kpi.kpi}.denominator")}


def attack(view: BoardView) -> None:
    outlook, left_out = _left_out(view)
    hidden = frozenset(_hidden(view) | _hidden_counts(view) | left_out)
    unshown = _unshown(view) - _median_plans_shown(view)
    relations = [r for r in [*_identities(view), *outlook] if not unshown.intersection(r.keys)]
    lone = [r for r in relations if sum(k in hidden for k in r.keys) == 1]
    assert not lone, lone[:3]
    assert not determined(hidden, relations)


def _pack(analysis: Analysis, by: list[str], threshold: int) -> BoardView:
    return build_board(analysis, by, threshold)


@pytest.mark.parametrize(("threshold", "by"), [(10, []), (25, []), (10, ["Team"]),
                                               (5, ["Team"]), (20, []), (20, ["Team"]),
                                               (100, []), (200, [])])
def test_the_sample_pack_gives_no_hidden_figure_back(threshold: int, by: list[str]) -> None:
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"),
                       date(2025, 6, 30))
    view = _pack(analysis, by, threshold)
    hidden = _hidden(view)
    assert any(h[0] == "monthly" for h in hidden)  # there is something to protect
    attack(view)


@pytest.mark.parametrize("by", [[], ["Team"]])
def test_the_overdue_card_and_the_outlook_give_no_small_difference_back(by: list[str]
                                                                        ) -> None:
    """The sample's overdue card counts every open overdue request (92), the year-end
    outlook those on DfE's headline basis (76): 16 left out, below 20. The card, a headline
    KPI, stays; the outlook is withheld. At 5 the 16 is no secret and both show."""
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"),
                       date(2025, 6, 30))
    for threshold, withheld in ((20, True), (5, False), (0, False)):
        view = _pack(analysis, by, threshold)
        card = next(c for c in view.kpis if c.kpi == "open_cases_overdue")
        assert view.over_time is not None
        assert (card.value, card.hidden) == (92, False)
        assert view.over_time.year_end.open_overdue == 76
        assert view.over_time.outlook_hidden is withheld
        attack(view)


def test_the_monthly_table_hides_a_second_cell_beside_a_small_one() -> None:
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"),
                       date(2025, 6, 30))
    table = _pack(analysis, [], 10).trend
    parts = ("plans_issued", "issued_within_20_weeks", "issued_20_to_52_weeks",
             "issued_over_52_weeks")
    for row in table.mask.select(parts).iter_rows():
        assert sum(row) != 1


@pytest.mark.parametrize("threshold", [25, 50])
def test_the_windows_table_hides_what_the_cards_hide(threshold: int) -> None:
    """The table of every 20-week window repeats the cards' figures: a figure the pool hid
    on a card (a primary or a secondary cell) is hidden in the table too."""
    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"),
                       date(2025, 6, 30))
    view = _pack(analysis, [], threshold)
    assert view.windows is not None
    rates = [c for c in view.kpis if c.is_rate]
    assert any(c.parts_hidden for c in rates)  # there is something to protect
    for row, card in enumerate(rates):
        for column in ("plans_issued", "issued_within_20_weeks"):
            assert view.windows.mask[column][row] >= card.parts_hidden
            assert (view.windows.frame[column][row] is None) >= card.parts_hidden
        assert view.windows.mask["pct_within_20_weeks"][row] >= card.hidden


@st.composite
def exports(draw: st.DrawFn) -> list[str]:
    """A small authority's export: few cases, so many counts are small."""
    rows = []
    for i in range(draw(st.integers(5, 60))):
        received = date(2023, 7, 1).toordinal() + draw(st.integers(0, 720))
        day = date.fromordinal(received)
        issued = draw(st.one_of(st.none(), st.integers(60, 500)))
        issue = "" if issued is None or received + issued > date(2025, 6, 30).toordinal() \
            else f"{date.fromordinal(received + issued):%d/%m/%Y}"
        outcome = "Y" if issue else draw(st.sampled_from(["", "Y", "N"]))
        team = draw(st.sampled_from(["North", "South", "East"]))
        rows.append(f"C{i},P{i},{day:%d/%m/%Y},{outcome},{issue},,{team},")
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports(), st.sampled_from([3, 5, 10]), st.booleans())
def test_a_drawn_pack_gives_no_hidden_figure_back(rows: list[str], threshold: int,
                                                   by_team: bool) -> None:
    with TemporaryDirectory() as folder:
        analysis = analyse(write_export(Path(folder), rows), Config(), date(2025, 6, 30))
        by = ["Team"] if by_team else []
        attack(_pack(analysis, by, threshold))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports(), st.sampled_from([3, 10]))
def test_trend_by_group_gives_no_hidden_figure_back(rows: list[str], threshold: int) -> None:
    """`trend --by`: each month's groups add up to the authority's figure, which `trend`
    without --by shows; and Issued = from the backlog + current."""
    with TemporaryDirectory() as folder:
        analysis = analyse(write_export(Path(folder), rows), Config(), date(2025, 6, 30))
        table = build_trend(analysis, ["Team"], None, threshold).table
    counts = [c for c in table.columns if c not in ("month", "Team", *TREND_RATES)
              and not c.startswith("mean_")]
    hidden = frozenset((r, c) for c in counts
                       for r, v in enumerate(table[c]) if v == SUPPRESSED)
    relations = [Relation.total((r, "plans_issued"), [(r, "plans_issued_from_backlog"),
                                                      (r, "plans_issued_current")])
                 for r in range(table.height)]
    months = list(table["month"])
    for month in dict.fromkeys(months):
        group = [r for r, m in enumerate(months) if m == month]
        relations += [Relation.total(("authority", month, c), [(r, c) for r in group])
                      for c in counts]
    for relation in relations:
        assert sum(k in hidden for k in relation.keys) != 1, relation
    assert not determined(hidden, relations)
    small = [(r, c) for c in counts for r, v in enumerate(table[c])
             if v != SUPPRESSED and v is not None and 0 < int(v) < threshold]
    assert not small


def test_the_page_and_the_workbook_hide_the_same_cells() -> None:
    import io
    import re

    import openpyxl

    from ehcp_timeliness.report.html import render_board_html
    from ehcp_timeliness.report.xlsx import board_workbook

    analysis = analyse(SAMPLE / "cases.csv", load_config(SAMPLE / "board.toml"),
                       date(2025, 6, 30))
    view = _pack(analysis, ["Team"], 10)
    page = render_board_html(view).decode("utf-8")
    book = openpyxl.load_workbook(io.BytesIO(board_workbook(view)))
    in_book = sum(1 for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                  for value in row if value == SUPPRESSED)
    in_page = len(re.findall(r'class="num suppressed"', page))
    hidden = sum(int(table.mask.select(c).to_series().sum()) for table in _tables(view).values()
                 for c in table.columns)
    assert in_page == in_book >= hidden > 0


def test_the_year_end_and_clearance_sentences_are_withheld_when_they_would_give_a_c_back(
        tmp_path: Path) -> None:
    from ehcp_timeliness.report.board_trend import OUTLOOK_WITHHELD
    from ehcp_timeliness.report.html import render_board_html

    # tests/board_data.py: 2 plans issued in 2025 so far, 2 open requests overdue
    analysis = analyse(write_export(tmp_path), Config(), date(2025, 6, 30))
    view = _pack(analysis, [], 10)
    assert view.over_time is not None and view.over_time.outlook_hidden
    page = render_board_html(view).decode("utf-8")
    assert page.count(OUTLOOK_WITHHELD) == 2 and "data-so-far" not in page
    assert not _pack(analysis, [], 0).over_time.outlook_hidden  # type: ignore[union-attr]


def test_the_year_end_sentence_gives_no_month_of_the_year_back(tmp_path: Path) -> None:
    """The year's plans so far (excluding exceptions) are the monthly table's months of the
    year added up: with January's 3 plans hidden and the year's 103 shown, another month of
    the year is hidden too, or 103 less the months shown would be January's."""
    rows, case = [], 0
    months = [(2024, m) for m in range(7, 13)] + [(2025, m) for m in range(1, 7)]
    for year, month in months:
        for _ in range(3 if (year, month) == (2025, 1) else 20):
            case += 1
            issued = date(year, month, 15)
            rows.append(f"C{case},P{case},{issued - timedelta(days=100):%d/%m/%Y},Y,"
                        f"{issued:%d/%m/%Y},,North,")
    for received in [date(2024, 10, 1)] * 12 + [date(2025, 5, 1)] * 12:  # open: the outlook's
        case += 1
        rows.append(f"C{case},P{case},{received:%d/%m/%Y},Y,,,North,")
    analysis = analyse(write_export(tmp_path, rows), Config(), date(2025, 6, 30))
    whole = _pack(analysis, [], 0)
    periods = list(whole.trend.frame["period"])
    this_year = whole.trend.frame.filter([p.startswith("2025") for p in periods])
    assert whole.over_time is not None
    assert whole.over_time.year_end.plans_issued == this_year["plans_issued_ex"].sum() == 103

    view = _pack(analysis, [], 10)
    assert view.over_time is not None and not view.over_time.outlook_hidden
    hidden = [periods[row] for table, row, column in _hidden(view)
              if (table, column) == ("monthly", "plans_issued_ex")]
    assert "2025-01" in hidden and len([p for p in hidden if p.startswith("2025")]) >= 2
    attack(view)
