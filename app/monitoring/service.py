"""The monitoring service: runs on every list change, raises alerts, publishes webhook events.

`install_monitoring(runtime)` hooks a Monitor into the catalog: each loaded snapshot is queued
and screened by one background thread (so a list upload returns at once, and two runs never
race on the same alert), then `list.updated` and `alert.created` events go to the webhook
dispatcher. Settings are read here, at the boundary; the domain modules take plain values.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.catalog.service import LoadReport, LoadRequest
from app.db.monitoring import AlertRecord, MonitoringStore
from app.lists.models import ListEntry
from app.matching.types import MatchConfig
from app.monitoring.alerts import ListChange, RunPlan, plan_alerts
from app.monitoring.delta import screen_delta
from app.monitoring.review import AlertState, ReviewAction, Transition
from app.monitoring.suppression import SuppressedScreening, Suppression, apply_suppressions, expiry
from app.screening.outcome import ScreeningOutcome
from app.webhooks.delivery import RetryPolicy
from app.webhooks.dispatcher import Dispatcher

if TYPE_CHECKING:
    from app.runtime import Runtime

log = logging.getLogger(__name__)
EVENTS = ("alert.created", "alert.decided", "list.updated", "batch.finished")


@dataclass(frozen=True, slots=True)
class MonitorOptions:
    """Monitoring settings; `from_settings` reads them with these defaults."""

    suppression_days: int = 365  # 0: approved false positives never expire
    threshold: float | None = None  # None: the screening threshold (per list)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    poll_seconds: float = 1.0  # how often the dispatcher looks for due retries

    @classmethod
    def from_settings(cls, settings: object) -> MonitorOptions:
        retry = RetryPolicy(
            max_attempts=int(getattr(settings, "webhook_max_attempts", 6)),
            base_delay_seconds=float(getattr(settings, "webhook_retry_base_seconds", 10.0)),
            max_delay_seconds=float(getattr(settings, "webhook_retry_max_seconds", 3600.0)),
            timeout_seconds=float(getattr(settings, "webhook_timeout_seconds", 10.0)),
        )
        threshold = getattr(settings, "monitor_threshold", None)
        return cls(suppression_days=int(getattr(settings, "suppression_days", 365)),
                   threshold=float(threshold) if threshold is not None else None, retry=retry,
                   poll_seconds=float(getattr(settings, "webhook_poll_seconds", 1.0)))


@dataclass(frozen=True, slots=True)
class RunReport:
    list_id: str
    snapshot_id: int
    screened_entries: int
    parties: int
    hits: int
    alerts: list[int]
    already_open: int
    suppressed: int
    seconds: float


class Monitor:
    def __init__(self, runtime: Runtime, options: MonitorOptions) -> None:
        self.runtime = runtime
        self.options = options
        self.store = MonitoringStore(runtime.engine)
        self.dispatcher = Dispatcher(self.store, options.retry, poll_seconds=options.poll_seconds)
        self._queue: queue.Queue[tuple[LoadRequest, LoadReport] | None] = queue.Queue()
        self._idle = threading.Condition()
        self._pending = 0
        self._worker = threading.Thread(target=self._work, name="monitoring", daemon=True)
        self.last_runs: list[RunReport] = []
        self._stopped = False

    def start(self) -> None:
        self._worker.start()
        self.dispatcher.start()

    def configure(self, options: MonitorOptions) -> None:
        """Swap the options of a running monitor (retry policy, expiry, threshold)."""
        self.options = options
        self.dispatcher.configure(options.retry, options.poll_seconds)

    def stop(self) -> None:
        """Finish the queued runs and stop both threads; safe to call more than once."""
        if self._stopped:
            return
        self._stopped = True
        self._queue.put(None)
        self._worker.join(timeout=30)
        self.dispatcher.stop()

    # -- catalog listener --------------------------------------------------------------------
    def on_list_change(self, request: LoadRequest, report: LoadReport) -> None:
        if report.status != "loaded" or report.snapshot_id is None:
            return
        with self._idle:
            self._pending += 1
        self._queue.put((request, report))

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until every queued list change has been screened (tests, CLI)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            request, report = item
            try:
                self.publish("list.updated", _list_event(request, report))
                self.run(report)
            except Exception:  # one failed run must not stop monitoring of the next change
                log.exception("monitoring run for %s failed", report.list_id)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    # -- the run -----------------------------------------------------------------------------
    def run(self, report: LoadReport) -> RunReport:
        """Screen every monitored party against the added and changed entries of one snapshot."""
        started = time.perf_counter()
        state = self.runtime.catalog.state
        changes = self._changes(report.snapshot_id or 0)
        entries = [e for e in (state.index.get(i) for i in changes) if e is not None]
        change = ListChange(report.list_id, report.snapshot_id or 0, report.version or 0, changes)
        hits = list(screen_delta(self.store.iter_parties(), entries, state.index, self._config()))
        ids = sorted({h.match.entity_id for h in hits})
        plan = plan_alerts(
            hits, change, _hashes(entries), open_pairs=self.store.open_pairs(ids),
            suppressions=self.store.suppressions_on(ids), now=datetime.now(UTC),
            policy=self.runtime.policy(), ruleset=self.runtime.rules.current,
        )
        rows = self._store_alerts(plan, change, len(entries), len(hits)) if entries else []
        run = RunReport(report.list_id, change.snapshot_id, len(entries), self.store.count_customers(), len(hits),
                        [r.id or 0 for r in rows], plan.already_open, plan.suppressed, time.perf_counter() - started)
        self.last_runs = [*self.last_runs[-19:], run]
        log.info("monitoring %s v%s: %d changed entries, %d hits, %d alerts in %.1fs", report.list_id,
                 report.version, len(entries), len(hits), len(rows), run.seconds)
        return run

    def _changes(self, snapshot_id: int) -> dict[str, str]:
        # Removed entries cannot raise a hit; open alerts on them stay for the reviewers.
        return {i: c for i, c in self.store.snapshot_changes(snapshot_id) if c in ("added", "changed")}

    def _store_alerts(self, plan: RunPlan, change: ListChange, entries: int, hits: int) -> list[AlertRecord]:
        summary: dict[str, object] = {"list_id": change.list_id, "snapshot_id": change.snapshot_id,
                                      "version": change.version, "screened_entries": entries, "hits": hits,
                                      "already_open": plan.already_open, "suppressed": plan.suppressed}
        rows = self.store.insert_alerts(plan.alerts, run=summary)
        for row in rows:
            self.publish("alert.created", {"alert_id": row.id, "external_id": row.external_id,
                                           "entity_id": row.entity_id, "score": row.score,
                                           "decision": row.decision, "change": json.loads(row.change)})
        return rows

    def _config(self) -> MatchConfig:
        # Every hit on a changed entry matters, not only the top few of a normal screening.
        return self.runtime.match_config(threshold=self.options.threshold, limit=100)

    # -- what the rest of the service uses ---------------------------------------------------
    def publish(self, event: str, data: Mapping[str, object]) -> int:
        """Queue a signed delivery of `event` to every hook subscribed to it."""
        count = self.store.enqueue_event(event, event_body(event, data))
        if count:
            self.dispatcher.wake()
        return count

    def suppressions_for(self, external_id: str) -> dict[str, list[Suppression]]:
        """entity id -> suppressions recorded for this party (newest first), valid or not."""
        return self.store.suppressions_for(external_id)

    def apply_suppressions(self, outcome: ScreeningOutcome, external_id: str | None) -> SuppressedScreening:
        """A screening outcome with this party's valid suppressions applied (unchanged without id)."""
        if not external_id:
            return SuppressedScreening(outcome, ())
        return apply_suppressions(outcome, self.suppressions_for(external_id), now=datetime.now(UTC),
                                  policy=self.runtime.policy(), ruleset=self.runtime.rules.current)

    def review(self, alert_id: int, step: Callable[[AlertState], Transition]) -> AlertRecord:
        """Apply one four-eyes step (stored and audited atomically); a decision sends `alert.decided`."""
        row, review, suppression = self.store.apply_review(alert_id, step, expires_at=self.expiry_for())
        if review.action != ReviewAction.PROPOSE.value:
            self.publish("alert.decided", {
                "alert_id": row.id, "external_id": row.external_id, "entity_id": row.entity_id,
                "status": row.status, "disposition": row.disposition, "action": review.action,
                "decided_by": review.actor, "suppression_id": suppression.id if suppression else None,
            })
        return row

    def expiry_for(self) -> Callable[[datetime], datetime | None]:
        return lambda approved_at: expiry(approved_at, self.options.suppression_days)


def event_body(event: str, data: Mapping[str, object]) -> bytes:
    """The JSON body of a webhook delivery. A process without a Monitor (a batch worker) can queue
    an event with `MonitoringStore(engine).enqueue_event(event, event_body(event, data))`; the
    service's dispatcher sends it within its poll interval."""
    return json.dumps({"event": event, "created_at": datetime.now(UTC).isoformat(), "data": data},
                      sort_keys=True, default=str).encode()


def _hashes(entries: list[ListEntry]) -> dict[str, str]:
    return {e.id: e.content_hash() for e in entries}


def _list_event(request: LoadRequest, report: LoadReport) -> dict[str, object]:
    return {"list_id": report.list_id, "version": report.version, "snapshot_id": report.snapshot_id,
            "entry_count": report.entry_count, "added": report.added, "removed": report.removed,
            "changed": report.changed, "origin": request.origin}


def install_monitoring(runtime: Runtime, options: MonitorOptions | None = None) -> Monitor:
    """Create the Monitor, listen to list changes, start its threads. Call once, after Runtime.open."""
    monitor = Monitor(runtime, options or MonitorOptions.from_settings(runtime.settings))
    runtime.catalog.add_listener(monitor.on_list_change)
    monitor.start()
    return monitor
