"""Screen batch rows in chunks with the same matching and rules code as a single screening.

A chunk's queries go to the index together (`search_many` when the engine offers it), then each
row is decided by `app.screening.party.decide`, exactly as POST /v1/screen decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Protocol

from app.audit.payload import screening_payload
from app.batch.results import RowResult, format_versions
from app.batch.rows import RejectedRow, ScreenableRow
from app.core.decision import Decision
from app.matching.types import Match, MatchConfig, MatchQuery
from app.screening.outcome import ListVersion, ScreenedParty, ScreeningOutcome
from app.screening.party import ScreeningPolicy, decide

if TYPE_CHECKING:
    from app.rules.loader import RuleSet

Row = ScreenableRow | RejectedRow
_ACTION_SEVERITY = {decision.value: decision.severity for decision in Decision}


class Searcher(Protocol):
    def search(self, query: MatchQuery, config: MatchConfig) -> list[Match]: ...


@dataclass(frozen=True, slots=True)
class ScreeningContext:
    """Everything a chunk is screened with; taken once per chunk so a chunk sees one list version."""

    index: Searcher
    config: MatchConfig
    policy: ScreeningPolicy
    ruleset: RuleSet | None
    list_versions: tuple[ListVersion, ...]

    @property
    def versions_text(self) -> str:
        return format_versions(self.list_versions)


def screen_chunk(rows: Sequence[Row], context: ScreeningContext) -> list[RowResult]:
    """One result per row, in input order."""
    screenable = [row for row in rows if isinstance(row, ScreenableRow)]
    found = iter(_search_all([row.query for row in screenable], context))
    versions = context.versions_text
    results = []
    for row in rows:
        if isinstance(row, RejectedRow):
            results.append(rejected_result(row))
        else:
            outcome = _decide(row, next(found), context)
            results.append(screened_result(row, outcome, versions))
    return results


def _search_all(queries: list[MatchQuery], context: ScreeningContext) -> list[list[Match]]:
    search_many = getattr(context.index, "search_many", None)
    if search_many is not None:
        return [list(matches) for matches in search_many(queries, context.config)]
    return [context.index.search(query, context.config) for query in queries]


def _decide(row: ScreenableRow, matches: list[Match], context: ScreeningContext) -> ScreeningOutcome:
    party = ScreenedParty(role="party", query=row.query, matches=tuple(matches), address=row.address,
                          account=row.account, attributes=dict(row.attributes))
    return decide((party,), policy=context.policy, ruleset=context.ruleset, list_versions=context.list_versions)


def screened_result(row: ScreenableRow, outcome: ScreeningOutcome, versions: str) -> RowResult:
    best = headline_match(outcome)
    return RowResult(
        row_number=row.row_number, line_number=row.line_number, record_id=row.record_id, name=row.name,
        status="screened", decision=outcome.decision.value,
        matched=best is not None or outcome.decision is not Decision.CLEAR,
        best_score=round(best.score, 4) if best else None,
        list_id=best.list_id if best else None, entity_id=best.entity_id if best else None,
        matched_name=best.matched_name if best else None,
        triggered_rules=tuple(rule.rule_id for rule in outcome.triggered_rules),
        list_versions=versions, ruleset_version=outcome.ruleset_version,
        audit_payload=screening_payload(_row_request(row), outcome),
    )


def headline_match(outcome: ScreeningOutcome) -> Match | None:
    """The match a result row shows: the best score and, of equal scores, the one whose list
    drives the decision. Al Huda Bank is on the FinCEN 311 list (block) and the CBI dollar ban
    (review) with the same score; showing the review list beside a block decision misleads."""
    severity = {
        entity_id: _ACTION_SEVERITY.get(rule.action, -1)
        for rule in outcome.triggered_rules
        if rule.pack == "lists"
        for entity_id in rule.entity_ids
    }
    return max(
        (match for _, match in outcome.matches),
        key=lambda match: (match.score, severity.get(match.entity_id, -1)),
        default=None,
    )


def _row_request(row: ScreenableRow) -> dict[str, object]:
    query = row.query
    return {
        "batch_row": row.row_number, "line": row.line_number, "record_id": row.record_id, "name": query.name,
        "type": query.kind.value if query.kind else "any", "countries": list(query.countries),
        "dob": query.birth_date, "identifiers": [{"type": i.type.value, "value": i.value} for i in query.identifiers],
        "address": row.address, "account": row.account, "attributes": dict(row.attributes),
    }


def rejected_result(row: RejectedRow) -> RowResult:
    # A rejected row was screened against nothing, so it carries no list or rule versions.
    return RowResult(row_number=row.row_number, line_number=row.line_number, record_id=row.record_id,
                     name=row.name, status="rejected", reason=row.reason.value, detail=row.detail)


def chunked(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
