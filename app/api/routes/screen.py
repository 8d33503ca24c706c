from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from app.api.auth import Screener
from app.api.bodies import read_body
from app.api.deps import RuntimeDep, StateDep
from app.api.errors import ERROR_RESPONSES
from app.api.recording import idempotency_key, record_screening, replay, request_fingerprint
from app.api.schemas import MatchOut, PaymentScreenResponse, ScreenRequest, ScreenResponse
from app.catalog.state import CatalogState
from app.core.decision import Decision
from app.core.errors import IndexNotReady, InvalidQuery, UnknownList
from app.monitoring.suppression import suppression_document
from app.payments.messages import parse_payment_message
from app.payments.models import Transaction
from app.runtime import Runtime
from app.screening.outcome import ScreeningOutcome
from app.screening.party import screen_party
from app.screening.payment import screen_transaction

router = APIRouter(prefix="/v1", tags=["screening"])
MAX_MESSAGE_BYTES = 2 * 1024 * 1024


@router.post("/screen", responses=ERROR_RESPONSES, response_model=ScreenResponse)
def screen(body: ScreenRequest, request: Request, runtime: RuntimeDep, state: StateDep, who: Screener) -> ScreenResponse | JSONResponse:
    """Screen one party, or a whole payment (`transaction`), against the loaded lists and rules.

    Send an `Idempotency-Key` header to make retries safe: the same key and body return the
    first result without screening again; the same key with another body is a 409.
    """
    key, fingerprint = idempotency_key(request), request_fingerprint(body)
    if (earlier := replay(runtime, who, key, fingerprint, "screen")) is not None:
        return earlier
    lists = requested_lists(body.lists, state)
    if body.transaction is not None:
        outcome = _screen_payment(runtime, state, body.transaction, body.threshold, body.limit, lists)
        kind = "screening.payment"
    else:
        if not body.name and not body.identifiers:
            raise InvalidQuery("give a name, identifiers, a transaction, or both: the name is empty and no identifier was given")
        config = runtime.match_config(threshold=body.threshold, limit=body.limit, lists=lists)
        outcome = screen_party(body.to_query(), state.index, config=config, policy=runtime.policy(),
                               ruleset=runtime.rules.current, list_versions=state.versions(lists))
        kind = "screening"
    outcome, suppressed = _apply_suppressions(request, outcome, body.external_id)
    return _record(runtime, who, kind, body.model_dump(mode="json"), outcome, body.external_id, key, fingerprint,
                   "screen", state, suppressed=suppressed)  # type: ignore[return-value]


def _apply_suppressions(request: Request, outcome: ScreeningOutcome, external_id: str | None) -> tuple[ScreeningOutcome, list[MatchOut]]:
    """Approved false positives for this party (by external_id) are shown marked, not counted."""
    monitor = getattr(request.app.state, "monitor", None)
    if monitor is None or not external_id:
        return outcome, []
    applied = monitor.apply_suppressions(outcome, external_id)
    marked = [
        MatchOut.from_domain(s.match, s.role).model_copy(update={"suppressed": True, "suppressed_by": suppression_document(s.suppression)})
        for s in applied.suppressed
    ]
    return applied.outcome, marked


@router.post("/screen/payment", responses=ERROR_RESPONSES)
async def screen_payment_message(
    request: Request,
    runtime: RuntimeDep,
    state: StateDep,
    who: Screener,
    format: str | None = Query(default=None, pattern="^(pacs008|mt103)$", description="Default: detected"),
    external_id: str | None = Query(default=None, max_length=200),
) -> PaymentScreenResponse:
    """Screen a raw ISO 20022 pacs.008 XML document or SWIFT MT103 message (the request body)."""
    raw = await read_body(request, max_bytes=MAX_MESSAGE_BYTES, what="the pacs.008 XML or MT103 message")
    message_format, transactions = parse_payment_message(raw, format)
    requested_lists(None, state)
    screenings = []
    for transaction in transactions:
        outcome = _screen_payment(runtime, state, transaction, None, None, None)
        request_body = {"message_format": message_format, "transaction": transaction.model_dump(mode="json")}
        screenings.append(_record(runtime, who, "screening.payment", request_body, outcome, external_id, None, "", "", state))
    decision = Decision.strongest([Decision(s.decision) for s in screenings])
    return PaymentScreenResponse(decision=decision.value, message_format=message_format, screenings=screenings)


def _screen_payment(
    runtime: Runtime, state: CatalogState, transaction: Transaction, threshold: float | None,
    limit: int | None, lists: frozenset[str] | None,
) -> ScreeningOutcome:
    config = runtime.match_config(threshold=threshold, limit=limit, lists=lists)
    return screen_transaction(transaction, state.index, runtime.rules.current, config,
                              policy=runtime.policy(), list_versions=state.versions(lists))


def _record(
    runtime: Runtime, who: Screener, kind: str, request_body: dict[str, object], outcome: ScreeningOutcome,
    external_id: str | None, key: str | None, fingerprint: str, endpoint: str, state: CatalogState,
    *, suppressed: list[MatchOut] | None = None,
) -> ScreenResponse:
    stale = runtime.stale_lists(state)
    return record_screening(  # type: ignore[return-value]
        runtime, who, kind=kind, request_body=request_body, outcome=outcome, external_id=external_id,
        idem_key=key, fingerprint=fingerprint, endpoint=endpoint,
        suppressed=[m.model_dump(mode="json") for m in suppressed or []],
        respond=lambda sid: ScreenResponse.from_domain(sid, outcome, external_id, stale_lists=stale, suppressed=suppressed),
    )


def requested_lists(requested: list[str] | None, state: CatalogState) -> frozenset[str] | None:
    if not state.ready:
        raise IndexNotReady("no list is loaded yet; try again shortly or load a list")
    if requested is None:
        return None
    unknown = sorted(set(requested) - set(state.lists))
    if unknown:
        raise UnknownList(f"unknown list id(s): {', '.join(unknown)}; loaded: {', '.join(sorted(state.lists))}")
    return frozenset(requested)
