"""`compare` against a plain-Python oracle: two versions of an export, the second made from the
first by the edits a month brings (plans issued, requests refused, cases added and dropped)
and by the edits that rewrite history (dates changed, removed, recorded late, made unreadable)
or break the list (a case id given twice).
Both are written as CSV and analysed by the pipeline, each at its own as-of date; the oracle
works the same findings out case by case with tests/oracle.py's statuses.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from ehcp_timeliness.config import Config
from ehcp_timeliness.pipeline import analyse
from ehcp_timeliness.report.compare import build_compare
from ehcp_timeliness.summaries.compare import (
    COMPARE_COLUMNS,
    FINDINGS,
    compare_exports,
)
from ehcp_timeliness.summaries.grouping import finding_counts
from fuzz.generators import fuzz

from oracle import Case, plan_status

PREVIOUS_AS_OF, AS_OF = date(2025, 5, 31), date(2025, 6, 30)
EARLIEST = date(2024, 1, 1)
UNREADABLE = "2024-02-30"
HEADER = ["Case Ref", "Date Request Received", "Request Outcome", "Date of Decision to Assess",
          "Final EHCP Issued"]
# Canonical names of the dated columns above, as the findings name them.
DATES = {"received": "received_date", "decided": "request_outcome_date",
         "issued": "plan_issued_date"}
ISSUED = {"issued_on_time", "issued_late"}
OPEN = {"overdue", "due_soon", "in_progress"}


@dataclass(frozen=True)
class Record:
    case_id: str
    received: date
    issued: date | None = None
    decided: date | None = None      # a refusal (N) and its date
    unreadable: bool = False         # the received date typed as 30 February

    def row(self) -> list[str]:
        def day(value: date | None) -> str:
            return "" if value is None else value.isoformat()
        return [self.case_id, UNREADABLE if self.unreadable else day(self.received),
                "N" if self.decided else "", day(self.decided), day(self.issued)]

    def set_aside(self, as_of: date) -> bool:
        """The pipeline's error checks these records can trip: unreadable, received after
        the as-of date, issued before received."""
        return (self.unreadable or self.received > as_of
                or (self.issued is not None and self.issued < self.received))

    def status(self, as_of: date) -> str:
        return plan_status(Case(self.received, self.issued,
                                request_outcome="N" if self.decided else None,
                                request_outcome_date=self.decided), as_of)


@st.composite
def records(draw: st.DrawFn, case_id: str, earliest: date, latest: date) -> Record:
    received = draw(st.dates(earliest, latest))
    issued = draw(st.none() | st.dates(received, AS_OF))
    decided = draw(st.none() | st.dates(received, AS_OF)) if issued is None else None
    return Record(case_id, received, issued, decided)


EDITS = ("keep", "keep", "drop", "issue", "refuse", "edit received", "remove issued",
         "unreadable", "duplicate")


@st.composite
def export_pairs(draw: st.DrawFn) -> tuple[list[Record], list[Record]]:
    """Last month's export and this month's, made from it by edits."""
    count = draw(st.integers(0, 10))
    previous = [draw(records(f"C{i}", EARLIEST, PREVIOUS_AS_OF)) for i in range(count)]
    previous = [replace(r, unreadable=True) if draw(st.integers(0, 9)) == 0 else r
                for r in previous]
    current = []
    for record in previous:
        edit = draw(st.sampled_from(EDITS))
        record = replace(record, unreadable=False)
        if edit == "drop":
            continue
        if edit == "issue":  # progress, or a date recorded late (on or before last month)
            record = replace(record, issued=draw(st.dates(record.received, AS_OF)), decided=None)
        elif edit == "refuse" and record.issued is None:
            record = replace(record, decided=draw(st.dates(record.received, AS_OF)))
        elif edit == "edit received":
            record = replace(record, received=draw(st.dates(EARLIEST, AS_OF)))
        elif edit == "remove issued":
            record = replace(record, issued=None)
        elif edit == "unreadable":
            record = replace(record, unreadable=True)
        elif edit == "duplicate":  # a second row with the id: only the first is analysed
            current.append(replace(record, received=draw(st.dates(EARLIEST, AS_OF))))
        current.append(record)
    new = draw(st.integers(0, 4))
    current += [draw(records(f"N{i}", EARLIEST, AS_OF)) for i in range(new)]
    return previous, draw(st.permutations(current))


def write(path: Path, rows: list[Record]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(r.row() for r in rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def oracle_findings(previous: list[Record], current: list[Record]) -> set[tuple[object, ...]]:
    """(finding, case_id, previous status, current status, column, previous, current), one
    case at a time."""
    def analysed(rows: list[Record], as_of: date) -> dict[str, Record]:
        first: dict[str, Record] = {}
        for record in rows:  # in file order: a later row with the same id is set aside
            first.setdefault(record.case_id, record)
        return {k: r for k, r in first.items() if not r.set_aside(as_of)}

    before, after = analysed(previous, PREVIOUS_AS_OF), analysed(current, AS_OF)
    aside_before = {r.case_id for r in previous} - set(before)
    aside_after = {r.case_id for r in current} - set(after)
    found: set[tuple[object, ...]] = set()
    for case_id in set(before) | set(after):
        old, now = before.get(case_id), after.get(case_id)
        p = old.status(PREVIOUS_AS_OF) if old else None
        c = now.status(AS_OF) if now else None
        finding = None
        if old is None:
            finding = "set_aside_in_previous" if case_id in aside_before else "new"
        elif now is None:
            finding = "set_aside_in_current" if case_id in aside_after else "disappeared"
        elif p not in ISSUED and c in ISSUED:
            finding = "newly_issued"
        elif p in OPEN and c == "closed_no_plan":
            finding = "closed"
        elif p in OPEN - {"overdue"} and c == "overdue":
            finding = "newly_overdue"
        elif p not in OPEN and c in OPEN:
            finding = "reopened"
        if finding:
            found.add((finding, case_id, p, c, None, None, None))
        if old is None or now is None:
            continue
        for field, name in DATES.items():
            was, is_now = getattr(old, field), getattr(now, field)
            change = None
            if was is not None and is_now is not None and was != is_now:
                change = "date_edited"
            elif was is not None and is_now is None:
                change = "date_removed"
            elif was is None and is_now is not None and is_now <= PREVIOUS_AS_OF:
                change = "date_recorded_late"
            if change:
                found.add((change, case_id, p, c, name, was and was.isoformat(),
                           is_now and is_now.isoformat()))
    return found


@fuzz(60)
@given(export_pairs())
def test_compare_agrees_with_the_oracle(pair: tuple[list[Record], list[Record]]) -> None:
    previous, current = pair
    with tempfile.TemporaryDirectory() as folder:
        paths = [write(Path(folder) / name, rows)
                 for name, rows in (("may.csv", previous), ("june.csv", current))]
        if not previous or not current:
            return  # a header with no rows is refused before any comparison (exit 1)
        analyses = [analyse(path, Config(), day, review_process=False)
                    for path, day in zip(paths, (PREVIOUS_AS_OF, AS_OF), strict=True)]
    view = build_compare(*analyses)
    findings = view.findings
    assert findings.columns == list(COMPARE_COLUMNS)
    got = {(r["finding"], r["case_id"], r["previous_plan_status"], r["current_plan_status"],
            r["column"], r["previous_value"], r["current_value"])
           for r in findings.iter_rows(named=True)}
    assert got == oracle_findings(previous, current)
    assert findings.height == len(got)  # each finding once
    # Listed in FINDINGS order, then by case id; every set-aside case says why.
    ranks = [FINDINGS.index(f) for f in findings["finding"]]
    assert ranks == sorted(ranks)
    aside = findings.filter(pl.col("finding").str.starts_with("set_aside"))
    assert aside["set_aside_reasons"].null_count() == 0
    edited = findings.filter(pl.col("finding") == "date_edited")
    for row in edited.iter_rows(named=True):
        moved = (date.fromisoformat(row["current_value"])
                 - date.fromisoformat(row["previous_value"])).days
        assert row["days_moved"] == moved
    assert sum(view.counts.values()) == findings.height


def test_an_export_compared_with_itself_at_one_date_has_no_findings() -> None:
    cases = pl.DataFrame({"case_id": ["A", "B"], "plan_status": ["overdue", "issued_late"],
                          "received_date": [date(2024, 1, 1), date(2024, 2, 1)]})
    aside = pl.DataFrame(schema={"case_id": pl.String, "set_aside_reasons": pl.String})
    found = compare_exports(cases, cases, aside, aside, ["received_date"], AS_OF)
    assert found.height == 0
    assert set(finding_counts(found, FINDINGS).values()) == {0}


def test_a_personal_date_is_compared_but_never_shown() -> None:
    schema = {"case_id": pl.String, "plan_status": pl.String, "date_of_birth": pl.Date}
    before = pl.DataFrame({"case_id": ["A", "B"], "plan_status": ["overdue"] * 2,
                           "date_of_birth": [date(2013, 3, 17), date(2012, 2, 4)]}, schema)
    after = before.with_columns(pl.Series("date_of_birth", [date(2013, 3, 18), None]))
    aside = pl.DataFrame(schema={"case_id": pl.String, "set_aside_reasons": pl.String})
    found = compare_exports(before, after, aside, aside, ["date_of_birth"], PREVIOUS_AS_OF,
                            personal=("date_of_birth",))
    assert found["finding"].to_list() == ["date_edited", "date_removed"]
    assert found["previous_value"].to_list() == ["(not shown: personal data)"] * 2
    assert found["current_value"].to_list() == ["(not shown: personal data)", None]
    assert found["days_moved"].null_count() == 2
    assert "2013" not in found.write_csv()
