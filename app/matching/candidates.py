"""Candidate generation: one immutable sub-index per list, built once when the list loads.

Every list name is normalised once (normalize.py) and indexed under the consonant skeleton of
each token, of each pair of neighbouring tokens glued together (Li Ming ~ Liming) and of each
token without a glued "al"/"el" (AlHuda ~ Huda). Spelling errors are caught SymSpell-style on
the skeleton vocabulary: every skeleton of 3+ letters is also filed under each one-letter
deletion, so a query skeleton reaches list skeletons one substitution, insertion or deletion
away. Vowel errors cost nothing: skeletons carry no plain vowels.

A query gathers, for every name sharing a key, the summed weight of its matching keys (exact
keys count fully, one-edit keys 0.6), skipping keys that point at more than
COMMON_KEY_FRACTION of all names when rarer keys exist; the best `budget` names go on to full
scoring. Identifiers are indexed by their compacted value (and BICs by their first 8 characters)
so an identifier query needs no name at all.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.lists.models import AliasStrength, EntityKind, ListEntry
from app.matching.features import identifier_key
from app.matching.normalize import NormName, normalize_name
from app.matching.phonetic import skeleton
from app.matching.weights import count_keys

FUZZY_KEY_CREDIT = 0.6
COMMON_KEY_FRACTION = 0.02
MIN_COMMON_POSTINGS = 500
MIN_DELETE_LENGTH = 3


@dataclass(frozen=True, slots=True)
class IndexedName:
    entry_index: int
    norm: NormName
    strength: AliasStrength
    is_primary: bool


def _deletions(key: str) -> set[str]:
    return (
        {key[:i] + key[i + 1 :] for i in range(len(key))}
        if len(key) >= MIN_DELETE_LENGTH
        else set()
    )


def name_keys(norm: NormName) -> set[str]:
    """Candidate keys of one name: token skeletons, glued neighbours, article-less tokens."""
    tokens = norm.tokens
    keys = {t.skel for t in tokens}
    for left, right in zip(tokens, tokens[1:], strict=False):
        keys.add(skeleton(left.text + right.text))
    for t in tokens:
        if t.text[:2] in ("al", "el") and len(t.text) > 4:
            keys.add(skeleton(t.text[2:]))
    return keys


def uses_surname_first(kind: EntityKind | None) -> bool:
    return kind in (None, EntityKind.PERSON, EntityKind.UNKNOWN)


class ListIndex:
    """Everything needed to search one list; never modified after construction."""

    __slots__ = (
        "list_id",
        "entries",
        "names",
        "entry_names",
        "postings",
        "deletes",
        "key_counts",
        "identifiers",
    )

    def __init__(self, list_id: str, entries: Sequence[ListEntry]) -> None:
        self.list_id = list_id
        self.entries: tuple[ListEntry, ...] = tuple(entries)
        self.names: list[IndexedName] = []
        self.entry_names: list[tuple[int, ...]] = []
        postings: defaultdict[str, list[int]] = defaultdict(list)
        identifiers: defaultdict[str, list[int]] = defaultdict(list)
        for entry_index, entry in enumerate(self.entries):
            self.entry_names.append(self._add_names(entry_index, entry, postings))
            for ident in entry.identifiers:
                key = identifier_key(ident.value)
                if key:
                    identifiers[key].append(entry_index)
                    identifiers["bic8:" + key[:8]].append(entry_index)
        self.postings: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in postings.items()}
        self.deletes = self._build_deletes(self.postings)
        self.key_counts: Counter[str] = count_keys(n.norm for n in self.names)
        self.identifiers: dict[str, tuple[int, ...]] = {
            k: tuple(set(v)) for k, v in identifiers.items()
        }

    def _add_names(
        self, entry_index: int, entry: ListEntry, postings: defaultdict[str, list[int]]
    ) -> tuple[int, ...]:
        surname_first = uses_surname_first(entry.kind)
        seen: set[str] = set()
        ids: list[int] = []
        for position, (name, strength) in enumerate(entry.all_names()):
            if name in seen or not name.strip():
                continue
            seen.add(name)
            norm = normalize_name(name, surname_first)
            name_id = len(self.names)
            self.names.append(IndexedName(entry_index, norm, strength, position == 0))
            ids.append(name_id)
            for key in name_keys(norm):
                postings[key].append(name_id)
        return tuple(ids)

    @staticmethod
    def _build_deletes(postings: dict[str, tuple[int, ...]]) -> dict[str, tuple[str, ...]]:
        deletes: defaultdict[str, list[str]] = defaultdict(list)
        for key in postings:
            for variant in _deletions(key):
                deletes[variant].append(key)
        return {k: tuple(v) for k, v in deletes.items()}

    @property
    def name_count(self) -> int:
        return len(self.names)

    def fuzzy_keys(self, key: str) -> set[str]:
        """Indexed keys within one edit of `key` (excluding `key` itself)."""
        found: set[str] = set(self.deletes.get(key, ()))
        for variant in _deletions(key):
            if variant in self.postings:
                found.add(variant)
            found.update(self.deletes.get(variant, ()))
        found.discard(key)
        return found

    def candidate_names(self, weighted_keys: dict[str, float], budget: int) -> list[int]:
        """Name ids sharing keys with the query, best-covered first, at most `budget`."""
        common_limit = max(MIN_COMMON_POSTINGS, int(COMMON_KEY_FRACTION * len(self.names)))
        lookups: list[tuple[tuple[int, ...], float]] = []
        for key, weight in weighted_keys.items():
            lookups.append((self.postings.get(key, ()), weight))
            for near in self.fuzzy_keys(key):
                lookups.append((self.postings[near], weight * FUZZY_KEY_CREDIT))
        rare = [(ids, w) for ids, w in lookups if 0 < len(ids) <= common_limit]
        selected = rare or [(ids, w) for ids, w in lookups if ids]
        coverage: defaultdict[int, float] = defaultdict(float)
        for ids, weight in selected:
            for name_id in ids:
                coverage[name_id] += weight
        if len(coverage) <= budget:
            return list(coverage)
        return heapq.nlargest(budget, coverage, key=coverage.__getitem__)

    def identifier_hits(self, values: Iterable[str]) -> set[int]:
        hits: set[int] = set()
        for value in values:
            key = identifier_key(value)
            hits.update(self.identifiers.get(key, ()))
            if len(key) in (8, 11):
                hits.update(self.identifiers.get("bic8:" + key[:8], ()))
        return hits
