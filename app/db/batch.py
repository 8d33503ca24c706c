"""Batch jobs, their chunks and per-row results, with every query on them.

A job's file is cut into chunks at upload. Workers lease chunks one at a time; a chunk's results
and its `done` mark are committed in one transaction, so a crash loses at most the chunk in hand,
which is leased again and redone. (job_id, row_number) is the results' primary key: a redone or
doubly-leased chunk can never store a row twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from app.batch.plan import ChunkPlan
from app.batch.results import ResultFilter, RowResult
from app.db.audit import PendingRecord, append_records

ACTIVE = ("queued", "running")
RESULT_PAGE = 2000


def utcnow() -> datetime:
    return datetime.now(UTC)


class BatchJobRecord(SQLModel, table=True):
    __tablename__ = "batch_job"

    id: str = Field(primary_key=True, max_length=36)
    status: str = Field(index=True, max_length=16)  # queued | running | done | failed | cancelled
    file_name: str = Field(sa_type=sa.Text)  # as uploaded, for people
    file_path: str = Field(sa_type=sa.Text)  # relative to the data directory
    file_bytes: int = Field(sa_type=sa.BigInteger)
    options: str = Field(sa_type=sa.Text)  # JSON: BatchOptions and FileLayout
    rows_total: int = 0
    chunk_count: int = 0
    error: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    started_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    finished_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class BatchChunkRecord(SQLModel, table=True):
    __tablename__ = "batch_chunk"

    job_id: str = Field(foreign_key="batch_job.id", primary_key=True, max_length=36)
    chunk_no: int = Field(primary_key=True)
    byte_start: int = Field(sa_type=sa.BigInteger)
    first_row: int
    first_line: int
    row_count: int
    status: str = Field(default="pending", index=True, max_length=16)  # pending | leased | done
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_expires_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    screened: int = 0
    rejected: int = 0
    matched: int = 0
    list_versions: str | None = Field(default=None, sa_type=sa.Text)
    ruleset_version: str | None = Field(default=None, max_length=100)


class BatchResultRecord(SQLModel, table=True):
    __tablename__ = "batch_result"

    job_id: str = Field(foreign_key="batch_job.id", primary_key=True, max_length=36)
    row_number: int = Field(primary_key=True)
    chunk_no: int
    line_number: int
    record_id: str = Field(sa_type=sa.Text)
    name: str = Field(sa_type=sa.Text)
    status: str = Field(max_length=16)  # screened | rejected
    decision: str | None = Field(default=None, max_length=16)
    matched: bool = False
    best_score: float | None = None
    list_id: str | None = Field(default=None, max_length=100)
    entity_id: str | None = Field(default=None, max_length=300)
    matched_name: str | None = Field(default=None, sa_type=sa.Text)
    triggered_rules: str = Field(default="", sa_type=sa.Text)  # rule ids, space-separated
    reason: str | None = Field(default=None, max_length=40)
    detail: str | None = Field(default=None, sa_type=sa.Text)


@dataclass(frozen=True, slots=True)
class JobCounts:
    rows_read: int = 0
    screened: int = 0
    rejected: int = 0
    matched: int = 0


@dataclass(frozen=True, slots=True)
class LeasedChunk:
    job_id: str
    plan: ChunkPlan
    owner: str


def create_job(session: Session, job: BatchJobRecord, chunks: Sequence[ChunkPlan]) -> None:
    session.add(job)
    session.flush()
    if chunks:
        session.execute(sa.insert(BatchChunkRecord), [
            {"job_id": job.id, "chunk_no": c.chunk_no, "byte_start": c.byte_start, "first_row": c.first_row,
             "first_line": c.first_line, "row_count": c.row_count, "status": "pending"} for c in chunks
        ])


def count_active_jobs(session: Session) -> int:
    return session.scalar(select(sa.func.count()).select_from(BatchJobRecord).where(col(BatchJobRecord.status).in_(ACTIVE))) or 0


def get_job(session: Session, job_id: str) -> BatchJobRecord | None:
    return session.get(BatchJobRecord, job_id)


def list_jobs(session: Session, *, limit: int, offset: int) -> list[BatchJobRecord]:
    query = select(BatchJobRecord).order_by(col(BatchJobRecord.created_at).desc()).offset(offset).limit(limit)
    return list(session.exec(query))


def job_counts(session: Session, job_ids: Sequence[str]) -> dict[str, JobCounts]:
    """Counts of committed rows per job, summed from its done chunks."""
    c = BatchChunkRecord
    query = (sa.select(c.job_id, sa.func.sum(c.row_count), sa.func.sum(c.screened), sa.func.sum(c.rejected),
                       sa.func.sum(c.matched))
             .where(col(c.job_id).in_(job_ids), c.status == "done").group_by(c.job_id))
    return {row[0]: JobCounts(*(int(v or 0) for v in row[1:])) for row in session.execute(query)}


def cancel_job(session: Session, job_id: str) -> bool:
    """Cancel a queued or running job; False when it had already ended."""
    result = session.execute(sa.update(BatchJobRecord)
                             .where(col(BatchJobRecord.id) == job_id, col(BatchJobRecord.status).in_(ACTIVE))
                             .values(status="cancelled", finished_at=utcnow()))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def lease_chunk(session: Session, owner: str, *, lease_seconds: float) -> LeasedChunk | None:
    """Take the oldest active job's next free chunk (or one whose lease ran out), and commit."""
    now = utcnow()
    c, j = BatchChunkRecord, BatchJobRecord
    session.connection(execution_options={"immediate": True})
    free = sa.or_(c.status == "pending", sa.and_(c.status == "leased", col(c.lease_expires_at) < now))
    candidates = session.execute(
        sa.select(c.job_id, c.chunk_no).join(j, col(j.id) == c.job_id)
        .where(col(j.status).in_(ACTIVE), free).order_by(j.created_at, c.chunk_no).limit(8)
    ).all()
    for job_id, chunk_no in candidates:
        # The WHERE re-checks the chunk is free, so of two workers racing for it only one wins.
        won = session.execute(sa.update(c).where(c.job_id == job_id, c.chunk_no == chunk_no, free)
                              .values(status="leased", lease_owner=owner, lease_expires_at=now + timedelta(seconds=lease_seconds)))
        if won.rowcount != 1:  # type: ignore[attr-defined]
            continue
        session.execute(sa.update(j).where(j.id == job_id, j.status == "queued").values(status="running", started_at=now))
        chunk = session.get_one(BatchChunkRecord, (job_id, chunk_no))
        session.commit()
        return LeasedChunk(job_id, ChunkPlan(chunk.chunk_no, chunk.byte_start, chunk.first_row, chunk.first_line, chunk.row_count), owner)
    session.commit()
    return None


