"""create_app(): the FastAPI application. Wiring only; no logic lives here."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.errors import install_error_handlers
from app.api.routes import (
    alerts,
    batches,
    customers,
    health,
    keys,
    lists,
    rules,
    screen,
    screenings,
    webhooks,
)
from app.batch.worker import start_workers
from app.core.settings import Settings
from app.monitoring.service import install_monitoring
from app.runtime import Runtime

API_VERSION = "1.0.0"
log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime.open(settings)
        # Before start(), so the list versions loaded at start-up are screened against the book too.
        monitor = install_monitoring(runtime)
        runtime.start()
        app.state.runtime, app.state.monitor = runtime, monitor
        # Batch jobs run in worker processes, never in the request handlers.
        workers = start_workers(settings) if settings.batch_workers else None
        try:
            yield
        finally:
            if workers is not None:
                workers.stop()
            monitor.stop()
            runtime.close()

    app = FastAPI(
        title="Sanctions exposure checker",
        version=API_VERSION,
        description=(
            "Screens counterparties and payments against sanctions lists (OFAC, UN, OpenSanctions, "
            "FinCEN 311, Iraqi dollar-access bans, your own lists) and Iran-linked USD-diversion rules. "
            "Every decision comes with the matches, the rules that fired and the list versions used."
        ),
        lifespan=lifespan,
    )
    install_error_handlers(app)
    for module in (health, lists, screen, batches, customers, alerts, screenings, rules, keys, webhooks):
        app.include_router(module.router)
    return app
