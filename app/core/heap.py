"""Keep the list index out of Python's cyclic garbage collector.

The index of the shared lists is about a million long-lived objects. A full collection walks
every one of them (0.7 s on the 2-core bench machine, during which nothing else runs), and one
comes whenever a quarter as many new objects have survived: every few thousand screenings in a
batch worker, whose token caches grow, and in the server as a latency spike. The index holds no
reference cycles, so the collector could never free any of it anyway. `gc.freeze` moves what
exists now into a generation collections skip; objects are still freed when their last
reference goes, so a replaced index is released as before.
"""

from __future__ import annotations

import gc


def exempt_from_collection(*, collect_first: bool = False) -> None:
    """Freeze everything alive now. `collect_first` clears garbage before (start-up only: it
    costs one full collection), so that no unreachable cycle is frozen with the index."""
    if collect_first:
        gc.collect()
    gc.freeze()
