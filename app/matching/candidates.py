"""Candidate generation: one immutable sub-index per list, built once when the list loads.

Every list name is normalised once (normalize.py) and cut into units: its tokens, plus each pair
of neighbouring tokens glued together (Li Ming ~ Liming). Distinct units form the list's
vocabulary; each unit is filed under its keys (units.py): its consonant skeleton, the skeleton
without a glued "al"/"el" (AlHuda ~ Huda), and for short words their spelling. Spelling errors
are caught SymSpell-style: every key of 4+ characters is also filed under each one-letter
deletion, so a query key reaches keys one substitution, insertion or deletion away. Vowel
errors cost nothing: skeletons carry no plain vowels.

A query is cut into units the same way. Each query unit finds its near vocabulary units, which
are verified with the real token similarity (similarity.py), so only true look-alikes count
(`unit_hits`, cached per query token). Which names those hits make worth scoring is decided in
coverage.py, by how much of the query's weight a name holds.
Identifiers are indexed by their compacted value (and BICs by their first 8 characters), so an
identifier query needs no name at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from rapidfuzz import process
from rapidfuzz.distance import OSA

from app.lists.models import AliasStrength, ListEntry
from app.matching.features import identifier_key
from app.matching.normalize import NormName, Token, normalize_name, token_variant
from app.matching.phonetic import skeleton
from app.matching.similarity import MIN_PAIR, token_similarity
from app.matching.translit import japanese_reading
from app.matching.units import (
    MIN_DELETE_LENGTH,
    deletions,
    glue,
    name_units,
    unit_keys,
    uses_surname_first,
)
from app.matching.weights import count_keys

# the unit helpers are imported from here by index.py and monitoring
__all__ = [
    "MIN_DELETE_LENGTH",
    "IndexedName",
    "ListIndex",
    "UnitHit",
    "UnitMemo",
    "glue",
    "name_units",
    "unit_keys",
    "uses_surname_first",
]

# Spellings below this edit similarity cannot pass the similarity knee (similarity.py).
PREFILTER = 0.6

# (query unit position, vocabulary text) -> similarity; lives for one search
UnitMemo = dict[tuple[int, str], float]
# A vocabulary unit resembling a query unit: (how many names hold it, its id, the similarity).
# Hits are kept rarest first, the order coverage.py visits them in.
UnitHit = tuple[int, int, float]


@dataclass(frozen=True, slots=True)
class IndexedName:
    entry_index: int
    norm: NormName
    strength: AliasStrength
    is_primary: bool


# Query tokens whose vocabulary hits are kept per list (about 1 KB each).
HITS_CACHE_LIMIT = 50_000


class ListIndex:
    """Everything needed to search one list; never modified after construction."""

    __slots__ = (
        "list_id",
        "entries",
        "names",
        "entry_names",
        "vocab",
        "vocab_names",
        "keys",
        "deletes",
        "key_counts",
        "identifiers",
        "exact",
        "_hits_cache",
        "_name_sets",
    )

    def __init__(self, list_id: str, entries: Sequence[ListEntry]) -> None:
        self.list_id = list_id
        # Query token -> vocabulary hits. Screenings repeat tokens (Mohammed, Ali, Trading, Bank),
        # and a token's hits depend only on this immutable list, so they are kept and reused.
        self._hits_cache: dict[Token, list[UnitHit]] = {}
        # Vocabulary id -> its names as a set, for the frequent units only (coverage.py).
        self._name_sets: dict[int, frozenset[int]] = {}
        self.entries: tuple[ListEntry, ...] = tuple(entries)
        self.names: list[IndexedName] = []
        self.entry_names: list[tuple[int, ...]] = []
        self.vocab: list[Token] = []
        vocab_ids: dict[str, int] = {}
        vocab_names: list[list[int]] = []
        for entry_index, entry in enumerate(self.entries):
            self.entry_names.append(self._add_names(entry_index, entry, vocab_ids, vocab_names))
        self.vocab_names: list[tuple[int, ...]] = [tuple(dict.fromkeys(v)) for v in vocab_names]
        keys: defaultdict[str, list[int]] = defaultdict(list)
        for vocab_id, unit in enumerate(self.vocab):
            for key in unit_keys(unit):
                keys[key].append(vocab_id)
        self.keys: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in keys.items()}
        self.deletes = self._build_deletes(self.keys)
        self.key_counts: Counter[str] = count_keys(n.norm for n in self.names)
        self.identifiers = self._build_identifiers(self.entries)
        self.exact = self._build_exact(self.names)

    def _add_names(
        self,
        entry_index: int,
        entry: ListEntry,
        vocab_ids: dict[str, int],
        vocab_names: list[list[int]],
    ) -> tuple[int, ...]:
        surname_first = uses_surname_first(entry.kind)
        seen: set[str] = set()
        ids: list[int] = []
        for position, (name, strength) in enumerate(self._names_with_readings(entry)):
            if name in seen or not name.strip():
                continue
            seen.add(name)
            norm = normalize_name(name, surname_first)
            name_id = len(self.names)
            self.names.append(IndexedName(entry_index, norm, strength, position == 0))
            ids.append(name_id)
            for unit in name_units(norm):
                variant = token_variant(unit.text, unit.vowelless, unit.syllabic)
                vocab_id = vocab_ids.setdefault(variant, len(self.vocab))
                if vocab_id == len(self.vocab):
                    self.vocab.append(unit)
                    vocab_names.append([])
                vocab_names[vocab_id].append(name_id)
        return tuple(ids)

    @staticmethod
    def _names_with_readings(entry: ListEntry) -> list[tuple[str, AliasStrength]]:
        """All names, plus the Japanese reading of kanji names (translit.japanese_reading)."""
        names = entry.all_names()
        readings = [(japanese_reading(n), s) for n, s in names]
        return names + [(r, s) for r, s in readings if r]

    @staticmethod
    def _build_deletes(keys: dict[str, tuple[int, ...]]) -> dict[str, str | tuple[str, ...]]:
        """One-letter deletion -> the indexed skeletons it comes from. Most deletions come from
        one skeleton: that skeleton is stored bare, not in a tuple (a third of the index memory)."""
        deletes: dict[str, str | tuple[str, ...]] = {}
        for key in keys:
            for variant in deletions(key):
                known = deletes.get(variant)
                if known is None:
                    deletes[variant] = key
                else:
                    deletes[variant] = (known, key) if isinstance(known, str) else (*known, key)
        return deletes

    @staticmethod
    def _build_identifiers(entries: Sequence[ListEntry]) -> dict[str, tuple[int, ...]]:
        found: defaultdict[str, set[int]] = defaultdict(set)
        for entry_index, entry in enumerate(entries):
            for ident in entry.identifiers:
                key = identifier_key(ident.value)
                if key:
                    found[key].add(entry_index)
                    found["bic8:" + key[:8]].add(entry_index)
        return {k: tuple(v) for k, v in found.items()}

    @staticmethod
    def _build_exact(names: Sequence[IndexedName]) -> dict[str, tuple[int, ...]]:
        """Names by their sorted, concatenated tokens (the string NormName already holds)."""
        found: defaultdict[str, list[int]] = defaultdict(list)
        for name_id, indexed in enumerate(names):
            found[indexed.norm.joined_sorted].append(name_id)
        return {k: tuple(v) for k, v in found.items()}

    def exact_names(self, norm: NormName) -> list[int]:
        """Names made of exactly the query's tokens, in any order: their name score is 1.0."""
        texts = sorted(t.text for t in norm.tokens)
        return [
            name_id
            for name_id in self.exact.get(norm.joined_sorted, ())
            if sorted(t.text for t in self.names[name_id].norm.tokens) == texts
        ]

    @property
    def name_count(self) -> int:
        return len(self.names)

    def _add_deleted_from(self, variant: str, found: set[str]) -> None:
        origin = self.deletes.get(variant)
        if origin is None:
            return
        if isinstance(origin, str):
            found.add(origin)
        else:
            found.update(origin)

    def near_keys(self, key: str) -> set[str]:
        """Indexed skeletons equal to `key` or one edit away."""
        found: set[str] = set()
        self._add_deleted_from(key, found)
        if key in self.keys:
            found.add(key)
        for variant in deletions(key):
            if variant in self.keys:
                found.add(variant)
            self._add_deleted_from(variant, found)
        return found

    def _near_vocab(self, unit: Token, exact: bool) -> list[int]:
        vocab_ids: set[int] = set()
        for key in unit_keys(unit):
            for near in (key,) if exact else self.near_keys(key):
                vocab_ids.update(self.keys.get(near, ()))
        return list(vocab_ids)

    def _worth_checking(self, unit: Token, glued: bool) -> set[int]:
        """Vocabulary units to verify: close spellings (edit distance, in C), same phonetic key,
        glued article; everything near when either side lost its vowels to transliteration.
        Two query words glued (Li Ming -> liming) look for that very key only: they are there to
        find a listed name written as one word, which the space-less comparison then scores, and
        every name has its own glued pairs (one-edit look-ups of those were half the work)."""
        near = self._near_vocab(unit, exact=glued)
        if unit.vowelless:
            return set(near)
        texts = [self.vocab[v].text for v in near]
        extracted = process.extract(
            unit.text, texts, scorer=OSA.normalized_similarity, score_cutoff=PREFILTER, limit=None
        )
        chosen = {near[found[2]] for found in extracted}
        chosen.update(v for v in self.keys.get(unit.skel, ()) if self.vocab[v].key == unit.key)
        chosen.update(v for v in near if self.vocab[v].vowelless)
        if unit.text[:2] in ("al", "el") and len(unit.text) > 4:
            chosen.update(self.keys.get(skeleton(unit.text[2:]), ()))
        chosen.update(
            v for v in self.keys.get(unit.skel, ()) if self.vocab[v].text[:2] in ("al", "el")
        )
        return chosen

    def unit_hits(
        self, position: int, unit: Token, memo: UnitMemo, glued: bool = False
    ) -> list[UnitHit]:
        """Each vocabulary unit that truly resembles a query unit, rarest first (`glued`: two
        query words joined, see _worth_checking)."""
        cached = self._hits_cache.get(unit)
        if cached is not None:
            return cached
        if glued and not any(key in self.keys for key in unit_keys(unit)):
            return []  # the usual case: no listed unit is filed under the pair's keys
        hits = []
        for vocab_id in self._worth_checking(unit, glued):
            other = self.vocab[vocab_id]
            memo_key = (position, other.text)
            sim = memo.get(memo_key)
            if sim is None:
                sim = memo[memo_key] = token_similarity(unit, other)
            if sim >= MIN_PAIR:
                hits.append((len(self.vocab_names[vocab_id]), vocab_id, sim))
        hits.sort(key=itemgetter(0))  # stable: equal counts keep their order (ties downstream)
        if glued:
            return hits  # a pair of words rarely comes back: kept out of the cache
        if len(self._hits_cache) >= HITS_CACHE_LIMIT:
            self._hits_cache.clear()  # crude but bounded; a busy cache refills with the common tokens
        self._hits_cache[unit] = hits
        return hits

    def name_set(self, vocab_id: int) -> frozenset[int]:
        """The names holding a vocabulary unit, as a set (kept: asked for frequent units only)."""
        found = self._name_sets.get(vocab_id)
        if found is None:
            found = self._name_sets[vocab_id] = frozenset(self.vocab_names[vocab_id])
        return found

    def identifier_hits(self, values: Iterable[str]) -> set[int]:
        hits: set[int] = set()
        for value in values:
            key = identifier_key(value)
            hits.update(self.identifiers.get(key, ()))
            if len(key) in (8, 11):
                hits.update(self.identifiers.get("bic8:" + key[:8], ()))
        return hits