class ChunkCompletion(StrEnum):
    LOST = "lost"  # the lease was lost or the job ended: nothing stored
    STORED = "stored"
    FINISHED_JOB = "finished_job"  # stored, and it was the job's last open chunk


def complete_chunk(
    session: Session, leased: LeasedChunk, results: Sequence[RowResult], *, actor: str = "batch"
) -> ChunkCompletion:
    """Store a chunk's results and mark it done, in one transaction."""
    c, j = BatchChunkRecord, BatchJobRecord
    # Take the write lock up front (SQLite: BEGIN IMMEDIATE) so the busy timeout applies.
    session.connection(execution_options={"immediate": True})
    # PostgreSQL: lock the job row so chunk completions of one job run one at a time; otherwise
    # the last two could each see the other still open and neither would mark the job done.
    session.execute(sa.select(j.id).where(j.id == leased.job_id).with_for_update())
    screened = [r for r in results if r.status == "screened"]
    job_running = sa.exists().where(j.id == leased.job_id, j.status == "running")
    marked = session.execute(
        sa.update(c).where(c.job_id == leased.job_id, c.chunk_no == leased.plan.chunk_no, c.status == "leased",
                           c.lease_owner == leased.owner, job_running)
        .values(status="done", screened=len(screened), rejected=len(results) - len(screened),
                matched=sum(r.matched for r in results),
                list_versions=screened[0].list_versions if screened else None,
                ruleset_version=screened[0].ruleset_version if screened else None))
    if marked.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return ChunkCompletion.LOST
    # Core, not ORM, inserts: the ORM's bulk path re-groups rows by which values are None, at a
    # cost comparable to the database work itself.
    session.execute(sa.insert(BatchResultRecord.__table__), [_result_row(leased, r) for r in results])  # type: ignore[attr-defined]
    # Every screened row is a screening: its audit record is written with its result, atomically.
    append_records(session, [
        PendingRecord(kind="screening.batch_row", actor=actor, payload={**r.audit_payload, "batch_id": leased.job_id},
                      external_id=r.record_id, decision=r.decision,
                      matched_lists=[m["list_id"] for m in r.audit_payload.get("matches", [])])  # type: ignore[union-attr]
        for r in screened if r.audit_payload is not None
    ])
    finished = _finish_if_complete(session, leased.job_id)
    session.commit()
    return ChunkCompletion.FINISHED_JOB if finished else ChunkCompletion.STORED


