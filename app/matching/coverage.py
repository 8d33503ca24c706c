"""Coverage: which list names share enough of the query to be worth scoring.

Each query unit (a token, or two neighbouring tokens glued) has its vocabulary hits in a list
(candidates.ListIndex.unit_hits). A name's coverage is the sum over the hits it holds of unit
weight x similarity: an upper bound on what the scorer can find. Names whose coverage cannot
reach `min_coverage` (index.py) are dropped; the best `budget` go on to full scoring.

Hits are visited rarest first. The most common hits whose credits add up to less than the
coverage needed cannot make a candidate on their own, so their names are never enumerated: they
only add credit to names that a rarer hit has found, looked up in a set. This keeps a query with
a frequent word ("Mohammed", "Trading") from walking thousands of names, and finds exactly the
names that walking them all would find.

Units found in more than COMMON_UNIT_FRACTION of the names are not expanded at all when rarer
units exist; their best similarity is then credited to every candidate, which keeps the bound
safe.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from operator import itemgetter

from app.matching.candidates import ListIndex, UnitMemo
from app.matching.normalize import Token
from app.matching.similarity import INITIAL_MATCH, UNMATCHED_LIST_COST

COMMON_UNIT_FRACTION = 0.02
MIN_COMMON_POSTINGS = 500
EXTRA_WORD_COST = UNMATCHED_LIST_COST  # ranking only: per listed word beyond the query's

QueryUnit = tuple[Token, float]  # a query unit and its weight
Credit = tuple[int, int, float]  # a hit's postings count and vocabulary id, and its credit


def candidate_names(
    index: ListIndex,
    units: Sequence[QueryUnit],
    budget: int,
    min_coverage: float,
    memo: UnitMemo,
) -> list[int]:
    """Name ids that may reach the threshold, best-covered first, at most `budget`."""
    credits, assumed = _credits(index, units, memo)
    if not credits:
        return []  # most lists share no word with most queries
    needed = min_coverage - assumed
    coverage = _cover(index, credits, needed)
    kept = [name_id for name_id, value in coverage.items() if value >= needed]
    if len(kept) <= budget:
        return kept
    return heapq.nlargest(budget, kept, key=_ranking(index, coverage, _token_count(units)))


def _token_count(units: Sequence[QueryUnit]) -> int:
    """Query units are the n tokens, then their n - 1 glued neighbour pairs (index.py)."""
    return (len(units) + 1) // 2


def _ranking(
    index: ListIndex, coverage: dict[int, float], query_tokens: int
) -> Callable[[int], float]:
    """When more names pass than the budget allows, the likeliest matches go first: a listed
    word the query lacks costs score (similarity.py), so of two names covering the query alike,
    the one with fewer extra words ranks higher ("Hussein Muhammad" before "Hussein Ali Muhammad
    Hasan Kazemi" for "Husayn Muhammadi")."""
    names = index.names

    def key(name_id: int) -> float:
        extra = max(0, len(names[name_id].norm.tokens) - query_tokens)
        return coverage[name_id] / (1 + EXTRA_WORD_COST * extra)

    return key


def _credits(
    index: ListIndex, units: Sequence[QueryUnit], memo: UnitMemo
) -> tuple[list[Credit], float]:
    """Each hit's credit, and the credit assumed for every name (common units, initials)."""
    common_limit = max(MIN_COMMON_POSTINGS, int(COMMON_UNIT_FRACTION * index.name_count))
    token_count = _token_count(units)
    per_unit = [
        (weight, index.unit_hits(position, unit, memo, glued=position >= token_count))
        for position, (unit, weight) in enumerate(units)
    ]
    # hits come rarest first: a unit has a rare hit when its first one is
    has_rare = any(hits and hits[0][0] <= common_limit for _, hits in per_unit)
    credits: list[Credit] = []
    assumed = 0.0
    for weight, hits in per_unit:
        skipped = 0.0
        for postings, vocab_id, sim in hits:
            if has_rare and postings > common_limit:
                skipped = max(skipped, sim)
            else:
                credits.append((postings, vocab_id, weight * sim))
        assumed += weight * skipped
    # initials are not indexed: assume they match (they weigh little)
    assumed += sum(weight * INITIAL_MATCH for unit, weight in units if len(unit.text) == 1)
    return credits, assumed


def _cover(index: ListIndex, credits: list[Credit], needed: float) -> dict[int, float]:
    """The coverage of every name that a hit too rare to leave out has found."""
    names_of = index.vocab_names
    # Rarest first. On the count alone, and stable: credits of equal counts keep the query's
    # unit order, which decides the order names are found in, and so ties further down.
    credits.sort(key=itemgetter(0))
    split, left_out = len(credits), 0.0
    while split and left_out + credits[split - 1][2] < needed:
        split -= 1
        left_out += credits[split][2]
    coverage: dict[int, float] = {}
    covered = coverage.get  # bound once: this loop runs for every posting walked
    for _, vocab_id, credit in credits[:split]:
        for name_id in names_of[vocab_id]:
            coverage[name_id] = covered(name_id, 0.0) + credit
    for postings, vocab_id, credit in credits[split:]:
        if postings > 2 * len(coverage):
            members = index.name_set(vocab_id)
            found = [name_id for name_id in coverage if name_id in members]
        else:
            found = [name_id for name_id in names_of[vocab_id] if name_id in coverage]
        for name_id in found:
            coverage[name_id] += credit
    return coverage
