"""Progress arithmetic for a running batch."""

from __future__ import annotations


def eta_seconds(elapsed: float | None, done: int, total: int) -> float | None:
    """Seconds left at the pace so far; None until the first rows are done."""
    if elapsed is None or done <= 0 or total <= done:
        return None if done <= 0 else 0.0
    return round(elapsed / done * (total - done), 1)
