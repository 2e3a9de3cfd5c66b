"""What the SEN2 XML and COLLECT readers share: the SEN2 items read for each request, the case_id
rule, and the one step that turns "one row per request, SEN2 item names" into canonical columns.

Both readers end in `to_raw_table`, so the same return gives the same case table whichever form
it came in. Values stay text as they were in the file: schema/ parses dates, codes and booleans and
reports the bad ones as row-level issues, exactly as for any other export.

case_id rule (docs/sen2.md): `<person key>-<ReceivedDate as YYYY-MM-DD>`, with `-2`, `-3`, …
added to the second and later requests that would otherwise share an id (same person, same
day). The person key is `u` + 10 hex digits of SHA-256 of the UPN, else `l` + the same of the
ULN, else `n` + the person's position in the return (1 = first Person). A UPN is personal data
and case ids are shown in every issue list, so the UPN itself is never part of the id; the digest
keeps the id stable from one return to the next (same child, same key) without showing it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from ehcp_timeliness.boolean_words import (
    BOOLEAN_FALSE_WORDS,
    BOOLEAN_TRUE_WORDS,
    boolean_key,
    boolean_key_expr,
)
from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    CASE_ID,
    CEASE_DATE,
    DATE_OF_BIRTH,
    LAST_REVIEW_DATE,
    MEDIATION,
    PERSON_ID,
    PLAN_START_DATE,
    RECEIVED_DATE,
    REQUEST_OUTCOME,
    REQUEST_OUTCOME_DATE,
    REVIEW_DECISION_DATE,
    TRIBUNAL,
    WEEK20_EXCEPTION,
)
from ehcp_timeliness.io.source import RawTable, numbered

# SEN2 items read, by module (names as in the XML; COLLECT uses the same names in lower case).
HEADER_ITEMS = ("LEA", "Year")
PERSON_ITEMS = ("PersonBirthDate", "UPN", "UniqueLearnerNumber")
REQUEST_ITEMS = ("ReceivedDate", "RequestSource", "RequestOutcomeDate", "RequestOutcome",
                 "RequestMediation", "RequestTribunal")
ASSESSMENT_ITEMS = ("AssessmentOutcome", "AssessmentOutcomeDate", "AssessmentMediation",
                    "AssessmentTribunal", "Week20")
NAMED_PLAN_ITEMS = ("StartDate", "CeaseDate", "CeaseReason")
ACTIVE_PLAN_ITEMS = ("TransferLA", "ReviewMeeting", "LastReview", "ReviewOutcome")
NEED_ITEMS = ("SENtype", "SENtypeRank")
ITEMS = (*HEADER_ITEMS, *PERSON_ITEMS, *REQUEST_ITEMS, *ASSESSMENT_ITEMS, *NAMED_PLAN_ITEMS,
         *ACTIVE_PLAN_ITEMS, "SENtype")

PERSON_KEY = "__person_key"
LINE = "sen2_line"   # where the request is in the source: XML line, or row of the requests table

# Pass-through columns. Their names must not be recognised as canonical by schema/headers.py
# (a test checks): `upn` or `start_date` would be taken for person_id / plan_start_date.
PASS_THROUGH: dict[str, str] = {
    "review_outcome": "ReviewOutcome",
    "cease_reason": "CeaseReason",
    "sen_type": "SENtype",
    "transfer_la": "TransferLA",
    "request_source": "RequestSource",
    "la_code": "LEA",
    "collection_year": "Year",
}

def person_key(upn: str | None, uln: str | None, position: int) -> str:
    """The person part of case_id (module docstring). One call per person, not per request."""
    for prefix, label, value in (("u", "UPN", upn), ("l", "ULN", uln)):
        value = (value or "").strip().upper()
        if value:
            digest = hashlib.sha256(f"{label}:{value}".encode()).hexdigest()
            return f"{prefix}{digest[:10]}"
    return f"n{position}"


def _text(name: str) -> pl.Expr:
    """The item as text, null when blank."""
    stripped = pl.col(name).str.strip_chars()
    return pl.when(stripped != "").then(stripped)


def _either(first: str, second: str) -> pl.Expr:
    """One flag from two (RequestX, AssessmentX): true when either is, by the data contract's
    boolean words (boolean_words.py, the ones the normaliser reads). The text kept is the file's:
    the first one that says yes, else the first that says anything but no, else the second.
    """
    def says(name: str, words: tuple[str, ...]) -> pl.Expr:
        return boolean_key_expr(pl.col(name).str.strip_chars()).is_in(
            [boolean_key(w) for w in words]).fill_null(False)

    first_no = pl.col(first).is_null() | (pl.col(first).str.strip_chars() == "") \
        | says(first, BOOLEAN_FALSE_WORDS)
    return (pl.when(says(first, BOOLEAN_TRUE_WORDS)).then(pl.col(first))
            .when(says(second, BOOLEAN_TRUE_WORDS) | first_no)
            .then(pl.coalesce(pl.col(second), pl.col(first)))
            .otherwise(pl.col(first)))


def _id_date(name: str) -> pl.Expr:
    """ReceivedDate for the id: ISO whether the file wrote 2024-09-28 or 2024-Sep-28 00:00:00,
    so the XML and the COLLECT export of one return give the same ids.
    """
    text = _text(name).str.replace(r"[ T]\d{1,2}:\d{2}(:\d{2})?$", "")
    iso = pl.coalesce(text.str.to_date("%Y-%m-%d", strict=False),
                      text.str.to_date("%Y-%b-%d", strict=False)).dt.strftime("%Y-%m-%d")
    return pl.coalesce(iso, text, pl.lit("undated"))


def case_id() -> pl.Expr:
    base = pl.concat_str(pl.col(PERSON_KEY), pl.lit("-"), _id_date("ReceivedDate"))
    nth = pl.int_range(1, pl.len() + 1).over(base)
    return pl.when(nth > 1).then(pl.concat_str(base, pl.lit("-"), nth.cast(pl.String))) \
        .otherwise(base)


def canonical_columns() -> dict[str, pl.Expr]:
    """Output header -> expression over the per-request frame, in output order."""
    return {
        CASE_ID: case_id(),
        PERSON_ID: pl.coalesce(_text("UPN"), _text("UniqueLearnerNumber")),
        DATE_OF_BIRTH: pl.col("PersonBirthDate"),
        RECEIVED_DATE: pl.col("ReceivedDate"),
        REQUEST_OUTCOME: pl.col("RequestOutcome"),
        REQUEST_OUTCOME_DATE: pl.col("RequestOutcomeDate"),
        ASSESSMENT_OUTCOME: pl.col("AssessmentOutcome"),
        # For outcome Y this is the plan issue date; schema/normalise.py derives plan_issued_date.
        ASSESSMENT_OUTCOME_DATE: pl.col("AssessmentOutcomeDate"),
        WEEK20_EXCEPTION: pl.col("Week20"),
        MEDIATION: _either("RequestMediation", "AssessmentMediation"),
        TRIBUNAL: _either("RequestTribunal", "AssessmentTribunal"),
        PLAN_START_DATE: pl.col("StartDate"),
        LAST_REVIEW_DATE: pl.col("ReviewMeeting"),
        REVIEW_DECISION_DATE: pl.col("LastReview"),
        CEASE_DATE: pl.col("CeaseDate"),
        **{name: pl.col(item) for name, item in PASS_THROUGH.items()},
        LINE: pl.col(LINE),
    }


def to_raw_table(requests: pl.DataFrame, path: Path, file_format: str,
                 details: dict[str, str], set_aside: pl.DataFrame | None = None) -> RawTable:
    """`requests`: one row per request in return order, with PERSON_KEY, LINE and any of ITEMS
    (missing items are taken as blank). Row numbers follow the requests: the first is row 2.
    SET_ASIDE: rows of the return that are no request (RawTable.set_aside).
    """
    missing = [pl.lit(None, pl.String).alias(i) for i in ITEMS if i not in requests.columns]
    frame = requests.with_columns(missing).with_columns(pl.col(LINE).cast(pl.String))
    columns = canonical_columns()
    out = frame.select(expr.cast(pl.String).alias(name) for name, expr in columns.items())
    return RawTable(numbered(out.lazy()), list(columns), path, file_format, details,
                    set_aside=set_aside)
