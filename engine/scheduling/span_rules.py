"""The real-time rules between two intervals, as array kernels over epoch seconds.

- Blackouts: a shift may not intersect a blackout; both are half-open ``[start, end)``, so
  touching is not intersecting.
- Overlap and rest: two shifts of one volunteer conflict when they overlap or leave less than
  the minimum rest between them, unless they are back to back (one's end is the other's start)
  within the same named event. An interval with event ``NO_EVENT`` never gets that exception.

Every argument is an array (or a scalar, broadcast); the result is elementwise. These are the
one definition the vectorised users share (the matching constraints and solver, ``IntervalIndex``
and ``shift_conflict_pairs``); ``overlap.conflicts`` is the same rule on exact datetimes.
"""

from __future__ import annotations

from engine.scheduling.types import NO_EVENT, BoolArray, FloatArray, IntArray


def spans_intersect(
    start_a: FloatArray, end_a: FloatArray, start_b: FloatArray, end_b: FloatArray
) -> BoolArray:
    """True where ``[start_a, end_a)`` and ``[start_b, end_b)`` share an instant."""
    out: BoolArray = (start_a < end_b) & (start_b < end_a)
    return out


def spans_conflict(
    start_a: FloatArray,
    end_a: FloatArray,
    event_a: IntArray,
    start_b: FloatArray,
    end_b: FloatArray,
    event_b: IntArray,
    rest_seconds: float,
) -> BoolArray:
    """True where shifts a and b overlap or rest less than ``rest_seconds`` between them, and
    are not back to back (``end == start``) within one event."""
    close = spans_intersect(start_a, end_a + rest_seconds, start_b, end_b + rest_seconds)
    same_event = (event_a == event_b) & (event_a != NO_EVENT)
    back_to_back = same_event & ((end_a == start_b) | (end_b == start_a))
    out: BoolArray = close & ~back_to_back
    return out
