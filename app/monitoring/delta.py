"""Delta screening: monitored parties against only the entries a list version added or changed.

A list change touches a handful of entries while the book holds up to millions of parties. We
index only the changed entries (a MatchIndex over ~100 entries builds in milliseconds) and search
every party against it, so each party costs a search over a tiny vocabulary instead of the whole
loaded lists. Token weights are taken from the full index: a word's weight says how common it is
across every loaded list, and a 100-entry index would make every word look rare (scores would
then differ from a normal screening of the same party).

A cheaper pre-check was tried and dropped: skipping parties none of whose name skeletons is
within one edit of a changed entry's (the test candidate generation starts with) still let 86%
of a realistic book through, and cost more than it saved (bench/results/monitoring.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from app.lists.models import ListEntry
from app.matching.candidates import ListIndex
from app.matching.index import MatchIndex
from app.matching.types import Match, MatchConfig, MatchQuery


@dataclass(frozen=True, slots=True)
class MonitoredParty:
    """A counterparty the bank keeps under monitoring, known by the bank's own id."""

    external_id: str
    query: MatchQuery


@dataclass(frozen=True, slots=True)
class DeltaHit:
    party: MonitoredParty
    match: Match


class DeltaIndex(MatchIndex):
    """A MatchIndex over a few changed entries that weighs tokens like the full index does."""

    __slots__ = ()

    def __init__(self, lists: Mapping[str, ListIndex], weights_from: MatchIndex) -> None:
        super().__init__(lists)
        # Same corpus statistics as the live index: a delta hit scores as a full screening would.
        self._weights = weights_from._weights

    @classmethod
    def over(cls, entries: Sequence[ListEntry], full_index: MatchIndex) -> DeltaIndex:
        by_list: dict[str, list[ListEntry]] = {}
        for entry in entries:
            by_list.setdefault(entry.list_id, []).append(entry)
        return cls({list_id: ListIndex(list_id, group) for list_id, group in by_list.items()}, full_index)


def screen_delta(
    parties: Iterable[MonitoredParty],
    changed_entries: Sequence[ListEntry],
    full_index: MatchIndex,
    config: MatchConfig,
) -> Iterator[DeltaHit]:
    """Every (party, match) between the parties and the changed entries, at the configured threshold.

    Yields lazily so a caller can stream parties from the database page by page.
    """
    if not changed_entries:
        return
    delta = DeltaIndex.over(changed_entries, full_index)
    for party in parties:
        for match in delta.search(party.query, config):
            yield DeltaHit(party, match)


def screen_naive(
    parties: Iterable[MonitoredParty],
    changed_ids: frozenset[str],
    full_index: MatchIndex,
    config: MatchConfig,
) -> Iterator[DeltaHit]:
    """The baseline: screen every party through the full index and keep hits on changed entries.

    Kept for the benchmark and as the reference the delta path must agree with in tests.
    """
    for party in parties:
        for match in full_index.search(party.query, config):
            if match.entity_id in changed_ids:
                yield DeltaHit(party, match)
