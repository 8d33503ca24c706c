from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "No list loaded yet"}})
def readyz(runtime: RuntimeDep) -> JSONResponse:
    """Ready when at least one list is loaded; reports stale lists as a warning."""
    state = runtime.catalog.state
    stale = sorted(i for i, ll in state.lists.items() if ll.is_stale(runtime.settings.default_freshness_hours))
    if not state.ready:
        return JSONResponse(status_code=503, content={"status": "not_ready", "detail": "no list loaded yet"})
    rules_error = runtime.rules.last_error.detail if runtime.rules.last_error else None
    status = "warning" if stale or rules_error else "ok"
    body = {"status": status, "lists": len(state.lists), "entities": state.index.entity_count,
            "stale_lists": stale, "rules_error": rules_error}
    return JSONResponse(status_code=200, content=body)
