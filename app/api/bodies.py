"""Raw request bodies (list files, payment messages, customer books), read with a size limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import Request

from app.core.errors import InvalidQuery, PayloadTooLarge


async def save_body(request: Request, path: Path, *, max_bytes: int, what: str) -> int:
    """Stream the body to `path`, refusing it as soon as it passes `max_bytes` or if it is empty."""
    size = 0
    with path.open("wb") as out:
        async for chunk in _limited_chunks(request, max_bytes, what):
            size += len(chunk)
            out.write(chunk)
    return _non_empty(size, what)


async def read_body(request: Request, *, max_bytes: int, what: str) -> bytes:
    """The whole body, for small documents only (a payment message)."""
    body = b"".join([chunk async for chunk in _limited_chunks(request, max_bytes, what)])
    _non_empty(len(body), what)
    return body


async def _limited_chunks(request: Request, max_bytes: int, what: str) -> AsyncIterator[bytes]:
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"{what} may be at most {max_bytes:,} bytes")
        yield chunk


def _non_empty(size: int, what: str) -> int:
    if size == 0:
        raise InvalidQuery(f"the request body is empty: send {what} as the body")
    return size
