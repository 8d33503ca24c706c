"""Audit and idempotency around the screening endpoints, kept out of the handlers."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.access.store import Principal
from app.audit.payload import matched_list_ids, screening_payload
from app.core.errors import Conflict, InvalidQuery
from app.db.audit import IdempotencyRecord, find_idempotent, write_audit
from app.runtime import Runtime
from app.screening.outcome import ScreeningOutcome

IDEMPOTENCY_HEADER = "idempotency-key"


def request_fingerprint(body: BaseModel | bytes) -> str:
    raw = body if isinstance(body, bytes) else json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not (0 < len(key) <= 200):
        raise InvalidQuery("Idempotency-Key must be 1 to 200 characters")
    return key


def replay(runtime: Runtime, principal: Principal, key: str | None, fingerprint: str, endpoint: str) -> JSONResponse | None:
    """The stored response of an earlier request with this key, or None if there was none."""
    if key is None:
        return None
    with Session(runtime.engine) as session:
        stored = find_idempotent(session, principal.name, key)
    if stored is None:
        return None
    if stored.request_hash != fingerprint or stored.endpoint != endpoint:
        raise Conflict("this Idempotency-Key was already used with a different request body")
    return JSONResponse(status_code=stored.status_code, content=json.loads(stored.response),
                        headers={"Idempotent-Replayed": "true"})


def record_screening(
    runtime: Runtime, principal: Principal, *, kind: str, request_body: dict[str, Any],
    outcome: ScreeningOutcome, external_id: str | None, respond: Callable[[str], BaseModel],
    idem_key: str | None, fingerprint: str, endpoint: str, suppressed: list[dict[str, Any]] | None = None,
) -> BaseModel | JSONResponse:
    """Write the audit record (and idempotency record) and build the response for it."""
    screening_id = str(uuid.uuid4())
    response = respond(screening_id)
    idem = None
    if idem_key is not None:
        idem = IdempotencyRecord(actor=principal.name, key=idem_key, endpoint=endpoint, request_hash=fingerprint,
                                 status_code=200, response=response.model_dump_json())
    try:
        write_audit(
            runtime.engine, record_id=screening_id, kind=kind, actor=principal.name,
            payload={**screening_payload(request_body, outcome), "suppressed_matches": suppressed or []},
            external_id=external_id,
            decision=outcome.decision.value, matched_lists=matched_list_ids(outcome), idempotency=idem,
        )
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its result.
        replayed = replay(runtime, principal, idem_key, fingerprint, endpoint)
        if replayed is None:
            raise
        return replayed
    return response
