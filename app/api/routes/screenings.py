"""Reading the audit trail: one screening, a filtered page of them, an export for examiners."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlmodel import Session

from app.api.auth import Auditor, Reader
from app.api.deps import RuntimeDep
from app.api.errors import ERROR_RESPONSES
from app.core.errors import UnknownEntity
from app.db.audit import AuditRecord, find_records, get_record

router = APIRouter(prefix="/v1", tags=["audit"])


class ScreeningRecordOut(BaseModel):
    screening_id: str
    seq: int
    kind: str
    created_at: datetime
    actor: str
    external_id: str | None
    decision: str | None
    record: dict[str, Any]
    hash: str
    prev_hash: str

    @classmethod
    def from_row(cls, row: AuditRecord) -> ScreeningRecordOut:
        return cls(screening_id=row.record_id, seq=row.seq, kind=row.kind, created_at=row.created_at,
                   actor=row.actor, external_id=row.external_id, decision=row.decision,
                   record=json.loads(row.payload), hash=row.hash, prev_hash=row.prev_hash)


class ScreeningPage(BaseModel):
    items: list[ScreeningRecordOut]
    next_cursor: int | None = None


@router.get("/screenings/{screening_id}", responses=ERROR_RESPONSES)
def get_screening(screening_id: str, runtime: RuntimeDep, who: Reader) -> ScreeningRecordOut:
    """One audit record: the request, list and rule versions, matches, rules and decision."""
    with Session(runtime.engine) as session:
        row = get_record(session, screening_id)
    if row is None:
        raise UnknownEntity(f"no screening {screening_id!r}")
    return ScreeningRecordOut.from_row(row)


@router.get("/screenings", responses=ERROR_RESPONSES)
def list_screenings(
    runtime: RuntimeDep,
    who: Reader,
    from_: datetime | None = Query(default=None, alias="from", description="ISO time, inclusive"),
    to: datetime | None = Query(default=None, description="ISO time, exclusive"),
    decision: str | None = Query(default=None, pattern="^(clear|review|block)$"),
    list_id: str | None = Query(default=None, max_length=100),
    external_id: str | None = Query(default=None, max_length=200),
    cursor: int = Query(default=0, ge=0, description="next_cursor of the previous page"),
    limit: int = Query(default=100, ge=1, le=1000),
) -> ScreeningPage:
    """Screenings in time order, filtered; page with `cursor`."""
    with Session(runtime.engine) as session:
        rows = find_records(session, kind="screening", since=from_, until=to, decision=decision,
                            list_id=list_id, external_id=external_id, after_seq=cursor, limit=limit)
    items = [ScreeningRecordOut.from_row(r) for r in rows]
    return ScreeningPage(items=items, next_cursor=rows[-1].seq if len(rows) == limit else None)


@router.get("/audit/export", responses=ERROR_RESPONSES)
def export_audit(
    runtime: RuntimeDep,
    who: Auditor,
    from_: datetime | None = Query(default=None, alias="from"),
    to: datetime | None = Query(default=None),
) -> StreamingResponse:
    """Every audit record in the period as JSON lines (screenings and changes), with their hashes."""
    return StreamingResponse(_export_lines(runtime, from_, to), media_type="application/x-ndjson",
                             headers={"Content-Disposition": 'attachment; filename="audit.jsonl"'})


def _export_lines(runtime: RuntimeDep, since: datetime | None, until: datetime | None) -> Iterator[bytes]:
    cursor = 0
    while True:
        with Session(runtime.engine) as session:
            rows = find_records(session, since=since, until=until, after_seq=cursor, limit=2000)
        for row in rows:
            yield (ScreeningRecordOut.from_row(row).model_dump_json() + "\n").encode()
        if len(rows) < 2000:
            return
        cursor = rows[-1].seq
