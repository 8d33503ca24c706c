"""Refresh from a real local HTTP server: versions, unchanged content, failures keep serving."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.catalog.download import fetch
from app.catalog.refresh import FetchLimits, refresh_sources
from app.catalog.service import ListCatalog
from app.core.errors import SourceUnavailable
from app.db.engine import create_db_engine, migrate
from app.lists.sources import SourceSpec
from tests.support.http_server import serve_folder

FIXTURES = Path(__file__).parents[1] / "fixtures" / "catalog"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    folder = tmp_path / "www"
    folder.mkdir()
    with serve_folder(folder) as base_url:
        yield folder, base_url


@pytest.fixture
def catalog(database_url: str) -> ListCatalog:
    engine = create_db_engine(database_url)
    migrate(engine)
    return ListCatalog(engine)


def spec(url: str, **extra: object) -> SourceSpec:
    # http:// is refused in a catalogue file; tests build the spec directly to use the local server.
    return SourceSpec.model_construct(
        id="watch", name="Watch list", authority="Test authority", category="sanctions",
        default_action="review", format="csv", url=url, files=None, path=None, enabled=True,
        freshness_hours=24, max_shrink=extra.get("max_shrink", 0.2), legal_basis=None, source_url=None,
        description=None, licence=None, default_threshold=None,
    )


def refresh(catalog: ListCatalog, source: SourceSpec, tmp_path: Path) -> str:
    [report] = refresh_sources(catalog, [source], base_dir=tmp_path, limits=FetchLimits(timeout=5))
    return report.status


def test_refresh_downloads_parses_and_serves(catalog: ListCatalog, served: tuple[Path, str], tmp_path: Path) -> None:
    folder, base = served
    shutil.copy(FIXTURES / "internal_v1.csv", folder / "list.csv")
    source = spec(f"{base}/list.csv")
    assert refresh(catalog, source, tmp_path) == "loaded"
    assert refresh(catalog, source, tmp_path) == "unchanged"
    shutil.copy(FIXTURES / "internal_v2.csv", folder / "list.csv")
    assert refresh(catalog, spec(f"{base}/list.csv", max_shrink=0.5), tmp_path) == "loaded"
    loaded = catalog.state.lists["watch"]
    assert (loaded.version, loaded.origin, loaded.source) == (2, "remote", f"{base}/list.csv")


def test_failed_downloads_keep_the_loaded_version(catalog: ListCatalog, served: tuple[Path, str], tmp_path: Path) -> None:
    folder, base = served
    shutil.copy(FIXTURES / "internal_v1.csv", folder / "list.csv")
    refresh(catalog, spec(f"{base}/list.csv"), tmp_path)
    before = catalog.state
    assert refresh(catalog, spec(f"{base}/missing.csv"), tmp_path) == "failed"  # 404
    assert refresh(catalog, spec("http://127.0.0.1:9/list.csv"), tmp_path) == "failed"  # nothing listening
    (folder / "list.csv").write_bytes(b"id,name,kind\n")  # truncated to a header
    assert refresh(catalog, spec(f"{base}/list.csv"), tmp_path) == "failed"
    shutil.copy(FIXTURES / "internal_broken.csv", folder / "list.csv")
    assert refresh(catalog, spec(f"{base}/list.csv"), tmp_path) == "failed"
    assert catalog.state is before
    assert catalog.state.lists["watch"].entry_count == 3


def test_download_refuses_oversized_files(served: tuple[Path, str], tmp_path: Path) -> None:
    folder, base = served
    (folder / "big.csv").write_bytes(b"x" * 5000)
    with pytest.raises(SourceUnavailable, match="limit"):
        fetch(f"{base}/big.csv", tmp_path / "out", base_dir=tmp_path, timeout=5, max_bytes=1000)


def test_file_urls_and_relative_paths_are_read_in_place(tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    target.write_text("x", encoding="utf-8")
    assert fetch(target.as_uri(), tmp_path / "o", base_dir=tmp_path, timeout=1, max_bytes=10) == target
    assert fetch("list.csv", tmp_path / "o", base_dir=tmp_path, timeout=1, max_bytes=10) == target
    with pytest.raises(SourceUnavailable):
        fetch("nope.csv", tmp_path / "o", base_dir=tmp_path, timeout=1, max_bytes=10)
