"""Audit trail, API keys and idempotency records: tables and every query on them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from app.audit.chain import GENESIS, ChainedRecord, canonical_json, record_hash
from app.db.models import utcnow


class AuditRecord(SQLModel, table=True):
    """One screening or one change (lists, rules, keys). Append-only; hash-chained by `seq`."""

    __tablename__ = "audit_record"

    seq: int = Field(primary_key=True)
    record_id: str = Field(unique=True, max_length=64)
    kind: str = Field(index=True, max_length=40)
    created_at: datetime = Field(index=True, sa_type=sa.DateTime(timezone=True))
    actor: str = Field(max_length=200)
    external_id: str | None = Field(default=None, index=True, max_length=200)
    decision: str | None = Field(default=None, index=True, max_length=20)
    # ",ofac-sdn,fincen-311," — the lists that matched, for filtering without JSON operators.
    matched_lists: str = Field(default="", sa_type=sa.Text)
    payload: str = Field(sa_type=sa.Text)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The chain's newest link, one row, locked while a record is appended."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(default=GENESIS, max_length=64)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    role: str = Field(max_length=20)
    key_hash: str = Field(unique=True, max_length=64)
    prefix: str = Field(max_length=12)  # shown in listings so people can tell keys apart
    created_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))
    created_by: str = Field(max_length=100)
    revoked_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (sa.UniqueConstraint("actor", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=100)
    key: str = Field(max_length=200)
    endpoint: str = Field(max_length=100)
    request_hash: str = Field(max_length=64)
    status_code: int
    response: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True))


def append_record(
    session: Session, *, record_id: str, kind: str, actor: str, payload: dict[str, object],
    external_id: str | None = None, decision: str | None = None, matched_lists: Sequence[str] = (),
) -> AuditRecord:
    """Append one record to the chain. The caller's transaction must hold the head lock (see lock_head)."""
    head = lock_head(session)
    created_at = utcnow()
    body = canonical_json(payload)
    digest = record_hash(prev_hash=head.hash, record_id=record_id, kind=kind, created_at=created_at,
                         actor=actor, external_id=external_id, decision=decision, payload=body)
    record = AuditRecord(
        seq=head.seq + 1, record_id=record_id, kind=kind, created_at=created_at, actor=actor,
        external_id=external_id, decision=decision, payload=body, prev_hash=head.hash, hash=digest,
        matched_lists="".join(f",{m}" for m in sorted(set(matched_lists))) + ("," if matched_lists else ""),
    )
    head.seq, head.hash = record.seq, digest
    session.add(record)
    session.add(head)
    session.flush()
    return record


@dataclass(frozen=True, slots=True)
class PendingRecord:
    """One record to append in bulk (batch rows)."""

    kind: str
    actor: str
    payload: dict[str, object]
    external_id: str | None = None
    decision: str | None = None
    matched_lists: Sequence[str] = ()
    record_id: str = dc_field(default_factory=lambda: str(uuid.uuid4()))


def append_records(session: Session, pending: Sequence[PendingRecord]) -> None:
    """Append many records under one head lock, in one insert (a batch chunk's rows)."""
    if not pending:
        return
    head = lock_head(session)
    created_at = utcnow()
    rows, prev, seq = [], head.hash, head.seq
    for item in pending:
        body = canonical_json(item.payload)
        seq += 1
        digest = record_hash(prev_hash=prev, record_id=item.record_id, kind=item.kind, created_at=created_at,
                             actor=item.actor, external_id=item.external_id, decision=item.decision, payload=body)
        rows.append({
            "seq": seq, "record_id": item.record_id, "kind": item.kind, "created_at": created_at,
            "actor": item.actor, "external_id": item.external_id, "decision": item.decision, "payload": body,
            "prev_hash": prev, "hash": digest,
            "matched_lists": "".join(f",{m}" for m in sorted(set(item.matched_lists))) + ("," if item.matched_lists else ""),
        })
        prev = digest
    # Core, not ORM, insert (see db/batch.complete_chunk)
    session.execute(sa.insert(AuditRecord.__table__), rows)  # type: ignore[attr-defined]
    head.seq, head.hash = seq, prev
    session.add(head)
    session.flush()


def lock_head(session: Session) -> AuditHead:
    head = session.exec(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:
        head = AuditHead(id=1)
        session.add(head)
        session.flush()
    return head


def get_record(session: Session, record_id: str) -> AuditRecord | None:
    return session.exec(select(AuditRecord).where(AuditRecord.record_id == record_id)).first()


def find_records(
    session: Session, *, kind: str | None = None, since: datetime | None = None, until: datetime | None = None,
    decision: str | None = None, list_id: str | None = None, external_id: str | None = None,
    after_seq: int = 0, limit: int = 100,
) -> list[AuditRecord]:
    query = select(AuditRecord).where(AuditRecord.seq > after_seq)
    if kind:
        query = query.where(col(AuditRecord.kind).startswith(kind))
    if since:
        query = query.where(AuditRecord.created_at >= since)
    if until:
        query = query.where(AuditRecord.created_at < until)
    if decision:
        query = query.where(AuditRecord.decision == decision)
    if list_id:
        query = query.where(col(AuditRecord.matched_lists).contains(f",{list_id},"))
    if external_id:
        query = query.where(AuditRecord.external_id == external_id)
    return list(session.exec(query.order_by(col(AuditRecord.seq)).limit(limit)).all())


def iter_chain(session: Session, batch: int = 5000) -> Iterator[ChainedRecord]:
    """Every record in sequence order, read in pages so memory stays flat on a large trail."""
    last = 0
    while True:
        rows = session.exec(select(AuditRecord).where(AuditRecord.seq > last).order_by(col(AuditRecord.seq)).limit(batch)).all()
        if not rows:
            return
        for r in rows:
            yield ChainedRecord(r.seq, r.record_id, r.kind, r.created_at, r.actor, r.external_id,
                                r.decision, r.payload, r.prev_hash, r.hash)
        last = rows[-1].seq


def purge_before(session: Session, cutoff: datetime) -> int:
    """Delete records older than the retention period (the oldest kept record anchors the chain)."""
    result = session.execute(sa.delete(AuditRecord).where(col(AuditRecord.created_at) < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def write_audit(
    engine: sa.Engine, *, record_id: str, kind: str, actor: str, payload: dict[str, object],
    external_id: str | None = None, decision: str | None = None, matched_lists: Sequence[str] = (),
    idempotency: IdempotencyRecord | None = None,
) -> AuditRecord:
    """Append one record in its own transaction (with the idempotency record, atomically)."""
    # immediate=True: on SQLite take the write lock before reading the chain head.
    with Session(engine.execution_options(immediate=True)) as session:
        record = append_record(session, record_id=record_id, kind=kind, actor=actor, payload=payload,
                               external_id=external_id, decision=decision, matched_lists=matched_lists)
        if idempotency is not None:
            session.add(idempotency)
        session.commit()
        session.refresh(record)
        return record


def find_idempotent(session: Session, actor: str, key: str) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(IdempotencyRecord.actor == actor, IdempotencyRecord.key == key)
    return session.exec(query).first()
