"""Long-lived objects kept out of the garbage collector's way.

CPython's cyclic garbage collector walks every tracked object of the oldest generation
on each full collection. A service process keeps large structures for its life (the
screening index, the applications and assessments it has loaded): walked again and again,
they made some requests of a store of 10,000 applications 100 ms slower than the rest
(`benchmarks/web_pages.py`). `settle()` moves the objects alive now to the permanent
generation (`gc.freeze`), which collections skip; reference counting still frees them
when they are dropped. It collects first, so that no garbage is frozen; what another
thread holds at that moment is frozen too (and, should it end in a reference cycle, never
collected), which the few bulk loads of a process's life bound. It is called after a
bulk load, not per request.
"""

from __future__ import annotations

import gc

__all__ = ["BULK", "settle"]

BULK = 1_000  # objects of a kind (applications, assessments) loaded at once past which to settle


def settle() -> None:
    """Collect, then move the objects alive now out of the garbage collector's generations
    (those frozen before, such as the screening index, are not walked again)."""
    gc.collect()
    gc.freeze()
