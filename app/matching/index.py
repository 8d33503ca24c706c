"""MatchIndex: the searchable set of loaded lists, and the one entry point of the matching flow.

    normalise (normalize.py, once per list name at build, once per query)
      -> generate candidates (candidates.py: skeleton keys, one-edit keys, identifiers)
      -> score features (features.py + scoring.py: name, identifier, DOB, country, kind)
      -> explain (explain.py)

The index is immutable and made of one ListIndex per list: `with_list` builds only the changed
list and returns a new MatchIndex sharing the others, so a refresh swaps one reference while
searches keep running on the old index. Nothing is mutated after construction, so concurrent
reads need no lock (per-search state, such as the token-weight memo, lives in the call).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from app.lists.models import AliasStrength, ListEntry
from app.matching.candidates import ListIndex, name_keys, uses_surname_first
from app.matching.explain import explain
from app.matching.features import FEATURE_WEIGHTS
from app.matching.normalize import normalize_name
from app.matching.phonetic import skeleton
from app.matching.scoring import PreparedQuery, ScoredEntry, kinds_compatible, score_entry
from app.matching.types import Match, MatchConfig, MatchQuery
from app.matching.weights import TokenWeights

CANDIDATES_PER_LIST = 120  # names fully scored per list and query, at least


class MatchIndex:
    __slots__ = ("_lists", "_by_id", "_total_names")

    def __init__(self, lists: Mapping[str, ListIndex]) -> None:
        self._lists: dict[str, ListIndex] = dict(lists)
        self._by_id: dict[str, tuple[str, int]] = {
            entry.id: (list_id, position)
            for list_id, sub in self._lists.items()
            for position, entry in enumerate(sub.entries)
        }
        self._total_names = sum(sub.name_count for sub in self._lists.values())

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
        weights = TokenWeights([s.key_counts for s in self._lists.values()], self._total_names)
        prepared = self._prepare(query, config, weights)
        keys = self._weighted_keys(prepared, weights)
        budget = max(CANDIDATES_PER_LIST, config.limit * 10)
        found: list[ScoredEntry] = []
        for list_id, sub in self._lists.items():
            if config.lists is not None and list_id not in config.lists:
                continue
            threshold = self._threshold(list_id, config)
            for entry_index in self._candidate_entries(sub, prepared, keys, budget):
                scored = score_entry(prepared, sub, entry_index, weights)
                if scored.score >= threshold and scored.score > 0:
                    found.append(scored)
        found.sort(key=lambda s: (-s.score, not (s.name_hit and s.name_hit.is_primary), s.entry.id))
        return [self._to_match(s) for s in found[: config.limit]]

    def search_many(self, queries: Iterable[MatchQuery], config: MatchConfig) -> list[list[Match]]:
        """Batch form of `search`; results in query order."""
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
        return PreparedQuery(query, norm, weights.weights(norm.tokens), overrides)

    @staticmethod
    def _weighted_keys(prepared: PreparedQuery, weights: TokenWeights) -> dict[str, float]:
        keys: dict[str, float] = {}
        tokens = prepared.norm.tokens
        for token, weight in zip(tokens, prepared.weights, strict=True):
            keys[token.skel] = max(keys.get(token.skel, 0.0), weight)
        for key in name_keys(prepared.norm) - keys.keys():
            keys[key] = 0.5
        for left, right in zip(tokens, tokens[1:], strict=False):
            glued = skeleton(left.text + right.text)
            keys[glued] = max(
                keys.get(glued, 0.0), (weights.weight(left) + weights.weight(right)) / 2
            )
        return keys

    @staticmethod
    def _candidate_entries(
        sub: ListIndex, prepared: PreparedQuery, keys: dict[str, float], budget: int
    ) -> set[int]:
        entry_indexes = (
            {sub.names[n].entry_index for n in sub.candidate_names(keys, budget)} if keys else set()
        )
        entry_indexes |= sub.identifier_hits(i.value for i in prepared.query.identifiers)
        kind = prepared.query.kind
        return {e for e in entry_indexes if kinds_compatible(kind, sub.entries[e].kind)}

    @staticmethod
    def _to_match(scored: ScoredEntry) -> Match:
        hit = scored.name_hit
        named = hit is not None and hit.comparison.score > 0
        matched = hit.display if hit is not None and named else ""
        strength = hit.strength if hit is not None else AliasStrength.STRONG
        text = explain(scored.score, matched, scored.entry.list_id, scored.features)
        return Match(scored.entry, scored.score, matched, strength, scored.features, text)
