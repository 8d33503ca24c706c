"""Public types of the matching engine: what goes in (MatchQuery, MatchConfig), what comes out.

These are the contract between the matcher and everything that calls it (screening, batch,
monitoring, the API). Keep them stable; add fields with defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.lists.models import AliasStrength, EntityKind, IdentifierType, ListEntry


@dataclass(frozen=True, slots=True)
class QueryIdentifier:
    type: IdentifierType
    value: str


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """One party to screen. `name` may be empty when identifiers are given (a bank by BIC only)."""

    name: str
    kind: EntityKind | None = None  # None: any kind
    countries: tuple[str, ...] = ()  # ISO alpha-2
    birth_date: str | None = None  # partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD
    identifiers: tuple[QueryIdentifier, ...] = ()


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Options for one search. Built by the API/CLI from settings and the request."""

    threshold: float = 0.80
    limit: int = 10
    lists: frozenset[str] | None = None  # None: every loaded list
    # Per-list default thresholds, used when the request gives no threshold of its own.
    list_thresholds: Mapping[str, float] = field(default_factory=dict)
    threshold_from_request: bool = False
    # Feature weight overrides by feature name.
    weights: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FeatureScore:
    """One feature's contribution to a match score, with what it compared."""

    name: str
    score: float  # the feature's raw score in [0, 1]
    weight: float  # its weight; contribution = score * weight
    detail: str  # a sentence an officer can read: why this feature scored as it did
    query: str | None = None
    candidate: str | None = None

    @property
    def contribution(self) -> float:
        return self.score * self.weight


@dataclass(frozen=True, slots=True)
class Match:
    entry: ListEntry
    score: float  # final score in [0, 1]
    matched_name: str  # the list name or alias (original spelling) that matched
    name_strength: AliasStrength
    features: tuple[FeatureScore, ...]
    explanation: str  # one-line summary built from the features

    @property
    def entity_id(self) -> str:
        return self.entry.id

    @property
    def list_id(self) -> str:
        return self.entry.list_id
