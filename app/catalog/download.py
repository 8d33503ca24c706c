"""Fetch list sources: https with httpx (streamed to disk), file:// URLs and plain paths."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx

from app.core.errors import SourceUnavailable

USER_AGENT = "exposure-checker/0.1 (+sanctions screening; list refresh)"


def resolve_local(location: str, base_dir: Path) -> Path | None:
    """The local path a location names (file:// URL or plain path), or None for a remote URL."""
    parsed = urlparse(location)
    if parsed.scheme in ("http", "https"):
        return None
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if parsed.scheme:
        raise SourceUnavailable(f"unsupported URL scheme {parsed.scheme!r} in {location!r}")
    path = Path(location)
    return path if path.is_absolute() else base_dir / path


def fetch(location: str, dest: Path, *, base_dir: Path, timeout: float, max_bytes: int) -> Path:
    """Make `location` available as a local file or folder and return its path.

    Local paths are used where they are (no copy); remote files are streamed into `dest` so a
    large list never sits in memory.
    """
    local = resolve_local(location, base_dir)
    if local is not None:
        if not local.exists():
            raise SourceUnavailable(f"{location}: no such file or folder")
        return local
    try:
        with httpx.stream(
            "GET", location, timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        ) as response:
            if response.status_code != 200:
                raise SourceUnavailable(f"{location}: HTTP {response.status_code}")
            _stream_to_file(response, dest, max_bytes, location)
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"{location}: {type(exc).__name__}: {exc}") from exc
    return dest


def _stream_to_file(response: httpx.Response, dest: Path, max_bytes: int, location: str) -> None:
    written = 0
    with dest.open("wb") as out:
        for chunk in response.iter_bytes():
            written += len(chunk)
            if written > max_bytes:
                raise SourceUnavailable(f"{location}: larger than the {max_bytes} byte limit")
            out.write(chunk)
    if written == 0:
        raise SourceUnavailable(f"{location}: empty response")
