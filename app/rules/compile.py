"""Compile a rule's CEL once, and refuse it at load time if it could not run.

Checks, in order: the expression parses; it names only documented variables and context
fields; it evaluates to the right shape on sample contexts, with and without a transaction (so
an unguarded `transaction.currency` fails here, not on the first single-party screening).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import cel

from app.lists.models import EntityKind, ListEntry
from app.matching.types import Match, MatchQuery
from app.rules.context import Map, Projection, build_context, project
from app.rules.models import Rule, Scope
from app.rules.text import prepare_terms
from app.screening.outcome import ScreenedParty

ROOTS: dict[str, frozenset[str]] = {
    "transaction": frozenset({"parties", "transaction"}),
    "party": frozenset({"parties", "transaction", "party"}),
    "match": frozenset({"parties", "transaction", "party", "match"}),
}
REASON_PLACEHOLDERS = frozenset(
    {"title", "roles", "names", "matched", "entity_ids", "lists", "programs", "batch_dates",
     "legal_basis", "currency", "amount", "mentions", "share", "owners"}
)  # fmt: skip
_MACRO_VAR = re.compile(r"\b(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_]\w*)\s*,")
_FIELD = re.compile(r"\.\s*([A-Za-z_]\w*)\b(?!\s*\()")
_OWNER = re.compile(r"(\w+)\s*$")
_STRING = re.compile(
    r"""[rRbB]*('''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")""", re.S
)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
Problem = Callable[[str, str], None]  # (field of the rule, message)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule with its programs: `condition` returns bool, [bool] or [[bool]] by scope."""

    rule: Rule
    pack: str
    source: str  # file name
    condition: cel.Program
    entities: cel.Program | None
    projection: Projection  # the context fields the rule reads


def compile_rule(rule: Rule, pack: str, source: str, problem: Problem) -> CompiledRule | None:
    """Compile and check one rule; report each problem and return None when there was any."""
    found: list[str] = []

    def note(where: str, message: str) -> None:
        found.append(message)
        problem(where, message)

    condition = _compile_checked(rule.condition, rule.scope, "condition", note)
    entities = None
    if rule.entities is not None:
        if rule.scope == "match":
            note("entities", "entities is not used in match scope (the matched entry is reported)")
        else:
            entities = _compile_checked(rule.entities, rule.scope, "entities", note)
    _check_reason(rule.reason, note)
    if found or condition is None:
        return None
    wrapped = cel.compile(_wrap(rule.condition, rule.scope))
    wrapped_entities = cel.compile(_wrap_entities(rule)) if entities is not None else None
    projection = referenced(rule.condition).union(referenced(rule.entities or ""))
    if rule.scope == "match":
        projection = projection.union(Projection(frozenset({"matches"})))
    # Run on the projected samples: a field the scan missed fails here, not in production.
    _dry_run(wrapped, rule.scope, projection, note)
    if found:
        return None
    return CompiledRule(rule, pack, source, wrapped, wrapped_entities, projection)


def referenced(source: str) -> Projection:
    """The fields and entry property keys an expression names with dot syntax."""
    code = _STRING.sub('""', source)
    fields: set[str] = set()
    keys: set[str] | None = set()
    for found in _FIELD.finditer(code):
        owner = _OWNER.search(code, 0, found.start())
        if owner and owner[1] == "properties":
            if keys is not None:
                keys.add(found[1])
        else:
            fields.add(found[1])
    if re.search(r"\bproperties\b(?!\s*\.\s*[A-Za-z_])", code):
        keys = None  # the map is used whole (indexing, `in`): keep every key
    return Projection(frozenset(fields), None if keys is None else frozenset(keys))


def _compile_checked(source: str, scope: Scope, where: str, note: Problem) -> cel.Program | None:
    try:
        program = cel.compile(source)
    except Exception as exc:  # the binding raises ValueError for syntax errors
        note(where, f"bad CEL expression: {_first_line(exc)}")
        return None
    _check_names(program, source, scope, where, note)
    return program


def _check_names(
    program: cel.Program, source: str, scope: Scope, where: str, note: Problem
) -> None:
    bound = set(_MACRO_VAR.findall(source))
    for name in program.variables():
        if name not in ROOTS[scope] and name not in bound:
            allowed = ", ".join(sorted(ROOTS[scope]))
            note(where, f"unknown variable '{name}' in {scope} scope (known: {allowed})")
    fields = known_fields()
    code = _STRING.sub('""', source)
    for found in _FIELD.finditer(code):
        owner = _OWNER.search(code, 0, found.start())
        if owner and owner[1] == "properties":  # an open map: any key may be asked for
            continue
        if found[1] not in fields:
            note(where, f"unknown context field '{found[1]}' (see rules/README.md for the fields)")


def _check_reason(reason: str | None, note: Problem) -> None:
    for name in _PLACEHOLDER.findall(reason or ""):
        if name not in REASON_PLACEHOLDERS:
            known = ", ".join(sorted(REASON_PLACEHOLDERS))
            note("reason", f"unknown placeholder {{{name}}} (known: {known})")


def _wrap(condition: str, scope: Scope) -> str:
    # One program per rule over the whole context: converting the context into CEL values costs
    # far more than running a program, so scopes iterate inside CEL instead of rebinding vars.
    if scope == "match":
        return f"parties.map(party, party.matches.map(match, (\n{condition}\n)))"
    if scope == "party":
        return f"parties.map(party, (\n{condition}\n))"
    return f"(\n{condition}\n)"


def _wrap_entities(rule: Rule) -> str:
    assert rule.entities is not None
    if rule.scope == "party":
        return f"parties.map(party, (\n{rule.condition}\n) ? (\n{rule.entities}\n) : [])"
    return f"(\n{rule.entities}\n)"


def _dry_run(program: cel.Program, scope: Scope, projection: Projection, note: Problem) -> None:
    for label, context in sample_contexts():
        try:
            result = program.execute(cel.Context(dict(project(context, projection))))
        except Exception as exc:
            hint = (
                " (guard with `transaction != null && ...`)"
                if label == "without a transaction"
                else ""
            )
            note("condition", f"fails on sample data {label}: {_first_line(exc)}{hint}")
            return
        if not _has_shape(result, scope):
            note("condition", f"must evaluate to a bool, got {type(_leaf(result)).__name__}")
            return


def _has_shape(result: object, scope: Scope) -> bool:
    depth = {"transaction": 0, "party": 1, "match": 2}[scope]
    return _bools_at(result, depth)


def _bools_at(value: object, depth: int) -> bool:
    if depth == 0:
        return isinstance(value, bool)
    return isinstance(value, list) and all(_bools_at(v, depth - 1) for v in value)


def _leaf(value: object) -> object:
    while isinstance(value, list) and value:
        value = value[0]
    return value


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.split("\n")[0].split(". ")[0]


@cache
def known_fields() -> frozenset[str]:
    """Every field name of the party, match and transaction maps."""
    _, context = sample_contexts()[1]
    party = context["parties"][1]  # type: ignore[index]
    assert isinstance(party, dict)
    assert isinstance(context["transaction"], dict)
    match = party["matches"][0]  # type: ignore[index]
    assert isinstance(match, dict)
    return frozenset(party) | frozenset(match) | frozenset(context["transaction"])


@cache
def sample_contexts() -> tuple[tuple[str, Map], ...]:
    """A single-party screening without transaction, and a payment with owner and bank."""
    from app.payments.models import Party, Transaction

    entry = ListEntry(id="sample:1", list_id="sample", source_id="1", kind=EntityKind.ORGANIZATION,
                      name="Sample", programs=("SDGT",), properties={"batch_date": "2024-02-04"})  # fmt: skip
    match = Match(entry, 0.95, "Sample", entry.all_names()[0][1], (), "sample")
    query = MatchQuery("Sample Co", kind=EntityKind.ORGANIZATION, countries=("IQ",))
    single = (ScreenedParty("party", query, (match,)),)
    payment = (
        ScreenedParty("originator", MatchQuery("Plain"), ()),
        ScreenedParty("beneficiary", query, (match,), address="Baghdad"),
        ScreenedParty("beneficiary.bank", MatchQuery(""), (match,), attributes={"bic": "BHDAIQBA", "is_bank": "true"}),
        ScreenedParty("beneficiary.owners[0]", MatchQuery("Owner"), (match,), attributes={"owner_of": "beneficiary", "share": "60"}),
    )  # fmt: skip
    transaction = Transaction(currency="USD", amount=1.0, purpose="sample",
                              originator=Party(name="A"), beneficiary=Party(name="B"))  # fmt: skip
    terms = prepare_terms([("Sample", ())])
    return (
        ("without a transaction", build_context(single, None, terms)),
        ("with a payment", build_context(payment, transaction, terms)),
    )
