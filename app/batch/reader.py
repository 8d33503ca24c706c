"""Read an uploaded batch file as a stream of records, never holding the file in memory.

`inspect_file` settles the file's layout once (encoding, delimiter, which column is what) and
fails with a clear InvalidQuery when the file as a whole cannot be read. `iter_records` then
yields one RawRecord per CSV record from any record boundary, so a job can resume mid-file.
A record is usually one line; a quoted field may carry it over several lines.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from app.batch.encoding import (
    SAMPLE_BYTES,
    DetectedEncoding,
    RawLine,
    decode_line,
    detect_encoding,
    iter_lines,
)
from app.batch.template import ALIASES, COLUMNS, IGNORE, REQUIRED, SCREENABLE
from app.core.errors import InvalidQuery

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": ",", "comma": ",", ";": ";", "semicolon": ";", "\t": "\t", "tab": "\t", "\\t": "\t"}
# A quoted field left open longer than this is a stray quote, not a multi-line value; only its
# first line is rejected and reading goes on from the next line.
MAX_RECORD_LINES = 20


@dataclass(frozen=True, slots=True)
class FileLayout:
    """How to read one stored upload; kept with the job so every worker reads it the same way."""

    codec: str
    delimiter: str
    columns: tuple[str | None, ...]  # our column name per file column; None = ignored
    data_start: int  # byte offset of the line after the header
    first_line: int  # line number of that line (1-based, counting the header)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> FileLayout:
        columns = data["columns"]
        assert isinstance(columns, list | tuple)
        return cls(codec=str(data["codec"]), delimiter=str(data["delimiter"]), columns=tuple(columns),
                   data_start=int(str(data["data_start"])), first_line=int(str(data["first_line"])))


@dataclass(frozen=True, slots=True)
class RawRecord:
    row_number: int  # 1-based among data records (the header and blank lines are not rows)
    line_number: int  # the file line it starts on, for people fixing the file
    start: int  # byte offset of its first line
    end: int  # byte offset just after its last line
    fields: tuple[str, ...]
    decoded: bool  # False: some bytes were not valid in the encoding (fields hold U+FFFD there)
    unbalanced: bool = False  # a quote opened and never closed


def inspect_file(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> FileLayout:
    """Settle encoding, delimiter and columns from the file's start, or say what is wrong with it."""
    with path.open("rb") as stream:
        detected = detect_encoding(stream.read(SAMPLE_BYTES), encoding)
        header = next(iter_lines(stream, detected, detected.bom_length), None)
    if header is None or not header.data.strip(b"\x00\r\n\t ,;"):
        raise InvalidQuery("the file is empty: expected a header line starting with record_id")
    text, clean = decode_line(header.data, detected.codec)
    if not clean:
        raise InvalidQuery(f"the header line is not valid {detected.codec}; give the file's encoding")
    text = text.lstrip("\ufeff")
    chosen = _delimiter(text, delimiter, mapping or {})
    columns = map_columns(next(csv.reader([text], delimiter=chosen)), mapping or {})
    return FileLayout(detected.codec, chosen, columns, data_start=header.end, first_line=2)


def _delimiter(header: str, requested: str | None, mapping: Mapping[str, str]) -> str:
    if requested:
        if requested.lower() not in DELIMITER_NAMES:
            raise InvalidQuery(f"unsupported delimiter {requested!r}; use comma, semicolon or tab")
        return DELIMITER_NAMES[requested.lower()]
    # The delimiter is the one that splits the header into a record_id column; ties go to the
    # one that splits it most.
    ranked = sorted(DELIMITERS, key=header.count, reverse=True)
    for candidate in ranked:
        names = {_canonical(h, mapping) for h in next(csv.reader([header], delimiter=candidate))}
        if REQUIRED in names:
            return candidate
    return ranked[0]


def map_columns(headers: list[str], mapping: Mapping[str, str]) -> tuple[str | None, ...]:
    """Our column name for each header, or an InvalidQuery naming every problem with the header."""
    columns = [_canonical(h, mapping) for h in headers]
    unknown = [h for h, c in zip(headers, columns, strict=True) if c is not None and c not in COLUMNS]
    seen: set[str] = set()
    duplicates = sorted({c for c in columns if c is not None and (c in seen or seen.add(c))})  # type: ignore[func-returns-value]
    problems = []
    if REQUIRED not in columns:
        problems.append(f"the required column {REQUIRED} is missing")
    if not any(c in SCREENABLE for c in columns):
        problems.append(f"no column to screen: give one of {', '.join(SCREENABLE)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(map(repr, unknown))}: rename them, or map them with "
                        f"the columns option (e.g. {{\"{unknown[0]}\": \"name\"}} or \"{IGNORE}\")")
    if duplicates:
        problems.append(f"column(s) given twice: {', '.join(duplicates)}")
    if problems:
        raise InvalidQuery(f"header {headers!r}: " + "; ".join(problems) + f". Recognised columns: {', '.join(COLUMNS)}")
    return tuple(columns)


