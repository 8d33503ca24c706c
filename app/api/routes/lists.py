from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from app.api.auth import Admin, Screener
from app.api.bodies import save_body
from app.api.deps import RuntimeDep, StateDep
from app.api.errors import ERROR_RESPONSES
from app.api.schemas import EntriesPage, ListOut, LoadReportOut
from app.catalog.service import LoadReport, LoadRequest
from app.catalog.state import LoadedList
from app.core.errors import (
    Conflict,
    InvalidQuery,
    ListFormatError,
    ListRejected,
    UnknownEntity,
    UnknownFormat,
    UnknownList,
)
from app.lists.models import ListAction, ListEntry, ListInfo
from app.lists.parsers import FOLDER_FORMATS, FORMATS

router = APIRouter(prefix="/v1", tags=["lists"])
LIST_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")


@router.get("/lists")
def get_lists(runtime: RuntimeDep, state: StateDep, who: Screener) -> list[ListOut]:
    """Every loaded list with its version, entry count, provenance and freshness."""
    hours = runtime.settings.default_freshness_hours
    return [_list_out(ll, hours) for _, ll in sorted(state.lists.items())]


@router.get("/lists/{list_id}/entries", responses=ERROR_RESPONSES)
def get_entries(
    list_id: str,
    state: StateDep,
    who: Screener,
    q: str | None = Query(default=None, max_length=200, description="Case-insensitive text in a name or alias"),
    limit: int = Query(default=50, ge=1, le=1000),
    offset: int = Query(default=0, ge=0),
) -> EntriesPage:
    """Browse a list's entries, optionally filtered by a text in their names."""
    if list_id not in state.lists:
        raise UnknownList(f"unknown list {list_id!r}")
    entries = list(state.index.entries(list_id))
    if q:
        needle = q.casefold()
        entries = [e for e in entries if any(needle in n.casefold() for n, _ in e.all_names())]
    return EntriesPage(list_id=list_id, total=len(entries), offset=offset, limit=limit, entries=entries[offset : offset + limit])


@router.get("/entities/{entity_id}", responses=ERROR_RESPONSES)
def get_entity(entity_id: str, state: StateDep, who: Screener) -> ListEntry:
    """One list entry by its stable id, e.g. `ofac-sdn:36` or `fincen-311:al-huda-bank`."""
    entry = state.index.get(entity_id)
    if entry is None:
        raise UnknownEntity(f"no loaded list has an entry {entity_id!r}")
    return entry


@router.put("/lists/{list_id}", responses={**ERROR_RESPONSES, 409: ERROR_RESPONSES[400], 413: ERROR_RESPONSES[400]})
async def upload_list(
    list_id: str,
    request: Request,
    runtime: RuntimeDep,
    who: Admin,
    format: str = Query(description="csv, yaml, ftm, ofac-xml, un-xml or us-csl"),
    name: str | None = Query(default=None, max_length=200, description="Display name for a new list"),
    action: ListAction = Query(default=ListAction.REVIEW, description="What a match means, for a new list"),
) -> LoadReportOut:
    """Upload a list file (the request body) as a new version of a custom list, served at once."""
    info = _upload_info(runtime, list_id, format, name, action)
    with tempfile.TemporaryDirectory(prefix="exposure-upload-") as tmp:
        path = Path(tmp) / "upload"
        await save_body(request, path, max_bytes=runtime.settings.max_upload_bytes, what="the list file")
        load = LoadRequest(info=info, fmt=format, path=path, origin="upload", source=f"upload:{list_id}",
                           max_shrink=1.0, actor=who.name)
        report = await run_in_threadpool(runtime.catalog.load, load)
    return _report_or_raise(report)


@router.post("/lists/refresh", responses=ERROR_RESPONSES)
def refresh_lists(runtime: RuntimeDep, who: Admin, source: str | None = Query(default=None)) -> list[LoadReportOut]:
    """Fetch enabled sources now (or one `source`); a failed source keeps its loaded version."""
    return [LoadReportOut(**_report_fields(r)) for r in runtime.refresh(only=source, actor=who.name)]


def _upload_info(runtime: RuntimeDep, list_id: str, fmt: str, name: str | None, action: ListAction) -> ListInfo:
    if not LIST_ID.match(list_id):
        raise InvalidQuery("list id must be 1-63 lower-case letters, digits, '.', '_' or '-'")
    if fmt not in FORMATS or fmt in FOLDER_FORMATS:
        single = sorted(set(FORMATS) - FOLDER_FORMATS)
        raise UnknownFormat(f"format {fmt!r} cannot be uploaded; use one of: {', '.join(single)}")
    stored = runtime.catalog.stored_info(list_id)
    if stored is not None:
        info, origin = stored
        if origin != "upload":
            raise Conflict(f"list {list_id!r} is a {origin} list and cannot be replaced by upload; "
                           "use `exposure lists import` or refresh its source")
        return info
    return ListInfo(id=list_id, name=name or list_id, authority="internal", category="internal",
                    default_action=action)


def _report_or_raise(report: LoadReport) -> LoadReportOut:
    if report.status == "failed":
        raise ListFormatError(f"{report.error}; the stored version is unchanged")
    if report.status == "rejected":
        raise ListRejected(f"{report.error}")
    return LoadReportOut(**_report_fields(report))


def _report_fields(r: LoadReport) -> dict[str, object]:
    return {"list_id": r.list_id, "status": r.status, "version": r.version, "entry_count": r.entry_count,
            "added": r.added, "removed": r.removed, "changed": r.changed, "error": r.error}


def _list_out(ll: LoadedList, default_hours: float) -> ListOut:
    return ListOut(
        id=ll.info.id, name=ll.info.name, authority=ll.info.authority, category=ll.info.category,
        default_action=ll.info.default_action.value, legal_basis=ll.info.legal_basis, version=ll.version,
        content_hash=ll.content_hash, entry_count=ll.entry_count, format=ll.format, origin=ll.origin,
        source=ll.source, fetched_at=ll.fetched_at, loaded_at=ll.loaded_at, checked_at=ll.checked_at,
        stale=ll.is_stale(default_hours),
    )

