"""Run a ruleset over screened parties: pure, no I/O, no clock.

Decision: the strongest action among the rules that fired (`info` never changes it).
Risk score: the rules' scores combined as independent evidence, 1 - prod(1 - score), so one
block-level rule (score 1.0) gives 1.0, two 0.5 rules give 0.75, and the result stays in [0, 1].
A rule that fails at run time (data the load-time checks did not foresee) fires as `review`
with the error as its reason: a broken rule must not clear a payment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import cel

from app.core.decision import Decision
from app.rules.compile import CompiledRule
from app.rules.context import Map, Value, build_context, project
from app.rules.types import Reference, RuleOutcome, TriggeredRule
from app.screening.outcome import ScreenedParty

if TYPE_CHECKING:
    from app.payments.models import Transaction
    from app.rules.loader import RuleSet

# (party map, match map or None): what made a rule fire; both None for transaction scope.
Hit = tuple[Map | None, Map | None]
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")


def evaluate(
    ruleset: RuleSet, parties: Sequence[ScreenedParty], transaction: Transaction | None = None
) -> RuleOutcome:
    """Every rule of the ruleset against one screening."""
    context = build_context(parties, transaction, ruleset.purpose_terms)
    projected = project(context, ruleset.projection)  # only the fields the rules read
    # Conditions see nothing but the projected fields, so equal projections fire the same rules.
    # A customer book repeats a few quiet ones (no match, no country, no currency) row after row.
    quiet_key = _context_key(projected)
    if quiet_key in ruleset.quiet_contexts:
        return RuleOutcome(Decision.CLEAR, 0.0, (), ruleset.version)
    # Converted to CEL once, shared by every rule.
    cel_context = cel.Context(dict(projected))
    # A match-scope rule looks at each (party, match) pair: with no match anywhere it cannot fire,
    # and most screenings of a customer book have none.
    any_match = any(party.matches for party in parties)
    runnable = [c for c in ruleset.compiled if any_match or c.rule.scope != "match"]
    triggered = [t for c in runnable if (t := _run(c, context, cel_context)) is not None]
    if not triggered:
        ruleset.remember_quiet(quiet_key)
    decision = Decision.strongest([Decision(t.action) for t in triggered if t.action != "info"])
    return RuleOutcome(decision, combine_scores(t.score for t in triggered), tuple(triggered),
                       ruleset.version)  # fmt: skip


def _context_key(value: Map) -> str:
    """A hashable copy of a projected context (JSON, written by the C encoder)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def combine_scores(scores: Iterable[float]) -> float:
    remaining = 1.0
    for score in scores:
        remaining *= 1.0 - min(max(score, 0.0), 1.0)
    return round(min(max(1.0 - remaining, 0.0), 1.0), 4)


def _run(compiled: CompiledRule, context: Map, cel_context: cel.Context) -> TriggeredRule | None:
    try:
        result = compiled.condition.execute(cel_context)
        hits = _hits(result, compiled, context)
        if not hits:
            return None
        entity_ids = _entity_ids(compiled, hits, cel_context, context)
    except Exception as exc:  # noqa: BLE001 - any failure must surface as a review, not a crash
        return _failed(compiled, exc)
    return _triggered(compiled, hits, entity_ids, context)


def _hits(result: object, compiled: CompiledRule, context: Map) -> list[Hit]:
    scope = compiled.rule.scope
    if scope == "transaction":
        return [(None, None)] if result is True else []
    parties = _maps(context["parties"])
    assert isinstance(result, list)
    assert len(result) == len(parties)
    if scope == "party":
        return [(p, None) for p, fired in zip(parties, result, strict=True) if fired is True]
    return [
        (p, m)
        for p, fired in zip(parties, result, strict=True)
        for m, match_fired in zip(_maps(p["matches"]), fired, strict=True)
        if match_fired is True
    ]


def _entity_ids(
    compiled: CompiledRule, hits: list[Hit], cel_context: cel.Context, context: Map
) -> list[str]:
    if compiled.rule.scope == "match":
        return _unique(_text(m, "entity_id") for _, m in hits if m is not None)
    if compiled.entities is None:
        return []
    result = compiled.entities.execute(cel_context)
    if compiled.rule.scope == "transaction":
        return _unique(str(v) for v in _as_list(result))
    return _unique(str(v) for per_party in _as_list(result) for v in _as_list(per_party))


def _triggered(
    compiled: CompiledRule, hits: list[Hit], entity_ids: list[str], context: Map
) -> TriggeredRule:
    rule = compiled.rule
    party_maps = [p for p, _ in hits if p is not None]
    roles = _unique(_text(p, "role") for p in party_maps) or ["transaction"]
    values = reason_values(rule.title, hits, roles, entity_ids, context)
    template = rule.reason or "{title}: {roles}"
    reason = _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), template).strip()
    references = tuple(Reference(r.title, r.date, r.url, r.citation) for r in rule.references)
    return TriggeredRule(rule.id, rule.title, rule.action, rule.score, " ".join(reason.split()),
                         tuple(roles), tuple(entity_ids), references, compiled.pack)  # fmt: skip


def reason_values(
    title: str, hits: list[Hit], roles: list[str], entity_ids: list[str], context: Map
) -> dict[str, str]:
    """The values of the reason placeholders (see rules/README.md)."""
    parties = [p for p, _ in hits if p is not None]
    matches = [m for _, m in hits if m is not None]
    transaction = context["transaction"]
    tx = transaction if isinstance(transaction, dict) else {}
    shares = [float(s) for p in parties if isinstance(s := p["listed_owner_share"], float)]
    return {
        "title": title,
        "roles": ", ".join(roles),
        "names": _join(_text(p, "name") or _text(p, "bic") for p in parties),
        "matched": _join(_text(m, "name") for m in matches)
        or _join(_text(p, "name") for p in parties),
        "entity_ids": _join(entity_ids),
        "lists": _join(_text(m, "list_id") for m in matches),
        "programs": _join(str(v) for m in matches for v in _as_list(m["programs"])),
        "batch_dates": _join(_text(m, "batch_date") for m in matches),
        "legal_basis": _join(_text(m, "legal_basis") for m in matches),
        "currency": _text(tx, "currency") or "unknown",
        "amount": f"{tx['amount']:,.2f}" if isinstance(tx.get("amount"), float) else "unknown",
        "mentions": _join(str(v) for v in _as_list(tx.get("purpose_mentions"))),
        "share": f"{max(shares):g}" if shares else "unknown",
        "owners": _join(str(v) for p in parties for v in _as_list(p["listed_owner_names"])),
    }


def _failed(compiled: CompiledRule, exc: Exception) -> TriggeredRule:
    rule = compiled.rule
    error = str(exc).split("\n")[0] or type(exc).__name__
    return TriggeredRule(rule.id, rule.title, Decision.REVIEW.value, rule.score,
                         f"rule could not be evaluated ({error}); check this screening by hand",
                         pack=compiled.pack)  # fmt: skip


def _maps(value: Value) -> list[Map]:
    return [v for v in _as_list(value) if isinstance(v, dict)]


def _as_list(value: object) -> list[Value]:
    return list(value) if isinstance(value, list) else []


def _text(item: Map, key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _join(values: Iterable[str]) -> str:
    return ", ".join(_unique(values)) or "unknown"
