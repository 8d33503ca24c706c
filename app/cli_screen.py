"""Readable screening output for the `exposure screen` command."""

from __future__ import annotations

import getpass
import uuid
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlmodel import Session

from app.api.schemas import ScreenRequest
from app.audit.payload import matched_list_ids, screening_payload
from app.batch.offline import BatchSummary, screen_file
from app.batch.options import BatchOptions
from app.batch.results import RowResult
from app.core.errors import InvalidQuery
from app.db.audit import PendingRecord, append_records, write_audit
from app.runtime import Runtime
from app.screening.outcome import ScreeningOutcome
from app.screening.party import screen_party

DECISION_STYLE = {"clear": "bold green", "review": "bold yellow", "block": "bold red"}


def screen_one(
    runtime: Runtime, name: str, *, kind: str, country: str | None, dob: str | None,
    threshold: float | None, limit: int,
) -> ScreeningOutcome:
    try:
        request = ScreenRequest(name=name, type=kind, country=country, dob=dob, threshold=threshold, limit=limit)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InvalidQuery(str(exc)) from exc
    if not request.name:
        raise InvalidQuery("the name is empty")
    state = runtime.catalog.state
    config = runtime.match_config(threshold=threshold, limit=limit)
    outcome = screen_party(request.to_query(), state.index, config=config, policy=runtime.policy(),
                           ruleset=runtime.rules.current, list_versions=state.versions())
    write_audit(runtime.engine, record_id=str(uuid.uuid4()), kind="screening", actor=cli_actor(),
                payload=screening_payload(request.model_dump(mode="json"), outcome),
                decision=outcome.decision.value, matched_lists=matched_list_ids(outcome))
    return outcome


def cli_actor() -> str:
    return f"cli:{getpass.getuser()}"


def screen_csv(
    runtime: Runtime, console: Console, in_path: Path, out_path: Path, *,
    threshold: float | None, encoding: str | None, delimiter: str | None,
) -> BatchSummary:
    """Batch-screen a CSV offline with a progress bar; every screened row is audited like the server's."""
    options = BatchOptions.parse(threshold=threshold, lists=None, encoding=encoding, delimiter=delimiter, columns=None)
    columns = (TextColumn("screening"), BarColumn(), DownloadColumn(), TextColumn("ETA"), TimeRemainingColumn())
    runtime.catalog.keep_indexes_out_of_collection()
    try:
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("screen", total=in_path.stat().st_size)
            return screen_file(
                runtime, in_path, out_path, options=options,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
                on_chunk=lambda results: _audit_rows(runtime, results, in_path.name),
            )
    finally:
        runtime.catalog.return_indexes_to_collection()


def _audit_rows(runtime: Runtime, results: list[RowResult], file_name: str) -> None:
    pending = [
        PendingRecord(kind="screening.batch_row", actor=cli_actor(),
                      payload={**r.audit_payload, "file": file_name}, external_id=r.record_id, decision=r.decision,
                      matched_lists=[m["list_id"] for m in r.audit_payload.get("matches", [])])  # type: ignore[union-attr]
        for r in results if r.audit_payload is not None
    ]
    with Session(runtime.engine.execution_options(immediate=True)) as session:
        append_records(session, pending)
        session.commit()


def print_outcome(console: Console, name: str, outcome: ScreeningOutcome) -> None:
    style = DECISION_STYLE[outcome.decision.value]
    console.print(f"{name!r}: [{style}]{outcome.decision.value.upper()}[/{style}]  risk {outcome.risk_score:.2f}")
    if outcome.matches:
        table = Table("score", "list", "entity", "matched name", "listed name", "why")
        for _role, m in outcome.matches:
            table.add_row(f"{m.score:.2f}", m.list_id, m.entity_id, m.matched_name, m.entry.name, m.explanation)
        console.print(table)
    else:
        console.print("no match at or above the threshold")
    for rule in outcome.triggered_rules:
        console.print(f"  • [{rule.action}] {rule.title}: {rule.reason}")
    versions = ", ".join(f"{v.list_id} v{v.version}" for v in outcome.list_versions)
    console.print(f"[dim]lists: {versions}; rules: {outcome.ruleset_version or 'none'}[/dim]")
