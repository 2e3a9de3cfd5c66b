"""Detect how a CSV export was encoded: UTF-8 (with or without BOM), UTF-16, or Windows-1252.

Case-management systems on Windows still export Windows-1252 ("£", "é", smart quotes); Excel's
"CSV UTF-8" adds a BOM. Users should never need an --encoding flag for these.
"""

from __future__ import annotations

import codecs
import re

_WIDE_HEAD = 4096


def unmarked_wide(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where its zero bytes fall: a
    header of Latin letters, digits and punctuation has, in UTF-16LE, every odd byte zero and
    every even one not; in UTF-32LE three zero bytes after each character; big-endian the
    other way round. Read as UTF-8 it would be text full of NULs, every header unrecognised.
    """
    head = head[:len(head) // 4 * 4]
    if len(head) < 8 or b"\0" not in head:
        return None
    lanes = [head[i::4] for i in range(4)]
    zero = [lane.count(0) / len(lane) for lane in lanes]
    if zero[0] < 0.1 and min(zero[1:]) > 0.9:
        return "utf-32-le"
    if zero[3] < 0.1 and min(zero[:3]) > 0.9:
        return "utf-32-be"
    even, odd = (zero[0] + zero[2]) / 2, (zero[1] + zero[3]) / 2
    if even < 0.1 and odd > 0.9:
        return "utf-16-le"
    if odd < 0.1 and even > 0.9:
        return "utf-16-be"
    return None


def marked_encoding(head: bytes) -> str | None:
    """The encoding the first block of a file says by a byte-order mark or by where its zero
    bytes fall (UTF-16, UTF-32), else None: UTF-8 or Windows-1252, which Utf8Check tells."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # UTF-32's marks first: the little-endian one begins with UTF-16's.
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return unmarked_wide(head[:_WIDE_HEAD])


class Utf8Check:
    """Whether a file's chunks, fed in order, are UTF-8 throughout (else it is read as
    Windows-1252): one pass, never holding the file."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._valid = True

    def feed(self, chunk: bytes) -> None:
        # Plain ASCII is UTF-8 and is checked far faster than it decodes; the decoder still
        # sees it when a multi-byte character was left open by the last chunk.
        if not self._valid or (chunk.isascii() and not self._decoder.getstate()[0]):
            return
        try:
            self._decoder.decode(chunk)
        except UnicodeDecodeError:
            self._valid = False

    def encoding(self) -> str:
        """'utf-8' or 'cp1252', once every chunk was fed."""
        if self._valid:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self._valid = False
        return "utf-8" if self._valid else "cp1252"


def encoding_of(data: bytes, complete: bool = True) -> str:
    """The encoding of bytes already in memory (a COLLECT table, a zip member, a file's
    start). COMPLETE False: DATA is the start of a file, so a character cut off at its end is
    no sign of Windows-1252."""
    if marked := marked_encoding(data):
        return marked
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def to_utf8(raw: bytes, encoding: str) -> bytes:
    """RAW, in ENCODING (the CSV reader's or encoding_of's), as UTF-8 without a BOM."""
    if encoding == "utf-8":
        return raw
    if encoding == "cp1252" and _UTF8_SEQUENCE.search(raw):
        # Mixed: UTF-8 text with Windows-1252 lines (exports joined from two systems, or a
        # UTF-8 file edited in a legacy editor). Read as Windows-1252 throughout, its UTF-8
        # accents would become two characters each (Café -> CafÃ©); instead only the bytes
        # that are not UTF-8 are read as Windows-1252. Pure Windows-1252 keeps the fast path.
        return raw.decode("utf-8", _CP1252_FALLBACK).encode("utf-8")
    # cp1252 leaves five bytes undefined; latin-1 maps them so no byte is ever lost.
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.encode("utf-8")


# A UTF-8 lead byte and its continuation: UTF-8 text in a file that is not all UTF-8 (in
# Windows-1252 text the pair would be mojibake such as "Ã©", which a real export rarely holds).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_CP1252_FALLBACK = "ehcp-timeliness-cp1252"
_CP1252_BYTES = [bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256)]


def _as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return "".join(_CP1252_BYTES[b] for b in exc.object[exc.start:exc.end]), exc.end


codecs.register_error(_CP1252_FALLBACK, _as_cp1252)
