"""Coverage: which list names share enough of the query to be worth scoring.

Each query unit (a token, or two neighbouring tokens glued) has its vocabulary hits in a list
(candidates.ListIndex.unit_hits). A name's coverage is the sum over the hits it holds of unit
weight x similarity: an upper bound on what the scorer can find. A name passes when its coverage
reaches `min_coverage`, then the per-name bound of bounds.py (`keep`).

Hits are visited rarest first. The most common hits whose credits add up to less than the
coverage needed cannot make a candidate on their own, so their names are never enumerated: they
only add credit to names a rarer hit has found, looked up in a set. This is what keeps a query
with a frequent word ("Mohammed", "Trading") from walking thousands of names.

Units found in more than COMMON_UNIT_FRACTION of the names are not expanded at all when rarer
units exist; their best similarity is then credited to every candidate, which keeps the bound
safe.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.matching.candidates import ListIndex, UnitMemo
from app.matching.normalize import Token
from app.matching.similarity import INITIAL_MATCH, STRONG_PAIR

COMMON_UNIT_FRACTION = 0.02
MIN_COMMON_POSTINGS = 500

# (name id, reach, ceilings) -> whether the name goes on to full scoring
NameFilter = Callable[[int, int, Sequence[float]], bool]


@dataclass(frozen=True, slots=True)
class QueryUnit:
    """A query token (`mask` has its bit), or two neighbouring tokens glued (`mask` 0: a glued
    unit never pairs with one token; the space-less comparison is bounded on its own)."""

    token: Token
    weight: float
    mask: int

    @property
    def is_token(self) -> bool:
        return self.mask != 0

    def reach_bits(self, similarity: float, strong_shift: int) -> int:
        strong = self.mask << strong_shift if similarity >= STRONG_PAIR else 0
        return self.mask | strong


@dataclass
class _Credits:
    """Every hit of one query in one list, with what is credited to all names alike."""

    hits: list[tuple[int, float, int]] = field(default_factory=list)  # vocab id, credit, reach bits
    assumed: float = 0.0
    assumed_reach: int = 0
    ceilings: list[float] = field(default_factory=list)  # each query token's best similarity


def candidate_names(
    index: ListIndex,
    units: Sequence[QueryUnit],
    budget: int,
    min_coverage: float,
    memo: UnitMemo,
    keep: NameFilter | None = None,
) -> list[int]:
    """Name ids that may reach the threshold, best-covered first, at most `budget`.

    `keep(name_id, reach, ceilings)`, if given, has the last word: `reach` has the bits of the
    query tokens that resemble one of the name's tokens, and the same bits shifted by the token
    count for strong (>= 0.7) resemblances; `ceilings` is each query token's best similarity in
    this list (bounds.py).
    """
    credits = _credits(index, units, memo)
    needed = min_coverage - credits.assumed
    coverage, reach = _cover(index, credits.hits, needed)
    kept = [name_id for name_id, value in coverage.items() if value >= needed]
    if keep is not None:
        extra, ceilings = credits.assumed_reach, credits.ceilings
        kept = [n for n in kept if keep(n, reach[n] | extra, ceilings)]
    if len(kept) <= budget:
        return kept
    return heapq.nlargest(budget, kept, key=coverage.__getitem__)


def _credits(index: ListIndex, units: Sequence[QueryUnit], memo: UnitMemo) -> _Credits:
    common_limit = max(MIN_COMMON_POSTINGS, int(COMMON_UNIT_FRACTION * index.name_count))
    names_of = index.vocab_names
    token_count = sum(1 for unit in units if unit.is_token)
    per_unit = [
        (unit, index.unit_hits(position, unit.token, memo)) for position, unit in enumerate(units)
    ]
    has_rare = any(len(names_of[v]) <= common_limit for _, hits in per_unit for v, _ in hits)
    credits = _Credits(ceilings=[0.0] * token_count)
    for position, (unit, hits) in enumerate(per_unit):
        skipped = 0.0
        for vocab_id, sim in hits:
            if has_rare and len(names_of[vocab_id]) > common_limit:
                skipped = max(skipped, sim)
                continue
            credits.hits.append((vocab_id, unit.weight * sim, unit.reach_bits(sim, token_count)))
        if skipped:
            credits.assumed += unit.weight * skipped
            credits.assumed_reach |= unit.reach_bits(skipped, token_count)
        if unit.is_token:
            credits.ceilings[position] = max((sim for _, sim in hits), default=0.0)
    # initials are not indexed: assume they match (they weigh little)
    for position, unit in enumerate(units):
        if len(unit.token.text) == 1:
            credits.assumed += unit.weight * INITIAL_MATCH
            credits.assumed_reach |= unit.reach_bits(INITIAL_MATCH, token_count)
            credits.ceilings[position] = 1.0  # the same initial in a listed name
    return credits


def _cover(
    index: ListIndex, hits: list[tuple[int, float, int]], needed: float
) -> tuple[dict[int, float], dict[int, int]]:
    """Coverage and reach of every name that a hit too rare to skip has found."""
    names_of = index.vocab_names
    hits = sorted(hits, key=lambda hit: len(names_of[hit[0]]))
    split, tail = len(hits), 0.0
    while split and tail + hits[split - 1][1] < needed:
        split -= 1
        tail += hits[split][1]
    coverage: dict[int, float] = {}
    reach: dict[int, int] = {}
    for vocab_id, credit, bits in hits[:split]:
        for name_id in names_of[vocab_id]:
            coverage[name_id] = coverage.get(name_id, 0.0) + credit
            reach[name_id] = reach.get(name_id, 0) | bits
    for vocab_id, credit, bits in hits[split:]:
        names = names_of[vocab_id]
        if len(names) > 2 * len(coverage):
            members = index.name_set(vocab_id)
            found = [name_id for name_id in coverage if name_id in members]
        else:
            found = [name_id for name_id in names if name_id in coverage]
        for name_id in found:
            coverage[name_id] += credit
            reach[name_id] |= bits
    return coverage, reach
