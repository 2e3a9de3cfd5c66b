"""Fast parse + repair gives exactly what the full parsers give, whatever the sample saw."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_timeliness import pipeline
from ehcp_timeliness.config import Config
from ehcp_timeliness.schema.values import parse_date, parse_outcome

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
                     "   ", " N/A ", "\tnull"]),  # padded blanks: blank once repair trims them
)
outcome_texts = st.sampled_from(["Y", "yes", "YES", "Assess", "not-assess", "Not  assess",
                                 "refused", "W", "Withdrawn", "", "pending", "maybe",
                                 "transferred_in", "Transferred In", "S", "h", "  ", " N/A "])


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(date_texts, outcome_texts), min_size=1, max_size=40))
def test_fast_parse_and_repair_equal_the_full_parsers(
        rows: list[tuple[str, str]], tmp_path_factory: pytest.TempPathFactory) -> None:
    received = [r for r, _ in rows]
    outcomes = [o for _, o in rows]
    path = write(tmp_path_factory.mktemp("p") / "x.csv", received, outcomes)
    original = pipeline.SAMPLE_ROWS
    pipeline.SAMPLE_ROWS = 3  # a tiny sample: most forms are learnt by repair, not the plan
    try:
        result = pipeline.analyse(path, Config(), AS_OF)
    finally:
        pipeline.SAMPLE_ROWS = original
    frame = pl.DataFrame({"r": received, "o": outcomes}, schema={"r": pl.String, "o": pl.String})
    expected = frame.select(parse_date(pl.col("r")).alias("r"),
                            parse_outcome(pl.col("o")).alias("o"))
    got = result.cases.select("__row", "received_date", "request_outcome").sort("__row")
    analysed_rows = [r - 2 for r in got["__row"].to_list()]
    assert got["received_date"].to_list() == [expected["r"][i] for i in analysed_rows]
    assert got["request_outcome"].to_list() == [expected["o"][i] for i in analysed_rows]
    unread = result.issues.filter(pl.col("code") == "unparseable-date")["row"].to_list()
    blank = [i + 2 for i, t in enumerate(received) if t.strip() in ("", "N/A", "null", "-")]
    assert sorted(unread) == [i + 2 for i in range(len(received))
                              if expected["r"][i] is None and i + 2 not in blank
                              and received[i].strip() != ""]
