"""Every encoding the batch upload accepts, and the refusals when the request contradicts the file."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from app.batch.reader import inspect_file
from app.batch.rows import RejectedRow, RejectReason, ScreenableRow
from app.core.errors import InvalidQuery
from tests.batch.conftest import read_rows

ARABIC = "مصرف الهدى"
TEXT = f"record_id,name,country\r\nA1,{ARABIC},IQ\r\nA2,Jürgen Müller,DE\r\n"

ENCODED: list[tuple[str, bytes, str | None, str]] = [
    ("utf-8", TEXT.encode("utf-8"), None, "utf-8"),
    ("utf-8 with BOM", codecs.BOM_UTF8 + TEXT.encode("utf-8"), None, "utf-8"),
    ("utf-16 LE with BOM", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), None, "utf-16-le"),
    ("utf-16 BE with BOM", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), None, "utf-16-be"),
    ("utf-16 LE without BOM", TEXT.encode("utf-16-le"), None, "utf-16-le"),
    ("utf-16 requested", TEXT.encode("utf-16"), "utf-16", "utf-16-le"),
]


@pytest.mark.parametrize(("label", "data", "requested", "codec"), ENCODED, ids=[e[0] for e in ENCODED])
def test_unicode_encodings_keep_arabic_names_intact(
    write_file: Callable[[bytes], Path], label: str, data: bytes, requested: str | None, codec: str
) -> None:
    path = write_file(data)
    layout = inspect_file(path, encoding=requested)
    rows = read_rows(path, layout)
    assert layout.codec == codec
    assert [r.record_id for r in rows] == ["A1", "A2"]
    assert all(isinstance(r, ScreenableRow) for r in rows)
    assert rows[0].name == ARABIC
    assert rows[1].name == "Jürgen Müller"


def test_windows_1256_on_request_reads_arabic(write_file: Callable[[bytes], Path]) -> None:
    path = write_file(f"record_id;name\r\nB1;{ARABIC}\r\nB2;علي حسن\r\n".encode("cp1256"))
    rows = read_rows(path, encoding="windows-1256")
    assert [r.name for r in rows] == [ARABIC, "علي حسن"]


def test_windows_1252_on_request_reads_accents(write_file: Callable[[bytes], Path]) -> None:
    path = write_file("record_id,name\nC1,François Lefèvre\nC2,Zoë Ærø\n".encode("cp1252"))
    rows = read_rows(path, encoding="windows-1252")
    assert [r.name for r in rows] == ["François Lefèvre", "Zoë Ærø"]


def test_cp1252_undefined_byte_rejects_only_its_line(write_file: Callable[[bytes], Path]) -> None:
    path = write_file(b"record_id,name\nC1,Caf\xe9 Noir\nC2,Bad \x81 byte\nC3,Ok\n")
    rows = read_rows(path, encoding="cp1252")
    assert [type(r) for r in rows] == [ScreenableRow, RejectedRow, ScreenableRow]
    assert isinstance(rows[1], RejectedRow)
    assert rows[1].reason is RejectReason.UNDECODABLE


def test_undecodable_utf8_line_does_not_poison_the_rest(write_file: Callable[[bytes], Path]) -> None:
    path = write_file(b"record_id,name\nD1,Good\nD2,Latin-1 \xe9t\xe9\nD3,\xd8\xb9\xd9\x84\xd9\x8a\n")
    rows = read_rows(path)
    assert [type(r).__name__ for r in rows] == ["ScreenableRow", "RejectedRow", "ScreenableRow"]
    assert rows[1].record_id == "D2"  # still named so the user can find it
    assert rows[2].name == "علي"


def test_utf16_odd_trailing_byte_rejects_the_last_row(write_file: Callable[[bytes], Path]) -> None:
    data = codecs.BOM_UTF16_LE + "record_id,name\nE1,Ann\nE2,Bob".encode("utf-16-le") + b"\x00"
    rows = read_rows(write_file(data))
    assert isinstance(rows[0], ScreenableRow)
    assert isinstance(rows[1], RejectedRow)
    assert rows[1].reason is RejectReason.UNDECODABLE


def test_utf16_newline_bytes_at_odd_offset_do_not_split_a_line(write_file: Callable[[bytes], Path]) -> None:
    # U+0A0A then U+0100 encode as 0A 0A 00 01 in UTF-16-LE: "\n\x00" sits at an odd offset.
    name = "x\u0a0a\u0100y"
    data = codecs.BOM_UTF16_LE + f"record_id,name\nF1,{name}\nF2,Z\n".encode("utf-16-le")
    rows = read_rows(write_file(data))
    assert [r.name for r in rows] == [name, "Z"]


@pytest.mark.parametrize(("data", "requested", "problem"), [
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-8", "byte-order mark"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "windows-1256", "byte-order mark"),
    (TEXT.encode("utf-8"), "windows-1256", "reads as UTF-8"),
    (TEXT.encode("utf-8"), "utf-16", "does not look like UTF-16"),
    (TEXT.encode("utf-16-le"), "windows-1252", "looks like UTF-16"),
    (TEXT.encode("utf-8"), "ebcdic", "unsupported encoding"),
])
def test_wrong_requested_encoding_is_refused_with_a_reason(
    write_file: Callable[[bytes], Path], data: bytes, requested: str, problem: str
) -> None:
    with pytest.raises(InvalidQuery, match=problem):
        inspect_file(write_file(data), encoding=requested)
