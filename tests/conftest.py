"""Shared fixtures. Real list files live beside the repository in ../shared/data, never in it."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real list files; tests that need them skip with a reason when they are absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real list data not found at {SHARED_DATA} (expected ../shared/data)")
    return SHARED_DATA
