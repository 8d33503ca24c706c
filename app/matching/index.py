"""PLACEHOLDER index (replaced by the matching engine work, issue 3). Same public interface.

MatchIndex is immutable: `with_list` returns a new index, so a refresh can build the next one
and swap the reference atomically while searches keep running on the old one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from app.lists.models import ListEntry
from app.matching.types import FeatureScore, Match, MatchConfig, MatchQuery


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


class MatchIndex:
    def __init__(self, lists: Mapping[str, Sequence[ListEntry]]) -> None:
        self._lists = {k: tuple(v) for k, v in lists.items()}
        self._by_id = {e.id: e for entries in self._lists.values() for e in entries}

    @classmethod
    def build(cls, lists: Mapping[str, Sequence[ListEntry]]) -> MatchIndex:
        return cls(lists)

    def with_list(self, list_id: str, entries: Sequence[ListEntry]) -> MatchIndex:
        return MatchIndex({**self._lists, list_id: entries})

    def without_list(self, list_id: str) -> MatchIndex:
        return MatchIndex({k: v for k, v in self._lists.items() if k != list_id})

    def list_ids(self) -> frozenset[str]:
        return frozenset(self._lists)

    def entries(self, list_id: str) -> Sequence[ListEntry]:
        return self._lists.get(list_id, ())

    def get(self, entity_id: str) -> ListEntry | None:
        return self._by_id.get(entity_id)

    @property
    def entity_count(self) -> int:
        return len(self._by_id)

    def search(self, query: MatchQuery, config: MatchConfig) -> list[Match]:
        q = _norm(query.name)
        found: list[Match] = []
        for list_id, entries in self._lists.items():
            if config.lists is not None and list_id not in config.lists:
                continue
            for entry in entries:
                best = max(
                    ((fuzz.token_sort_ratio(q, _norm(n)) / 100, n, s) for n, s in entry.all_names()),
                    key=lambda t: t[0],
                )
                if best[0] >= config.threshold:
                    feat = FeatureScore("name", best[0], 1.0, "token sort ratio", q, best[1])
                    found.append(Match(entry, best[0], best[1], best[2], (feat,), f"name {best[0]:.2f}"))
        found.sort(key=lambda m: m.score, reverse=True)
        return found[: config.limit]
