"""How much one name token says about identity.

A token's weight is its inverse document frequency over every loaded list name, scaled so that a
token found in 1 name in 1,000 or rarer weighs 1.0 and very common ones (Mohammad, Bank) weigh
down to 0.3. Words of the built-in generic list (bank, islamic, international, trading, abu, abd
...) never weigh more than 0.2, so "Islamic Bank" alone cannot match a listed Islamic bank.
Patronymics (Vladimirovich, -ovna, -oglu) weigh at most 0.3: queries often leave them out.
Below MIN_CORPUS names (small custom lists, tests) frequencies mean nothing and only the generic
list applies.

Document frequencies are counted per list (`count_keys`) and summed across lists at search time,
so rebuilding one list never touches the others.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from app.matching.normalize import GENERIC_WORDS, NormName, Token

GENERIC_WEIGHT = 0.2
MIN_WEIGHT = 0.3
MIN_CORPUS = 2000
_RARE_FRACTION = 1 / 1000
MEMO_LIMIT = 500_000
PATRONYMIC_SUFFIXES = ("ovich", "evich", "ovych", "ovna", "evna", "ogly", "oglu", "kyzy")
PATRONYMIC_WEIGHT = 0.3


def count_keys(names: Iterable[NormName]) -> Counter[str]:
    """In how many names each phonetic key occurs (once per name)."""
    counts: Counter[str] = Counter()
    for name in names:
        counts.update({t.key for t in name.tokens})
    return counts


class TokenWeights:
    """Weights from summed per-list frequencies, memoised by token text.

    One instance belongs to one immutable MatchIndex; the memo only ever gains entries whose
    value never changes, so concurrent searches may share it (it is cleared past MEMO_LIMIT).
    """

    __slots__ = ("_counts", "_total", "_memo")

    def __init__(self, counts: Sequence[Counter[str]], total_names: int) -> None:
        self._counts = counts
        self._total = total_names
        self._memo: dict[str, float] = {}

    def weight(self, token: Token) -> float:
        cached = self._memo.get(token.text)
        if cached is None:
            if len(self._memo) > MEMO_LIMIT:
                self._memo = {}
            cached = self._memo[token.text] = self._compute(token)
        return cached

    def weights(self, tokens: Sequence[Token]) -> list[float]:
        return [self.weight(t) for t in tokens]

    def _compute(self, token: Token) -> float:
        ceiling = GENERIC_WEIGHT if token.text in GENERIC_WORDS else 1.0
        if len(token.text) == 1:
            ceiling = min(ceiling, 0.5)  # an initial says little
        elif token.text.endswith(PATRONYMIC_SUFFIXES):
            ceiling = min(ceiling, PATRONYMIC_WEIGHT)  # often left out: Vladimir Putin
        if self._total < MIN_CORPUS:
            return ceiling
        frequency = sum(c.get(token.key, 0) for c in self._counts)
        if frequency == 0:
            return ceiling
        idf = math.log(self._total / frequency) / math.log(1 / _RARE_FRACTION)
        return min(ceiling, max(MIN_WEIGHT, min(1.0, idf)))
