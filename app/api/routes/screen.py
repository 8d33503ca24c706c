from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.api.auth import Screener
from app.api.deps import RuntimeDep, StateDep
from app.api.errors import ERROR_RESPONSES
from app.api.recording import idempotency_key, record_screening, replay, request_fingerprint
from app.api.schemas import ScreenRequest, ScreenResponse
from app.catalog.state import CatalogState
from app.core.errors import IndexNotReady, InvalidQuery, UnknownList
from app.screening.party import screen_party

router = APIRouter(prefix="/v1", tags=["screening"])


@router.post("/screen", responses=ERROR_RESPONSES, response_model=ScreenResponse)
def screen(body: ScreenRequest, request: Request, runtime: RuntimeDep, state: StateDep, who: Screener) -> ScreenResponse | JSONResponse:
    """Screen one party against the loaded lists and rules; returns the decision with its reasons.

    Send an `Idempotency-Key` header to make retries safe: the same key and body return the
    first result without screening again; the same key with another body is a 409.
    """
    key, fingerprint = idempotency_key(request), request_fingerprint(body)
    if (earlier := replay(runtime, who, key, fingerprint, "screen")) is not None:
        return earlier
    lists = requested_lists(body.lists, state)
    if not body.name and not body.identifiers:
        raise InvalidQuery("give a name, identifiers, or both: the name is empty and no identifier was given")
    config = runtime.match_config(threshold=body.threshold, limit=body.limit, lists=lists)
    outcome = screen_party(
        body.to_query(), state.index, config=config, policy=runtime.policy(),
        ruleset=runtime.rules.current, list_versions=state.versions(lists),
    )
    stale = runtime.stale_lists(state)
    return record_screening(  # type: ignore[return-value]
        runtime, who, kind="screening", request_body=body.model_dump(mode="json"), outcome=outcome,
        external_id=body.external_id, idem_key=key, fingerprint=fingerprint, endpoint="screen",
        respond=lambda sid: ScreenResponse.from_domain(sid, outcome, body.external_id, stale_lists=stale),
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
