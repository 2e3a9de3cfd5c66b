"""Text from an export, a config or a path, made safe to show on a terminal.

A cell or header can hold control characters: an escape sequence (ESC, or the one-byte CSI
U+009B) recolours, moves the cursor, retitles or clears the terminal, and can hide or fake
lines of output; bidirectional overrides reorder what is shown. Every renderer (Rich tables,
footers, titles) and every message printed passes its text from outside through `printable`,
which shows each such character as an escape (`\\x1b`, `\\u202e`) instead of sending it.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, line/paragraph separators and the bidirectional formatting marks.
_CONTROLS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_ANY = re.compile(f"[{_CONTROLS}]")
_ANY_BUT_NEWLINE = re.compile(f"(?!\n)[{_CONTROLS}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep_newlines: bool = False) -> str:
    """TEXT with every control character escaped; KEEP_NEWLINES for a message whose own
    lines are meant (a header inside it is escaped whole by its builder first)."""
    return (_ANY_BUT_NEWLINE if keep_newlines else _ANY).sub(_escape, text)
