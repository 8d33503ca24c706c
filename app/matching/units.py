"""Units and keys of candidate generation (candidates.py), shared with monitoring's prefilter.

A unit is a name token or two neighbouring tokens glued together (Li Ming ~ Liming). Its keys
are its consonant skeleton, the skeleton without a glued article (AlHuda ~ Huda) and, for short
words, the spelling itself behind TEXT_KEY: a one-letter change of a two- or three-consonant
skeleton (Janan/Manan, Anna/Banna) or of a short word (Xavier/Javier) would otherwise be out of
reach of the one-edit look-up.
"""

from __future__ import annotations

from functools import lru_cache

from app.lists.models import EntityKind
from app.matching.normalize import NormName, Token, make_token
from app.matching.phonetic import skeleton

MIN_DELETE_LENGTH = 4  # shorter keys have too many one-edit neighbours to be useful
SHORT_SKELETON = 3
SHORT_TEXT = 6
TEXT_KEY = "~"  # marks a spelling key; skeletons never contain it


# A query probes every loaded list with the same keys: the small caches below spare recomputing
# them per list (index builds pass through them too, so they stay small).
@lru_cache(maxsize=4096)
def deletions(key: str) -> frozenset[str]:
    if len(key) < MIN_DELETE_LENGTH:
        return frozenset()
    return frozenset(key[:i] + key[i + 1 :] for i in range(len(key)))


def glue(left: Token, right: Token) -> Token:
    return make_token(
        left.text + right.text, left.vowelless or right.vowelless, left.syllabic or right.syllabic
    )


def name_units(norm: NormName) -> list[Token]:
    """Tokens of a name plus its glued neighbour pairs."""
    tokens = list(norm.tokens)
    return tokens + [glue(a, b) for a, b in zip(tokens, tokens[1:], strict=False)]


@lru_cache(maxsize=4096)
def unit_keys(unit: Token) -> frozenset[str]:
    """The keys a unit is filed and looked up under (see the module docstring)."""
    keys = {unit.skel}
    if len(unit.skel) <= SHORT_SKELETON or len(unit.text) <= SHORT_TEXT:
        keys.add(TEXT_KEY + unit.text)
    if unit.text[:2] in ("al", "el") and len(unit.text) > 4:
        keys.add(skeleton(unit.text[2:]))
    return frozenset(keys)


def uses_surname_first(kind: EntityKind | None) -> bool:
    return kind in (None, EntityKind.PERSON, EntityKind.UNKNOWN)
