"""Screen a CSV file from the command line, without the server or the job tables.

The same reader, row validation, runner and result writers as the HTTP batch, in one process:
`exposure screen --file customers.csv --out results.csv`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.batch.options import BatchOptions, check_lists, screening_context
from app.batch.reader import FileLayout, RawRecord, inspect_file, iter_records
from app.batch.results import RowResult, format_for_path, write_results
from app.batch.rows import RejectedRow, ScreenableRow, validate_record
from app.batch.runner import chunked, screen_chunk

if TYPE_CHECKING:
    from app.runtime import Runtime

# Called after each chunk with (bytes read, file size in bytes).
ProgressCallback = Callable[[int, int], None]
CHUNK_ROWS = 1000


@dataclass(frozen=True, slots=True)
class BatchSummary:
    rows_read: int
    screened: int
    rejected: int
    matched: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0


# Called with each chunk's results after they are written (the CLI records them in the audit trail).
ChunkCallback = Callable[[list[RowResult]], None]


def screen_file(
    runtime: Runtime, in_path: Path, out_path: Path, *, options: BatchOptions,
    progress: ProgressCallback | None = None, on_chunk: ChunkCallback | None = None,
) -> BatchSummary:
    """Screen every row of `in_path` and write one result per row to `out_path` (.csv or .jsonl)."""
    started = time.perf_counter()
    check_lists(options, runtime)
    layout = inspect_file(in_path, encoding=options.encoding, delimiter=options.delimiter, mapping=options.columns)
    total_bytes = in_path.stat().st_size
    fmt = format_for_path(out_path.name)
    counts = {"rows": 0, "screened": 0, "rejected": 0, "matched": 0}
    position = _Position(layout.data_start)
    with in_path.open("rb") as stream, out_path.open("w", encoding="utf-8", newline="") as out:
        rows = _validated(position.track(iter_records(stream, layout)), layout, runtime.settings.batch_max_field_length)
        first = True
        for chunk in chunked(rows, CHUNK_ROWS):
            results = screen_chunk(chunk, screening_context(runtime, options))
            write_results(results, out, fmt, header=first)
            if on_chunk is not None:
                on_chunk(results)
            first = False
            counts["rows"] += len(results)
            counts["screened"] += sum(r.status == "screened" for r in results)
            counts["matched"] += sum(r.matched for r in results)
            if progress is not None:
                progress(position.offset, total_bytes)
        if first:
            write_results([], out, fmt)  # an empty input still gets a header
    counts["rejected"] = counts["rows"] - counts["screened"]
    return BatchSummary(counts["rows"], counts["screened"], counts["rejected"], counts["matched"],
                        time.perf_counter() - started)


def _validated(records: Iterator[RawRecord], layout: FileLayout, max_field_length: int) -> Iterator[ScreenableRow | RejectedRow]:
    for record in records:
        yield validate_record(record, layout, max_field_length=max_field_length)


class _Position:
    """Remembers how far into the file the reader has got, for the progress bar."""

    def __init__(self, offset: int) -> None:
        self.offset = offset

    def track(self, records: Iterator[RawRecord]) -> Iterator[RawRecord]:
        for record in records:
            self.offset = record.end
            yield record
