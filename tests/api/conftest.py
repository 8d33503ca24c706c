from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.settings import Settings
from app.main import create_app

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The shipped curated lists and rules, a fresh database, no network."""
    return Settings(database_url=database_url, lists_dir=REPO / "lists", rules_dir=REPO / "rules",
                    refresh_on_start=False, auth="off", batch_workers=0, data_dir=tmp_path / "data")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client
