"""The three outcomes of a screening, ordered by severity."""

from __future__ import annotations

from enum import StrEnum


class Decision(StrEnum):
    CLEAR = "clear"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @classmethod
    def strongest(cls, decisions: list[Decision]) -> Decision:
        """The most severe decision; `clear` when there is none."""
        return max(decisions, key=lambda d: d.severity, default=cls.CLEAR)


_SEVERITY = {Decision.CLEAR: 0, Decision.REVIEW: 1, Decision.BLOCK: 2}
