"""Unrecognised words of code columns: shown when they recur, by shape when rare."""

from __future__ import annotations

import polars as pl

from ehcp_timeliness.schema.vocabulary import guess_code, unknown_values


def _frame(**columns: list[str | None]) -> pl.LazyFrame:
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String)).lazy()


def test_recurring_words_shown_rare_ones_by_shape() -> None:
    frame = _frame(Agreed=["Agreed to assess"] * 6 + ["Jo Bloggs said yes"] + ["Yes"] * 3,
                   Note=["anything at all"] * 10)
    found = unknown_values(frame, {"request_outcome": "Agreed", "case_id": "Note"}, {}, (), 5)
    assert [(v.text, v.rows) for v in found] == [("Agreed to assess", 6), (None, 1)]
    assert found[1].shape == "18 characters (letters, spaces)"


def test_the_threshold_is_the_configs() -> None:
    frame = _frame(Agreed=["Agreed to assess"] * 6)
    [value] = unknown_values(frame, {"request_outcome": "Agreed"}, {}, (), 7)
    assert value.text is None and value.rows == 6


def test_words_the_config_reads_are_not_listed() -> None:
    frame = _frame(Agreed=["Agreed to assess"] * 6, Flag=["Exception applied"] * 6)
    mapped = {"request_outcome": "Agreed", "week20_exception": "Flag"}
    assert unknown_values(frame, mapped, {"Agreed to assess": "Y"},
                          ("exception applied",), 5) == []


def test_only_code_columns_are_read() -> None:
    frame = _frame(DOB=["not a date"] * 9, Child=["P1"] * 9, Team=["North"] * 9)
    mapped = {"date_of_birth": "DOB", "person_id": "Child", "received_date": "Team"}
    assert unknown_values(frame, mapped, {}, (), 5) == []


def test_guesses() -> None:
    assert guess_code("request_outcome", "Agreed to assess") == "Y"
    assert guess_code("request_outcome", "Not agreed") == "N"
    assert guess_code("assessment_outcome", "NTI") == "N"
    assert guess_code("assessment_outcome", "Draft Plan Issued") == "Y"
    assert guess_code("request_outcome", "Banana") is None
