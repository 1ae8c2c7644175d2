"""Which shifts cannot be held by one volunteer together: all conflicting pairs, vectorised.

The overlap/rest rule (``span_rules.spans_conflict``) applied to every pair of a set of shifts
given as arrays (epoch seconds, event codes with -1 for none). Sorted by start, shift i can
conflict only with the later-starting shifts that begin before ``end_i + rest``, so the pairs
to judge come from one binary search per shift.
"""

from __future__ import annotations

import numpy as np

from engine.scheduling.errors import SchedulingError
from engine.scheduling.span_rules import spans_conflict
from engine.scheduling.types import FloatArray, IntArray


def shift_conflict_pairs(
    start: FloatArray, end: FloatArray, event: IntArray, min_rest_hours: float
) -> tuple[IntArray, IntArray]:
    """All pairs ``(i, j)`` with ``i < j`` (input indices) of shifts that conflict.

    ``start``/``end`` are epoch seconds (``end > start``); ``event`` holds non-negative event
    codes, or -1 for a shift without event (which never gets the back-to-back exception).
    Pairs are sorted by ``i`` then ``j``.
    """
    start = np.asarray(start, dtype=np.float64)
    end = np.asarray(end, dtype=np.float64)
    event = np.asarray(event, dtype=np.int64)
    if not start.shape == end.shape == event.shape:
        raise SchedulingError("shifts", "start, end and event arrays must have one length")
    if np.any(end <= start):
        raise SchedulingError("shifts.end", "every end must be after its start")
    if min_rest_hours < 0:
        raise SchedulingError("minRestHours", f"must be >= 0, got {min_rest_hours}")
    rest = float(min_rest_hours) * 3600.0
    order = np.lexsort((end, start))
    s, e, ev = start[order], end[order], event[order]
    n = s.size
    first = np.arange(n, dtype=np.int64) + 1
    last = np.searchsorted(s, e + rest, side="left").astype(np.int64)
    counts = np.maximum(last - first, 0)
    left = np.repeat(np.arange(n, dtype=np.int64), counts)
    offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    right = np.repeat(first, counts) + offsets
    # every (left, right) is close (right starts before left's end plus the rest); the rule
    # itself decides, which drops the back-to-back pairs of one event
    hit = spans_conflict(s[left], e[left], ev[left], s[right], e[right], ev[right], rest)
    left, right = order[left[hit]], order[right[hit]]
    i, j = np.minimum(left, right), np.maximum(left, right)
    pairs = np.lexsort((j, i))
    return i[pairs], j[pairs]
