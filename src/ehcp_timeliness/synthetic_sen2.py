"""Render canonical cases (ehcp_timeliness.synthetic.generate_cases) as a synthetic SEN2 return:
the person-level XML `Message`, and (scripts/make_sen2_sample.py) the same return as COLLECT
per-table CSV files. Both are built from one frame (`return_frame`), so the two describe the same
requests and `ehcp-timeliness cases` gives the same table for either. Synthetic only:
identifiers are made up (UPNs use LA number 999, which no authority has), and the items the tool
does not read (names, sex, ethnicity, postcode, placements) are left out rather than invented.

How each canonical column becomes SEN2 (docs/sen2.md has the reverse table):
- one Person per `person_id` (first appearance order), one Requests per case, in input order;
- AssessmentOutcomeDate = `plan_issued_date` when the outcome is Y, else
  `assessment_outcome_date`; NamedPlan/StartDate = `plan_start_date`, else `plan_issued_date`;
- `mediation`/`tribunal` go in RequestMediation/RequestTribunal (the Assessment ones are 0);
- ActivePlans carries ReviewMeeting (`last_review_date`) and LastReview
  (`review_decision_date`) when there is either.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

import polars as pl
from lxml import etree

from ehcp_timeliness import __version__
from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    BOOLEAN_COLUMNS,
    CANONICAL_COLUMNS,
    CEASE_DATE,
    DATE_OF_BIRTH,
    LAST_REVIEW_DATE,
    MEDIATION,
    PERSON_ID,
    PLAN_ISSUED_DATE,
    PLAN_START_DATE,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    REVIEW_DECISION_DATE,
    TRIBUNAL,
    WEEK20_EXCEPTION,
    Kind,
)
from ehcp_timeliness.io.sen2_common import (
    ACTIVE_PLAN_ITEMS,
    ASSESSMENT_ITEMS,
    NAMED_PLAN_ITEMS,
    PERSON_ITEMS,
    REQUEST_ITEMS,
)

SYNTHETIC_LA = "999"
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

# Each module's items as the reader names them (io/sen2_common.py), less those the canonical
# cases hold nothing for; UPNunknown (the reader has no use for it) says a person has neither a
# UPN nor a ULN.
_NOT_IN_CASES = frozenset({"RequestSource", "CeaseReason", "TransferLA", "ReviewOutcome"})
PERSON, REQUEST, ASSESSMENT, NAMED_PLAN, ACTIVE_PLANS = (
    tuple(i for i in items if i not in _NOT_IN_CASES)
    for items in ((*PERSON_ITEMS, "UPNunknown"), REQUEST_ITEMS, ASSESSMENT_ITEMS,
                  NAMED_PLAN_ITEMS, ACTIVE_PLAN_ITEMS))


def upn(number: pl.Expr) -> pl.Expr:
    """A UPN-shaped id from a number: check letter (weights 2–13, modulus 23), LA 999, then the
    number's last 9 digits.
    """
    body = pl.concat_str(pl.lit(SYNTHETIC_LA), (number % 10**9).cast(pl.String).str.zfill(9))
    total = pl.sum_horizontal(body.str.slice(i, 1).cast(pl.Int64) * (i + 2) for i in range(12))
    letter = (total % 23).replace_strict(list(range(23)), list(_UPN_LETTERS),
                                         return_dtype=pl.String)
    return pl.concat_str(letter, body)


def _flag(name: str) -> pl.Expr:
    return pl.when(pl.col(name).fill_null(False)).then(pl.lit("1")).otherwise(pl.lit("0"))


def return_frame(cases: pl.DataFrame) -> pl.DataFrame:
    """One row per request in return order, SEN2 item columns (dates as pl.Date, codes and flags
    as text), `person_no` (1, 2, … in return order) and `has_*` flags for the optional modules.
    """
    # Canonical columns the cases lack, as typed nulls (booleans false).
    missing = [(pl.lit(False) if col.kind is Kind.BOOLEAN else
                pl.lit(None, pl.Date if col.kind is Kind.DATE else pl.String)).alias(col.name)
               for col in CANONICAL_COLUMNS if col.name not in cases.columns]
    c = cases.with_columns(missing).with_row_index("__at")
    c = c.with_columns(pl.col(b).cast(pl.Boolean) for b in BOOLEAN_COLUMNS)
    who = pl.coalesce(pl.col(PERSON_ID).cast(pl.String),
                      pl.format("__case{}", pl.col("__at")))
    c = c.with_columns(pl.col("__at").min().over(who).alias("__first"))
    c = c.sort("__first", "__at").with_columns(
        pl.col("__first").rank("dense").cast(pl.Int64).alias("person_no"),
        pl.col(DATE_OF_BIRTH).first().over("__first").alias("PersonBirthDate"))
    number = pl.coalesce(who.str.extract(r"(\d+)").cast(pl.Int64, strict=False),
                         pl.col("person_no"))
    phase = pl.col("school_phase") if "school_phase" in c.columns else pl.lit(None, pl.String)
    # Young people past school mostly have a ULN instead of a UPN; a few have neither.
    neither = pl.col("person_no") % 40 == 0
    post16 = phase.is_in(["Post-16", "Post-19"]).fill_null(False)
    outcome = pl.col(ASSESSMENT_OUTCOME)
    plan_start = pl.coalesce(pl.col(PLAN_START_DATE), pl.col(PLAN_ISSUED_DATE))
    has_plan = plan_start.is_not_null()
    has_assessment = outcome.is_not_null() | pl.col(WEEK20_EXCEPTION) | has_plan
    return c.select(
        "person_no",
        "PersonBirthDate",
        pl.when(~neither & ~post16).then(upn(number)).alias("UPN"),
        pl.when(~neither & post16).then(pl.format("9{}", number.cast(pl.String).str.zfill(9)))
        .alias("UniqueLearnerNumber"),
        pl.when(neither).then(pl.lit("UN1")).alias("UPNunknown"),
        pl.col(RECEIVED_DATE).alias("ReceivedDate"),
        pl.col(REQUEST_OUTCOME_DATE).alias("RequestOutcomeDate"),
        pl.col(REQUEST_OUTCOME).fill_null("A").alias("RequestOutcome"),
        _flag(MEDIATION).alias("RequestMediation"),
        _flag(TRIBUNAL).alias("RequestTribunal"),
        has_assessment.alias("has_assessment"),
        pl.when(has_assessment).then(outcome.fill_null("A")).alias("AssessmentOutcome"),
        pl.when(outcome == "Y").then(pl.col(PLAN_ISSUED_DATE))
        .otherwise(pl.col(ASSESSMENT_OUTCOME_DATE)).alias("AssessmentOutcomeDate"),
        pl.when(has_assessment).then(pl.lit("0")).alias("AssessmentMediation"),
        pl.when(has_assessment).then(pl.lit("0")).alias("AssessmentTribunal"),
        pl.when(has_assessment).then(_flag(WEEK20_EXCEPTION)).alias("Week20"),
        has_plan.alias("has_plan"),
        plan_start.alias("StartDate"),
        pl.col(CEASE_DATE).alias("CeaseDate"),
        (pl.col(LAST_REVIEW_DATE).is_not_null() | pl.col(REVIEW_DECISION_DATE).is_not_null())
        .alias("has_active"),
        pl.col(LAST_REVIEW_DATE).alias("ReviewMeeting"),
        pl.col(REVIEW_DECISION_DATE).alias("LastReview"),
    )


def collection_year(cases: pl.DataFrame) -> int:
    """The return that would hold these cases: January after the latest request."""
    latest = cases[RECEIVED_DATE].max()
    return (latest.year if isinstance(latest, dt.date) else dt.date.today().year) + 1


def reference_date(year: int) -> dt.date:
    """The SEN2 census date: the third Thursday of January (16 January in 2025)."""
    first = dt.date(year, 1, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)


def _header(year: int) -> etree._Element:
    header = etree.Element("Header")
    details = etree.SubElement(header, "CollectionDetails")
    ref = reference_date(year).isoformat()
    for name, value in (("Collection", "SEN2"), ("Year", str(year)), ("ReferenceDate", ref)):
        etree.SubElement(details, name).text = value
    source = etree.SubElement(header, "Source")
    for name, value in (("SourceLevel", "L"), ("LEA", SYNTHETIC_LA),
                        ("SoftwareCode", "ehcp-timeliness synthetic"), ("Release", __version__),
                        ("SerialNo", "001"), ("DateTime", f"{ref}T00:00:00"),
                        ("DMO", "Y"), ("DCO", "Y")):
        etree.SubElement(source, name).text = value
    return header


def _add(parent: etree._Element, row: dict, items: tuple[str, ...]) -> None:
    for item in items:
        value = row[item]
        if value is not None:
            etree.SubElement(parent, item).text = (
                value.isoformat() if isinstance(value, dt.date) else str(value))


def _person(rows: list[dict]) -> etree._Element:
    person = etree.Element("Person")
    _add(person, rows[0], PERSON)
    for row in rows:
        request = etree.SubElement(person, "Requests")
        _add(request, row, REQUEST)
        if row["has_assessment"]:
            assessment = etree.SubElement(request, "Assessment")
            _add(assessment, row, ASSESSMENT)
            if row["has_plan"]:
                _add(etree.SubElement(assessment, "NamedPlan"), row, NAMED_PLAN)
        if row["has_active"]:
            _add(etree.SubElement(request, "ActivePlans"), row, ACTIVE_PLANS)
    return person


def write_sen2_xml(cases: pl.DataFrame, path: Path | BinaryIO) -> None:
    """Write `cases` as a SEN2 person-level XML Message, one Person at a time (lxml.xmlfile),
    so a large synthetic return is never held as one tree. PATH: a file, or an open binary
    handle (the CLI's atomic output stream).
    """
    frame = return_frame(cases)
    with etree.xmlfile(str(path) if isinstance(path, Path) else path, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write("\n")
            xf.write(_header(collection_year(cases)), pretty_print=True)
            with xf.element("Persons"):
                xf.write("\n")
                rows: list[dict] = []
                for row in frame.iter_rows(named=True):
                    if rows and row["person_no"] != rows[0]["person_no"]:
                        xf.write(_person(rows), pretty_print=True)
                        rows = []
                    rows.append(row)
                if rows:
                    xf.write(_person(rows), pretty_print=True)
            xf.write("\n")
