"""Shared fixtures. Real list files live beside the repository in ../shared/data, never in it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.db.engine import create_db_engine

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real list files; tests that need them skip with a reason when they are absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real list data not found at {SHARED_DATA} (expected ../shared/data)")
    return SHARED_DATA


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database per test: a SQLite file, or a throw-away PostgreSQL schema.

    Set EXPOSURE_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run the
    suite against PostgreSQL; each test then gets its own schema, dropped afterwards.
    """
    server_url = os.environ.get("EXPOSURE_TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path / 'exposure-test.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_db_engine(server_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in server_url else "?"
    try:
        yield f"{server_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