def _canonical(header: str, mapping: Mapping[str, str]) -> str | None:
    cleaned = header.strip().lstrip("\ufeff").strip()
    target = mapping.get(cleaned) or mapping.get(cleaned.lower())
    name = (target or cleaned).strip().lower().replace(" ", "_").replace("-", "_")
    if name == IGNORE:
        return None
    return ALIASES.get(name, name)


def iter_records(
    stream: BinaryIO, layout: FileLayout, *, start: int | None = None, first_row: int = 1,
    first_line: int | None = None,
) -> Iterator[RawRecord]:
    """Records from byte `start` (a record boundary; default: the first data line) to the end."""
    begin = layout.data_start if start is None else start
    line_no = layout.first_line if first_line is None else first_line
    encoding = DetectedEncoding(layout.codec, 0)
    numbered = ((line_no + i, line) for i, line in enumerate(iter_lines(stream, encoding, begin)))
    assembler = _RecordAssembler(layout, numbered)
    for row_number, record in enumerate(assembler, start=first_row):
        yield _renumbered(record, row_number)


def _renumbered(record: RawRecord, row_number: int) -> RawRecord:
    return RawRecord(row_number, record.line_number, record.start, record.end, record.fields, record.decoded,
                     record.unbalanced)


@dataclass(slots=True)
class _Line:
    number: int
    raw: RawLine
    text: str
    clean: bool


class _RecordAssembler:
    """Joins lines into records, following quotes the way the csv module does."""

    def __init__(self, layout: FileLayout, lines: Iterator[tuple[int, RawLine]]) -> None:
        self.codec, self.delimiter = layout.codec, layout.delimiter
        self.lines = lines
        self.replay: deque[_Line] = deque()

    def __iter__(self) -> Iterator[RawRecord]:
        pending: list[_Line] = []
        inside = False
        while True:
            line = self._next_line()
            if line is None:
                if not pending:
                    return
                yield self._unbalanced(pending)  # the file ended inside a quoted field
                pending, inside = [], False
                continue
            if not pending:
                if not line.text:
                    continue  # a blank line is not a record
                if '"' not in line.text:  # the common case: one line, no quoting
                    yield self._record([line], tuple(line.text.split(self.delimiter)))
                    continue
            pending.append(line)
            inside = ends_inside_quotes(line.text, self.delimiter, inside)
            if not inside:
                yield self._parsed(pending)
                pending = []
            elif len(pending) > MAX_RECORD_LINES:
                yield self._unbalanced(pending)
                pending, inside = [], False

    def _next_line(self) -> _Line | None:
        if self.replay:
            return self.replay.popleft()
        item = next(self.lines, None)
        if item is None:
            return None
        number, raw = item
        text, clean = decode_line(raw.data, self.codec)
        return _Line(number, raw, text, clean)

    def _unbalanced(self, pending: list[_Line]) -> RawRecord:
        # Reject the line that opened the quote; the lines it swallowed are read again on their own.
        self.replay.extendleft(reversed(pending[1:]))
        first = pending[0]
        return RawRecord(0, first.number, first.raw.start, first.raw.end, (first.text,), first.clean, True)

    def _parsed(self, lines: list[_Line]) -> RawRecord:
        texts = [line.text + "\n" for line in lines[:-1]] + [lines[-1].text]
        try:
            fields = tuple(next(csv.reader(texts, delimiter=self.delimiter, strict=False), []))
        except csv.Error:
            return RawRecord(0, lines[0].number, lines[0].raw.start, lines[-1].raw.end, tuple(texts), False, True)
        return self._record(lines, fields)

    @staticmethod
    def _record(lines: list[_Line], fields: tuple[str, ...]) -> RawRecord:
        clean = all(line.clean for line in lines)
        return RawRecord(0, lines[0].number, lines[0].raw.start, lines[-1].raw.end, fields, clean)


def ends_inside_quotes(text: str, delimiter: str, inside: bool) -> bool:
    """Whether a quoted field is still open at the end of this line.

    As in the csv module, a quote opens a field only at the field's start, `""` inside a quoted
    field is a literal quote, and a quote in the middle of an unquoted field is just a character.
    """
    position = 0
    while True:
        quote = text.find('"', position)
        if quote < 0:
            return inside
        if inside:
            if text.startswith('""', quote):
                position = quote + 2
                continue
            inside = False
        elif quote == 0 or text[quote - 1] == delimiter:
            inside = True
        position = quote + 1
