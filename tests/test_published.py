"""published.py and the shipped reference data: DfE's facts, names, codes, neighbours."""

from __future__ import annotations

import socket
from importlib.resources import files

import polars as pl
import pytest

from ehcp_timeliness import published
from ehcp_timeliness.errors import UsageError
from ehcp_timeliness.summaries.grouping import percentage

from conftest import ROOT

SHARED = ROOT.parent / "shared"


def row(area: str, year: int, columns: list[str]) -> dict[str, object]:
    frame = published.figures(published.TIMELINESS, columns).filter(
        pl.col("time_period") == year)
    if area == "England":
        frame = published.england(frame)
    else:
        frame = frame.filter(pl.col("new_la_code") == area)
    assert frame.height == 1
    return frame.row(0, named=True)


def test_england_2024_excluding_exceptions_is_46_4() -> None:
    got = row("England", 2024, ["plans_issued_20_weeks_ex", "plans_issued_den_ex",
                                "PC_plans_issued_20_weeks_ex"])
    assert (got["plans_issued_20_weeks_ex"], got["plans_issued_den_ex"]) == (39_407, 84_866)
    assert got["PC_plans_issued_20_weeks_ex"] == 46.4
    assert pl.select(percentage(pl.lit(39_407), pl.lit(84_866))).item() == 46.4


def test_redbridge_2024_is_7_0() -> None:
    got = row("E09000026", 2024, ["plans_issued_20_weeks_ex", "plans_issued_den_ex",
                                  "PC_plans_issued_20_weeks_ex"])
    assert got["la_name"] == "Redbridge"
    assert (got["plans_issued_20_weeks_ex"], got["plans_issued_den_ex"]) == (25, 356)
    assert got["PC_plans_issued_20_weeks_ex"] == 7.0


def test_values_are_kept_as_published() -> None:
    requests = published.published_table(published.REQUESTS)
    england_2019 = published.england(requests).filter(pl.col("time_period") == 2019)
    assert england_2019["requests_decided_to_assess"].item() == "x"
    assert england_2019["requests_received_in_year"].item() == "82329"
    assert published.figures(published.REQUESTS, ["requests_decided_to_assess"]).filter(
        pl.col("time_period") == 2019)["requests_decided_to_assess"].null_count() > 0
    reviews = published.published_table(published.ANNUAL_REVIEWS)
    assert {"number_decsion_4weeks", "pc_decsion_4weeks", "outcome_maintan"} <= set(
        reviews.columns)  # DfE's spellings


@pytest.mark.skipif(not (SHARED / "reference").is_dir(), reason="shared reference not here")
@pytest.mark.parametrize("name", published.TABLES)
def test_shipped_copy_equals_the_reference_file_less_constant_columns(name: str) -> None:
    reference = pl.read_csv(SHARED / "reference" / "dfe-ehcp-ry2025" / f"{name}.csv",
                            infer_schema=False)
    shipped = published.published_table(name).with_columns(pl.col("time_period").cast(pl.String))
    assert shipped.equals(reference.select(shipped.columns))
    dropped = set(reference.columns) - set(shipped.columns)
    assert dropped == {"time_identifier", "country_code", "country_name", "breakdown_topic",
                       "breakdown"}
    assert all(reference[c].n_unique() == 1 for c in dropped)


def test_england_and_regions_each_year() -> None:
    table = published.published_table(published.TIMELINESS)
    assert published.england(table).height == 6
    per_year = published.regions(table).group_by("time_period").len()
    assert per_year["len"].to_list() == [9] * 6
    assert "London" in published.regions(table)["region_name"].to_list()


def test_authorities() -> None:
    authorities = published.authorities()
    assert len(authorities) == 155
    keys = [published.name_key(a.name) for a in authorities]
    assert len(set(keys)) == len(keys)
    redbridge = published.find_authority("Redbridge")
    assert (redbridge.new_la_code, redbridge.old_la_code, redbridge.region_name) == (
        "E09000026", "317", "London")


@pytest.mark.parametrize(("text", "name"), [
    ("Redbridge", "Redbridge"), ("  redbridge ", "Redbridge"), ("E09000026", "Redbridge"),
    ("e09000026", "Redbridge"), ("317", "Redbridge"),
    ("Hammersmith & Fulham", "Hammersmith and Fulham"),
    ("Bristol", "Bristol, City of"), ("City of Bristol", "Bristol, City of"),
    ("Kingston upon Hull", "Kingston upon Hull, City of"),
    ("St Helens", "St. Helens"), ("southend on sea", "Southend-on-Sea"),
    ("City of London", "City of London"),
    # the neighbour table's four names
    ("Bedford Borough", "Bedford"), ("Durham", "County Durham"),
    ("Herefordshire", "Herefordshire, County of"),
    ("Kingston Upon Hull, City of", "Kingston upon Hull, City of"),
    # Buckinghamshire appears under two codes in DfE's file
    ("E06000060", "Buckinghamshire"), ("E10000002", "Buckinghamshire"),
    ("Cumbria", "Cumbria"), ("E10000006", "Cumbria"),
])
def test_find_authority(text: str, name: str) -> None:
    assert published.find_authority(text).name == name


def test_unknown_authority_suggests_the_nearest() -> None:
    with pytest.raises(UsageError) as caught:
        published.find_authority("Redbrige")
    assert "Redbrige" in caught.value.message
    assert "'Redbridge'" in caught.value.hint


def test_redbridge_neighbours() -> None:
    names = [a.name for a in published.statistical_neighbours(
        published.find_authority("Redbridge"))]
    assert names == ["Harrow", "Hillingdon", "Waltham Forest", "Ealing", "Hounslow", "Barnet",
                     "Slough", "Reading", "Southampton", "Luton"]


def test_neighbour_names_are_mapped_to_dfes() -> None:
    bexley = [a.name for a in published.statistical_neighbours(published.find_authority("Bexley"))]
    assert bexley[:3] == ["Havering", "Bedford", "Kent"]
    table = published.neighbour_table()
    assert len(table) == 153
    assert all(len(names) == 10 for names in table.values())
    dfe_names = {a.name for a in published.authorities()}
    assert set(table) <= dfe_names
    assert {n for names in table.values() for n in names} <= dfe_names
    for other, dfe in published.NEIGHBOUR_NAMES.items():
        assert other not in table and dfe in table
    assert set(dfe_names - set(table)) == set(published.PREDECESSORS)


@pytest.mark.parametrize("name", ["Cumbria", "Northamptonshire"])
def test_predecessors_have_no_neighbours(name: str) -> None:
    with pytest.raises(UsageError) as caught:
        published.statistical_neighbours(published.find_authority(name))
    assert all(s in caught.value.hint for s in published.PREDECESSORS[name])


def test_reference_readme_attributes_and_warns() -> None:
    text = files("ehcp_timeliness").joinpath("reference_data", "README.md").read_text("utf-8")
    assert "Contains public sector information licensed under the Open Government Licence " \
           "v3.0." in text
    assert "UNCONFIRMED" in text and "MIT" in text
    for other, dfe in published.NEIGHBOUR_NAMES.items():
        assert other in text and dfe in text
    licence = files("ehcp_timeliness").joinpath("reference_data", "stat_neighbours.LICENSE.txt")
    assert "MIT License" in licence.read_text("utf-8")


def test_loading_uses_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for cached in (published.published_table, published.authorities, published._index,
                   published.neighbour_table):
        cached.cache_clear()
    assert published.published_table(published.TIMELINESS).height == 970
    assert published.find_authority("Redbridge").name == "Redbridge"
    assert len(published.neighbour_table()) == 153
