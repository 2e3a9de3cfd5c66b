"""Header suggestions by meaning (header words, value shapes), never by string likeness."""

from __future__ import annotations

import polars as pl
import pytest

from ehcp_timeliness.schema.suggest import (
    column_evidence,
    header_words,
    likely_by_words,
    suggest_columns,
)

ROWS = 200


def _sample(columns: dict[str, list[str | None]]) -> pl.DataFrame:
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def _suggested(columns: dict[str, list[str | None]], mapped: dict[str, str] | None = None
               ) -> dict[str, str]:
    sample = _sample(columns)
    found = suggest_columns(sample.columns, column_evidence(sample), mapped or {})
    return {s.canonical: s.header for s in found}


def test_header_words() -> None:
    assert header_words("RequestNo") == ["request", "no"]
    assert header_words("Request No.") == ["request", "no"]
    assert header_words("20wk Exception Y/N") == ["20wk", "exception", "y", "n"]


def test_an_id_header_with_unique_values_is_the_case_id() -> None:
    found = _suggested({
        "Requested By": [("Parent", "School", "Health")[i % 3] for i in range(ROWS)],
        "Request No": [f"EHCNA/2024/{i:05}" for i in range(ROWS)],
        "Opened": [f"{1 + i % 28:02}/03/2024" for i in range(ROWS)],
    })
    assert found["case_id"] == "Request No"
    assert "Requested By" not in found.values()


@pytest.mark.parametrize("header", ["Reference", "Case Ref", "Referral ID", "Request Number"])
def test_id_words(header: str) -> None:
    found = _suggested({header: [f"R{i}" for i in range(ROWS)]})
    assert found.get("case_id") == header


def test_values_that_repeat_are_never_an_id() -> None:
    found = _suggested({"Request Ref": [f"R{i % 20}" for i in range(ROWS)]})
    assert "case_id" not in found


def test_a_childs_id_is_the_person_not_the_request() -> None:
    found = _suggested({"Child ID": [f"P{i}" for i in range(ROWS)],
                        "Case No": [f"C{i}" for i in range(ROWS)]})
    assert found == {"person_id": "Child ID", "case_id": "Case No"}


def test_a_date_column_needs_dates() -> None:
    dated = _suggested({"Request Received On": ["01/02/2024"] * ROWS})
    assert dated == {"received_date": "Request Received On"}
    assert "received_date" not in _suggested({"Request Received On": ["Yes"] * ROWS})


def test_outcome_column_needs_outcome_like_values() -> None:
    found = _suggested({
        "Requested By": [("Parent", "School")[i % 2] for i in range(ROWS)],
        "Agreed?": [("Agreed to assess", "Not agreed", None)[i % 3] for i in range(ROWS)],
    })
    assert found == {"request_outcome": "Agreed?"}


def test_mapped_columns_and_their_headers_are_left_alone() -> None:
    found = _suggested({"Case No": [f"C{i}" for i in range(ROWS)],
                        "Ref": [f"R{i}" for i in range(ROWS)]}, {"case_id": "Case No"})
    assert "case_id" not in found


def test_evidence_is_shapes_never_text() -> None:
    sample = _sample({"Agreed?": ["Agreed to assess"] * ROWS})
    [suggestion] = suggest_columns(sample.columns, column_evidence(sample), {})
    assert "Agreed to assess" not in suggestion.why
    assert "16 characters (letters, spaces)" in suggestion.why


def test_words_alone_for_a_message() -> None:
    headers = ["Requested By", "Request No", "Request Received On"]
    assert likely_by_words("case_id", headers, set()) == "Request No"
    assert likely_by_words("received_date", headers, set()) == "Request Received On"
    assert likely_by_words("received_date", ["Request No"], set()) is None
