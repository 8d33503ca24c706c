"""The `exposure` command: serve, manage lists and rules, screen from the shell."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.catalog.service import LoadReport, LoadRequest
from app.cli_admin import audit_cli, keys_cli
from app.core.errors import ScreeningError
from app.core.settings import Settings
from app.lists.models import ListAction, ListInfo
from app.runtime import Runtime

cli = typer.Typer(help="Sanctions exposure checker.", no_args_is_help=True, add_completion=False)
lists_cli = typer.Typer(help="Show, refresh and import sanctions lists.", no_args_is_help=True)
rules_cli = typer.Typer(help="Validate rule files.", no_args_is_help=True)
cli.add_typer(lists_cli, name="lists")
cli.add_typer(rules_cli, name="rules")
cli.add_typer(keys_cli, name="keys")
cli.add_typer(audit_cli, name="audit")
console = Console()
err = Console(stderr=True)


def main() -> None:
    # The server logs what it does; one-shot commands print results and only warnings.
    serving = sys.argv[1:2] == ["serve"]
    logging.basicConfig(level=logging.INFO if serving else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        cli()
    except ScreeningError as exc:
        err.print(f"[red]error:[/red] {exc.detail}")
        raise SystemExit(2) from exc


def open_runtime(*, curated: bool = True, with_index: bool = False) -> Runtime:
    runtime = Runtime.open(Settings(), with_index=with_index)
    if curated:
        runtime.sync_curated()
    return runtime


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Run the HTTP API (OpenAPI docs at /docs)."""
    import os

    import uvicorn

    # The app factory reads settings from the environment; auth "auto" needs the bind address.
    os.environ["EXPOSURE_BIND_HOST"] = host
    uvicorn.run("app.main:create_app", factory=True, host=host, port=port, workers=workers)


@lists_cli.command("show")
def lists_show() -> None:
    """Loaded lists with version, entries and age."""
    runtime = open_runtime()
    table = Table("list", "name", "version", "entries", "origin", "loaded", "stale")
    table.columns[1].max_width, table.columns[1].no_wrap, table.columns[1].overflow = 40, True, "ellipsis"
    for list_id, ll in sorted(runtime.catalog.state.lists.items()):
        stale = ll.is_stale(runtime.settings.default_freshness_hours)
        table.add_row(list_id, ll.info.name, str(ll.version), f"{ll.entry_count:,}", ll.origin,
                      ll.loaded_at.strftime("%Y-%m-%d %H:%M"), "yes" if stale else "")
    console.print(table)
    runtime.close()


@lists_cli.command("refresh")
def lists_refresh(source: Annotated[str | None, typer.Option(help="Only this source id")] = None) -> None:
    """Download enabled sources and load changed lists; failures keep the loaded version."""
    runtime = open_runtime()
    with console.status("refreshing sources..."):
        reports = runtime.refresh(only=source, actor="cli")
    _print_reports(reports)
    runtime.close()
    if any(r.status in ("failed", "rejected") for r in reports):
        raise typer.Exit(1)


@lists_cli.command("import")
def lists_import(
    path: Annotated[Path, typer.Argument(exists=True, help="The file (or, for ofac-csv, the folder)")],
    list_id: Annotated[str, typer.Option("--list-id", help="List id, e.g. ofac-sdn")],
    fmt: Annotated[str, typer.Option("--format", help="ofac-csv, ofac-xml, un-xml, us-csl, ftm, csv, yaml")],
    name: Annotated[str | None, typer.Option(help="Display name of a new list")] = None,
    max_shrink: Annotated[float, typer.Option(help="Refuse a version that loses more than this share")] = 0.2,
) -> None:
    """Load a list file into the database as a new version, served by the next `exposure serve`."""
    runtime = open_runtime(curated=False)
    info = _info_for_import(runtime, list_id, name)
    request = LoadRequest(info=info, fmt=fmt, path=path, origin="import", source=str(path), max_shrink=max_shrink,
                          actor="cli")
    with console.status(f"parsing and loading {path} ..."):
        report = runtime.catalog.load(request)
    _print_reports([report])
    runtime.close()
    if report.status in ("failed", "rejected"):
        raise typer.Exit(1)


@cli.command("screen")
def screen_cmd(
    name: Annotated[str | None, typer.Argument(help="Name to screen, in any script")] = None,
    file: Annotated[Path | None, typer.Option("--file", exists=True, dir_okay=False, help="CSV to screen (batch)")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Results file for --file (.csv or .jsonl)")] = None,
    encoding: Annotated[str | None, typer.Option(help="With --file: utf-8, utf-16, windows-1256, windows-1252")] = None,
    delimiter: Annotated[str | None, typer.Option(help="With --file: comma, semicolon or tab")] = None,
    kind: Annotated[str, typer.Option("--type", help="person, organization, vessel, aircraft or any")] = "any",
    country: Annotated[str | None, typer.Option(help="ISO country code")] = None,
    dob: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    threshold: Annotated[float | None, typer.Option(help="Minimum score 0..1")] = None,
    limit: Annotated[int, typer.Option(help="Maximum matches")] = 10,
) -> None:
    """Screen one name and print the decision with its reasons, or a whole CSV with --file/--out."""
    from app.cli_screen import print_outcome, screen_csv, screen_one

    if (name is None) == (file is None):
        raise typer.BadParameter("give either a NAME or --file CSV (with --out RESULTS)")
    runtime = open_runtime(with_index=True)
    runtime.rules.reload()
    if file is not None:
        if out is None:
            raise typer.BadParameter("--file needs --out RESULTS.csv (or .jsonl)")
        summary = screen_csv(runtime, console, file, out, threshold=threshold, encoding=encoding, delimiter=delimiter)
        console.print(f"{summary.rows_read:,} rows: {summary.screened:,} screened, {summary.rejected:,} rejected, "
                      f"{summary.matched:,} matched, in {summary.seconds:.1f} s ({summary.rows_per_second:,.0f} rows/s) → {out}")
    else:
        assert name is not None
        outcome = screen_one(runtime, name, kind=kind, country=country, dob=dob, threshold=threshold, limit=limit)
        print_outcome(console, name, outcome)
    runtime.close()


@rules_cli.command("check")
def rules_check(path: Annotated[Path | None, typer.Argument(help="Rule file or folder (default: rules/)")] = None) -> None:
    """Validate rule files: YAML, fields, expressions, duplicate ids."""
    from app.rules.loader import check_rules

    target = path or Settings().rules_dir
    problems = check_rules(target)
    for problem in problems:
        err.print(f"[red]✗[/red] {problem}")
    if problems:
        raise typer.Exit(1)
    console.print(f"[green]✓[/green] {target}: rules are valid")


def _info_for_import(runtime: Runtime, list_id: str, name: str | None) -> ListInfo:
    for spec in runtime.sources:
        if spec.id == list_id:
            return spec.to_list_info()
    stored = runtime.catalog.stored_info(list_id)
    if stored is not None:
        return stored[0]
    return ListInfo(id=list_id, name=name or list_id, authority="imported", category="sanctions",
                    default_action=ListAction.BLOCK)


def _print_reports(reports: list[LoadReport]) -> None:
    table = Table("list", "status", "version", "entries", "added", "removed", "changed", "error")
    for r in reports:
        colour = {"loaded": "green", "unchanged": "cyan"}.get(r.status, "red")
        table.add_row(r.list_id, f"[{colour}]{r.status}[/{colour}]", str(r.version or ""), f"{r.entry_count:,}",
                      str(r.added), str(r.removed), str(r.changed), r.error or "")
    console.print(table)
