from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.auth import Admin, Screener
from app.api.deps import RuntimeDep
from app.api.errors import ERROR_RESPONSES
from app.api.schemas import ReferenceOut

router = APIRouter(prefix="/v1", tags=["rules"])


class RuleOut(BaseModel):
    id: str
    pack: str
    title: str
    description: str | None
    action: str
    score: float
    condition: str
    references: list[ReferenceOut]


class RulesOut(BaseModel):
    version: str | None
    rules: list[RuleOut]
    error: str | None = None


@router.get("/rules")
def get_rules(runtime: RuntimeDep, who: Screener) -> RulesOut:
    """The rule packs in force, with their version (content hash); `error` shows a refused reload."""
    ruleset = runtime.rules.current
    error = runtime.rules.last_error.detail if runtime.rules.last_error else None
    if ruleset is None:
        return RulesOut(version=None, rules=[], error=error)
    rules = [
        RuleOut(
            id=rule.id, pack=pack_id, title=rule.title, description=rule.description, action=rule.action,
            score=rule.score, condition=rule.condition,
            references=[ReferenceOut(title=r.title, citation=r.citation, date=r.date, url=r.url) for r in rule.references],
        )
        for pack in ruleset.packs
        for pack_id, rule in ((pack.id, r) for r in pack.rules)
    ]
    return RulesOut(version=ruleset.version, rules=rules, error=error)


@router.post("/rules/reload", responses=ERROR_RESPONSES)
def reload_rules(runtime: RuntimeDep, who: Admin) -> RulesOut:
    """Re-read the rule files. An invalid file is refused (422 listing every problem) and the
    rules in force keep serving."""
    runtime.reload_rules(actor=who.name)
    return get_rules(runtime, who)
