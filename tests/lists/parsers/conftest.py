"""Fixture lists for the parser tests: tiny hand-made files, valid and malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lists"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES
