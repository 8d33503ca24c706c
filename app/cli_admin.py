"""`exposure keys ...` and `exposure audit ...`: key management and audit-trail checks."""

from __future__ import annotations

import getpass
import uuid
from datetime import UTC, datetime, timedelta
from itertools import chain
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from app.access.keys import Role
from app.audit.chain import GENESIS, verify_chain
from app.core.settings import Settings
from app.db.audit import append_record, iter_chain, purge_before
from app.runtime import Runtime

keys_cli = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
audit_cli = typer.Typer(help="Verify and maintain the audit trail.", no_args_is_help=True)
console = Console()


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@keys_cli.command("create")
def keys_create(
    role: Annotated[Role, typer.Option(help="screener, reviewer or admin")],
    name: Annotated[str, typer.Option(help="Who or what uses the key, e.g. onboarding-prod")],
) -> None:
    """Create a key. It is printed once and never stored: keep it safe."""
    runtime = Runtime.open(Settings(), with_index=False)
    with Session(runtime.engine.execution_options(immediate=True)) as session:
        row, key = runtime.keys.create(session, name=name, role=role.value, created_by=_actor())
        append_record(session, record_id=str(uuid.uuid4()), kind="key.created", actor=_actor(),
                      payload={"name": row.name, "role": row.role, "prefix": row.prefix})
        session.commit()
    console.print(f"created key [bold]{name}[/bold] ({role.value}). It will not be shown again:")
    print(key)  # noqa: T201  (plain stdout so scripts can capture it)
    runtime.close()


@keys_cli.command("list")
def keys_list() -> None:
    runtime = Runtime.open(Settings(), with_index=False)
    table = Table("name", "role", "prefix", "created", "by", "revoked")
    with Session(runtime.engine) as session:
        for row in runtime.keys.list_keys(session):
            table.add_row(row.name, row.role, row.prefix, f"{row.created_at:%Y-%m-%d %H:%M}", row.created_by,
                          f"{row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "")
    console.print(table)
    runtime.close()


@keys_cli.command("revoke")
def keys_revoke(name: Annotated[str, typer.Argument(help="The key's name")]) -> None:
    runtime = Runtime.open(Settings(), with_index=False)
    with Session(runtime.engine.execution_options(immediate=True)) as session:
        row = runtime.keys.revoke(session, name)
        append_record(session, record_id=str(uuid.uuid4()), kind="key.revoked", actor=_actor(),
                      payload={"name": row.name, "role": row.role})
        session.commit()
    console.print(f"revoked key {name}")
    runtime.close()


@audit_cli.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain and report the first broken link, if any."""
    runtime = Runtime.open(Settings(), with_index=False)
    with Session(runtime.engine) as session:
        records = iter_chain(session)
        first = next(records, None)
        if first is None:
            console.print("the audit trail is empty")
            return
        # A trail whose oldest records were purged after retention starts from a later link.
        anchor = GENESIS if first.seq == 1 else None
        checked, broken = verify_chain(chain([first], records), anchor=anchor)
    runtime.close()
    if broken is not None:
        console.print(f"[red]BROKEN[/red] at record #{broken.seq} ({broken.record_id}): {broken.problem}; "
                      f"{checked} records before it are intact")
        raise typer.Exit(1)
    console.print(f"[green]OK[/green] {checked} records, chain intact")


@audit_cli.command("purge")
def audit_purge() -> None:
    """Delete audit records older than the retention period (EXPOSURE_AUDIT_RETENTION_DAYS)."""
    settings = Settings()
    runtime = Runtime.open(settings, with_index=False)
    cutoff = datetime.now(UTC) - timedelta(days=settings.audit_retention_days)
    with Session(runtime.engine.execution_options(immediate=True)) as session:
        removed = purge_before(session, cutoff)
        append_record(session, record_id=str(uuid.uuid4()), kind="audit.purged", actor=_actor(),
                      payload={"cutoff": cutoff.isoformat(), "removed": removed})
        session.commit()
    console.print(f"removed {removed} records older than {cutoff:%Y-%m-%d}")
    runtime.close()
