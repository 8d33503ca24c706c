"""Reading headed CSV files strictly: every problem becomes a `ListFormatError` with its line.

Bytes are decoded line by line (not by the `open()` text layer, which decodes in blocks) so an
undecodable byte is reported on the line that holds it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.core.errors import ListFormatError

_BOM = "\ufeff"


def _decoded_lines(path: Path, handle: Iterable[bytes]) -> Iterator[str]:
    for number, raw in enumerate(handle, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ListFormatError(
                f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})",
                source=path.name,
                position=f"line {number}",
            ) from exc
        yield line.removeprefix(_BOM) if number == 1 else line


def _check_header(
    path: Path, header: list[str], required: Iterable[str], allowed: Iterable[str] | None
) -> list[str]:
    names = [name.strip() for name in header]
    missing = [name for name in required if name not in names]
    if missing:
        raise ListFormatError(
            f"missing header column(s): {', '.join(missing)}", source=path.name, position="line 1"
        )
    if allowed is not None:
        known = set(allowed)
        unknown = [name for name in names if name not in known]
        if unknown:
            raise ListFormatError(
                f"unknown header column(s): {', '.join(unknown)}; expected {','.join(known_order(allowed))}",
                source=path.name,
                position="line 1",
            )
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ListFormatError(
            f"duplicate header column(s): {', '.join(duplicated)}",
            source=path.name,
            position="line 1",
        )
    return names


def known_order(columns: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(columns))


def read_records(
    path: Path, *, required: Iterable[str], allowed: Iterable[str] | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line of the record, column -> value) for each data row of a headed CSV file.

    `allowed`, when given, lists every column the format knows: others are refused, so a
    misspelt column ("alias" for "aliases") fails loudly instead of being ignored.
    Blank lines are skipped; a row with a different number of fields than the header is an
    error. An empty file, or one with only a header, yields nothing (callers say "no entries").
    """
    line = 0
    try:
        with path.open("rb") as handle:
            reader = csv.reader(_decoded_lines(path, handle), strict=True)
            header: list[str] | None = None
            for row in reader:
                if not any(field.strip() for field in row):
                    line = reader.line_num
                    continue
                start, line = line + 1, reader.line_num
                if header is None:
                    header = _check_header(path, row, required, allowed)
                    continue
                if len(row) != len(header):
                    raise ListFormatError(
                        f"expected {len(header)} fields, found {len(row)}",
                        source=path.name,
                        position=f"line {start}",
                    )
                yield start, dict(zip(header, row, strict=True))
    except csv.Error as exc:
        raise ListFormatError(
            f"malformed CSV: {exc}", source=path.name, position=f"line {line + 1}"
        ) from exc
