"""Which header of an unfamiliar export is likely which canonical column, by what it means.

Not by string likeness: "Requested By" looks like "request id" but holds the referral source,
and "Request No" looks like nothing the tool knows but is the id. A header is judged by its
words (an id ends in No, Ref, ID, Number; "Reference" alone is one), against the words of the
column's known names, and by its values: a date column holds dates, an id's values are all
different, a code column holds a handful of words. Each suggestion carries that evidence, in
header words and value shapes (cell_shape.py), never a value's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from ehcp_timeliness.columns import (
    BOOLEAN_COLUMNS,
    BY_NAME,
    CANONICAL_COLUMNS,
    CASE_ID,
    OUTCOME_COLUMNS,
    PERSON_ID,
    PHASE_TRANSFER_KIND,
    PHASE_TRANSFER_YEAR,
    Kind,
)
from ehcp_timeliness.schema.cell_shape import LOOKS_LIKE_A_DATE, cell_kind, cell_shape
from ehcp_timeliness.schema.vocabulary import CODE_COLUMNS, code_read, guess_code

# Words that end an id's header ("Request No", "Case Ref", "Child ID").
ID_WORDS = frozenset({"no", "number", "num", "ref", "reference", "id", "identifier", "code"})
# Words that say whose id it is: a child's is person_id, never the request's.
PERSON_WORDS = frozenset({"child", "person", "pupil", "client", "young", "upn", "mosaic",
                          "student", "learner"})
# Words too common in headers to say which column: "Date of ...", "EHCP ...".
_NOISE = frozenset({"date", "of", "the", "on", "for", "to", "by", "a", "an", "in", "ehc", "ehcp",
                    "la", "dt", "flag", "yn", "is", "was", "has", "and", "or", "s"})
# An id's values are (nearly) all different; values that repeat widely are a category.
UNIQUE_SHARE = 0.95
DATE_SHARE = 0.8         # of the non-blank values that look like dates, for a date column
CODE_DISTINCT = 30       # a code column holds at most this many different values
CODE_READ_SHARE = 0.5    # of those, the share the column's reading (or a guess) must read
_SHAPES_SHOWN = 2


def header_words(header: str) -> list[str]:
    """The words of a header, lower case: `RequestNo` and `Request No.` are request, no."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def _meaning(words: list[str]) -> set[str]:
    return {_stem(w) for w in words if w not in _NOISE and w not in ID_WORDS}


