"""Each column read once, the sample's forms first and every accepted form on the cells still
unread: every cell read as the data contract says, whatever the sample saw, checked against
the plain-Python oracle (datetime.strptime over the contract's forms)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_timeliness import pipeline
from ehcp_timeliness.boolean_words import BLANK_TOKENS
from ehcp_timeliness.columns import ROW
from ehcp_timeliness.config import Config
from ehcp_timeliness.schema.values import parse_date, parse_outcome

import oracle

AS_OF = date(2030, 1, 1)


def write(path: Path, received: list[str], outcomes: list[str]) -> Path:
    frame = pl.DataFrame({"Case Ref": [f"C{i}" for i in range(len(received))],
                          "Date Received": received, "Request Outcome": outcomes})
    frame.write_csv(path)
    return path


def test_forms_missing_from_the_sample_are_still_read(tmp_path: Path) -> None:
    early = ["15/01/2024"] * 20_000  # all the sample sees
    late = ["15 Jan 2024", "2024-01-15T09:30:00", "15.01.2024", "15/1/2024 10:00",
            "31/02/2024", "Yes"]
    path = write(tmp_path / "x.csv", early + late, ["Y"] * 20_000 + ["N/A", "assess", "No",
                                                                     "Not assess", "yes", "x"])
    result = pipeline.analyse(path, Config(), AS_OF)
    issues = result.issues.select("row", "column", "code").rows()
    assert issues == [(20_006, "received_date", "unparseable-date"),
                      (20_007, "received_date", "unparseable-date"),
                      (20_007, "request_outcome", "unknown-outcome-code")]
    tail = result.cases.sort("__row").tail(4)
    assert tail["received_date"].to_list() == [date(2024, 1, 15)] * 4
    assert tail["request_outcome"].to_list() == ["A", "Y", "N", "N"]


date_texts = st.one_of(
    st.dates(min_value=date(1940, 1, 1), max_value=date(2110, 12, 31)).flatmap(
        lambda d: st.sampled_from([
            d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%d-%m-%Y"),
            d.strftime("%d %b %Y"), d.strftime("%d %B %Y").upper(), d.strftime("%d.%m.%Y"),
            d.strftime("%Y-%b-%d 00:00:00"), d.strftime("%d/%m/%y"), f"{d.isoformat()}T10:15",
            d.strftime("%m/%d/%Y"), f" {d.strftime('%d/%m/%Y')} "])),
    st.sampled_from(["", "N/A", "null", "-", "next week", "31/02/2024", "2024-02-30",
                     "   ", " N/A ", "\tnull"]),  # padded blanks: blank once trimmed
)
outcome_texts = st.sampled_from(["Y", "yes", "YES", "Assess", "not-assess", "Not  assess",
                                 "refused", "W", "Withdrawn", "", "pending", "maybe",
                                 "transferred_in", "Transferred In", "S", "h", "  ", " N/A "])


# How exports write dates: the contract's forms and near misses (month first, two-digit years,
# no separators) that must stay unread.
WRITTEN_FORMS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d-%b-%Y",
                 "%d %B %Y", "%Y-%b-%d", "%Y/%m/%d", "%m/%d/%Y", "%d/%m/%y", "%Y%m%d",
                 "%d %b %y", "%A %d %B %Y", "%b %d, %Y", "%d/%m %Y")
times = st.sampled_from(["", " 00:00:00", "T10:15", " 9:05", " 23:59:59.123", " 10:15 PM",
                         " 10:15pm", "T10:15:00Z", "T10:15:00+01:00", " 07:30:00 -0500"])
datetime_texts = st.tuples(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
                           st.sampled_from(WRITTEN_FORMS), times) \
    .map(lambda parts: parts[0].strftime(parts[1]) + parts[2])


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.one_of(datetime_texts, date_texts, st.text(max_size=12)),
                      min_size=1, max_size=50),
       outcomes=st.lists(st.one_of(outcome_texts, st.text(max_size=8)), min_size=1,
                         max_size=20))
def test_the_full_parsers_read_what_the_contract_says(texts: list[str],
                                                      outcomes: list[str]) -> None:
    dates = pl.DataFrame({"t": texts}, schema={"t": pl.String})
    assert dates.select(parse_date(pl.col("t"))).to_series().to_list() == \
        [oracle.parse_date(t) for t in texts]
    codes = pl.DataFrame({"t": outcomes}, schema={"t": pl.String})
    assert codes.select(parse_outcome(pl.col("t"))).to_series().to_list() == \
        [oracle.outcome_code(t) for t in outcomes]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(date_texts, outcome_texts), min_size=1, max_size=40))
def test_the_parse_reads_what_the_contract_says(
        rows: list[tuple[str, str]], tmp_path_factory: pytest.TempPathFactory) -> None:
    received = [r for r, _ in rows]
    outcomes = [o for _, o in rows]
    path = write(tmp_path_factory.mktemp("p") / "x.csv", received, outcomes)
    # A tiny sample: most forms are read by the closing parse, not learnt from the sample.
    result = pipeline.analyse(path, Config(), AS_OF, sample_rows=3)
    expected_dates = [oracle.parse_date(text) for text in received]
    expected_codes = [oracle.outcome_code(text) for text in outcomes]
    got = result.cases.select(ROW, "received_date", "request_outcome").sort(ROW)
    analysed_rows = [r - 2 for r in got[ROW].to_list()]
    assert got["received_date"].to_list() == [expected_dates[i] for i in analysed_rows]
    assert got["request_outcome"].to_list() == [expected_codes[i] for i in analysed_rows]
    unread = result.issues.filter(pl.col("code") == "unparseable-date")["row"].to_list()
    blank = [i + 2 for i, t in enumerate(received) if t.strip() in ("", "N/A", "null", "-")]
    assert sorted(unread) == [i + 2 for i in range(len(received))
                              if expected_dates[i] is None and i + 2 not in blank
                              and received[i].strip() != ""]


yes_no_texts = st.one_of(
    st.sampled_from(["Y", "N", "yes", " Yes ", "No ", "\tTRUE", " n/a", "N/A", "", "  ", "-",
                     "No - parent asked", " no: see notes", "school closure ", " maybe "]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8))


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(yes_no_texts, min_size=1, max_size=30))
def test_yes_no_cells_past_the_sample_read_as_the_oracle_says(
        cells: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    """Yes/no cells the sample did not show, padded or not: true, false, or false with an
    unknown-boolean warning, as the oracle; a blank one (padded or a blank word) is no cell:
    the row is blank when nothing else is in it."""
    rest = [None] * len(cells)
    frame = pl.DataFrame({"Case Ref": ["C0", *rest], "Date Received": ["2024-01-15", *rest],
                          "Week20": ["N", *cells]}, schema=dict.fromkeys(
                              ("Case Ref", "Date Received", "Week20"), pl.String))
    path = tmp_path_factory.mktemp("b") / "x.csv"
    frame.write_csv(path)
    result = pipeline.analyse(path, Config(), AS_OF, sample_rows=1)
    expected = [oracle.boolean(c, Config().booleans.true_words) for c in cells]
    warned = set(result.issues.filter(pl.col("code") == "unknown-boolean")["row"])
    assert warned == {i + 3 for i, e in enumerate(expected) if e is None}
    blank = set(result.issues.filter(pl.col("code") == "blank-row")["row"])
    blank_words = {v for t in BLANK_TOKENS for v in (t, t.upper(), t.title(), t.capitalize())}
    assert blank == {i + 3 for i, c in enumerate(cells) if c.strip() in blank_words}
