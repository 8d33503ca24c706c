"""MatchIndex: the searchable set of loaded lists, and the one entry point of the matching flow.

    normalise (normalize.py, once per list name at build, once per query)
      -> generate candidates (candidates.py: skeleton keys, one-edit keys, verified token look-alikes, identifiers)
         and keep the names holding enough of the query's weight to reach the threshold
         (coverage.py)
         or, when only a 1.0 can pass (threshold 1.0, nothing to add to a name score), look up the
         names made of exactly the query's tokens: no fuzzy work at all
      -> score features (features.py + scoring.py: name, identifier, DOB, country, kind)
      -> explain (explain.py)

The index is immutable and made of one ListIndex per list: `with_list` builds only the changed
list and returns a new MatchIndex sharing the others, so a refresh swaps one reference while
searches keep running on the old index. Nothing that decides a score is mutated after
construction, so concurrent reads need no lock (per-search state, such as the token-weight memo,
lives in the call; the only shared write is each list's cache of a token's vocabulary hits,
which holds pure results and is safe to race on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from app.lists.models import AliasStrength, ListEntry
from app.matching.candidates import ListIndex, UnitMemo, glue, uses_surname_first
from app.matching.coverage import QueryUnit, candidate_names
from app.matching.explain import explain
from app.matching.features import FEATURE_WEIGHTS, weight_of
from app.matching.normalize import normalize_name
from app.matching.scoring import (
    PreparedQuery,
    ScoredEntry,
    entry_score,
    kinds_compatible,
    score_entry,
)
from app.matching.similarity import UNMATCHED_QUERY_COST, name_score
from app.matching.translit import japanese_reading
from app.matching.types import Match, MatchConfig, MatchQuery
from app.matching.weights import TokenWeights

CANDIDATES_PER_LIST = 60  # names fully scored per list and query, at least
# Qualifiers can add up to 0.08 and token weights differ a little between spellings: candidates
# are pruned against the threshold minus this margin.
BOUND_MARGIN = 0.15


class MatchIndex:
    __slots__ = ("_lists", "_by_id", "_total_names", "_weights")

    def __init__(self, lists: Mapping[str, ListIndex]) -> None:
        self._lists: dict[str, ListIndex] = dict(lists)
        self._by_id: dict[str, tuple[str, int]] = {
            entry.id: (list_id, position)
            for list_id, sub in self._lists.items()
            for position, entry in enumerate(sub.entries)
        }
        self._total_names = sum(sub.name_count for sub in self._lists.values())
        counts = [sub.key_counts for sub in self._lists.values()]
        self._weights = TokenWeights(counts, self._total_names)

    @classmethod
    def build(cls, lists: Mapping[str, Sequence[ListEntry]]) -> MatchIndex:
        return cls({list_id: ListIndex(list_id, entries) for list_id, entries in lists.items()})

    def with_list(self, list_id: str, entries: Sequence[ListEntry]) -> MatchIndex:
        return MatchIndex({**self._lists, list_id: ListIndex(list_id, entries)})

    def without_list(self, list_id: str) -> MatchIndex:
        return MatchIndex({k: v for k, v in self._lists.items() if k != list_id})

    def list_ids(self) -> frozenset[str]:
        return frozenset(self._lists)

    def entries(self, list_id: str) -> Sequence[ListEntry]:
        sub = self._lists.get(list_id)
        return sub.entries if sub else ()

    def get(self, entity_id: str) -> ListEntry | None:
        found = self._by_id.get(entity_id)
        return self._lists[found[0]].entries[found[1]] if found else None

    @property
    def entity_count(self) -> int:
        return len(self._by_id)

    @property
    def name_count(self) -> int:
        return self._total_names

    def search(self, query: MatchQuery, config: MatchConfig) -> list[Match]:
        """Matches at or above the list's threshold, best first, at most config.limit."""
        found = self._search_name(query, config)
        reading = japanese_reading(query.name) if query.name else None
        if reading:  # a kanji name may be Japanese: also try its Japanese reading
            seen = {s.entry.id: s for s in found}
            for scored in self._search_name(replace(query, name=reading), config):
                if scored.entry.id not in seen or scored.score > seen[scored.entry.id].score:
                    seen[scored.entry.id] = scored
            found = list(seen.values())
        found.sort(key=lambda s: (-s.score, not (s.name_hit and s.name_hit.is_primary), s.entry.id))
        return [self._to_match(s) for s in found[: config.limit]]

    def _search_name(self, query: MatchQuery, config: MatchConfig) -> list[ScoredEntry]:
        weights = self._weights
        prepared = self._prepare(query, config, weights)
        units = self._query_units(prepared)
        unit_memo: UnitMemo = {}
        budget = max(CANDIDATES_PER_LIST, config.limit * 6)
        min_coverage = self._min_coverage(prepared, config)
        exact_only = self._only_exact_can_pass(prepared, config)
        found: list[ScoredEntry] = []
        for list_id, sub in self._lists.items():
            if config.lists is not None and list_id not in config.lists:
                continue
            threshold = self._threshold(list_id, config)
            if exact_only:
                candidates = self._exact_candidates(sub, prepared)
            else:
                candidates = self._candidates(sub, prepared, units, budget, min_coverage, unit_memo)
            for entry_index, name_ids in candidates.items():
                score = entry_score(prepared, sub, entry_index, name_ids, weights)
                if score >= threshold and score > 0:
                    found.append(score_entry(prepared, sub, entry_index, name_ids, weights))
        return found

    def _only_exact_can_pass(self, prepared: PreparedQuery, config: MatchConfig) -> bool:
        """True when only an exact name (or an identifier) can reach the threshold, so the fuzzy
        pipeline can be skipped without losing a match: every selected list asks for 1.0, nothing
        can add to a name score (no birth date, no country, name weights at most 1), and a name
        that is not made of exactly the query's tokens always scores below 1.0 (similarity.py)."""
        selected = [i for i in self._lists if config.lists is None or i in config.lists]
        if any(self._threshold(i, config) < 1.0 for i in selected):
            return False
        query, overrides = prepared.query, prepared.overrides
        if query.birth_date or query.countries:
            return False
        return all(weight_of(f, overrides) <= 1.0 for f in ("name", "weak_alias"))

    @staticmethod
    def _exact_candidates(sub: ListIndex, prepared: PreparedQuery) -> dict[int, list[int] | None]:
        """The fast path: names equal to the query after normalisation, and identifier hits."""
        return _by_entry(sub, prepared, sub.exact_names(prepared.norm))

    def compare_names(self, left: str, right: str) -> float:
        """Name score of two free names with this index's token weights (evaluation, tests)."""
        a, b = normalize_name(left), normalize_name(right)
        weights = self._weights
        return name_score(a, b, weights.weights(a.tokens), weights.weights(b.tokens), {})[0]

    def search_many(self, queries: Iterable[MatchQuery], config: MatchConfig) -> list[list[Match]]:
        """Batch form of `search`; results in query order. With a threshold of 1.0 and name-only
        queries, only exact names can match and the fuzzy pipeline is skipped (see
        `_only_exact_can_pass`): every listed name of the real lists screens in ~10 s."""
        return [self.search(q, config) for q in queries]

    @staticmethod
    def _threshold(list_id: str, config: MatchConfig) -> float:
        if config.threshold_from_request:
            return config.threshold
        return config.list_thresholds.get(list_id, config.threshold)

    @staticmethod
    def _prepare(query: MatchQuery, config: MatchConfig, weights: TokenWeights) -> PreparedQuery:
        norm = normalize_name(query.name or "", uses_surname_first(query.kind))
        overrides = {k: v for k, v in config.weights.items() if k in FEATURE_WEIGHTS} or None
        return PreparedQuery(query, norm, weights.weights(norm.tokens), overrides, {})

    def _min_coverage(self, prepared: PreparedQuery, config: MatchConfig) -> float:
        """Least key weight a name must share with the query to possibly reach the threshold.

        A name covering weight C of the query's total Q scores at most C / (C + c(Q - C)), with
        c the cost of an unmatched query word (similarity.py); solved for C at the threshold.
        """
        selected = [i for i in self._lists if config.lists is None or i in config.lists]
        lowest = min((self._threshold(i, config) for i in selected), default=config.threshold)
        target = max(0.0, lowest - BOUND_MARGIN)
        cost = UNMATCHED_QUERY_COST
        return sum(prepared.weights) * cost * target / (1 - target + cost * target)

    @staticmethod
    def _query_units(prepared: PreparedQuery) -> list[QueryUnit]:
        """Query tokens with their weights, then glued neighbour pairs weighing both words."""
        tokens, weights = prepared.norm.tokens, prepared.weights
        units = list(zip(tokens, weights, strict=True))
        for i in range(len(tokens) - 1):
            units.append((glue(tokens[i], tokens[i + 1]), weights[i] + weights[i + 1]))
        return units

    @staticmethod
    def _candidates(
        sub: ListIndex,
        prepared: PreparedQuery,
        units: list[QueryUnit],
        budget: int,
        min_coverage: float,
        memo: UnitMemo,
    ) -> dict[int, list[int] | None]:
        """Entry index -> the candidate names to score (None: all names, for identifier hits)."""
        name_ids = candidate_names(sub, units, budget, min_coverage, memo) if units else []
        return _by_entry(sub, prepared, name_ids)

    @staticmethod
    def _to_match(scored: ScoredEntry) -> Match:
        hit = scored.name_hit
        named = hit is not None and hit.comparison.score > 0
        matched = hit.display if hit is not None and named else ""
        strength = hit.strength if hit is not None else AliasStrength.STRONG
        text = explain(scored.score, matched, scored.entry.list_id, scored.features)
        return Match(scored.entry, scored.score, matched, strength, scored.features, text)


def _by_entry(
    sub: ListIndex, prepared: PreparedQuery, name_ids: Sequence[int]
) -> dict[int, list[int] | None]:
    """Group candidate names by entry, add identifier hits (None: score all their names) and keep
    the entries whose kind the query allows."""
    identifiers = prepared.query.identifiers
    if not name_ids and not identifiers:
        return {}
    by_entry: dict[int, list[int] | None] = {}
    for name_id in name_ids:
        names = by_entry.setdefault(sub.names[name_id].entry_index, [])
        if names is not None:
            names.append(name_id)
    for entry_index in sub.identifier_hits(i.value for i in identifiers):
        by_entry[entry_index] = None
    kind = prepared.query.kind
    return {e: n for e, n in by_entry.items() if kinds_compatible(kind, sub.entries[e].kind)}
