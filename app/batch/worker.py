"""Background worker processes that screen batch jobs chunk by chunk.

Each worker is a separate process (spawn context: no state inherited from the web server) with
its own Runtime. It leases one chunk at a time from the database, screens it, and commits the
chunk's results together with its `done` mark. A killed worker therefore loses only the chunk in
hand; on the next start its lease is released at once (same host, process gone), or after the
lease expires (another host), and the chunk is redone from its byte offset.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from multiprocessing.context import SpawnProcess
from multiprocessing.synchronize import Event, Semaphore
from pathlib import Path

from sqlmodel import Session

from app.batch.options import BatchOptions, screening_context
from app.batch.plan import read_chunk
from app.batch.reader import FileLayout
from app.batch.results import RowResult
from app.batch.runner import screen_chunk
from app.core.errors import ScreeningError
from app.core.settings import Settings
from app.db import batch as batch_db
from app.db.engine import create_db_engine
from app.db.monitoring import MonitoringStore
from app.monitoring.service import event_body
from app.runtime import Runtime

log = logging.getLogger(__name__)
HOST = socket.gethostname()


@dataclass
class WorkerPool:
    processes: list[SpawnProcess]
    stop_event: Event
    started: Semaphore  # released once by each worker when its lists are indexed
    released_leases: int = 0
    _stopped: bool = field(default=False, repr=False)

    def wait_ready(self, timeout: float) -> bool:
        """True once every worker has loaded and indexed the lists (takes seconds per worker)."""
        deadline = time.monotonic() + timeout
        for _ in self.processes:
            if not self.started.acquire(timeout=max(0.0, deadline - time.monotonic())):
                return False
        for _ in self.processes:
            self.started.release()  # leave the count as it was: a second caller sees it too
        return True

    def stop(self, timeout: float = 15.0) -> None:
        """Ask workers to finish their chunk and exit; terminate any that do not."""
        self.stop_event.set()
        for process in self.processes:
            process.join(timeout)
            if process.is_alive():
                process.terminate()
                process.join(5)
        self._stopped = True

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes if p.pid is not None]


def start_workers(
    settings: Settings, *, count: int | None = None, lease_seconds: float = 300.0, poll_seconds: float = 0.5,
) -> WorkerPool:
    """Release chunks held by dead workers, then start `count` (default: settings.batch_workers) workers."""
    released = release_dead_leases(settings)
    context = multiprocessing.get_context("spawn")
    stop_event = context.Event()
    started = context.Semaphore(0)
    processes = [
        context.Process(target=run_worker, name=f"exposure-batch-{n}", daemon=True,
                        args=(settings.model_dump(), stop_event, lease_seconds, poll_seconds, started))
        for n in range(settings.batch_workers if count is None else count)
    ]
    for process in processes:
        process.start()
    return WorkerPool(processes, stop_event, started, released)


def release_dead_leases(settings: Settings) -> int:
    """Requeue the chunks of jobs left running by workers of this host that no longer exist."""
    engine = create_db_engine(settings.database_url)
    try:
        with Session(engine) as session:
            dead = [owner for owner in batch_db.lease_owners(session) if _is_dead_local_owner(owner)]
            released = batch_db.release_leases(session, dead)
    finally:
        engine.dispose()
    if released:
        log.info("requeued %d batch chunks left by stopped workers", released)
    return released


def _is_dead_local_owner(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != HOST or not pid.isdigit():
        return False  # another host's worker: its lease expiry tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def run_worker(
    settings_data: dict[str, object], stop_event: Event, lease_seconds: float, poll_seconds: float,
    started: Semaphore | None = None,
) -> None:
    """A worker process's main loop."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(processName)s: %(message)s")
    settings = Settings(**settings_data)  # type: ignore[arg-type]
    runtime = Runtime.open(settings)
    runtime.catalog.keep_indexes_out_of_collection()
    rules = _RulesWatcher(runtime)
    owner = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    log.info("batch worker %s started", owner)
    if started is not None:
        started.release()
    try:
        while not stop_event.is_set():
            try:
                busy = work_one_chunk(runtime, owner, lease_seconds, rules)
            except Exception:  # a database hiccup must not end the worker; its lease will expire
                log.exception("batch worker %s: unexpected error, retrying", owner)
                busy = False
            if not busy:
                stop_event.wait(poll_seconds)
    finally:
        runtime.close()


