"""Detect how a CSV export was encoded: UTF-8 (with or without BOM), UTF-16, or Windows-1252.

Case-management systems on Windows still export Windows-1252 ("£", "é", smart quotes); Excel's
"CSV UTF-8" adds a BOM. Users should never need an --encoding flag for these.
"""

from __future__ import annotations

import codecs
from pathlib import Path

_CHUNK = 1 << 20


def detect_encoding(path: Path) -> str:
    """Return a Python codec name: 'utf-8', 'utf-8-sig', 'utf-16' or 'cp1252'."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def decode_to_utf8(path: Path, encoding: str) -> bytes:
    """Re-encode a non-UTF-8 file as UTF-8 bytes in memory (no temporary copy of the data)."""
    raw = path.read_bytes()
    # cp1252 leaves five bytes undefined; latin-1 maps them so no byte is ever lost.
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.encode("utf-8")
