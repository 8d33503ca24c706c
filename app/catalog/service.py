"""ListCatalog: loads list versions into the database and the in-memory index, swapping atomically.

Writers (refresh, import, upload) are serialised by one lock; readers never wait: they take the
current `state` reference, which is replaced whole once a new version is stored and indexed.
A load that fails to parse or fails its integrity checks changes nothing but the record of
the rejected attempt.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from app.catalog.state import CatalogState, LoadedList
from app.core.errors import ListRejected, ScreeningError
from app.core.heap import exempt_from_collection, return_to_collection
from app.db import repository
from app.db.models import ListSnapshotRecord, ListSourceRecord
from app.lists.models import ListAction, ListEntry, ListInfo
from app.lists.parsers import parse_list
from app.lists.snapshot import check_load, content_hash, diff_lists, ensure_list_id, entry_hashes
from app.matching.index import MatchIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoadReport:
    list_id: str
    status: str  # loaded | unchanged | rejected | failed
    version: int | None = None
    entry_count: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    error: str | None = None
    snapshot_id: int | None = None


@dataclass(frozen=True, slots=True)
class LoadRequest:
    """One version of one list to load, wherever it came from."""

    info: ListInfo
    fmt: str
    path: Path
    origin: str  # remote | curated | upload | import
    source: str | None = None  # URL or path, for provenance
    freshness_hours: float | None = None
    max_shrink: float = 0.2
    fetched_at: datetime | None = None
    actor: str = "system"  # who asked for it: an API key name, "cli", "scheduler"


ChangeListener = Callable[[LoadRequest, LoadReport], None]


class ListCatalog:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._state = CatalogState()
        self._write_lock = threading.Lock()
        # Called after every load attempt that stored something or was refused (audit, monitoring,
        # webhooks hook in here); not for "unchanged".
        self._listeners: list[ChangeListener] = []
        # Long-running processes (the server, batch workers) set this: each new index is then
        # frozen out of the garbage collector's full collections (core/heap.py).
        self._freeze_indexes = False

    def _writer(self) -> Session:
        # Read-then-write transactions take SQLite's write lock up front: otherwise a commit by
        # another writer in between (monitoring, audit) makes the write fail with "locked".
        return Session(self._engine.execution_options(immediate=True))

    def add_listener(self, listener: ChangeListener) -> None:
        self._listeners.append(listener)

    @property
    def state(self) -> CatalogState:
        return self._state

    def load_from_db(self, *, with_index: bool = True) -> None:
        """Build the state from the active snapshots in the database.

        `with_index=False` reads only list metadata: enough for commands that show or add
        versions, and much faster than indexing every entry.
        """
        with self._write_lock, Session(self._engine) as session:
            loaded: dict[str, LoadedList] = {}
            entries: dict[str, list[ListEntry]] = {}
            for source, snapshot in repository.active_snapshots(session):
                loaded[source.list_id] = _loaded_list(source, snapshot)
                if with_index:
                    entries[source.list_id] = repository.load_entries(session, snapshot.id or 0)
            self._publish(CatalogState(index=MatchIndex.build(entries), lists=loaded))
        log.info("loaded %d lists from the database", len(loaded))

    def reload_changed(self) -> bool:
        """Pick up versions stored by another process (a CLI import, another worker).

        Only the lists whose active snapshot changed are re-read and re-indexed; the others keep
        their sub-index, as a refresh in this process would.
        """
        with self._write_lock, Session(self._engine) as session:
            stored = {src.list_id: (src, snap) for src, snap in repository.active_snapshots(session)}
            state = self._state
            changed = [i for i, (_, snap) in stored.items() if i not in state.lists or state.lists[i].snapshot_id != snap.id]
            gone = [i for i in state.lists if i not in stored]
            if not changed and not gone:
                return False
            index, lists = state.index, dict(state.lists)
            for list_id in gone:
                index, _ = index.without_list(list_id), lists.pop(list_id)
            for list_id in changed:
                source, snapshot = stored[list_id]
                index = index.with_list(list_id, repository.load_entries(session, snapshot.id or 0))
                lists[list_id] = _loaded_list(source, snapshot)
            self._publish(CatalogState(index=index, lists=lists))
        log.info("picked up new versions of %s", ", ".join(changed + gone))
        return True

    def load(self, request: LoadRequest) -> LoadReport:
        """Parse, check, store and index one list version. Never raises for bad data: reports it."""
        list_id = request.info.id
        try:
            entries = list(parse_list(request.fmt, request.path, list_id=list_id))
            ensure_list_id(entries, list_id)
            hashes = entry_hashes(entries)
        except ScreeningError as exc:  # unreadable file, unknown format, duplicate ids
            return self.reject(request, str(exc.detail), status="failed")
        with self._write_lock:
            return self._store_and_swap(request, entries, hashes)

    def _store_and_swap(self, request: LoadRequest, entries: list[ListEntry], hashes: dict[str, str]) -> LoadReport:
        list_id = request.info.id
        fingerprint = content_hash(hashes)
        fetched_at = request.fetched_at or datetime.now(UTC)
        with self._writer() as session:
            previous = repository.active_snapshot(session, list_id)
            if previous is not None and previous.content_hash == fingerprint:
                return self._confirm_unchanged(session, request, previous)
            try:
                check_load(list_id, len(entries), previous.entry_count if previous else None, request.max_shrink)
            except ListRejected as exc:
                session.rollback()
                return self.reject(request, exc.detail, status="rejected", entry_count=len(entries))
            old_hashes = repository.entry_hashes_of(session, previous.id or 0) if previous else {}
            diff = diff_lists(old_hashes, hashes)
            source = repository.upsert_source(
                session, request.info, fmt=request.fmt, origin=request.origin, freshness_hours=request.freshness_hours
            )
            snapshot = repository.store_snapshot(
                session, list_id, entries, hashes,
                content_hash=fingerprint, source=request.source, fetched_at=fetched_at, diff=diff,
            )
            repository.mark_checked(session, list_id, fetched_at)
            session.commit()
            loaded = _loaded_list(source, snapshot)
        self._swap(list_id, entries, loaded)
        report = LoadReport(
            list_id, "loaded", snapshot.version, len(entries),
            len(diff.added), len(diff.removed), len(diff.changed), snapshot_id=snapshot.id,
        )
        log.info("list %s version %s live: %d entries (+%d -%d ~%d)", list_id, report.version,
                 report.entry_count, report.added, report.removed, report.changed)
        self._notify(request, report)
        return report

    def _notify(self, request: LoadRequest, report: LoadReport) -> None:
        for listener in self._listeners:
            try:
                listener(request, report)
            except Exception:  # a failing listener must not undo a stored, live version
                log.exception("list change listener failed for %s", report.list_id)

    def _confirm_unchanged(self, session: Session, request: LoadRequest, previous: ListSnapshotRecord) -> LoadReport:
        checked = request.fetched_at or datetime.now(UTC)
        repository.mark_checked(session, request.info.id, checked)
        session.commit()
        current = self._state.lists.get(request.info.id)
        if current is not None:
            self._state = replace(self._state, lists={**self._state.lists, request.info.id: replace(current, checked_at=checked)})
        return LoadReport(request.info.id, "unchanged", previous.version, previous.entry_count, snapshot_id=previous.id)

    def _swap(self, list_id: str, entries: list[ListEntry], loaded: LoadedList) -> None:
        index = self._state.index.with_list(list_id, entries)
        self._publish(CatalogState(index=index, lists={**self._state.lists, list_id: loaded}))

    def keep_indexes_out_of_collection(self) -> None:
        """From now on, freeze each new index (core/heap.py); the current one at once."""
        self._freeze_indexes = True
        exempt_from_collection(reclaim_first=False)

    def return_indexes_to_collection(self) -> None:
        """Stop freezing, and unfreeze what was frozen (when the process stops serving)."""
        if self._freeze_indexes:
            self._freeze_indexes = False
            return_to_collection()

    def _publish(self, state: CatalogState) -> None:
        self._state = state
        if self._freeze_indexes:
            exempt_from_collection()

    def reject(self, request: LoadRequest, error: str, *, status: str, entry_count: int = 0) -> LoadReport:
        """Record a load that failed (unreadable) or was rejected (integrity checks); nothing changes."""
        log.warning("list %s not loaded (%s): %s", request.info.id, status, error)
        with self._writer() as session:
            # A trace of the attempt is kept only for lists we already know (a bad upload of a
            # brand-new list leaves nothing behind).
            if repository.get_source(session, request.info.id) is not None:
                repository.record_rejected(
                    session, request.info.id, source=request.source, error=error,
                    fetched_at=request.fetched_at or datetime.now(UTC), entry_count=entry_count,
                )
                session.commit()
        report = LoadReport(request.info.id, status, error=error, entry_count=entry_count)
        self._notify(request, report)
        return report

    def stored_info(self, list_id: str) -> tuple[ListInfo, str] | None:
        """The info and origin of a list the database knows, loaded or not."""
        with Session(self._engine) as session:
            source = repository.get_source(session, list_id)
            return (_info_of(source), source.origin) if source else None


def _info_of(source: ListSourceRecord) -> ListInfo:
    return ListInfo(
        id=source.list_id, name=source.name, authority=source.authority, category=source.category,
        default_action=ListAction(source.default_action), legal_basis=source.legal_basis,
        source_url=source.source_url, default_threshold=source.default_threshold,
    )


def _loaded_list(source: ListSourceRecord, snapshot: ListSnapshotRecord) -> LoadedList:
    return LoadedList(
        info=_info_of(source), snapshot_id=snapshot.id or 0, version=snapshot.version,
        content_hash=snapshot.content_hash, entry_count=snapshot.entry_count, format=source.format,
        origin=source.origin, source=snapshot.source, fetched_at=snapshot.fetched_at,
        loaded_at=snapshot.loaded_at, checked_at=source.checked_at, freshness_hours=source.freshness_hours,
    )
