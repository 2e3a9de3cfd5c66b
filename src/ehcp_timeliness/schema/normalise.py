"""Turn the export's text columns into typed canonical columns, as lazy expressions.

After this step every canonical column exists (typed nulls where the export lacks it), so rules
never test for a column's presence; `present` records which ones the user supplied.

Each parsed column X also gets:
- `__has_X`: the cell held something (not blank): the checks need to tell blank from unreadable;
- `__raw_X`: the cell's trimmed text where it could not be read (else null), for the issue
  report to describe.

Each column is parsed once. The forms a sample of the column shows go first, commonest first,
each on the cells still unread (values.detect_date_formats; outcomes and yes/no words by a
look-up of their common spellings); then every form the data contract accepts, on the cells
still unread alone. So the result never depends on the sample, and a cell the sample did not
foresee costs only its own row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ehcp_timeliness.boolean_words import (
    DEFAULT_TRUE_REASONS,
)
from ehcp_timeliness.columns import (
    ASSESSMENT_OUTCOME,
    ASSESSMENT_OUTCOME_DATE,
    CANONICAL_COLUMNS,
    OUTCOME_CODE_TYPE,
    PHASE_TRANSFER_KIND,
    PHASE_TRANSFER_YEAR,
    PLAN_ISSUED_DATE,
    RECOMPUTED_OUTPUTS,
    CanonicalColumn,
    Kind,
    input_name,
)
from ehcp_timeliness.columns import column as exact_column
from ehcp_timeliness.schema.headers import HeaderMap
from ehcp_timeliness.schema.values import (
    WORD_FALSE,
    WORD_TRUE,
    blank_as_null,
    boolean_codes,
    boolean_reading,
    detect_date_formats,
    lookup,
    outcome_code,
    outcome_table,
    parse_transfer_kind,
    parse_transfer_year,
    plausible_date,
    read_date,
    without_time,
)

Frame = pl.DataFrame | pl.LazyFrame
BLANK_ROW = "__blank_row"
SAMPLE_ROWS = 5_000  # rows read ahead to learn each date column's forms
MOSTLY_DISTINCT = 0.2  # share of distinct sampled values above which dates are parsed uncached


def raw_name(canonical: str) -> str:
    """Internal column: the trimmed text of a cell that could not be read (else null)."""
    return f"__raw_{canonical}"


def has_name(canonical: str) -> str:
    """Internal column: the cell was not blank."""
    return f"__has_{canonical}"


@dataclass(frozen=True)
class ColumnForms:
    """How each column is parsed: the date forms seen in a sample, the outcome look-up."""

    date_formats: dict[str, tuple[str, ...]] = field(default_factory=dict)
    padded: frozenset[str] = frozenset()  # columns whose sampled cells had spaces round them
    # Date columns whose sampled cells are mostly different (dates of birth): Polars' cache of
    # converted values costs more than it saves there (about twice the parse time).
    uncached: frozenset[str] = frozenset()
    outcomes: dict[str, str] = field(default_factory=dict)  # common spellings -> SEN2 code
    outcome_codes: dict[str, str] = field(default_factory=dict)  # config [outcome_codes]
    booleans: dict[str, int] = field(default_factory=boolean_codes)  # common spellings
    true_words: tuple[str, ...] = DEFAULT_TRUE_REASONS  # config [booleans] true_words


@dataclass(frozen=True)
class Normalised:
    frame: Frame
    present: tuple[str, ...]       # canonical columns the export supplied, in canonical order
    passthrough: tuple[str, ...]   # other columns, under their own (possibly de-clashed) names
    input_columns: tuple[str, ...]  # what `cases` writes before its outputs, in file order
    plan_date_from_outcome: bool   # no plan_issued_date column: taken from AssessmentOutcomeDate
    forms: ColumnForms


def learn_forms(sample: pl.DataFrame, headers: HeaderMap, outcome_codes: dict[str, str],
                true_words: tuple[str, ...] = DEFAULT_TRUE_REASONS) -> ColumnForms:
    """Learn the date forms in use from the first rows (columns as read: columns.input_name)."""
    formats, padded, uncached = {}, set(), set()
    for column in CANONICAL_COLUMNS:
        header = headers.mapped.get(column.name)
        if header is None or column.kind is Kind.TEXT:
            continue
        text = sample[input_name(header)].cast(pl.String)
        if column.kind is Kind.DATE:
            # Each distinct cell once, with how often it is written: a column of request dates
            # repeats each day's, and the forms are then learnt in two thirds of the time.
            distinct = text.drop_nulls().value_counts(name="__cells")
            text, cells = distinct.get_column(text.name), distinct.get_column("__cells")
            formats[column.name] = detect_date_formats(text, cells)
            if distinct.height and distinct.height >= MOSTLY_DISTINCT * cells.sum():
                uncached.add(column.name)
        if (text != text.str.strip_chars()).any():
            padded.add(column.name)
    return ColumnForms(formats, frozenset(padded), frozenset(uncached),
                     outcome_table(outcome_codes), dict(outcome_codes),
                     boolean_codes(true_words), tuple(true_words))


# A canonical column the export lacks, by its kind: a yes/no column reads as no.
_ABSENT = {Kind.DATE: pl.lit(None, dtype=pl.Date), Kind.BOOLEAN: pl.lit(False),
           Kind.OUTCOME: pl.lit(None, dtype=OUTCOME_CODE_TYPE),
           Kind.TEXT: pl.lit(None, dtype=pl.String)}


def _value_name(canonical: str) -> str:
    return f"__value_{canonical}"


def _parse_stages(parsed: list[CanonicalColumn], forms: ColumnForms) -> list[list[pl.Expr]]:
    """`__value_X` of each parsed column, read with what the sample showed, in stages.

    A date column is read with its most common form first; each later form reads only the
    cells still unread (the others are null by then, which to_date skips), so a column costs
    about one full pass instead of one per form. Outcomes and yes/no words: one look-up of
    their common spellings. Cells are read untrimmed unless the sample showed padding: a
    padded cell the sample did not show is read by the closing parse (_read_values).
    """
    first: list[pl.Expr] = []
    later: list[list[pl.Expr]] = []
    for column in parsed:
        name, kind = column.name, column.kind
        text = pl.col(name)  # trimmed already where the sample showed padding (_trim)
        if kind is Kind.OUTCOME:
            first.append(lookup(text, forms.outcomes, OUTCOME_CODE_TYPE)
                         .alias(_value_name(name)))
        elif kind is Kind.BOOLEAN:  # a code: values.boolean_codes
            first.append(lookup(text, forms.booleans, pl.UInt8).alias(_value_name(name)))
        else:
            seen = forms.date_formats.get(name, ())
            if not seen:
                first.append(pl.lit(None, dtype=pl.Date).alias(_value_name(name)))
                continue
            cache = name not in forms.uncached
            first.append(text.str.to_date(seen[0], strict=False, cache=cache)
                         .alias(_value_name(name)))
            for depth, form in enumerate(seen[1:]):
                if len(later) <= depth:
                    later.append([])
                so_far = pl.col(_value_name(name))
                later[depth].append(so_far.fill_null(
                    pl.when(so_far.is_null()).then(text).str.to_date(form, strict=False,
                                                                     cache=cache))
                    .alias(_value_name(name)))
    return [first, *later]


def _trim(frame: Frame, columns: list[CanonicalColumn], forms: ColumnForms) -> Frame:
    """Trim, in a step of its own, the columns read as trimmed text: text (its values are
    compared whole) and any column whose sample showed padding. Polars evaluates a trim
    followed by a look-up in one expression several times slower than the two apart.
    """
    trimmed = [c.name for c in columns if c.kind is Kind.TEXT or c.name in forms.padded]
    return frame.with_columns(pl.col(name).str.strip_chars() for name in trimmed)


def _every_form(column: CanonicalColumn, text: pl.Expr, forms: ColumnForms) -> pl.Expr:
    """TEXT (trimmed, not blank; for dates, without a time of day) read with every form the
    data contract accepts: the typed value, or null where the text is no value."""
    if column.kind is Kind.DATE:
        return read_date(text)
    if column.kind is Kind.OUTCOME:
        return outcome_code(text, forms.outcome_codes)
    # TEXT not blank is a word, its code WORD_TRUE or WORD_FALSE (values.boolean_codes).
    read = pl.when(text.is_not_null()).then(boolean_reading(text, forms.true_words))
    return pl.when(read).then(pl.lit(WORD_TRUE, pl.UInt8)).when(~read).then(
        pl.lit(WORD_FALSE, pl.UInt8))


def _read_values(frame: Frame, parsed: list[CanonicalColumn], forms: ColumnForms) -> Frame:
    """Each parsed column X (text in, under its canonical name) becomes its typed value, with
    `__raw_X` and `__has_X` (module docstring).

    The closing parse reads `__raw_X`, null but for the cells still unread, so its result
    never depends on the sample, and its cost over a column of nulls is small beside the
    parse by the sample's forms. Blank is told by a look-up of the cell as it stands,
    trimming only the cells still unread: trimming every cell would cost more than the parse.
    """
    if not parsed:
        return frame
    for stage in _parse_stages(parsed, forms):
        frame = frame.with_columns(stage)
    value = {c.name: pl.col(_value_name(c.name)) for c in parsed}
    raw = {c.name: pl.col(raw_name(c.name)) for c in parsed}
    dates = [c for c in parsed if c.kind is Kind.DATE]
    # The sample's forms may read a date no export means (two-digit years read as 00xx).
    frame = frame.with_columns(plausible_date(value[c.name]).alias(_value_name(c.name))
                               for c in dates)
    # The cells still unread, trimmed: a padded blank (" ", " N/A ") turns out blank. Masked
    # by a test of nulls alone, not of blank-like words: where it holds nowhere in a batch
    # (every cell read, or empty) the column is all null, which Polars trims, tests and
    # parses below at no cost, as it does not a column masked cell by cell.
    frame = frame.with_columns(blank_as_null(
        pl.when(value[c.name].is_null() & pl.col(c.name).is_not_null()).then(pl.col(c.name))
        .str.strip_chars()).alias(raw_name(c.name)) for c in parsed)
    # The closing parse: every accepted form, on the cells still unread. A date's time of day
    # is dropped first, in a step of its own: inside the forms' coalesce Polars would drop it
    # again for each form tried.
    untimed = {c.name: f"__untimed_{c.name}" for c in dates}
    frame = frame.with_columns(without_time(raw[c.name]).alias(untimed[c.name]) for c in dates)
    frame = frame.with_columns(value[c.name].fill_null(_every_form(
        c, pl.col(untimed[c.name]) if c.kind is Kind.DATE else raw[c.name], forms))
        .alias(_value_name(c.name)) for c in parsed)
    # The text stays only where the cell is still unreadable: the issue report describes it.
    frame = frame.with_columns(pl.when(value[c.name].is_null()).then(raw[c.name])
                               .alias(raw_name(c.name)) for c in parsed)
    final: list[pl.Expr] = []
    for column in parsed:
        name = column.name
        if column.kind is Kind.BOOLEAN:
            # Text neither a yes nor a no word counts as false; unknown-boolean describes it.
            # The code's bit 0 is the value, bit 1 a word rather than a blank cell.
            final += [(value[name] % 2 == 1).fill_null(False).alias(name),
                      ((value[name] >= WORD_FALSE).fill_null(False) | raw[name].is_not_null())
                      .alias(has_name(name))]
            continue
        # The cell held something when it was read, or its text is still unread. A blank
        # outcome (both null) is A (awaiting); unknown text stays null, to be reported.
        read = value[name]
        if column.kind is Kind.OUTCOME:
            read = read.fill_null(pl.when(raw[name].is_null())
                                  .then(pl.lit("A", dtype=OUTCOME_CODE_TYPE)))
        final += [(value[name].is_not_null() | raw[name].is_not_null()).alias(has_name(name)),
                  read.alias(name)]
    working = [*(_value_name(c.name) for c in parsed), *untimed.values()]
    return frame.with_columns(final).drop(working)


def with_blank_row(frame: Frame, present: tuple[str, ...] | list[str],
                   passthrough: tuple[str, ...] | list[str]) -> Frame:
    """BLANK_ROW: every cell of the row blank, the export's canonical columns (after parsing)
    and the columns passed through.

    A passed-through cell is read only where the canonical cells are all blank, the rare row:
    elsewhere it is masked out first, and Polars trims a column of nulls at no cost, where
    trimming every cell to test it costs more than the rest of the test together."""
    blank_cells = [pl.col(c.name).is_null() if c.kind is Kind.TEXT else ~pl.col(has_name(c.name))
                   for c in CANONICAL_COLUMNS if c.name in present]
    blank = pl.col(BLANK_ROW)
    frame = frame.with_columns(
        (pl.all_horizontal(blank_cells) if blank_cells else pl.lit(True)).alias(BLANK_ROW))
    if not passthrough:
        return frame if blank_cells else frame.with_columns(pl.lit(False).alias(BLANK_ROW))
    # Passthrough names are export headers: selected exactly, never as patterns ("*").
    masked = [pl.when(blank).then(exact_column(c)) for c in passthrough]
    return frame.with_columns((blank & pl.all_horizontal(
        [cell.is_null() | (cell.str.strip_chars() == "") for cell in masked])).alias(BLANK_ROW))


# The phase-transfer text columns as read (values.parse_transfer_year/_kind), once per row for
# both the checks (what could not be read) and the rules (the deadline and its kind).
TRANSFER_YEAR_READ = "__transfer_year_read"   # Int32 calendar year, or null
TRANSFER_KIND_READ = "__transfer_kind_read"   # "school_phase", "post_16", or null


def with_transfer_read(frame: Frame) -> Frame:
    """Add TRANSFER_YEAR_READ and TRANSFER_KIND_READ from the phase-transfer columns, which must
    exist (normalise adds every canonical column)."""
    return frame.with_columns(
        parse_transfer_year(pl.col(PHASE_TRANSFER_YEAR)).alias(TRANSFER_YEAR_READ),
        parse_transfer_kind(pl.col(PHASE_TRANSFER_KIND)).alias(TRANSFER_KIND_READ))


def normalise(frame: Frame, file_headers: list[str], headers: HeaderMap,
              forms: ColumnForms) -> Normalised:
    """FRAME holds the export's columns as text, each named by columns.input_name (plus the
    row number); see module docstring. Passthrough columns keep those names: only outputs show
    the header again (columns.header_of)."""
    reserved = {c.name for c in CANONICAL_COLUMNS} | set(RECOMPUTED_OUTPUTS)
    renames: dict[str, str] = {}
    passthrough: list[str] = []
    dropped_outputs: list[str] = []
    for header in headers.passthrough(file_headers):
        if header in RECOMPUTED_OUTPUTS:
            # A previous `cases` output fed back in: derived columns are recomputed, not trusted.
            dropped_outputs.append(header)
            continue
        name = f"{header}_input" if header in reserved else input_name(header)
        renames[input_name(header)] = name
        passthrough.append(name)

    frame = frame.drop(map(input_name, dropped_outputs)).rename(
        {**{input_name(h): c for c, h in headers.mapped.items()}, **renames})
    present = tuple(c.name for c in CANONICAL_COLUMNS if c.name in headers.mapped)

    text_columns = [c for c in CANONICAL_COLUMNS if c.name in present]
    parsed = [c for c in text_columns if c.kind is not Kind.TEXT]
    frame = _trim(frame, text_columns, forms)
    frame = frame.with_columns(blank_as_null(pl.col(c.name)).alias(c.name)
                               for c in text_columns if c.kind is Kind.TEXT)
    frame = _read_values(frame, parsed, forms)
    frame = with_blank_row(frame, present, passthrough)
    frame = frame.with_columns(
        expr for col in CANONICAL_COLUMNS if col.name not in present
        for expr in (_ABSENT[col.kind].alias(col.name),
                     pl.lit(None, dtype=pl.String).alias(raw_name(col.name)),
                     pl.lit(False).alias(has_name(col.name))))
    if ASSESSMENT_OUTCOME_DATE in present:
        # SEN2: for outcome Y the AssessmentOutcomeDate *is* the plan issue date (rules.md §5).
        frame = frame.with_columns(pl.coalesce(PLAN_ISSUED_DATE, pl.when(
            pl.col(ASSESSMENT_OUTCOME) == "Y").then(pl.col(ASSESSMENT_OUTCOME_DATE))))
    frame = with_transfer_read(frame)

    by_header = {input_name(h): c for c, h in headers.mapped.items()} | renames
    input_columns = [by_header[input_name(h)] for h in file_headers
                     if input_name(h) in by_header]
    derive = ASSESSMENT_OUTCOME_DATE in present and PLAN_ISSUED_DATE not in present
    if derive:
        present = tuple(c.name for c in CANONICAL_COLUMNS
                        if c.name in headers.mapped or c.name == PLAN_ISSUED_DATE)
        at = input_columns.index(ASSESSMENT_OUTCOME_DATE) + 1
        input_columns.insert(at, PLAN_ISSUED_DATE)
    return Normalised(frame, present, tuple(passthrough), tuple(input_columns), derive, forms)
