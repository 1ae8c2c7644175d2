"""Split a shift at local midnights into the local-day pieces the availability rule checks."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, tzinfo

from engine.scheduling.time_rules import offset_segments
from engine.scheduling.types import MINUTES_PER_DAY, DayPiece

_DAY = timedelta(days=1)


def _minutes(delta: timedelta, *, up: bool) -> int:
    value = delta.total_seconds() / 60.0
    return math.ceil(value) if up else math.floor(value)


def shift_day_pieces(start: datetime, end: datetime, tz: tzinfo | str) -> tuple[DayPiece, ...]:
    """The local-day pieces of the real interval ``[start, end)`` in ``tz``, in date order.

    Each piece is the span of local clock times the shift covers on one local date (minutes,
    start rounded down and end rounded up, end 1440 at midnight). Real time is walked segment by
    segment of constant UTC offset, so DST is exact: on a spring-forward night the skipped hour
    is not covered, and on a fall-back night the repeated hour is covered once.
    """
    spans: dict[date, tuple[timedelta, timedelta]] = {}
    for seg_start, seg_end, offset in offset_segments(start, end, tz):
        cur = seg_start.replace(tzinfo=None) + offset
        stop = seg_end.replace(tzinfo=None) + offset
        while cur < stop:
            day = cur.date()
            midnight = datetime.combine(day, datetime.min.time())
            piece_end = min(stop, midnight + _DAY)
            lo, hi = cur - midnight, piece_end - midnight
            if day in spans:
                old_lo, old_hi = spans[day]
                lo, hi = min(lo, old_lo), max(hi, old_hi)
            spans[day] = (lo, hi)
            cur = piece_end
    return tuple(
        DayPiece(
            day.isoweekday(),
            _minutes(lo, up=False),
            min(MINUTES_PER_DAY, _minutes(hi, up=True)),
        )
        for day, (lo, hi) in sorted(spans.items())
    )
