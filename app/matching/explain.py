"""One-line explanations an officer can read, built only from the features of a match."""

from __future__ import annotations

from app.matching.features import MAIN_FEATURES
from app.matching.types import FeatureScore

_QUALIFIER_TEXT = {
    "dob_match": "same date of birth",
    "dob_year_match": "same birth year",
    "dob_mismatch": "different birth year",
    "dob_day_mismatch": "different birth date in the same year",
    "country_match": "shared country",
    "country_mismatch": "no shared country",
}


def _signed(value: float) -> str:
    return f"+{value:.2f}" if value >= 0 else f"−{-value:.2f}"


def explain(
    score: float, matched_name: str, list_id: str, features: tuple[FeatureScore, ...]
) -> str:
    """e.g. "Matched alias 'AL-MOUSSAWI, Hamad' on ofac-sdn, score 0.93: name 0.95; different birth year −0.15"."""
    parts: list[str] = []
    label = "name"
    for feature in features:
        if feature.name in MAIN_FEATURES:
            if feature.name == "identifier":
                parts.append(f"identifier {feature.candidate} {feature.score:.2f}")
            else:
                label = feature.detail.split(" '", 1)[0]
                parts.append(f"{feature.name.replace('_', ' ')} {feature.score:.2f}")
        else:
            parts.append(
                f"{_QUALIFIER_TEXT.get(feature.name, feature.name)} {_signed(feature.contribution)}"
            )
    subject = f"{label} '{matched_name}'" if matched_name else "identifier"
    return f"Matched {subject} on {list_id}, score {score:.2f}: " + "; ".join(parts)
