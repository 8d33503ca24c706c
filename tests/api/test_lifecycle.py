"""The service's process-wide state: what it changes while running is undone at shutdown."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from app.core.settings import Settings
from app.main import create_app


def test_the_index_is_frozen_while_serving_and_released_at_shutdown(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        index = client.app.state.runtime.catalog.state.index  # type: ignore[attr-defined]
        walked = {id(obj) for generation in range(3) for obj in gc.get_objects(generation)}
        assert id(index) not in walked  # out of the full collections while the service runs
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0  # shut down: nothing stays frozen in the process
