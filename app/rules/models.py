"""The rule file format: a `RulePack` per YAML file, validated with `extra="forbid"`.

A typo in a key (`acton:`) is an error at load time rather than a rule that silently never
fires. See rules/README.md for the format with examples.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

# What a rule is evaluated against, once per ...
#   match:       (party, match) pair; `party`, `match`, `parties`, `transaction` are bound
#   party:       screened party; `party`, `parties`, `transaction` are bound
#   transaction: screening as a whole; `parties`, `transaction` are bound
Scope = Literal["match", "party", "transaction"]
Action = Literal["block", "review", "info"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReferenceSpec(_Strict):
    """The legal instrument or advisory a rule rests on."""

    title: str = Field(min_length=1)
    citation: str | None = None  # "89 FR 55051", "31 CFR 560.427"
    date: str | None = None  # ISO date of the instrument
    url: str | None = None

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None:
            date.fromisoformat(value)  # raises ValueError, reported with the rule's position
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError("url must start with http:// or https://")
        return value


class Rule(_Strict):
    """One rule: when `condition` (CEL) holds, the screening gets `action` and `score`."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=1)
    description: str = ""
    action: Action
    score: float = Field(ge=0, le=1)  # contribution to the risk score
    scope: Scope = "party"
    condition: str = Field(min_length=1)  # CEL, must evaluate to a bool
    # CEL, optional, list of strings: the list entity ids to report when the rule fires
    # (party and transaction scope; match scope reports the matched entity itself).
    entities: str | None = None
    # Text shown to the officer, with {placeholders}; see rules/README.md for the list.
    reason: str | None = None
    references: tuple[ReferenceSpec, ...] = ()


class PurposeTerm(_Strict):
    """A designated group (or other watched name) to look for in payment free text."""

    name: str = Field(min_length=1)  # reported in transaction.purpose_mentions
    aliases: tuple[str, ...] = ()  # Latin and Arabic spellings


class PackContext(_Strict):
    """Data a pack contributes to the evaluation context (merged across packs)."""

    purpose_terms: tuple[PurposeTerm, ...] = ()


class RulePack(_Strict):
    """One rule file."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=1)
    description: str = ""
    context: PackContext = PackContext()
    rules: tuple[Rule, ...] = ()
