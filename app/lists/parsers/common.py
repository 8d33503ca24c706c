"""Helpers every parser shares: partial ISO dates, order-keeping de-duplication, unique ids."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Literal

from app.core.errors import ListFormatError

XmlEvent = Literal["start", "end"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# A range wider than this is not a birth date but a data error; keep only its ends.
_MAX_RANGE_YEARS = 30

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DAY_MONTH_YEAR = re.compile(r"(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_NUMERIC_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")


def _partial(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """Partial ISO text, or None when the parts do not make a real date."""
    if not 1000 <= year <= 2999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_partial_date(text: str) -> str | None:
    """One date as partial ISO: "12 May 1970", "May 1970", "1970", "1970-05-12", "12.05.1970"."""
    value = text.strip().rstrip(".").strip()
    if match := _ISO.fullmatch(value):
        year, month, day = match.groups()
        return _partial(int(year), int(month) if month else None, int(day) if day else None)
    if match := _DAY_MONTH_YEAR.fullmatch(value):
        day, month_name, year = match.groups()
        month = _MONTHS.get(month_name.lower())
        if month is None:
            return None
        return _partial(int(year), month, int(day) if day else None)
    if match := _NUMERIC_DMY.fullmatch(value):
        day, month, year = match.groups()
        return _partial(int(year), int(month), int(day))
    return None


def parse_dates(text: str) -> list[str]:
    """Every date a birth-date text stands for: "circa 1970" is 1970, "1968 to 1970" its years."""
    value = re.sub(r"^(circa|approximately|approx\.?|about|ca\.)\s+", "", text.strip(), flags=re.I)
    bounds = re.split(r"\s+(?:to|-|–)\s+", value)
    if len(bounds) == 2:
        start, end = (parse_partial_date(bound) for bound in bounds)
        if start is None or end is None:
            return []
        first, last = int(start[:4]), int(end[:4])
        if first > last:
            return []
        if last - first > _MAX_RANGE_YEARS:
            return [str(first), str(last)]
        return [str(year) for year in range(first, last + 1)]
    single = parse_partial_date(value)
    return [single] if single else []


def unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty values, first occurrence kept, order kept."""
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return tuple(seen)


class IdRegistry:
    """Refuses a second entry with the same id within one parse: ids must stay unique."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._seen: set[str] = set()

    def claim(self, entry_id: str, position: str) -> None:
        if entry_id in self._seen:
            raise ListFormatError(
                f"duplicate entry id {entry_id!r}", source=self._source, position=position
            )
        self._seen.add(entry_id)

    def __len__(self) -> int:
        return len(self._seen)


def no_entries(source: str) -> ListFormatError:
    return ListFormatError("no entries", source=source)


def iterparse_safely(
    path: Path, events: tuple[XmlEvent, ...] = ("end",)
) -> Iterator[tuple[str, ET.Element]]:
    """`ElementTree.iterparse`, with truncated or invalid XML reported as `ListFormatError`."""
    try:
        yield from ET.iterparse(path, events=events)
    except ET.ParseError as exc:
        line, column = exc.position
        raise ListFormatError(
            f"malformed XML: {str(exc).split(':', 1)[0]}",  # str() repeats the position
            source=path.name,
            position=f"line {line}, column {column}",
        ) from exc
    except (UnicodeDecodeError, LookupError) as exc:
        raise ListFormatError(f"cannot decode XML: {exc}", source=path.name) from exc


def text_of(element: ET.Element | None) -> str | None:
    """The element's text with whitespace collapsed; None when absent or blank."""
    if element is None or element.text is None:
        return None
    text = " ".join(element.text.split())
    return text or None
