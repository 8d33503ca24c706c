"""A name's best possible score, from what candidate generation already knows about it.

Candidate generation (candidates.py) learns, for every list name a query reaches, which query
tokens resemble one of its tokens (`reach`, a bit mask; strong resemblances in the upper bits),
and each query token's best similarity in the list (`ceilings`). Most names reached that way
share one common word with the query and score far below any threshold. Bounding their score
here, before the full scorer runs, is what keeps batch screening fast; no name is dropped that
could reach the threshold.

The bound follows similarity.name_score term by term. With A the query weight that pairs up,
B the list-name weight that pairs up, Q and W the two names' total weights and s the pair
similarities, twice the score is

    sum(s x (wq + wc)) / (A + B + 1.6 (Q - A) + (W - B))     [unmatched costs 0.8 and 0.5]
    <= (coverage + B) / (W + 1.6 Q - 0.6 A)

with coverage = sum(wq x ceiling) over the reached query tokens. The denominator no longer
depends on B and shrinks as A grows: A is at most the weight of the query tokens in `reach`, B at
most the weight of as many of the list name's heaviest words. On top of that come name_score's
two other rules: the OFAC FAQ 5 cap (0.5 when both names have two identifying parts and fewer
than two of them match strongly) and the space-less comparison, computed exactly when the
lengths allow it because it can lift a capped score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.matching.normalize import NormName
from app.matching.similarity import (
    INITIAL_MATCH,
    JOINED_FACTOR,
    JOINED_MIN,
    SINGLE_PART_CAP,
    SUBSTANTIVE_WEIGHT,
    UNMATCHED_LIST_COST,
    UNMATCHED_QUERY_COST,
    joined_score,
)

# Twice the denominator is  A + B + 2cq (Q - A) + 2cl (W - B): its coefficients on A and B.
# With the costs at 0.8 and 0.5, A's is negative (A at its largest is the worst case) and B's 0.
_QUERY_TERM = 2 * UNMATCHED_QUERY_COST
_LIST_TERM = 2 * UNMATCHED_LIST_COST
_A_COEFFICIENT = 1 - _QUERY_TERM
_B_COEFFICIENT = 1 - _LIST_TERM


@dataclass(frozen=True, slots=True)
class QueryShape:
    """What the bound needs of the query, computed once per search."""

    norm: NormName
    weights: Sequence[float]
    total: float
    substantive_mask: int  # bits of the query tokens that identify (weight >= 0.3)
    initials: tuple[str, ...]  # first letter of each query token

    @classmethod
    def of(cls, norm: NormName, weights: Sequence[float]) -> QueryShape:
        mask = sum(1 << i for i, w in enumerate(weights) if w >= SUBSTANTIVE_WEIGHT)
        initials = tuple(t.text[:1] for t in norm.tokens)
        return cls(norm, weights, sum(weights), mask, initials)

    @property
    def size(self) -> int:
        return len(self.weights)

    @property
    def substantive(self) -> int:
        return self.substantive_mask.bit_count()

    def strong_parts(self, reach: int) -> int:
        """Identifying query tokens with a strong resemblance (the upper bits of `reach`)."""
        return (reach >> self.size & self.substantive_mask).bit_count()

    def reach_of_initials(self, letters: str) -> int:
        """Query tokens that a listed initial can pair with (0.7, a strong pair)."""
        bits = 0
        for position, first in enumerate(self.initials):
            if first in letters:
                bits |= 1 << position
        return bits | bits << self.size

    def reached(self, reach: int, ceilings: Sequence[float]) -> tuple[float, float, int]:
        """(weight, weight x best similarity, count) of the query tokens set in `reach`."""
        weight = coverage = 0.0
        count = 0
        for position, w in enumerate(self.weights):
            if reach >> position & 1:
                weight += w
                coverage += w * ceilings[position]
                count += 1
        return weight, coverage, count


class BoundFilter:
    """Decides, name by name, whether a list name can reach `needed` (one query, one list).

    Most names are settled by `reach` alone: the bound with the most favourable list name
    imaginable (its paired words weighing 1, nothing unpaired), memoised per reach value. Only
    names that pass it, or that hold initials, get the bound with their own word weights."""

    __slots__ = ("shape", "needed", "weights_of", "_by_reach")

    def __init__(
        self,
        shape: QueryShape,
        needed: float,
        weights_of: Callable[[NormName], Sequence[float]],
    ) -> None:
        self.shape = shape
        self.needed = needed
        self.weights_of = weights_of
        self._by_reach: dict[int, float] = {}

    def allows(
        self, candidate: NormName, initials: str, reach: int, ceilings: Sequence[float]
    ) -> bool:
        if not initials:
            best_case = self._by_reach.get(reach)
            if best_case is None:
                best_case = self._by_reach[reach] = self._best_case(reach, ceilings)
            if best_case < self.needed:
                return self._joined(candidate) >= self.needed
        weights = self.weights_of(candidate)
        bound = name_bound(self.shape, candidate, weights, reach, ceilings, initials)
        return bound >= self.needed

    def _best_case(self, reach: int, ceilings: Sequence[float]) -> float:
        reached, coverage, count = self.shape.reached(reach, ceilings)
        return _token_bound(self.shape, reached, coverage, paired_list=count, list_total=count)

    def _joined(self, candidate: NormName) -> float:
        query = self.shape.norm
        if len(candidate.tokens) == len(query.tokens):
            return 0.0
        shorter, longer = sorted((len(query.joined), len(candidate.joined)))
        if 2 * shorter < JOINED_MIN * (shorter + longer):
            return 0.0  # the lengths alone keep the space-less similarity under JOINED_MIN
        return joined_score(query, candidate)


def name_bound(
    query: QueryShape,
    candidate: NormName,
    candidate_weights: Sequence[float],
    reach: int,
    ceilings: Sequence[float],
    initials: str = "",
) -> float:
    """An upper bound of similarity.name_score(query, candidate); `reach` and `ceilings` as
    coverage.candidate_names finds them, `initials` the list name's one-letter words."""
    if not query.weights or not candidate.tokens:
        return 0.0
    initial_reach = query.reach_of_initials(initials) if initials else 0
    if initial_reach:
        ceilings = [
            max(c, INITIAL_MATCH) if initial_reach >> i & 1 else c for i, c in enumerate(ceilings)
        ]
        reach |= initial_reach
    reached, coverage, count = query.reached(reach, ceilings)
    paired_list = sum(sorted(candidate_weights, reverse=True)[:count])
    bound = _token_bound(query, reached, coverage, paired_list, sum(candidate_weights))
    if bound > SINGLE_PART_CAP and _capped(query, candidate_weights, reach):
        bound = SINGLE_PART_CAP
    if bound < JOINED_MIN * JOINED_FACTOR:
        bound = max(bound, joined_score(query.norm, candidate))
    return bound


def _token_bound(
    shape: QueryShape, reached: float, coverage: float, paired_list: float, list_total: float
) -> float:
    denominator = (
        _QUERY_TERM * shape.total
        + _LIST_TERM * list_total
        + min(0.0, _A_COEFFICIENT) * reached
        + min(0.0, _B_COEFFICIENT) * paired_list
    )
    return min(1.0, (coverage + paired_list) / denominator) if denominator > 0 else 1.0


def _capped(query: QueryShape, candidate_weights: Sequence[float], reach: int) -> bool:
    """similarity._too_few_parts, for any pairing the reach allows."""
    substantive_c = sum(1 for w in candidate_weights if w >= SUBSTANTIVE_WEIGHT)
    if query.substantive == 0 or substantive_c == 0:
        return False  # that case of the rule needs the pairs themselves
    strong = query.strong_parts(reach)
    return strong == 0 or (query.substantive >= 2 and substantive_c >= 2 and strong < 2)
