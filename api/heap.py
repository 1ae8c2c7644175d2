"""Process-wide garbage-collector settings for a serving process (the API and bench floors).

Kept apart from `api.app` so a bare process (bench/api_floor.py) can settle its heap the same
way without importing Strawberry.
"""

from __future__ import annotations

import gc

# The cyclic collector's youngest-generation threshold once a server has started (CPython's
# default is 700 allocations). A GraphQL request allocates thousands of small containers
# (resolve infos, paths, result dicts), so at 700 the collector ran every few requests and
# kept promoting the objects of the ~32 requests in flight into the older generations, whose
# collections then walked the whole heap (`settle_heap`).
GC_YOUNG_THRESHOLD = 10_000


_heap_settled = False


def settle_heap() -> None:
    """Once per process, after start-up: freeze what is alive now and raise the young
    threshold (GC_YOUNG_THRESHOLD).

    At start-up the heap is ~110K tracked objects that live as long as the process (modules,
    the Strawberry and graphql-core schemas, the driver); every full collection walked all of
    them (~27 ms each) although none can ever be garbage. `gc.freeze()` moves them to the
    permanent generation, so collections scan only what requests allocate. Garbage that
    exists now is collected first, so nothing dead is frozen."""
    global _heap_settled
    if _heap_settled:
        return
    _heap_settled = True
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)
