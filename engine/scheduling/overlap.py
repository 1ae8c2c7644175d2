"""Overlap and minimum rest between a volunteer's shifts, in real elapsed time.

Two shifts conflict if they overlap or the gap between them is shorter than ``min_rest_hours``,
except when they are back to back (one's end equals the other's start) within the same named
event. The rule holds for EVERY pair, so a chain of three back-to-back shifts of one event is
allowed only if the first's end and the third's start are ``min_rest_hours`` apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from engine.scheduling.errors import SchedulingError
from engine.scheduling.time_rules import to_utc
from engine.scheduling.types import Booking


def _rest(min_rest_hours: float) -> timedelta:
    if min_rest_hours < 0:
        raise SchedulingError("minRestHours", f"must be >= 0, got {min_rest_hours}")
    return timedelta(hours=min_rest_hours)


def conflicts(
    a_start: datetime,
    a_end: datetime,
    a_event: str | None,
    b_start: datetime,
    b_end: datetime,
    b_event: str | None,
    min_rest_hours: float,
) -> bool:
    """True if shifts a and b overlap or rest less than ``min_rest_hours`` between them.

    Back to back (``a_end == b_start`` or ``b_end == a_start``) with the same non-None event is
    allowed. Times are compared as real instants (UTC), never as wall clocks.
    """
    rest = _rest(min_rest_hours)
    a0, a1 = to_utc(a_start, "a_start"), to_utc(a_end, "a_end")
    b0, b1 = to_utc(b_start, "b_start"), to_utc(b_end, "b_end")
    if a1 <= a0:
        raise SchedulingError("a_end", "must be after a_start")
    if b1 <= b0:
        raise SchedulingError("b_end", "must be after b_start")
    if a_event is not None and a_event == b_event and (a1 == b0 or b1 == a0):
        return False
    gap = max(b0 - a1, a0 - b1)  # negative when they overlap
    return gap < rest


def bookings_conflict(a: Booking, b: Booking, min_rest_hours: float) -> bool:
    """``conflicts`` for two Booking values."""
    return conflicts(a.start, a.end, a.event, b.start, b.end, b.event, min_rest_hours)


def conflicting_pairs(bookings: Sequence[Booking], min_rest_hours: float) -> list[tuple[int, int]]:
    """Every pair ``(i, j)`` (``i < j``, input indices) of bookings that conflict.

    Sorted by start, a booking is compared only with later-starting ones that begin before its
    end plus the rest, which are exactly the candidates (every other later pair is far enough).
    """
    rest = _rest(min_rest_hours)
    spans = [
        (to_utc(b.start, f"bookings[{i}].start"), to_utc(b.end, f"bookings[{i}].end"), i)
        for i, b in enumerate(bookings)
    ]
    spans.sort()
    pairs: list[tuple[int, int]] = []
    for pos, (_, end_i, i) in enumerate(spans):
        for start_j, _, j in spans[pos + 1 :]:
            if start_j >= end_i + rest:
                break
            if bookings_conflict(bookings[i], bookings[j], min_rest_hours):
                pairs.append((min(i, j), max(i, j)))
    return sorted(pairs)


def all_compatible(bookings: Sequence[Booking], min_rest_hours: float) -> bool:
    """True if no pair of the bookings conflicts (the whole-set form of the rest rule)."""
    return not conflicting_pairs(bookings, min_rest_hours)


def fits_with(new: Booking, existing: Sequence[Booking], min_rest_hours: float) -> bool:
    """True if ``new`` conflicts with none of ``existing`` (existing pairs are not re-checked)."""
    return not any(bookings_conflict(new, old, min_rest_hours) for old in existing)
