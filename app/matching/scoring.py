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

from dataclasses import dataclass

from app.lists.models import EntityKind, ListEntry
from app.matching.candidates import ListIndex
from app.matching.features import (
    MAIN_FEATURES,
    NameHit,
    country_features,
    dob_features,
    identifier_feature,
    name_feature,
)
from app.matching.normalize import NormName
from app.matching.similarity import compare_names
from app.matching.types import FeatureScore, MatchQuery
from app.matching.weights import TokenWeights


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    """A query normalised once per search."""

    query: MatchQuery
    norm: NormName
    weights: list[float]
    overrides: dict[str, float] | None


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


def best_name(
    prepared: PreparedQuery, index: ListIndex, entry_index: int, weights: TokenWeights
) -> NameHit | None:
    """The entry's name or alias that scores highest against the query (weak aliases discounted)."""
    best: NameHit | None = None
    best_value = -1.0
    for name_id in index.entry_names[entry_index]:
        indexed = index.names[name_id]
        comparison = compare_names(
            prepared.norm, indexed.norm, prepared.weights, weights.weights(indexed.norm.tokens)
        )
        value = comparison.score * (0.9 if indexed.strength == "weak" else 1.0)
        if value > best_value:
            best_value = value
            best = NameHit(comparison, indexed.norm.original, indexed.strength, indexed.is_primary)
    return best


def combine(features: list[FeatureScore]) -> float:
    main = [f.contribution for f in features if f.name in MAIN_FEATURES]
    if not main or max(main) <= 0:
        return 0.0
    qualifiers = sum(f.contribution for f in features if f.name not in MAIN_FEATURES)
    return max(0.0, min(1.0, max(main) + qualifiers))


def score_entry(
    prepared: PreparedQuery, index: ListIndex, entry_index: int, weights: TokenWeights
) -> ScoredEntry:
    entry = index.entries[entry_index]
    features: list[FeatureScore] = []
    hit = best_name(prepared, index, entry_index, weights) if not prepared.norm.is_empty else None
    if hit is not None:
        features.append(name_feature(prepared.query.name, hit, prepared.overrides))
    ident = identifier_feature(prepared.query, entry, prepared.overrides)
    if ident is not None:
        features.append(ident)
    features.extend(dob_features(prepared.query, entry, prepared.overrides))
    features.extend(country_features(prepared.query, entry, prepared.overrides))
    return ScoredEntry(entry, combine(features), hit, tuple(features))
