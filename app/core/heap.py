"""Keep the list index out of Python's cyclic garbage collector.

The index of the shared lists is about a million long-lived objects. A full collection walks
every one of them (0.7 s on the 2-core bench machine, during which nothing else runs), and one
comes whenever a quarter as many new objects have survived: every few thousand screenings in a
batch worker, whose token caches grow, and in the server as a latency spike. The index holds no
reference cycles, so the collector could never free any of it anyway. `gc.freeze` moves what
exists now into a generation collections skip; objects are still freed when their last
reference goes, so a replaced index is released as before.

Freezing also catches whatever else is alive at that moment (a request being served). If that
later becomes cyclic garbage, only an unfreeze lets the collector reach it. So a freeze on a list
change first unfreezes and collects what became garbage since the last one, and a process that
stops freezing unfreezes: nothing stays out of reach for longer than one index's life.
"""

from __future__ import annotations

import gc


def exempt_from_collection(*, reclaim_first: bool = True) -> None:
    """Freeze everything alive now. `reclaim_first` unfreezes and collects before (one full
    collection, 0.7 s with the shared lists): on list changes. At start-up there is nothing
    frozen to reclaim, and a collection of the start-up's few leftovers is not worth its cost."""
    if reclaim_first:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def return_to_collection() -> None:
    """Undo the freezes: everything frozen is collected normally again."""
    gc.unfreeze()
