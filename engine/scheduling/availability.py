"""The availability rule for one volunteer: windows per local day, and blackouts.

Exact semantics (INSTANCE.md): split the shift at local midnights; each local-day piece must fit
inside ONE window interval of that weekday (an over-midnight window covers the tail of its day
and the head of the next; two windows of one day are not joined); and the shift must not
intersect any blackout (half-open intervals: touching is not intersecting).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo

from engine.scheduling.local_pieces import shift_day_pieces
from engine.scheduling.time_rules import to_utc
from engine.scheduling.types import DayPiece, TimeSpan, Window
from engine.scheduling.windows import DayIntervals, day_intervals


def piece_fits(intervals: DayIntervals, piece: DayPiece) -> bool:
    """True if ``piece`` lies inside one single interval of its weekday."""
    return any(
        start <= piece.start_min and piece.end_min <= end
        for start, end in intervals.get(piece.weekday, ())
    )


def pieces_fit(intervals: DayIntervals, pieces: Iterable[DayPiece]) -> bool:
    """True if every local-day piece fits inside one interval of its weekday."""
    return all(piece_fits(intervals, piece) for piece in pieces)


def intersects_blackout(blackouts: Iterable[TimeSpan], start: datetime, end: datetime) -> bool:
    """True if real ``[start, end)`` intersects a blackout ``[b_start, b_end)`` (touching is not)."""
    a, b = to_utc(start, "start"), to_utc(end, "end")
    return any(
        to_utc(b_start, "blackout.start") < b and a < to_utc(b_end, "blackout.end")
        for b_start, b_end in blackouts
    )


def shift_fits_windows(
    windows: Sequence[Window], start: datetime, end: datetime, tz: tzinfo | str
) -> bool:
    """True if every local-day piece of the shift fits inside one window interval of its day."""
    return pieces_fit(day_intervals(windows), shift_day_pieces(start, end, tz))


def shift_fits_availability(
    windows: Sequence[Window],
    blackouts: Sequence[TimeSpan],
    start: datetime,
    end: datetime,
    tz: tzinfo | str,
) -> bool:
    """The full availability rule: the shift fits the weekly windows and misses every blackout."""
    return shift_fits_windows(windows, start, end, tz) and not intersects_blackout(
        blackouts, start, end
    )
