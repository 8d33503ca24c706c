"""One result per input row, and its CSV and JSON Lines renderings.

Screened and rejected rows share one shape so the full report reconciles with the input
(records in = screened + rejected, R24) and the exception report is just a filter of it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import TextIO

from app.screening.outcome import ListVersion

RENDER_BATCH = 500


class ResultFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"

    @property
    def media_type(self) -> str:
        return "text/csv; charset=utf-8" if self is ResultFormat.CSV else "application/x-ndjson"


class ResultFilter(StrEnum):
    ALL = "all"
    MATCHES = "matches"  # the exception report: rows with a list match or a decision other than clear
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class RowResult:
    row_number: int
    line_number: int
    record_id: str
    name: str
    status: str  # screened | rejected
    decision: str | None = None  # clear | review | block, for screened rows
    matched: bool = False
    best_score: float | None = None
    list_id: str | None = None
    entity_id: str | None = None
    matched_name: str | None = None
    triggered_rules: tuple[str, ...] = ()
    reason: str | None = None  # for rejected rows: missing_name, bad_date, ...
    detail: str | None = None
    list_versions: str = ""  # "list@version:hash" separated by spaces
    ruleset_version: str | None = None
    # What the audit trail keeps of a screened row (request, versions, matches with explanations,
    # rules, decision); written with the chunk, never part of the downloadable results.
    audit_payload: dict[str, object] | None = field(default=None, compare=False, repr=False)

    def to_json_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("audit_payload")
        data["triggered_rules"] = list(self.triggered_rules)
        return data

    def to_csv_row(self) -> list[object]:
        row = [getattr(self, name) for name in COLUMNS]
        row[_TRIGGERED_AT] = " ".join(self.triggered_rules)
        row[_MATCHED_AT] = "yes" if self.matched else "no"
        return ["" if value is None else value for value in row]


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(RowResult) if f.name != "audit_payload")
_TRIGGERED_AT, _MATCHED_AT = COLUMNS.index("triggered_rules"), COLUMNS.index("matched")


def format_versions(versions: Sequence[ListVersion]) -> str:
    """Compact provenance for a result row: which version (and content) of each list was used."""
    return " ".join(f"{v.list_id}@{v.version}:{v.content_hash[:12]}" for v in versions)


def render(results: Iterable[RowResult], fmt: ResultFormat, *, header: bool = True) -> Iterator[str]:
    """The results as text pieces of a few hundred rows each, for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if fmt is ResultFormat.CSV and header:
        # The byte-order mark makes Excel read the file as UTF-8, so Arabic names survive.
        buffer.write("\ufeff")
        writer.writerow(COLUMNS)
    count = 0
    for result in results:
        if fmt is ResultFormat.CSV:
            writer.writerow(result.to_csv_row())
        else:
            buffer.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")
        count += 1
        if count % RENDER_BATCH == 0:
            yield _drain(buffer)
    if buffer.tell():
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_results(results: Iterable[RowResult], out: TextIO, fmt: ResultFormat, *, header: bool = True) -> None:
    for piece in render(results, fmt, header=header):
        out.write(piece)


def format_for_path(name: str) -> ResultFormat:
    """JSON Lines for .jsonl/.ndjson files, CSV otherwise."""
    return ResultFormat.JSONL if name.lower().endswith((".jsonl", ".ndjson")) else ResultFormat.CSV