def _stem(word: str) -> str:
    """received/receipt/receive -> receiv; issued/issue -> issu: enough to match names."""
    for ending in ("ed", "ing", "ion", "ment", "s", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


_COLUMN_WORDS: dict[str, list[set[str]]] = {
    c.name: [_meaning(header_words(n)) for n in (c.name, *c.synonyms)] for c in CANONICAL_COLUMNS
}


def _shared(words: list[str], canonical: str) -> float:
    """How much of one of CANONICAL's known names the header's words say (0 to 1), plus a
    little for each word shared: "Request Received On" says more than "Requested By"."""
    meaning = _meaning(words)
    return max((len(meaning & names) / len(names) + 0.05 * len(meaning & names)
                for names in _COLUMN_WORDS[canonical] if names), default=0.0)


@dataclass(frozen=True)
class Evidence:
    """What a sample of one column's values looks like: shapes only."""

    values: int          # non-blank values in the sample
    distinct: int
    date_share: float    # of the non-blank values, those that look like dates
    shapes: tuple[str, ...]  # the most common shapes
    # Of the different values (when few), the share each kind of code column would read.
    code_share: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        if not self.values:
            return "no values in the first rows"
        shapes = "; ".join(self.shapes)
        if self.date_share >= DATE_SHARE:
            return f"{self.date_share:.0%} of values look like dates ({shapes})"
        return (f"{self.distinct:,} different value{'s' if self.distinct != 1 else ''} in "
                f"{self.values:,} ({shapes})")


def column_evidence(sample: pl.DataFrame) -> dict[str, Evidence]:
    """Evidence for each column of SAMPLE (every column text), from one pass per column."""
    found = {}
    for index, name in enumerate(sample.columns):
        # By position: a header like `^Team$` is a name, never a pattern.
        values = sample.to_series(index).alias("v").str.strip_chars()
        values = values.filter(values.is_not_null() & (values != ""))
        frame = values.to_frame("v")
        kinds = frame.select(cell_kind(pl.col("v")).alias("k"))["k"]
        shapes = (frame.select(cell_shape(pl.col("v")).alias("s"))["s"].value_counts(sort=True)
                  ["s"].head(_SHAPES_SHOWN).to_list())
        distinct = values.unique()
        found[name] = Evidence(values.len(), distinct.len(),
                               (kinds == LOOKS_LIKE_A_DATE).sum() / max(values.len(), 1),
                               tuple(shapes),
                               _code_shares(distinct) if distinct.len() <= CODE_DISTINCT else {})
    return found


def _code_shares(distinct: pl.Series) -> dict[str, float]:
    """For each code column, the share of DISTINCT values it reads or whose words suggest
    its code (vocabulary.guess_code): "Parent", "School" are no outcome, "NTI" is."""
    frame, values = distinct.to_frame("v"), distinct.to_list()
    shares = {}
    for canonical in CODE_COLUMNS:
        read = frame.select(code_read(canonical, pl.col("v")).is_not_null().alias("r"))["r"]
        guessed = [r or guess_code(canonical, v) is not None
                   for r, v in zip(read, values, strict=True)]
        shares[canonical] = sum(guessed) / max(len(guessed), 1)
    return shares


@dataclass(frozen=True)
class Suggestion:
    canonical: str
    header: str
    why: str    # header words and value shapes


def _is_id_header(words: list[str]) -> bool:
    return bool(words) and (words[-1] in ID_WORDS or words == ["reference"])


def _score(canonical: str, header: str, evidence: Evidence) -> tuple[float, str] | None:
    """How well HEADER fits CANONICAL, and why; None when its values rule it out."""
    words = header_words(header)
    shared = _shared(words, canonical)
    matched = sorted({w for w in words if _stem(w) in set().union(*_COLUMN_WORDS[canonical])})
    said = f"header words {', '.join(matched)}" if matched else ""
    if BY_NAME[canonical].kind is Kind.DATE:
        if evidence.date_share < DATE_SHARE or shared == 0:
            return None
        return shared + 1.0, said
    if canonical in (CASE_ID, PERSON_ID):
        if not _is_id_header(words) or evidence.date_share >= DATE_SHARE:
            return None
        whose = bool(set(words) & PERSON_WORDS)
        if canonical == CASE_ID and (whose or evidence.distinct < UNIQUE_SHARE * evidence.values):
            return None  # a child's id, or values that repeat: not one id a request
        if canonical == PERSON_ID and not whose:
            return None
        id_word = f'header ends "{words[-1]}" (an id)'
        unique = ", values all different" if canonical == CASE_ID else ""
        return 1.0 + shared, id_word + unique + (f"; {said}" if said else "")
    if canonical in (*OUTCOME_COLUMNS, *BOOLEAN_COLUMNS, PHASE_TRANSFER_KIND):
        if evidence.distinct > CODE_DISTINCT or evidence.date_share >= DATE_SHARE or shared == 0:
            return None
        if canonical == PHASE_TRANSFER_KIND and not {"transfer", "transition"} & set(words):
            return None  # "School Phase" is the phase a child is in, not a transfer
        read = evidence.code_share.get(canonical, 0.0)
        if read < CODE_READ_SHARE:
            return None  # "Requested By": Parent, School are no outcome
        return shared + read, f"{said}; {read:.0%} of its different values read as codes"
    if canonical == PHASE_TRANSFER_YEAR and {"transfer", "transition"} & set(words):
        return shared, said
    return None


def likely_by_words(canonical: str, headers: list[str], used: set[str]) -> str | None:
    """The unused header whose words best say CANONICAL, judged without its values (a
    message that has only the headers); None when none says it. An id needs an id's header
    ("… No", "… Ref", "… ID"), a child's for person_id and not for case_id."""
    best: tuple[float, str] | None = None
    for header in headers:
        if header in used:
            continue
        words = header_words(header)
        shared = _shared(words, canonical)
        if canonical in (CASE_ID, PERSON_ID):
            whose = bool(set(words) & PERSON_WORDS)
            if not _is_id_header(words) or whose != (canonical == PERSON_ID):
                continue
            shared += 1.0
        elif _is_id_header(words):
            continue  # "Request No" holds no date and no outcome
        if shared > 0 and (best is None or shared > best[0]):
            best = (shared, header)
    return best[1] if best else None


def suggest_columns(headers: list[str], evidence: dict[str, Evidence],
                    mapped: dict[str, str]) -> list[Suggestion]:
    """For each canonical column not in MAPPED, the unused header that fits it best (by
    _score), each header used once, best fits first; in canonical order."""
    used = set(mapped.values())
    pairs = []
    for column in CANONICAL_COLUMNS:
        if column.name in mapped:
            continue
        for header in headers:
            if header in used or header not in evidence:
                continue
            scored = _score(column.name, header, evidence[header])
            if scored is not None:
                pairs.append((scored[0], column.name, header, scored[1]))
    chosen: dict[str, Suggestion] = {}
    taken: set[str] = set()
    for _fit, canonical, header, said in sorted(pairs, key=lambda p: -p[0]):
        if canonical in chosen or header in taken:
            continue
        why = "; ".join(p for p in (said, evidence[header].describe()) if p)
        chosen[canonical] = Suggestion(canonical, header, why)
        taken.add(header)
    return [chosen[c.name] for c in CANONICAL_COLUMNS if c.name in chosen]
