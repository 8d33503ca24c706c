"""The immutable picture of what is loaded: the index plus each list's version and provenance.

A refresh builds a new CatalogState and swaps one reference, so a screening always sees one
consistent set of lists, and the versions it reports are the ones it screened against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.lists.models import ListInfo
from app.matching.index import MatchIndex
from app.screening.outcome import ListVersion


@dataclass(frozen=True, slots=True)
class LoadedList:
    info: ListInfo
    snapshot_id: int
    version: int
    content_hash: str
    entry_count: int
    format: str
    origin: str  # remote | curated | upload | import
    source: str | None
    fetched_at: datetime
    loaded_at: datetime
    checked_at: datetime | None = None
    freshness_hours: float | None = None

    def as_version(self) -> ListVersion:
        return ListVersion(self.info.id, self.version, self.content_hash, self.loaded_at, self.entry_count)

    def age(self, now: datetime | None = None) -> timedelta:
        """Time since the source was last fetched or confirmed unchanged."""
        last = self.checked_at or self.fetched_at
        return (now or datetime.now(UTC)) - _aware(last)

    def is_stale(self, default_hours: float, now: datetime | None = None) -> bool:
        # Curated and uploaded lists change by hand; only fetched lists can fall behind their source.
        if self.origin not in ("remote",):
            return False
        limit = self.freshness_hours or default_hours
        return self.age(now) > timedelta(hours=limit)


@dataclass(frozen=True, slots=True)
class CatalogState:
    index: MatchIndex = field(default_factory=lambda: MatchIndex.build({}))
    lists: dict[str, LoadedList] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return bool(self.lists)

    def versions(self, list_ids: frozenset[str] | None = None) -> tuple[ListVersion, ...]:
        return tuple(
            loaded.as_version()
            for list_id, loaded in sorted(self.lists.items())
            if list_ids is None or list_id in list_ids
        )

    def list_thresholds(self) -> dict[str, float]:
        return {
            list_id: loaded.info.default_threshold
            for list_id, loaded in self.lists.items()
            if loaded.info.default_threshold is not None
        }


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; everything we store is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