def work_one_chunk(runtime: Runtime, owner: str, lease_seconds: float, rules: _RulesWatcher) -> bool:
    """Lease, screen and commit one chunk; False when there was nothing to do."""
    with Session(runtime.engine) as session:
        leased = batch_db.lease_chunk(session, owner, lease_seconds=lease_seconds)
        if leased is None:
            return False
        try:
            runtime.catalog.reload_changed()  # a list refreshed by the server applies from the next chunk
            rules.refresh()
            results, actor = _screen_leased(runtime, session, leased)
        except (ScreeningError, OSError, ValueError, RuntimeError) as exc:
            log.exception("batch job %s failed on chunk %d", leased.job_id, leased.plan.chunk_no)
            session.rollback()
            detail = exc.detail if isinstance(exc, ScreeningError) else f"{type(exc).__name__}: {exc}"
            batch_db.fail_job(session, leased.job_id, f"chunk {leased.plan.chunk_no}: {detail}")
            return True
        completion = batch_db.complete_chunk(session, leased, results, actor=actor)
        if completion is batch_db.ChunkCompletion.LOST:
            log.info("batch job %s chunk %d dropped: job cancelled or lease lost", leased.job_id, leased.plan.chunk_no)
        elif completion is batch_db.ChunkCompletion.FINISHED_JOB:
            _announce_finished(runtime, session, leased.job_id)
        return True


def _announce_finished(runtime: Runtime, session: Session, job_id: str) -> None:
    """Queue the `batch.finished` webhook; the service's dispatcher delivers it."""
    counts = batch_db.job_counts(session, [job_id]).get(job_id, batch_db.JobCounts())
    data = {"batch_id": job_id, "status": "done", "rows_read": counts.rows_read, "screened": counts.screened,
            "rejected": counts.rejected, "matched": counts.matched, "results_url": f"/v1/batches/{job_id}/results"}
    try:
        MonitoringStore(runtime.engine).enqueue_event("batch.finished", event_body("batch.finished", data))
    except Exception:  # the job is done and stored; a lost notification must not fail it
        log.exception("could not queue batch.finished for %s", job_id)


def _screen_leased(runtime: Runtime, session: Session, leased: batch_db.LeasedChunk) -> tuple[list[RowResult], str]:
    """The chunk's results and who asked for the job (for the audit trail)."""
    job = batch_db.get_job(session, leased.job_id)
    if job is None:
        raise RuntimeError(f"batch job {leased.job_id} vanished")
    stored = batch_db.job_options(job)
    layout = FileLayout.from_dict(stored["layout"])  # type: ignore[arg-type]
    options = BatchOptions.from_dict(stored["batch"])  # type: ignore[arg-type]
    path = Path(runtime.settings.data_dir) / job.file_path
    # End the read transaction before screening: on SQLite a transaction that read, then waits
    # seconds, cannot upgrade to a write once another worker has committed (SQLITE_BUSY_SNAPSHOT).
    session.commit()
    rows = read_chunk(path, layout, leased.plan, max_field_length=runtime.settings.batch_max_field_length)
    return screen_chunk(rows, screening_context(runtime, options)), str(stored.get("actor", "batch"))


class _RulesWatcher:
    """Reloads the rule packs when their files change, so workers apply the rules the server applies."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.fingerprint: tuple[tuple[str, float], ...] | None = None
        self.refresh()

    def refresh(self) -> None:
        rules_dir = Path(self.runtime.settings.rules_dir)
        files = sorted(rules_dir.rglob("*.y*ml")) if rules_dir.is_dir() else []
        fingerprint = tuple((str(f), f.stat().st_mtime) for f in files)
        if fingerprint != self.fingerprint:
            self.runtime.rules.reload()  # an invalid rule file fails the chunk: never screen without rules
            self.fingerprint = fingerprint
