"""Scoring one list entry against one query, nomenklatura-style.

    score = max(main features) + sum(qualifiers), clamped to [0, 1]

Main features: `name` (best over the primary name and every alias; `weak_alias` when the best is
an alias the source marks weak, weighted 0.9) and `identifier` (an exact identifier is a hit
whatever the name says, and works with an empty query name). Qualifiers run only when a main
feature scored: matching DOB (+0.05 full date, +0.02 year) or country (+0.03) raise the score,
conflicting ones lower it (-0.15 different birth year, -0.08 same year other day, -0.1 no shared
country). Feature weights: features.FEATURE_WEIGHTS, overridable per request.

Kind (OFAC FAQ 5): a person never matches an organisation, vessel or aircraft; a query or entry of
unknown kind matches every kind. `kinds_compatible` is applied before any scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.lists.models import AliasStrength, EntityKind, ListEntry
from app.matching.candidates import ListIndex
from app.matching.features import (
    MAIN_FEATURES,
    NameHit,
    country_features,
    dob_features,
    identifier_feature,
    name_feature,
    weight_of,
)
from app.matching.normalize import NormName
from app.matching.similarity import Pair, SimilarityMemo, comparison_of, name_score
from app.matching.types import FeatureScore, MatchQuery
from app.matching.weights import TokenWeights

WEAK_ALIAS_FACTOR = 0.9


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    """A query normalised once per search."""

    query: MatchQuery
    norm: NormName
    weights: list[float]
    overrides: dict[str, float] | None
    memo: SimilarityMemo  # token similarities, filled during this one search


@dataclass(frozen=True, slots=True)
class ScoredEntry:
    entry: ListEntry
    score: float
    name_hit: NameHit | None
    features: tuple[FeatureScore, ...]


def kinds_compatible(query_kind: EntityKind | None, entry_kind: EntityKind) -> bool:
    if query_kind in (None, EntityKind.UNKNOWN) or entry_kind == EntityKind.UNKNOWN:
        return True
    return query_kind == entry_kind


_Choice = tuple[float, int, float, list[Pair], bool]  # value, name id, score, pairs, joined


def _best_choice(
    prepared: PreparedQuery, index: ListIndex, name_ids: Iterable[int], weights: TokenWeights
) -> _Choice | None:
    best: _Choice | None = None
    for name_id in name_ids:
        indexed = index.names[name_id]
        wc = weights.weights(indexed.norm.tokens)
        score, pairs, joined = name_score(
            prepared.norm, indexed.norm, prepared.weights, wc, prepared.memo
        )
        value = score * WEAK_ALIAS_FACTOR if indexed.strength == AliasStrength.WEAK else score
        if best is None or value > best[0]:
            best = (value, name_id, score, pairs, joined)
    return best


def best_name(
    prepared: PreparedQuery, index: ListIndex, name_ids: Iterable[int], weights: TokenWeights
) -> NameHit | None:
    """The name or alias among `name_ids` that scores highest (weak aliases discounted)."""
    best = _best_choice(prepared, index, name_ids, weights)
    if best is None:
        return None
    _, name_id, score, pairs, joined = best
    indexed = index.names[name_id]
    comparison = comparison_of(prepared.norm, indexed.norm, score, pairs, joined)
    return NameHit(comparison, indexed.norm.original, indexed.strength, indexed.is_primary)


def combine(features: list[FeatureScore]) -> float:
    main = [f.contribution for f in features if f.name in MAIN_FEATURES]
    qualifiers = [f.contribution for f in features if f.name not in MAIN_FEATURES]
    return _combined(main, qualifiers)


def _combined(main: list[float], qualifiers: list[float]) -> float:
    if not main or max(main) <= 0:
        return 0.0
    return max(0.0, min(1.0, max(main) + sum(qualifiers)))


def score_entry(
    prepared: PreparedQuery,
    index: ListIndex,
    entry_index: int,
    name_ids: Sequence[int] | None,
    weights: TokenWeights,
) -> ScoredEntry:
    """Score one entry on the given names (all of its names when `name_ids` is None)."""
    entry = index.entries[entry_index]
    features: list[FeatureScore] = []
    if name_ids is None:
        name_ids = index.entry_names[entry_index]
    hit = best_name(prepared, index, name_ids, weights) if not prepared.norm.is_empty else None
    if hit is not None:
        features.append(name_feature(prepared.query.name, hit, prepared.overrides))
    ident = identifier_feature(prepared.query, entry, prepared.overrides)
    if ident is not None:
        features.append(ident)
    features.extend(dob_features(prepared.query, entry, prepared.overrides))
    features.extend(country_features(prepared.query, entry, prepared.overrides))
    return ScoredEntry(entry, combine(features), hit, tuple(features))


def entry_score(
    prepared: PreparedQuery,
    index: ListIndex,
    entry_index: int,
    name_ids: Sequence[int] | None,
    weights: TokenWeights,
) -> float:
    """`score_entry(...).score` without building the explanation: most candidates score below
    the threshold, and only the ones that pass need their features spelled out."""
    entry = index.entries[entry_index]
    if name_ids is None:
        name_ids = index.entry_names[entry_index]
    main: list[float] = []
    best = _best_choice(prepared, index, name_ids, weights) if not prepared.norm.is_empty else None
    if best is not None:
        weak = index.names[best[1]].strength == AliasStrength.WEAK
        main.append(best[2] * weight_of("weak_alias" if weak else "name", prepared.overrides))
    ident = identifier_feature(prepared.query, entry, prepared.overrides)
    if ident is not None:
        main.append(ident.contribution)
    qualifiers = dob_features(prepared.query, entry, prepared.overrides)
    qualifiers += country_features(prepared.query, entry, prepared.overrides)
    return _combined(main, [f.contribution for f in qualifiers])
