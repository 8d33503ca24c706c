"""Tiny lists and parties for the monitoring domain tests (no database, no HTTP)."""

from __future__ import annotations

import pytest

from app.lists.models import Alias, EntityKind, ListEntry
from app.matching.index import MatchIndex


def entry(source_id: str, name: str, kind: EntityKind = EntityKind.PERSON, *aliases: str,
          countries: tuple[str, ...] = ()) -> ListEntry:
    return ListEntry(id=f"watch:{source_id}", list_id="watch", source_id=source_id, kind=kind, name=name,
                     aliases=tuple(Alias(name=a) for a in aliases), countries=countries)


@pytest.fixture
def listed() -> list[ListEntry]:
    return [
        entry("1", "Boris Kaminsky Volodin"),
        entry("2", "Zagros Horizon Trading", EntityKind.ORGANIZATION),
        entry("3", "Helios Maritime Carriers", EntityKind.ORGANIZATION),
        entry("4", "Aurelio Marquez Fontana"),
        entry("5", "Mohammed Ali Hassan"),
    ]


@pytest.fixture
def full_index(listed: list[ListEntry]) -> MatchIndex:
    return MatchIndex.build({"watch": listed})
