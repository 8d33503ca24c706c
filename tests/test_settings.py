"""Settings defaults that depend on the machine."""

from __future__ import annotations

import os

import pytest

from app.core.settings import Settings


@pytest.mark.parametrize(("cores", "workers"), [(2, 2), (32, 4), (None, 1)])
def test_batch_workers_default_to_one_per_core_at_most_four(
    monkeypatch: pytest.MonkeyPatch, cores: int | None, workers: int
) -> None:
    monkeypatch.delenv("EXPOSURE_BATCH_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert Settings().batch_workers == workers


def test_batch_workers_can_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPOSURE_BATCH_WORKERS", "0")
    assert Settings().batch_workers == 0
