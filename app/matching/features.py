"""Features: small pure functions comparing one aspect of a query with one list entry.

Each returns FeatureScore(s) whose `detail` says what was compared. Main features (name,
identifier) give a score in [0, 1]; qualifiers (dob_*, country_*) have a signed weight and a
score of 1.0 when they apply. Default weights live in FEATURE_WEIGHTS; MatchConfig.weights may
override any of them by feature name. How they combine: scoring.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.lists.models import AliasStrength, IdentifierType, ListEntry
from app.matching.similarity import NameComparison
from app.matching.types import FeatureScore, MatchQuery

FEATURE_WEIGHTS: dict[str, float] = {
    "name": 1.0,
    "weak_alias": 0.9,  # a name match on an alias the source calls weak counts 90%
    "identifier": 1.0,
    "dob_match": 0.05,
    "dob_year_match": 0.02,
    "dob_mismatch": -0.15,
    "dob_day_mismatch": -0.08,
    "country_match": 0.03,
    "country_mismatch": -0.1,
}
MAIN_FEATURES = frozenset({"name", "weak_alias", "identifier"})
BIC_INSTITUTION_SCORE = 0.95  # same bank, other branch (first 8 characters of the BIC)
OTHER_TYPE_SCORE = 0.9  # same value recorded under another identifier type
MIN_CROSS_TYPE_LENGTH = 6
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_IMO = re.compile(r"^IMO\d{7}$")


def identifier_key(value: str) -> str:
    """Identifiers compare without spaces, punctuation or case ("AB-12 345" == "ab12345");
    an IMO number also without its "IMO" prefix."""
    key = _NOT_ALNUM.sub("", value.upper())
    return key[3:] if _IMO.match(key) else key


def _primary_office(bic: str) -> str:
    """A BIC ending in XXX names the primary office, the same as its 8-character form."""
    return bic[:8] if len(bic) == 11 and bic.endswith("XXX") else bic


@dataclass(frozen=True, slots=True)
class NameHit:
    comparison: NameComparison
    display: str
    strength: AliasStrength
    is_primary: bool


def weight_of(name: str, overrides: dict[str, float] | None) -> float:
    if overrides and name in overrides:
        return overrides[name]
    return FEATURE_WEIGHTS[name]


def name_feature(query_name: str, hit: NameHit, overrides: dict[str, float] | None) -> FeatureScore:
    """How close the query name is to the best-matching list name or alias."""
    weak = hit.strength == AliasStrength.WEAK
    feature = "weak_alias" if weak else "name"
    cmp = hit.comparison
    matched = ", ".join(f"{p.query}~{p.candidate} {p.similarity:.2f}" for p in cmp.pairs) or "none"
    label = "primary name" if hit.is_primary else ("weak alias" if weak else "alias")
    detail = f"{label} '{hit.display}': token pairs {matched}"
    if cmp.unmatched_query:
        detail += f"; query words not found: {' '.join(cmp.unmatched_query)}"
    if cmp.unmatched_candidate:
        detail += f"; list words not in query: {' '.join(cmp.unmatched_candidate)}"
    if cmp.joined:
        detail += "; scored on the names with spaces removed (split/joined words)"
    weight = weight_of(feature, overrides)
    return FeatureScore(feature, cmp.score, weight, detail, query_name, hit.display)


def _identifier_score(
    query_type: IdentifierType, query_key: str, entry: ListEntry
) -> tuple[float, str]:
    best, shown = 0.0, ""
    for ident in entry.identifiers:
        key = identifier_key(ident.value)
        score = 0.0
        if IdentifierType.BIC in (ident.type, query_type):
            key, query_key = _primary_office(key), _primary_office(query_key)
        if key == query_key and key:
            same_type = ident.type == query_type or IdentifierType.OTHER in (ident.type, query_type)
            if same_type or len(key) >= MIN_CROSS_TYPE_LENGTH:
                score = 1.0 if same_type else OTHER_TYPE_SCORE
        elif (
            IdentifierType.BIC in (ident.type, query_type)
            and len(key) >= 8
            and key[:8] == query_key[:8]
        ):
            score = BIC_INSTITUTION_SCORE if len(query_key) >= 8 else 0.0
        if score > best:
            best, shown = score, f"{ident.type.value} {ident.value}"
    return best, shown


def identifier_feature(
    query: MatchQuery, entry: ListEntry, overrides: dict[str, float] | None
) -> FeatureScore | None:
    """An identifier of the query equals one of the entry (BIC also on its first 8 characters)."""
    best: FeatureScore | None = None
    for qid in query.identifiers:
        score, shown = _identifier_score(qid.type, identifier_key(qid.value), entry)
        if score and (best is None or score > best.score):
            how = (
                "equal"
                if score == 1.0
                else (
                    "same bank (BIC first 8)"
                    if score == BIC_INSTITUTION_SCORE
                    else "equal value, other type"
                )
            )
            detail = f"query {qid.type.value} {qid.value} vs listed {shown}: {how}"
            best = FeatureScore(
                "identifier", score, weight_of("identifier", overrides), detail, qid.value, shown
            )
    return best


def _date_parts(value: str) -> tuple[str, ...]:
    return tuple(value.strip()[:10].split("-"))


def dob_features(
    query: MatchQuery, entry: ListEntry, overrides: dict[str, float] | None
) -> list[FeatureScore]:
    """Birth dates compared at the precision both sides have (a year-only date on the year)."""
    if not query.birth_date or not entry.birth_dates:
        return []
    q = _date_parts(query.birth_date)
    listed = ", ".join(entry.birth_dates)
    outcomes = []
    for value in entry.birth_dates:
        e = _date_parts(value)
        depth = min(len(q), len(e))
        if q[:depth] == e[:depth]:
            outcomes.append("dob_match" if depth == 3 else "dob_year_match")
        elif q[0] == e[0]:
            outcomes.append("dob_day_mismatch")
        else:
            outcomes.append("dob_mismatch")
    order = ["dob_match", "dob_year_match", "dob_day_mismatch", "dob_mismatch"]
    best = min(outcomes, key=order.index)
    sentence = {
        "dob_match": "same full date of birth",
        "dob_year_match": "same year of birth",
        "dob_day_mismatch": "same year, different month or day",
        "dob_mismatch": "different year of birth",
    }[best]
    detail = f"query born {query.birth_date} vs listed {listed}: {sentence}"
    return [FeatureScore(best, 1.0, weight_of(best, overrides), detail, query.birth_date, listed)]


def country_features(
    query: MatchQuery, entry: ListEntry, overrides: dict[str, float] | None
) -> list[FeatureScore]:
    """Countries linked to the query vs every country linked to the entry."""
    if not query.countries or not entry.countries:
        return []
    query_set = {c.upper() for c in query.countries}
    entry_set = {c.upper() for c in entry.countries}
    shared = query_set & entry_set
    feature = "country_match" if shared else "country_mismatch"
    q_text, e_text = ", ".join(sorted(query_set)), ", ".join(sorted(entry_set))
    detail = f"query countries {q_text} vs listed {e_text}: " + (
        f"shared {', '.join(sorted(shared))}" if shared else "none shared"
    )
    return [FeatureScore(feature, 1.0, weight_of(feature, overrides), detail, q_text, e_text)]
