"""Batch screening by CSV upload: create, follow, cancel, download results."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, BinaryIO

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.api.auth import BatchUser
from app.api.deps import RuntimeDep
from app.api.errors import ERROR_RESPONSES
from app.api.recording import idempotency_key
from app.batch.options import BatchOptions, check_lists
from app.batch.plan import plan_chunks
from app.batch.progress import eta_seconds
from app.batch.reader import inspect_file
from app.batch.results import ResultFilter, ResultFormat, render
from app.batch.template import template_csv
from app.core.errors import Conflict, PayloadTooLarge, RateLimited, UnknownEntity
from app.db import batch as batch_db
from app.db.audit import IdempotencyRecord, find_idempotent
from app.runtime import Runtime

router = APIRouter(prefix="/v1/batches", tags=["batches"])
COPY_BYTES = 1024 * 1024
DEFAULT_CHUNK_ROWS = 1000


class BatchOut(BaseModel):
    id: str
    status: str
    file_name: str
    file_bytes: int
    rows_total: int
    rows_read: int
    screened: int
    rejected: int
    matched: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    elapsed_seconds: float | None
    eta_seconds: float | None
    error: str | None
    options: dict[str, object]
    results_url: str

    @classmethod
    def from_record(cls, job: batch_db.BatchJobRecord, counts: batch_db.JobCounts) -> BatchOut:
        started, finished = _aware(job.started_at), _aware(job.finished_at)
        elapsed = ((finished or datetime.now(UTC)) - started).total_seconds() if started else None
        stored = batch_db.job_options(job)
        layout = stored.get("layout") or {}
        assert isinstance(layout, dict)
        options = {**stored.get("batch", {}), "detected_encoding": layout.get("codec"), "detected_delimiter": layout.get("delimiter")}  # type: ignore[dict-item]
        return cls(
            id=job.id, status=job.status, file_name=job.file_name, file_bytes=job.file_bytes, rows_total=job.rows_total,
            rows_read=counts.rows_read, screened=counts.screened, rejected=counts.rejected, matched=counts.matched,
            created_at=job.created_at, started_at=started, finished_at=finished,
            elapsed_seconds=round(elapsed, 3) if elapsed is not None else None,
            eta_seconds=eta_seconds(elapsed, counts.rows_read, job.rows_total) if job.status == "running" else None,
            error=job.error, options=options, results_url=f"/v1/batches/{job.id}/results",
        )


@router.get("/template.csv", response_class=Response)
def get_template(who: BatchUser) -> Response:
    """The upload template: recognised columns and three example rows (UTF-8 CSV)."""
    return Response(template_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="batch-template.csv"'})


@router.post("", status_code=202, responses={**ERROR_RESPONSES, 413: ERROR_RESPONSES[400], 429: ERROR_RESPONSES[400]})
def create_batch(
    request: Request,
    runtime: RuntimeDep,
    who: BatchUser,
    file: Annotated[UploadFile, File(description="CSV with a header row; record_id required")],
    threshold: Annotated[float | None, Form(description="Minimum score 0..1 (default: per list)")] = None,
    lists: Annotated[str | None, Form(description="Comma-separated list ids (default: all)")] = None,
    encoding: Annotated[str | None, Form(description="utf-8, utf-16, windows-1256, windows-1252 (default: detected)")] = None,
    delimiter: Annotated[str | None, Form(description="comma, semicolon or tab (default: detected)")] = None,
    columns: Annotated[str | None, Form(description='JSON mapping of your headers, e.g. {"Full Name": "name"}')] = None,
) -> BatchOut:
    """Upload a CSV to screen in the background; poll the returned job, then download its results.

    With an `Idempotency-Key` header, a retry of the same upload (same file and options) returns
    the job created the first time instead of starting another; the same key with another file
    or other options is a 409.
    """
    options = BatchOptions.parse(threshold=threshold, lists=lists, encoding=encoding, delimiter=delimiter, columns=columns)
    check_lists(options, runtime)
    key = idempotency_key(request)
    if key is None:
        _check_capacity(runtime)
    return _job_out(runtime, _store_job(runtime, file, options, actor=who.name, idem_key=key))


@router.get("", responses=ERROR_RESPONSES)
def list_batches(runtime: RuntimeDep, who: BatchUser, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                 offset: Annotated[int, Query(ge=0)] = 0) -> list[BatchOut]:
    """Batch jobs, newest first."""
    with Session(runtime.engine) as session:
        jobs = batch_db.list_jobs(session, limit=limit, offset=offset)
        counts = batch_db.job_counts(session, [j.id for j in jobs])
        return [BatchOut.from_record(j, counts.get(j.id, batch_db.JobCounts())) for j in jobs]


@router.get("/{batch_id}", responses=ERROR_RESPONSES)
def get_batch(batch_id: str, runtime: RuntimeDep, who: BatchUser) -> BatchOut:
    """Status and progress: rows read, screened, rejected, matched, elapsed time and ETA."""
    return _job_out(runtime, batch_id)


@router.post("/{batch_id}/cancel", responses={**ERROR_RESPONSES, 409: ERROR_RESPONSES[400]})
def cancel_batch(batch_id: str, runtime: RuntimeDep, who: BatchUser) -> BatchOut:
    """Stop a queued or running job; rows already screened stay downloadable."""
    # Read, then write: take SQLite's write lock up front so a worker's commit cannot intervene.
    with Session(runtime.engine.execution_options(immediate=True)) as session:
        job = _get_job(session, batch_id)
        if not batch_db.cancel_job(session, batch_id):
            raise Conflict(f"batch {batch_id} has already ended with status {job.status}; nothing to cancel")
        session.commit()
    return _job_out(runtime, batch_id)


@router.get("/{batch_id}/results", response_class=StreamingResponse, responses={**ERROR_RESPONSES, 409: ERROR_RESPONSES[400]})
def get_results(
    batch_id: str, runtime: RuntimeDep, who: BatchUser, format: ResultFormat = ResultFormat.CSV, only: ResultFilter = ResultFilter.ALL,
) -> StreamingResponse:
    """One row per input row (or only matches / rejected rows), streamed as CSV or JSON Lines."""
    with Session(runtime.engine) as session:
        job = _get_job(session, batch_id)
        if job.status in batch_db.ACTIVE:
            raise Conflict(f"batch {batch_id} is {job.status}; results are ready when it is done (or cancelled)")
    filename = f"batch-{batch_id}-{only.value}.{format.value}"
    return StreamingResponse(_stream_results(runtime, batch_id, format, only), media_type=format.media_type,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _stream_results(runtime: Runtime, batch_id: str, fmt: ResultFormat, only: ResultFilter) -> Iterator[str]:
    with Session(runtime.engine) as session:
        yield from render(batch_db.iter_results(session, batch_id, only), fmt)


def _check_capacity(runtime: Runtime) -> None:
    limit = runtime.settings.batch_max_concurrent_jobs
    with Session(runtime.engine) as session:
        if batch_db.count_active_jobs(session) >= limit:
            raise RateLimited(f"{limit} batch jobs are already queued or running, the limit; retry when one ends",
                              retry_after=30)


def _store_job(runtime: Runtime, upload: UploadFile, options: BatchOptions, *, actor: str, idem_key: str | None) -> str:
    """Store the upload, check and plan it, record the job; returns the job id."""
    settings, job_id = runtime.settings, str(uuid.uuid4())
    relative = Path("batches") / f"{job_id}.upload"
    path = Path(settings.data_dir) / relative
    try:
        size, digest = _copy_upload(upload.file, path, settings.batch_max_bytes)
        fingerprint = hashlib.sha256(f"{digest}\n{json.dumps(options.to_dict(), sort_keys=True)}".encode()).hexdigest()
        if idem_key is not None and (earlier := _earlier_job(runtime, actor, idem_key, fingerprint)) is not None:
            path.unlink(missing_ok=True)
            return earlier
        if idem_key is not None:
            _check_capacity(runtime)
        layout = inspect_file(path, encoding=options.encoding, delimiter=options.delimiter, mapping=options.columns)
        chunk_rows = int(getattr(settings, "batch_chunk_rows", DEFAULT_CHUNK_ROWS))
        chunks = plan_chunks(path, layout, chunk_rows=chunk_rows, max_rows=settings.batch_max_rows)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    rows_total = sum(c.row_count for c in chunks)
    job = batch_db.BatchJobRecord(
        id=job_id, status="queued" if chunks else "done", file_name=upload.filename or "upload.csv",
        file_path=relative.as_posix(), file_bytes=size, rows_total=rows_total, chunk_count=len(chunks),
        options=json.dumps({"batch": options.to_dict(), "layout": layout.to_dict(), "actor": actor}),
        finished_at=None if chunks else datetime.now(UTC),
    )
    try:
        with Session(runtime.engine) as session:
            batch_db.create_job(session, job, chunks)
            if idem_key is not None:
                session.add(IdempotencyRecord(actor=actor, key=idem_key, endpoint="batches", request_hash=fingerprint,
                                              status_code=202, response=json.dumps({"batch_id": job_id})))
            session.commit()
    except IntegrityError:
        # A concurrent retry with the same key created the job first: answer with that one.
        path.unlink(missing_ok=True)
        earlier = _earlier_job(runtime, actor, idem_key or "", fingerprint)
        if earlier is None:
            raise
        return earlier
    return job_id


def _earlier_job(runtime: Runtime, actor: str, key: str, fingerprint: str) -> str | None:
    with Session(runtime.engine) as session:
        stored = find_idempotent(session, actor, key)
    if stored is None:
        return None
    if stored.endpoint != "batches" or stored.request_hash != fingerprint:
        raise Conflict("this Idempotency-Key was already used with a different upload or options")
    return str(json.loads(stored.response)["batch_id"])


def _copy_upload(source: BinaryIO, target: Path, max_bytes: int) -> tuple[int, str]:
    """Copy the upload to storage a block at a time, refusing it as soon as it passes the limit.

    Returns its size and SHA-256 (which identifies a retried upload)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    size, digest = 0, hashlib.sha256()
    with target.open("wb") as out:
        while block := source.read(COPY_BYTES):
            size += len(block)
            if size > max_bytes:
                raise PayloadTooLarge(f"the file is larger than {max_bytes:,} bytes, the limit for one batch; split it")
            digest.update(block)
            out.write(block)
    return size, digest.hexdigest()


def _get_job(session: Session, batch_id: str) -> batch_db.BatchJobRecord:
    job = batch_db.get_job(session, batch_id)
    if job is None:
        raise UnknownEntity(f"no batch job with id {batch_id!r}")
    return job


def _job_out(runtime: Runtime, batch_id: str) -> BatchOut:
    with Session(runtime.engine) as session:
        job = _get_job(session, batch_id)
        counts = batch_db.job_counts(session, [batch_id]).get(batch_id, batch_db.JobCounts())
        return BatchOut.from_record(job, counts)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment
