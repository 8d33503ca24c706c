from __future__ import annotations

from pathlib import Path

import pytest

from app.core.settings import Settings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Settings:
    """The CLI reads its settings from the environment: a fresh database, shipped lists and rules."""
    values = {"DATABASE_URL": database_url, "LISTS_DIR": str(REPO / "lists"), "RULES_DIR": str(REPO / "rules"),
              "REFRESH_ON_START": "false", "AUTH": "off", "BATCH_WORKERS": "0"}
    for key, value in values.items():
        monkeypatch.setenv(f"EXPOSURE_{key}", value)
    return Settings()
