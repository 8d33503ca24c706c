"""The running service's parts, wired once from Settings: database, list catalog, rules.

Both the HTTP app (lifespan) and the CLI build a Runtime, so `exposure serve`, `exposure lists
import` and `exposure screen` see the same database and the same loaded lists.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from app.access.ratelimit import RateLimiter
from app.access.store import KeyStore
from app.catalog.refresh import FetchLimits, refresh_sources
from app.catalog.service import ListCatalog, LoadReport, LoadRequest
from app.catalog.state import CatalogState
from app.core.errors import RuleSetInvalid
from app.core.settings import Settings
from app.db.audit import write_audit
from app.db.engine import create_db_engine, migrate
from app.lists.sources import SourceSpec, load_sources
from app.matching.types import MatchConfig
from app.screening.party import ScreeningPolicy

if TYPE_CHECKING:
    from app.rules.loader import RuleSet

log = logging.getLogger(__name__)


class RulesHolder:
    """The rule packs in force. A reload that fails validation keeps the previous packs serving."""

    def __init__(self, rules_dir: Path) -> None:
        self.rules_dir = rules_dir
        self._current: RuleSet | None = None
        self.last_error: RuleSetInvalid | None = None

    @property
    def current(self) -> RuleSet | None:
        return self._current

    def reload(self, path: Path | None = None) -> RuleSet | None:
        target = path or self.rules_dir
        if target.is_dir() and not any(target.glob("*.yaml")):
            # No rule packs: decisions come from the lists alone.
            self._current, self.last_error = None, None
            return None
        from app.rules.loader import load_ruleset

        try:
            ruleset = load_ruleset(target)
        except RuleSetInvalid as exc:
            self.last_error = exc
            raise
        self._current, self.last_error = ruleset, None
        return ruleset


@dataclass
class Runtime:
    settings: Settings
    engine: sa.Engine
    catalog: ListCatalog
    rules: RulesHolder
    keys: KeyStore
    rate_limiter: RateLimiter
    sources: list[SourceSpec] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def open(cls, settings: Settings, *, with_index: bool = True) -> Runtime:
        """Connect, migrate, and load what the database holds (no network, no list files yet).

        Commands that only add or show list versions pass `with_index=False` and skip indexing.
        """
        engine = create_db_engine(settings.database_url)
        migrate(engine)
        catalog = ListCatalog(engine)
        catalog.load_from_db(with_index=with_index)
        sources = (
            load_sources(settings.sources_file, lists_dir=settings.lists_dir)
            if settings.sources_file and settings.sources_file.exists() else []
        )
        runtime = cls(
            settings=settings, engine=engine, catalog=catalog, rules=RulesHolder(settings.rules_dir),
            keys=KeyStore(engine), rate_limiter=RateLimiter(settings.rate_limit_per_minute), sources=sources,
        )
        catalog.add_listener(runtime._audit_list_change)
        return runtime

    def start(self) -> None:
        """What the service does on start: curated lists from lists/, rules, then remote sources."""
        self.sync_curated()
        self.catalog.keep_indexes_out_of_collection()
        self.reload_rules(actor="startup")
        if self.settings.refresh_on_start:
            missing = [s for s in self.sources if s.enabled and s.is_remote and s.id not in self.catalog.state.lists]
            if missing:
                threading.Thread(target=self._refresh_quietly, name="initial-refresh", daemon=True).start()
        if self.settings.refresh_interval_seconds:
            threading.Thread(target=self._refresh_loop, name="refresh-loop", daemon=True).start()
        if self.settings.sync_interval_seconds:
            threading.Thread(target=self._sync_loop, name="sync-loop", daemon=True).start()

    def sync_curated(self) -> list[LoadReport]:
        """Load the curated lists shipped in lists/ when their content differs from the stored one."""
        return self.refresh(include_remote=False)

    def refresh(self, only: str | None = None, *, include_remote: bool = True, actor: str = "system") -> list[LoadReport]:
        specs = self.sources if include_remote else [s for s in self.sources if not s.is_remote]
        return refresh_sources(
            self.catalog, specs, base_dir=self.settings.lists_dir, limits=self.fetch_limits(), only=only, actor=actor
        )

    def reload_rules(self, *, actor: str = "system") -> None:
        """Re-read the rule packs; a refused reload is audited too, and the old packs keep serving."""
        before = self.rules.current.version if self.rules.current else None
        try:
            ruleset = self.rules.reload()
        except RuleSetInvalid as exc:
            self._audit("rules.rejected", actor, {"rules_dir": str(self.rules.rules_dir), "problems": exc.problems})
            raise
        after = ruleset.version if ruleset else None
        if after != before:
            self._audit("rules.loaded", actor, {"rules_dir": str(self.rules.rules_dir), "version": after,
                                                "previous_version": before})

    def _audit_list_change(self, request: LoadRequest, report: LoadReport) -> None:
        self._audit(f"list.{report.status}", request.actor, {
            "list_id": report.list_id, "origin": request.origin, "format": request.fmt, "source": request.source,
            "version": report.version, "entry_count": report.entry_count, "added": report.added,
            "removed": report.removed, "changed": report.changed, "error": report.error,
        })

    def _audit(self, kind: str, actor: str, payload: dict[str, object]) -> None:
        write_audit(self.engine, record_id=str(uuid.uuid4()), kind=kind, actor=actor, payload=payload)

    def fetch_limits(self) -> FetchLimits:
        return FetchLimits(
            timeout=self.settings.download_timeout_seconds,
            max_bytes=self.settings.max_upload_bytes * 4,
            default_max_shrink=self.settings.max_shrink,
        )

    def match_config(
        self, *, threshold: float | None = None, limit: int | None = None, lists: frozenset[str] | None = None
    ) -> MatchConfig:
        return MatchConfig(
            threshold=self.settings.match_threshold if threshold is None else threshold,
            threshold_from_request=threshold is not None,
            limit=limit or self.settings.match_limit,
            lists=lists,
            list_thresholds=self.catalog.state.list_thresholds(),
        )

    def policy(self) -> ScreeningPolicy:
        infos = {list_id: loaded.info for list_id, loaded in self.catalog.state.lists.items()}
        return ScreeningPolicy(lists=infos, block_threshold=self.settings.block_threshold)

    def stale_lists(self, state: CatalogState | None = None) -> list[str]:
        state = state or self.catalog.state
        hours = self.settings.default_freshness_hours
        return sorted(list_id for list_id, loaded in state.lists.items() if loaded.is_stale(hours))

    def close(self) -> None:
        self._stop.set()
        self.catalog.return_indexes_to_collection()
        self.engine.dispose()

    def _refresh_quietly(self) -> None:
        try:
            for report in self.refresh(actor="scheduler"):
                if report.status in ("failed", "rejected"):
                    log.warning("refresh of %s %s: %s", report.list_id, report.status, report.error)
        except Exception:  # a background refresh must never take the service down
            log.exception("background refresh failed")

    def _sync_loop(self) -> None:
        while not self._stop.wait(self.settings.sync_interval_seconds):
            try:
                self.catalog.reload_changed()
            except Exception:  # the database may be briefly unreachable; try again next time
                log.exception("checking for new list versions failed")

    def _refresh_loop(self) -> None:
        while not self._stop.wait(self.settings.refresh_interval_seconds):
            self._refresh_quietly()
