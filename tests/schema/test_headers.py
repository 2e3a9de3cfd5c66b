from __future__ import annotations

import pytest

from ehcp_timeliness.errors import ConfigError, InputFileError, MissingColumnError
from ehcp_timeliness.schema.headers import map_headers


@pytest.mark.parametrize("header", ["ReceivedDate", "Date Request Received",
                                    "Request received date", "received_date", "RECEIVED DATE"])
def test_received_date_is_recognised(header: str) -> None:
    assert map_headers(["Case Ref", header], {}, "f.csv").mapped["received_date"] == header


def test_annex_a_headers_are_recognised() -> None:
    """The Ofsted Annex A List_1 layout (shared/peer_data/annex-a-sen-validator-be)."""
    headers = ["Unique ID", "UPN", "Date of birth", "Date initial EHC plan issued",
               "Date EHC plan last reviewed", "Date Request Received"]
    mapped = map_headers(headers, {}, "annex.xlsx").mapped
    assert mapped["case_id"] == "Unique ID"
    assert mapped["date_of_birth"] == "Date of birth"
    assert mapped["plan_issued_date"] == "Date initial EHC plan issued"
    assert mapped["last_review_date"] == "Date EHC plan last reviewed"


def test_explicit_mapping_wins_over_recognition() -> None:
    result = map_headers(["Ref", "Case Ref", "Recvd"], {"case_id": "Ref",
                                                        "received_date": "Recvd"}, "f.csv")
    assert result.mapped["case_id"] == "Ref"
    assert result.recognised == frozenset()
    assert result.passthrough(["Ref", "Case Ref", "Recvd"]) == ["Case Ref"]


def test_missing_required_column_names_it_and_shows_the_mapping_line() -> None:
    with pytest.raises(MissingColumnError) as caught:
        map_headers(["Case Ref", "Date Referral Logged", "Team"], {}, "f.csv")
    text = str(caught.value)
    assert "received_date" in text
    assert "'Case Ref', 'Date Referral Logged', 'Team'" in text
    assert 'received_date = "Date Referral Logged"' in text


def test_mapping_to_a_header_that_is_not_there() -> None:
    with pytest.raises(ConfigError, match="Did you mean 'Date Received'"):
        map_headers(["Case Ref", "Date Received"], {"received_date": "Date Recieved"}, "f.csv")


def test_two_headers_for_one_column_is_ambiguous() -> None:
    with pytest.raises(InputFileError, match="several headers could be received_date"):
        map_headers(["Case Ref", "Received Date", "Date Received"], {}, "f.csv")


def test_no_misleading_suggestion_when_nothing_looks_like_the_column() -> None:
    """Plan dates are no request date: suggesting one of them would mislead."""
    headers = ["Unique ID", "Date updated EHC plan issued", "Team"]
    with pytest.raises(MissingColumnError) as caught:
        map_headers(headers, {}, "annex.xlsx")
    assert 'received_date = "Your header"' in str(caught.value)


@pytest.mark.parametrize("header", ["Transfer In Date", "Date transferred in",
                                    "Date EHCP transferred in", "transfer_in_date"])
def test_transfer_in_date_is_recognised(header: str) -> None:
    mapped = map_headers(["Case Ref", "Date Request Received", "Plan Start Date", header], {},
                         "f.csv").mapped
    assert mapped["transfer_in_date"] == header
    assert mapped["plan_start_date"] == "Plan Start Date"   # a different day (reg 15(3)(a))


def test_a_bare_transfer_in_flag_is_not_taken_for_the_date() -> None:
    mapped = map_headers(["Case Ref", "Date Request Received", "Transfer In"], {}, "f.csv").mapped
    assert "transfer_in_date" not in mapped


def test_a_plan_register_needs_no_request_date_column() -> None:
    """Annex A lists (and most plan registers) have plan and review dates but no request
    date: read as a register of plans, not refused (rules.md §7)."""
    headers = ["Unique ID", "Date initial EHC plan issued", "Date updated EHC plan issued",
               "Date EHC plan last reviewed"]
    mapped = map_headers(headers, {}, "annex.xlsx").mapped
    assert "received_date" not in mapped
    assert mapped["plan_issued_date"] == "Date initial EHC plan issued"


# A first row that is data, its date written as each of these.
FIRST_ROW_DATES = ["7th April 2011", "40275", "April 7 2011", "17/03/2013"]


@pytest.mark.parametrize("date", FIRST_ROW_DATES)
@pytest.mark.parametrize("explicit", [{}, {"case_id": "Case Ref"}])
def test_a_first_row_of_data_is_described_by_position_and_shape_never_echoed(
        date: str, explicit: dict[str, str]) -> None:
    row = ["C1", "PID-93817", "Zebedee Quartermaine", date, "Y"]
    with pytest.raises((MissingColumnError, ConfigError)) as caught:
        map_headers(row, explicit, "f.csv")
    text = str(caught.value)
    for cell in row:
        assert cell not in text, cell
    assert "the first line looks like a row of data" in text
    assert "column 3: 20 characters (letters, spaces)" in text
    assert "column 4: " in text and "Headers found" not in text


def test_two_canonical_columns_on_one_header_are_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        map_headers(["Case Ref", "Date"], {"received_date": "Date",
                                           "plan_issued_date": "Date"}, "f.csv")
    assert "received_date and plan_issued_date both name the header \"Date\"" in str(
        caught.value)
