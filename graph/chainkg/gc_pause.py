"""`gc_paused()`: Python's cyclic garbage collector paused for a block.

The stages that make millions of small objects and no garbage cycles worth collecting (the
seed load with its registry rows, the text assembly, the side tables' writers) run under
it: at a million enterprises the collector's passes over those objects cost more than some
of the work itself, and in a forked child a full pass writes to every object it inherited,
copying those pages from the parent.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The collector disabled inside the block, and enabled after it if it was before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
