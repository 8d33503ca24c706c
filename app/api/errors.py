"""Maps domain errors to HTTP statuses in one table and renders {"error", "detail"} bodies."""

from __future__ import annotations

import logging
import math

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.schemas import ErrorBody
from app.core import errors

log = logging.getLogger(__name__)

STATUS_BY_ERROR: dict[type[errors.ScreeningError], int] = {
    errors.InvalidQuery: 400,
    errors.UnknownFormat: 400,
    errors.ListFormatError: 400,
    errors.ListRejected: 422,
    errors.PaymentMessageError: 400,
    errors.RuleSetInvalid: 422,
    errors.UnknownList: 404,
    errors.UnknownEntity: 404,
    errors.Conflict: 409,
    errors.PayloadTooLarge: 413,
    errors.IndexNotReady: 503,
    errors.SourceUnavailable: 502,
    errors.Unauthorized: 401,
    errors.Forbidden: 403,
    errors.RateLimited: 429,
}


def status_for(exc: errors.ScreeningError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]  # type: ignore[index]
    return 400


def error_response(status: int, error: str, detail: object) -> JSONResponse:
    body = ErrorBody(error=error, detail=detail)  # type: ignore[arg-type]
    return JSONResponse(status_code=status, content=body.model_dump())


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.ScreeningError)
    async def _domain(_: Request, exc: errors.ScreeningError) -> JSONResponse:
        response = error_response(status_for(exc), type(exc).__name__, exc.detail)
        if isinstance(exc, errors.RuleSetInvalid):
            response = JSONResponse(status_code=422, content={"error": "RuleSetInvalid", "detail": exc.detail, "problems": exc.problems})
        if isinstance(exc, errors.RateLimited):
            response.headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
        if isinstance(exc, errors.Unauthorized):
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        return error_response(422, "InvalidRequest", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, "HTTPError", str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "InternalError", "an unexpected error occurred; it has been logged")

# Declared on routes so the OpenAPI document shows the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody, "description": "Bad input"},
    404: {"model": ErrorBody, "description": "Unknown list or entity"},
    422: {"model": ErrorBody, "description": "Request validation failed"},
    503: {"model": ErrorBody, "description": "No list loaded yet"},
}
