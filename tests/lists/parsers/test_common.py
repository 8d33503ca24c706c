from __future__ import annotations

import pytest

from app.core.errors import ListFormatError
from app.lists.parsers.common import IdRegistry, parse_dates, parse_partial_date, unique


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 May 1970", "1970-05-12"),
        ("May 1970", "1970-05"),
        ("Mar 1965", "1965-03"),
        ("1970", "1970"),
        ("1970-05-12", "1970-05-12"),
        ("1970-05", "1970-05"),
        ("12.05.1970", "1970-05-12"),
        ("1970.", "1970"),
        ("31 Feb 1970", None),
        ("Smarch 1970", None),
        ("unknown", None),
        ("", None),
    ],
)
def test_parse_partial_date(text: str, expected: str | None) -> None:
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("circa 1970", ["1970"]),
        ("1968 to 1970", ["1968", "1969", "1970"]),
        ("01 Jan 1960 to 31 Dec 1962", ["1960", "1961", "1962"]),
        ("1900 to 1990", ["1900", "1990"]),  # too wide to enumerate
        ("1970 to 1968", []),
        ("12 May 1970", ["1970-05-12"]),
    ],
)
def test_parse_dates(text: str, expected: list[str]) -> None:
    assert parse_dates(text) == expected


def test_unique_keeps_order_and_drops_empty() -> None:
    assert unique(["b", None, "a", "b", ""]) == ("b", "a")


def test_id_registry_refuses_duplicates() -> None:
    ids = IdRegistry("list.csv")
    ids.claim("x:1", "line 2")
    with pytest.raises(ListFormatError, match="duplicate entry id 'x:1'"):
        ids.claim("x:1", "line 3")
    assert len(ids) == 1
