"""Pure list-snapshot logic: fingerprints, integrity checks and diffs between two versions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.core.errors import ListRejected
from app.lists.models import ListEntry


@dataclass(frozen=True, slots=True)
class ListDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def entry_hashes(entries: Iterable[ListEntry]) -> dict[str, str]:
    """entity id -> content hash, refusing duplicate ids (they would silently hide an entry)."""
    hashes: dict[str, str] = {}
    for entry in entries:
        if entry.id in hashes:
            raise ListRejected(f"duplicate entity id {entry.id!r} in the list")
        hashes[entry.id] = entry.content_hash()
    return hashes


def content_hash(hashes: Mapping[str, str]) -> str:
    """A list's fingerprint: independent of entry order and of the file format it came from."""
    digest = hashlib.sha256()
    for entity_id in sorted(hashes):
        digest.update(f"{entity_id}\t{hashes[entity_id]}\n".encode())
    return digest.hexdigest()


def check_load(list_id: str, new_count: int, previous_count: int | None, max_shrink: float) -> None:
    """Refuse a load that is empty or lost more than `max_shrink` of the previous entries.

    A truncated download parses fine and would silently drop sanctioned parties, so a sudden
    shrink is treated as a fault to investigate, not as news.
    """
    if new_count == 0:
        raise ListRejected(f"{list_id}: the new version has no entries")
    if previous_count:
        lost = (previous_count - new_count) / previous_count
        if lost > max_shrink:
            raise ListRejected(
                f"{list_id}: the new version has {new_count} entries, {lost:.0%} fewer than the "
                f"{previous_count} now loaded (limit {max_shrink:.0%}); rejected, previous version kept"
            )


def diff_lists(old: Mapping[str, str], new: Mapping[str, str]) -> ListDiff:
    """Entries added, removed and changed between two versions (both as id -> content hash)."""
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    changed = sorted(k for k in new.keys() & old.keys() if new[k] != old[k])
    return ListDiff(tuple(added), tuple(removed), tuple(changed))


def ensure_list_id(entries: Sequence[ListEntry], list_id: str) -> None:
    for entry in entries:
        if entry.list_id != list_id:
            raise ListRejected(f"entry {entry.id!r} belongs to list {entry.list_id!r}, not {list_id!r}")
