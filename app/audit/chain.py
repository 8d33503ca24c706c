"""The audit hash chain: each record's hash covers its content and the previous record's hash.

Changing, inserting or deleting a record in the database breaks every later link, so
`exposure audit verify` can show an examiner that the trail was not quietly edited.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class ChainedRecord:
    """The fields of an audit record that the hash covers."""

    seq: int
    record_id: str
    kind: str
    created_at: datetime
    actor: str
    external_id: str | None
    decision: str | None
    payload: str  # canonical JSON
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    record_id: str
    problem: str


def canonical_json(payload: Mapping[str, object]) -> str:
    """One byte-exact JSON text per payload, so the hash can be recomputed years later."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_hash(
    *, prev_hash: str, record_id: str, kind: str, created_at: datetime, actor: str,
    external_id: str | None, decision: str | None, payload: str,
) -> str:
    head = "\x1f".join((prev_hash, record_id, kind, _timestamp(created_at), actor, external_id or "", decision or ""))
    return hashlib.sha256(f"{head}\x1e{payload}".encode()).hexdigest()


def verify_chain(records: Iterable[ChainedRecord], *, anchor: str | None = None) -> tuple[int, ChainBreak | None]:
    """Check records in sequence order; return how many were checked and the first broken link.

    `anchor` is the expected prev_hash of the first record: GENESIS for a complete trail, or
    None to trust the first record's prev_hash (after records past retention were purged).
    """
    expected_prev = anchor
    checked = 0
    for record in records:
        if expected_prev is not None and record.prev_hash != expected_prev:
            return checked, ChainBreak(record.seq, record.record_id, "previous-hash link does not match (a record before it was removed or altered)")
        recomputed = record_hash(
            prev_hash=record.prev_hash, record_id=record.record_id, kind=record.kind,
            created_at=record.created_at, actor=record.actor, external_id=record.external_id,
            decision=record.decision, payload=record.payload,
        )
        if recomputed != record.hash:
            return checked, ChainBreak(record.seq, record.record_id, "content does not match its hash (the record was altered)")
        expected_prev = record.hash
        checked += 1
    return checked, None


def _timestamp(moment: datetime) -> str:
    # Naive datetimes come back from SQLite; everything is stored in UTC, so drop the offset.
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds")
