"""Cut a stored upload into chunks of whole records, so workers can share, commit and resume it.

Planning reads the file once without screening it: it counts the rows exactly and records where
each chunk starts, so a chunk can be re-read from its byte offset after a crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from app.batch.reader import FileLayout, iter_records
from app.batch.rows import RejectedRow, ScreenableRow, validate_record
from app.core.errors import PayloadTooLarge


@dataclass(frozen=True, slots=True)
class ChunkPlan:
    chunk_no: int
    byte_start: int
    first_row: int
    first_line: int
    row_count: int


def plan_chunks(path: Path, layout: FileLayout, *, chunk_rows: int, max_rows: int) -> list[ChunkPlan]:
    """The file's chunks; PayloadTooLarge when it holds more than `max_rows` records."""
    return list(_iter_plan(path, layout, chunk_rows, max_rows))


def _iter_plan(path: Path, layout: FileLayout, chunk_rows: int, max_rows: int) -> Iterator[ChunkPlan]:
    chunk_no, count, start, first_row, first_line = 0, 0, 0, 0, 0
    with path.open("rb") as stream:
        for record in iter_records(stream, layout):
            if record.row_number > max_rows:
                raise PayloadTooLarge(f"the file has more than {max_rows:,} rows, the limit for one batch; split it")
            if count == chunk_rows:
                yield ChunkPlan(chunk_no, start, first_row, first_line, count)
                chunk_no, count = chunk_no + 1, 0
            if count == 0:
                start, first_row, first_line = record.start, record.row_number, record.line_number
            count += 1
    if count:
        yield ChunkPlan(chunk_no, start, first_row, first_line, count)


def read_chunk(path: Path, layout: FileLayout, chunk: ChunkPlan, *, max_field_length: int) -> list[ScreenableRow | RejectedRow]:
    """The chunk's rows, validated; the same rows every time it is read."""
    with path.open("rb") as stream:
        records = iter_records(stream, layout, start=chunk.byte_start, first_row=chunk.first_row,
                               first_line=chunk.first_line)
        rows = [validate_record(r, layout, max_field_length=max_field_length) for r in islice(records, chunk.row_count)]
    if len(rows) != chunk.row_count:
        raise RuntimeError(f"chunk {chunk.chunk_no} should hold {chunk.row_count} rows, read {len(rows)}: file changed?")
    return rows
