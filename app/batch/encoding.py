"""Which text encoding an uploaded batch file uses, and how to cut its bytes into lines.

Lines are cut on bytes and decoded one by one, so a line with undecodable bytes is rejected on
its own and the lines after it still read. For UTF-16 the newline is two bytes and only counts
at an even offset, otherwise a character such as U+0A41 followed by U+0100 would look like one.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from app.core.errors import InvalidQuery

SAMPLE_BYTES = 64 * 1024
READ_BYTES = 1024 * 1024

# What callers may ask for, mapped to the Python codec we decode with.
ENCODING_NAMES: dict[str, str] = {
    "utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8",
    "utf-16": "utf-16", "utf16": "utf-16", "unicode": "utf-16",
    "utf-16-le": "utf-16-le", "utf-16le": "utf-16-le", "utf-16-be": "utf-16-be", "utf-16be": "utf-16-be",
    "windows-1256": "cp1256", "cp1256": "cp1256", "windows-1252": "cp1252", "cp1252": "cp1252",
}
SINGLE_BYTE = frozenset({"cp1256", "cp1252"})
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
NEWLINES: dict[str, bytes] = {"utf-16-le": b"\n\x00", "utf-16-be": b"\x00\n"}


@dataclass(frozen=True, slots=True)
class DetectedEncoding:
    codec: str  # utf-8, utf-16-le, utf-16-be, cp1256 or cp1252
    bom_length: int  # bytes of byte-order mark before the first line

    @property
    def newline(self) -> bytes:
        return NEWLINES.get(self.codec, b"\n")


def supported_encodings() -> list[str]:
    return sorted(ENCODING_NAMES)


def detect_encoding(sample: bytes, requested: str | None) -> DetectedEncoding:
    """The encoding of a file from its first bytes and what the caller asked for.

    A byte-order mark wins over guessing; a mark that contradicts the request is an error rather
    than a file of garbled rows, and so is a single-byte request for a file that reads as UTF-8.
    """
    wanted = _normalise(requested)
    for bom, codec in BOMS:
        if sample.startswith(bom):
            if wanted not in (None, codec) and not (wanted == "utf-16" and codec.startswith("utf-16")):
                raise InvalidQuery(f"the file starts with a {codec.upper()} byte-order mark but encoding "
                                   f"{requested!r} was requested; send encoding={codec} or leave it out")
            return DetectedEncoding(codec, len(bom))
    utf16 = _utf16_without_bom(sample)
    if wanted is None:
        return DetectedEncoding(utf16 or "utf-8", 0)
    if wanted.startswith("utf-16"):
        if utf16 is None:
            raise InvalidQuery(f"encoding {requested!r} was requested but the file does not look like UTF-16 "
                               "(no byte-order mark, no zero bytes between ASCII characters)")
        return DetectedEncoding(utf16 if wanted == "utf-16" else wanted, 0)
    if utf16 is not None:
        raise InvalidQuery(f"the file looks like UTF-16 but encoding {requested!r} was requested; "
                           "send encoding=utf-16 or leave it out")
    if wanted in SINGLE_BYTE and _reads_as_utf8(sample):
        raise InvalidQuery(f"the file reads as UTF-8 but encoding {requested!r} was requested, which would "
                           "garble its non-ASCII names; send encoding=utf-8 or leave it out")
    return DetectedEncoding(wanted, 0)


def _normalise(requested: str | None) -> str | None:
    if requested is None or not requested.strip():
        return None
    codec = ENCODING_NAMES.get(requested.strip().lower().replace("_", "-"))
    if codec is None:
        raise InvalidQuery(f"unsupported encoding {requested!r}; use one of: {', '.join(supported_encodings())}")
    return codec


def _utf16_without_bom(sample: bytes) -> str | None:
    # ASCII text in UTF-16 has a zero byte in every other position: odd ones for LE, even for BE.
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zeros, odd_zeros = sample[0:pairs * 2:2].count(0), sample[1:pairs * 2:2].count(0)
    if odd_zeros > pairs * 0.3 and even_zeros < pairs * 0.05:
        return "utf-16-le"
    if even_zeros > pairs * 0.3 and odd_zeros < pairs * 0.05:
        return "utf-16-be"
    return None


def _reads_as_utf8(sample: bytes) -> bool:
    if sample.isascii():
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut by the sample's end is not an error
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class RawLine:
    start: int  # byte offset of the line's first byte
    end: int  # byte offset just after its newline
    data: bytes  # the line's bytes without the newline


def iter_lines(stream: BinaryIO, encoding: DetectedEncoding, start: int, stop: int | None = None) -> Iterator[RawLine]:
    """The lines of a file from byte `start` (a line start), up to the line that reaches `stop`."""
    newline, unit = encoding.newline, len(encoding.newline)
    stream.seek(start)
    buffer, base = b"", start
    while stop is None or base < stop:
        chunk = stream.read(READ_BYTES)
        if not chunk:
            break
        buffer += chunk
        consumed = 0
        while True:
            cut = _find_newline(buffer, newline, unit, consumed)
            if cut < 0:
                break
            yield RawLine(base + consumed, base + cut + unit, buffer[consumed:cut])
            consumed = cut + unit
            if stop is not None and base + consumed >= stop:
                return
        buffer, base = buffer[consumed:], base + consumed
    if buffer and (stop is None or base < stop):
        yield RawLine(base, base + len(buffer), buffer)


def _find_newline(buffer: bytes, newline: bytes, unit: int, offset: int) -> int:
    cut = buffer.find(newline, offset)
    # Lines start at even offsets in UTF-16, so a newline found at an odd distance is two halves
    # of other characters; keep looking.
    while unit == 2 and cut >= 0 and (cut - offset) % 2:
        cut = buffer.find(newline, cut + 1)
    return cut


def decode_line(data: bytes, codec: str) -> tuple[str, bool]:
    """The line's text without a trailing CR, and whether it decoded cleanly."""
    try:
        text, clean = data.decode(codec), True
    except UnicodeDecodeError:
        text, clean = data.decode(codec, errors="replace"), False
    return (text[:-1] if text.endswith("\r") else text), clean
