"""Dependencies, declared once as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.catalog.state import CatalogState
from app.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def get_catalog_state(request: Request) -> CatalogState:
    # Taken once per request so the whole request sees one consistent set of list versions.
    return get_runtime(request).catalog.state


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
StateDep = Annotated[CatalogState, Depends(get_catalog_state)]
