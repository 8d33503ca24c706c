"""Raw request bodies (list files, payment messages, customer books), read with a size limit."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request

from app.core.errors import InvalidQuery, PayloadTooLarge


async def save_body(request: Request, path: Path, *, max_bytes: int, what: str) -> int:
    """Stream the body to `path`, refusing it as soon as it passes `max_bytes` or if it is empty."""
    size = 0
    with path.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                raise PayloadTooLarge(f"{what} may be at most {max_bytes:,} bytes")
            out.write(chunk)
    if size == 0:
        raise InvalidQuery(f"the request body is empty: send {what} as the body")
    return size


async def read_body(request: Request, *, max_bytes: int, what: str) -> bytes:
    """The whole body, for small documents only (a payment message)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"{what} may be at most {max_bytes:,} bytes")
        chunks.append(chunk)
    if size == 0:
        raise InvalidQuery(f"the request body is empty: send {what} as the body")
    return b"".join(chunks)
