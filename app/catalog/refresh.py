"""Refresh lists from the sources catalogue (lists/sources.yaml) and the curated lists folder.

Each enabled source is downloaded (https, file:// or a path), parsed in full, checked and stored
as a new snapshot by ListCatalog. A source that cannot be fetched or parsed is reported and the
version already loaded keeps serving: the service never goes down for a failed download.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from app.catalog.download import fetch
from app.catalog.service import ListCatalog, LoadReport, LoadRequest
from app.core.errors import ScreeningError
from app.lists.sources import SourceSpec


@dataclass(frozen=True, slots=True)
class FetchLimits:
    timeout: float = 60.0
    max_bytes: int = 500 * 1024 * 1024
    default_max_shrink: float = 0.2


def refresh_sources(
    catalog: ListCatalog,
    specs: Sequence[SourceSpec],
    *,
    base_dir: Path,
    limits: FetchLimits,
    only: str | None = None,
    include_local: bool = True,
    actor: str = "system",
) -> list[LoadReport]:
    """Fetch and load every enabled source (or just `only`), one report per source."""
    chosen = [s for s in specs if (only is None and s.enabled) or s.id == only]
    if only is not None and not chosen:
        known = ", ".join(s.id for s in specs)
        raise ScreeningError(f"unknown source {only!r}; known sources: {known}")
    if not include_local:
        chosen = [s for s in chosen if s.is_remote]
    return [_refresh_one(catalog, spec, base_dir=base_dir, limits=limits, actor=actor) for spec in chosen]


def _refresh_one(catalog: ListCatalog, spec: SourceSpec, *, base_dir: Path, limits: FetchLimits, actor: str) -> LoadReport:
    request = LoadRequest(
        info=spec.to_list_info(),
        fmt=spec.format,
        path=Path(),
        origin="remote" if spec.is_remote else "curated",
        source=", ".join(spec.files.values()) if spec.files else spec.location,
        freshness_hours=spec.freshness_hours,
        max_shrink=spec.max_shrink if spec.max_shrink is not None else limits.default_max_shrink,
        fetched_at=datetime.now(UTC),
        actor=actor,
    )
    with tempfile.TemporaryDirectory(prefix=f"exposure-{spec.id}-") as tmp:
        try:
            path = _materialise(spec, Path(tmp), base_dir=base_dir, limits=limits)
        except ScreeningError as exc:
            return catalog.reject(request, exc.detail, status="failed")
        return catalog.load(replace(request, path=path))


def _materialise(spec: SourceSpec, tmp: Path, *, base_dir: Path, limits: FetchLimits) -> Path:
    """Make the source's file (or, for multi-file formats, folder) available locally."""
    if spec.files:
        folder = tmp / "files"
        folder.mkdir()
        for name, location in spec.files.items():
            local = fetch(location, folder / name, base_dir=base_dir, timeout=limits.timeout, max_bytes=limits.max_bytes)
            if local != folder / name:
                (folder / name).symlink_to(local.resolve())
        return folder
    return fetch(spec.location, tmp / "download", base_dir=base_dir, timeout=limits.timeout, max_bytes=limits.max_bytes)