def _finish_if_complete(session: Session, job_id: str) -> bool:
    c, j = BatchChunkRecord, BatchJobRecord
    open_chunks = sa.exists().where(c.job_id == job_id, c.status != "done")
    result = session.execute(sa.update(j).where(j.id == job_id, j.status == "running", ~open_chunks)
                             .values(status="done", finished_at=utcnow()))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _result_row(leased: LeasedChunk, r: RowResult) -> dict[str, object]:
    return {"job_id": leased.job_id, "row_number": r.row_number, "chunk_no": leased.plan.chunk_no,
            "line_number": r.line_number, "record_id": r.record_id, "name": r.name, "status": r.status,
            "decision": r.decision, "matched": r.matched, "best_score": r.best_score, "list_id": r.list_id,
            "entity_id": r.entity_id, "matched_name": r.matched_name, "triggered_rules": " ".join(r.triggered_rules),
            "reason": r.reason, "detail": r.detail}


def fail_job(session: Session, job_id: str, error: str) -> None:
    session.execute(sa.update(BatchJobRecord).where(col(BatchJobRecord.id) == job_id, col(BatchJobRecord.status).in_(ACTIVE))
                    .values(status="failed", error=error[:2000], finished_at=utcnow()))
    session.commit()


def release_leases(session: Session, owners_dead: Sequence[str]) -> int:
    """Free the chunks leased by workers known to be dead, so they are redone at once."""
    if not owners_dead:
        return 0
    c = BatchChunkRecord
    result = session.execute(sa.update(c).where(c.status == "leased", col(c.lease_owner).in_(owners_dead))
                             .values(status="pending", lease_owner=None, lease_expires_at=None))
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def lease_owners(session: Session) -> list[str]:
    c = BatchChunkRecord
    return [o for o in session.scalars(sa.select(c.lease_owner).where(c.status == "leased").distinct()) if o]


def iter_results(session: Session, job_id: str, only: ResultFilter) -> Iterator[RowResult]:
    """Results in row order, read a page at a time so memory stays flat for a million rows.
    Plain column tuples, not ORM objects: a million-row download spends its time here."""
    versions = _chunk_versions(session, job_id)
    table = BatchResultRecord.__table__  # type: ignore[attr-defined]
    columns = [table.c[name] for name in _RESULT_COLUMNS]
    last = 0
    while True:
        query = (
            sa.select(*columns)
            .where(table.c.job_id == job_id, table.c.row_number > last)
            .order_by(table.c.row_number)
            .limit(RESULT_PAGE)
        )
        if only is ResultFilter.MATCHES:
            query = query.where(table.c.matched == sa.true())
        elif only is ResultFilter.REJECTED:
            query = query.where(table.c.status == "rejected")
        page = session.execute(query).all()
        if not page:
            return
        for values in page:
            yield _row_result(dict(zip(_RESULT_COLUMNS, values, strict=True)), versions)
        last = page[-1][0]


_RESULT_COLUMNS = (
    "row_number", "chunk_no", "line_number", "record_id", "name", "status", "decision", "matched",
    "best_score", "list_id", "entity_id", "matched_name", "triggered_rules", "reason", "detail",
)


def _chunk_versions(session: Session, job_id: str) -> dict[int, tuple[str, str | None]]:
    c = BatchChunkRecord
    rows = session.execute(sa.select(c.chunk_no, c.list_versions, c.ruleset_version).where(c.job_id == job_id))
    return {no: (lists or "", rules) for no, lists, rules in rows}


def _row_result(record: dict[str, Any], versions: dict[int, tuple[str, str | None]]) -> RowResult:
    screened = record["status"] == "screened"
    lists, rules = versions.get(record["chunk_no"], ("", None)) if screened else ("", None)
    return RowResult(
        row_number=record["row_number"], line_number=record["line_number"], record_id=record["record_id"],
        name=record["name"], status=record["status"], decision=record["decision"], matched=bool(record["matched"]),
        best_score=record["best_score"], list_id=record["list_id"], entity_id=record["entity_id"],
        matched_name=record["matched_name"], triggered_rules=tuple(record["triggered_rules"].split()),
        reason=record["reason"], detail=record["detail"], list_versions=lists, ruleset_version=rules,
    )


def result_row_numbers(session: Session, job_id: str) -> list[int]:
    """Every stored row number of a job (tests and reconciliation)."""
    r = BatchResultRecord
    return list(session.scalars(sa.select(r.row_number).where(r.job_id == job_id).order_by(r.row_number)))


def job_options(job: BatchJobRecord) -> dict[str, object]:
    data = json.loads(job.options)
    assert isinstance(data, dict)
    return data
