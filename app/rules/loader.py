"""Load rule packs from YAML, validate everything, compile CEL once.

Every problem in every file is collected before failing, each as
"FILE: rule ID: problem (line L, column C)", so one `exposure rules check` run shows them all.
A folder without rule files is a valid, empty ruleset.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from app.core.errors import RuleSetInvalid
from app.rules.compile import CompiledRule, compile_rule
from app.rules.context import Projection
from app.rules.models import Rule, RulePack
from app.rules.text import WatchTerm, prepare_terms

QUIET_CONTEXTS_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Immutable: a reload builds a new RuleSet and swaps the reference."""

    version: str  # content hash of the rule files
    packs: tuple[RulePack, ...]
    compiled: tuple[CompiledRule, ...]
    purpose_terms: tuple[WatchTerm, ...]
    files: tuple[str, ...] = ()
    projection: Projection = Projection()  # the context fields the rules read, together
    # Projected contexts on which no rule fired (evaluate.py); pure results, safe to share.
    quiet_contexts: set[str] = field(default_factory=set, compare=False, repr=False)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(c.rule for c in self.compiled)

    def remember_quiet(self, key: str) -> None:
        if len(self.quiet_contexts) >= QUIET_CONTEXTS_LIMIT:
            self.quiet_contexts.clear()  # bounded; the common ones come straight back
        self.quiet_contexts.add(key)

    @classmethod
    def empty(cls) -> RuleSet:
        return cls(version=content_version([]), packs=(), compiled=(), purpose_terms=())


def load_ruleset(path: Path) -> RuleSet:
    """Load every *.yaml of a folder (or one file); raise RuleSetInvalid listing every problem."""
    files = rule_files(path)
    problems: list[str] = []
    packs: list[RulePack] = []
    compiled: list[CompiledRule] = []
    first_seen: dict[str, str] = {}
    for file in files:
        loaded = _load_file(file, problems)
        if loaded is None:
            continue
        pack, root = loaded
        packs.append(pack)
        compiled.extend(_compile_pack(pack, file.name, root, first_seen, problems))
    if problems:
        raise RuleSetInvalid(f"{len(problems)} problem(s) in rule files at {path.name}", problems)
    terms = [(t.name, t.aliases) for p in packs for t in p.context.purpose_terms]
    projection = Projection()
    for rule in compiled:
        projection = projection.union(rule.projection)
    return RuleSet(content_version(files), tuple(packs), tuple(compiled), prepare_terms(terms),
                   tuple(f.name for f in files), projection)  # fmt: skip


def check_rules(path: Path) -> list[str]:
    """The problems `load_ruleset` would report; empty when the rules are valid."""
    try:
        load_ruleset(path)
    except RuleSetInvalid as exc:
        return list(exc.problems)
    return []


def rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.yaml"))
    if path.is_file():
        return [path]
    raise RuleSetInvalid(f"{path.name}: no such rule file or folder")


def content_version(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda f: f.name):
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return f"sha256:{digest.hexdigest()[:16]}"


def _load_file(file: Path, problems: list[str]) -> tuple[RulePack, yaml.Node] | None:
    try:
        text = file.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" ({_position(mark)})" if mark else ""
        problems.append(f"{file.name}: invalid YAML: {exc.problem}{where}")
        return None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{file.name}: cannot read: {exc}")
        return None
    if root is None or not isinstance(data, dict):
        problems.append(
            f"{file.name}: expected a mapping with id, title and rules (line 1, column 1)"
        )
        return None
    try:
        return RulePack.model_validate(data), root
    except ValidationError as exc:
        problems.extend(_validation_problems(file.name, data, root, exc))
        return None


def _compile_pack(
    pack: RulePack, file: str, root: yaml.Node, first_seen: dict[str, str], problems: list[str]
) -> list[CompiledRule]:
    compiled: list[CompiledRule] = []
    for index, rule in enumerate(pack.rules):
        rule_node = _node_at(root, ("rules", index))

        def problem(
            field: str, message: str, rule_id: str = rule.id, node: yaml.Node | None = rule_node
        ) -> None:
            at = _node_at(node, (field,)) if node is not None else None
            problems.append(f"{file}: rule {rule_id}: {message}{_where(at or node)}")

        if rule.id in first_seen:
            problem("id", f"duplicate rule id, already defined in {first_seen[rule.id]}")
            continue
        first_seen[rule.id] = file
        result = compile_rule(rule, pack.id, file, problem)
        if result is not None:
            compiled.append(result)
    return compiled


def _validation_problems(
    file: str, data: dict[str, object], root: yaml.Node, exc: ValidationError
) -> list[str]:
    found = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        rule = _rule_label(data, loc)
        inner = loc[2:] if rule else loc
        field = ".".join(str(p) for p in inner)
        if error["type"] == "extra_forbidden":
            message = f"unknown field '{field}'"
        elif error["type"] == "missing":
            message = f"missing field '{field}'"
        else:
            message = f"{field}: {error['msg']}" if field else error["msg"]
        node = _node_at(root, loc) or _node_at(root, loc[:-1])
        found.append(f"{file}: {rule}{message}{_where(node)}")
    return found


def _rule_label(data: dict[str, object], loc: tuple[int | str, ...]) -> str:
    if len(loc) < 2 or loc[0] != "rules" or not isinstance(loc[1], int):
        return ""
    rules = data.get("rules")
    item = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
    rule_id = item.get("id") if isinstance(item, dict) else None
    return f"rule {rule_id if isinstance(rule_id, str) else '#' + str(loc[1] + 1)}: "


def _node_at(node: yaml.Node | None, loc: tuple[int | str, ...]) -> yaml.Node | None:
    """The YAML node at a pydantic error location, for its line and column."""
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == step), None)
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
        else:
            return None
    return node


def _where(node: yaml.Node | None) -> str:
    return f" ({_position(node.start_mark)})" if node is not None else ""


def _position(mark: yaml.Mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"
