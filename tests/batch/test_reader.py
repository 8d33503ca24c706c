"""Delimiters, headers, column mapping, quoting and resumable chunks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.batch.plan import plan_chunks, read_chunk
from app.batch.reader import inspect_file
from app.batch.rows import RejectedRow, RejectReason, ScreenableRow
from app.core.errors import InvalidQuery, PayloadTooLarge
from tests.batch.conftest import read_rows


@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_delimiter_is_detected_or_given(write_file: Callable[[bytes], Path], delimiter: str, name: str) -> None:
    path = write_file(f"record_id{delimiter}name{delimiter}dob\nR1{delimiter}Ann, Lee{delimiter}1970\n".encode())
    if delimiter == ",":
        path = write_file(b'record_id,name,dob\nR1,"Ann, Lee",1970\n')
    for given in (None, name):
        layout = inspect_file(path, delimiter=given)
        assert layout.delimiter == delimiter
        assert [r.name for r in read_rows(path, layout)] == ["Ann, Lee"]


def test_header_problems_are_named(write_file: Callable[[bytes], Path]) -> None:
    with pytest.raises(InvalidQuery, match="record_id is missing"):
        inspect_file(write_file(b"id,name\n1,x\n"))
    with pytest.raises(InvalidQuery, match="unknown column.*'nickname'"):
        inspect_file(write_file(b"record_id,name,nickname\n1,x,y\n"))
    with pytest.raises(InvalidQuery, match="given twice"):
        inspect_file(write_file(b"record_id,name,Name\n1,x,y\n"))
    with pytest.raises(InvalidQuery, match="empty"):
        inspect_file(write_file(b""))


def test_column_mapping_renames_and_ignores(write_file: Callable[[bytes], Path]) -> None:
    path = write_file(b"Customer No,Full Name,Notes,Date_Of_Birth\n7,Ann Lee,vip,1970-01\n")
    layout = inspect_file(path, mapping={"Customer No": "record_id", "Full Name": "name", "Notes": "ignore"})
    assert layout.columns == ("record_id", "name", None, "dob")
    row = read_rows(path, layout)[0]
    assert isinstance(row, ScreenableRow)
    assert row.record_id == "7"
    assert row.query.birth_date == "1970-01"


def test_quoted_field_may_span_lines_and_blank_lines_are_not_rows(write_file: Callable[[bytes], Path]) -> None:
    path = write_file(b'record_id,name\r\n1,"Ann\r\nLee"\r\n\r\n2,"O""Brien"\r\n3,Mc"Coy\r\n')
    rows = read_rows(path)
    assert [r.name for r in rows] == ["Ann Lee", 'O"Brien', 'Mc"Coy']  # names are whitespace-normalised
    assert [r.line_number for r in rows] == [2, 5, 6]


def test_stray_opening_quote_rejects_one_row_and_reading_goes_on(write_file: Callable[[bytes], Path]) -> None:
    body = "".join(f"{i},Name {i}\n" for i in range(2, 40))
    rows = read_rows(write_file(f'record_id,name\n1,"never closed\n{body}'.encode()))
    assert isinstance(rows[0], RejectedRow)
    assert rows[0].reason is RejectReason.UNBALANCED_QUOTES
    assert [r.record_id for r in rows[1:]] == [str(i) for i in range(2, 40)]


def test_chunks_resume_from_their_offsets_with_the_same_rows(write_file: Callable[[bytes], Path]) -> None:
    lines = "".join(f'{i},"Name\n{i}"\n' if i % 7 == 0 else f"{i},Name {i}\n" for i in range(1, 1001))
    path = write_file(("record_id,name\n" + lines).encode())
    layout = inspect_file(path)
    whole = read_rows(path, layout)
    chunks = plan_chunks(path, layout, chunk_rows=64, max_rows=5000)
    assert sum(c.row_count for c in chunks) == len(whole) == 1000
    pieced = [row for c in reversed(chunks) for row in read_chunk(path, layout, c, max_field_length=200)]
    assert sorted(pieced, key=lambda r: r.row_number) == whole


def test_row_limit_is_enforced_while_planning(write_file: Callable[[bytes], Path]) -> None:
    path = write_file(b"record_id,name\n" + b"".join(b"%d,N\n" % i for i in range(11)))
    with pytest.raises(PayloadTooLarge, match="more than 10 rows"):
        plan_chunks(path, inspect_file(path), chunk_rows=4, max_rows=10)
