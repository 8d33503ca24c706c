"""Authentication and authorisation dependencies: API key -> principal -> permission check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from app.access.keys import allows
from app.access.store import Principal
from app.core.errors import Forbidden, RateLimited, Unauthorized
from app.runtime import Runtime

LOCAL = Principal(name="local", role="admin")


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def _presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.headers.get("x-api-key") or None


def current_principal(request: Request) -> Principal:
    runtime = _runtime(request)
    if not runtime.settings.auth_enabled:
        # Local embedded mode: one operator on their own machine; everything is allowed.
        return LOCAL
    key = _presented_key(request)
    if key is None:
        raise Unauthorized("an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")
    principal = runtime.keys.authenticate(key)
    if principal is None:
        raise Unauthorized("unknown or revoked API key")
    wait = runtime.rate_limiter.acquire(principal.name)
    if wait > 0:
        raise RateLimited(f"rate limit of {runtime.settings.rate_limit_per_minute} requests a minute exceeded", retry_after=wait)
    request.state.principal = principal
    return principal


def require(permission: str) -> Callable[[Request], Principal]:
    def check(request: Request) -> Principal:
        principal = current_principal(request)
        if not allows(principal.role, permission):
            raise Forbidden(f"the {principal.role!r} role may not {permission.replace('_', ' ')}")
        return principal

    return check


Screener = Annotated[Principal, Depends(require("screen"))]
BatchUser = Annotated[Principal, Depends(require("batch"))]
Reader = Annotated[Principal, Depends(require("read_screenings"))]
Reviewer = Annotated[Principal, Depends(require("review"))]
Admin = Annotated[Principal, Depends(require("admin"))]
Auditor = Annotated[Principal, Depends(require("audit_export"))]
