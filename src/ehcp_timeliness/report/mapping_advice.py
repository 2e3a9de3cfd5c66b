"""`validate`'s advice as config text to paste: a [columns] block with the evidence for each
line, and the [outcome_codes] and [booleans] lines for the words the tool does not read.

Plain text, TOML an analyst can paste: each line's evidence is a TOML comment after it.
"""

from __future__ import annotations

from ehcp_timeliness.columns import (
    BOOLEAN_COLUMNS,
    BY_NAME,
    OUTCOME_CODES,
    OUTCOME_COLUMNS,
    REQUIRED,
)
from ehcp_timeliness.pipeline import Inspection
from ehcp_timeliness.printable import printable
from ehcp_timeliness.schema.vocabulary import UnknownValue, guess_code


def _quoted(text: str) -> str:
    """TOML basic string."""
    return '"' + printable(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def columns_block(inspection: Inspection, complete: bool) -> list[str]:
    """The [columns] block: every column found or suggested (COMPLETE) or only the
    suggestions, each with its evidence; a required column with no candidate as a comment."""
    suggested = {s.canonical: s for s in inspection.suggestions}
    if not suggested and not complete:
        return []
    lines = ["[columns]"]
    for name, column in BY_NAME.items():
        if name in suggested:
            found = suggested[name]
            lines.append(f"{name} = {_quoted(found.header)}  # suggested: {found.why}")
        elif complete and name in inspection.mapped:
            lines.append(f"{name} = {_quoted(inspection.mapped[name])}  # recognised")
        elif complete and name in REQUIRED:
            lines.append(f'# {name} = "Your header"  # required, none found: {column.meaning}')
    title = ("Suggested [columns] block: paste it into your config file (--config) and check "
             "each line against what the column holds." if complete else
             "More columns the export seems to hold: add the lines you agree with to the "
             "[columns] section of your config file.")
    return [title, "", *lines, ""]


def _rows(count: int) -> str:
    return f"{count:,} row{'s' if count != 1 else ''}"


def vocabulary_block(unknown: list[UnknownValue], true_words: tuple[str, ...],
                     min_rows: int) -> list[str]:
    """The words of code columns the tool does not read: those in MIN_ROWS rows or more as
    the config lines that teach it them, rarer ones by shape."""
    if not unknown:
        return []
    lines = [f"Values the tool does not read in code columns: words in {min_rows} rows or "
             "more are shown ([privacy] min_rows_to_show_value), rarer values by shape.", ""]
    outcomes = [u for u in unknown if u.text is not None and u.canonical in OUTCOME_COLUMNS]
    if outcomes:
        lines.append("[outcome_codes]")
        for word in outcomes:
            assert word.text is not None
            code = guess_code(word.canonical, word.text)
            where = f"{word.canonical} ({printable(word.header)}), {_rows(word.rows)}"
            lines.append(f"{_quoted(word.text)} = \"{code}\"  # {where}; code guessed from "
                         "its words: check it" if code else
                         f"{_quoted(word.text)} = \"?\"  # {where}; write its code, one of "
                         f"{', '.join(OUTCOME_CODES)}")
    flags = [u for u in unknown if u.text is not None and u.canonical in BOOLEAN_COLUMNS]
    if flags:
        words = [*true_words, *dict.fromkeys(u.text for u in flags if u.text is not None)]
        where = "; ".join(f"{_quoted(u.text or '')} in {u.canonical} "
                          f"({printable(u.header)}), {_rows(u.rows)}" for u in flags)
        lines += [*([""] if outcomes else []), "[booleans]",
                  f"true_words = [{', '.join(map(_quoted, words))}]",
                  f"# only the words that mean yes: {where}; a word that means no "
                  "can stay unlisted (read as no, with a warning)"]
    others = [u for u in unknown if u.text is not None
              and u.canonical not in (*OUTCOME_COLUMNS, *BOOLEAN_COLUMNS)]
    rare = [u for u in unknown if u.text is None]
    if (others or rare) and (outcomes or flags):
        lines.append("")
    for value in others:
        lines.append(f"# {value.canonical} ({printable(value.header)}): "
                     f"{_quoted(value.text or '')} in {_rows(value.rows)}: not read; write "
                     "the kind as the data contract lists it (school phase, post-16)")
    for value in rare:
        lines.append(f"# {value.canonical} ({printable(value.header)}): {_rows(value.rows)} "
                     f"like {value.shape}, each in fewer than {min_rows} rows (not shown)")
    return [*lines, ""]
