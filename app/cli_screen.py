"""Readable screening output for the `exposure screen` command."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from app.api.schemas import ScreenRequest
from app.core.errors import InvalidQuery
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
    return screen_party(request.to_query(), state.index, config=config, policy=runtime.policy(),
                        ruleset=runtime.rules.current, list_versions=state.versions())


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
