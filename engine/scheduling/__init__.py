"""Scheduling rules: Africa/Cairo time (with DST), availability windows and blackouts, overlap
and rest between shifts, weekly hours per local ISO week, and recurring shift templates.

Pure Python (stdlib + numpy). Every function takes timezone-aware datetimes and compares real
instants; local clock time is used only where the rules speak of it (windows, ISO weeks).
"""

from engine.scheduling.availability import (
    intersects_blackout,
    piece_fits,
    pieces_fit,
    shift_fits_availability,
    shift_fits_windows,
)
from engine.scheduling.availability_index import AvailabilityIndex, split_windows
from engine.scheduling.conflict_graph import shift_conflict_pairs
from engine.scheduling.errors import SchedulingError
from engine.scheduling.interval_index import IntervalIndex
from engine.scheduling.local_pieces import shift_day_pieces
from engine.scheduling.overlap import (
    all_compatible,
    bookings_conflict,
    conflicting_pairs,
    conflicts,
    fits_with,
)
from engine.scheduling.recurrence import ShiftTemplate, daily_shifts, expand, localize
from engine.scheduling.time_rules import (
    CAIRO,
    epoch_seconds,
    local_midnight,
    local_wall,
    offset_at,
    offset_segments,
    parse_instant,
    to_utc,
    transitions,
    zone,
)
from engine.scheduling.types import MINUTES_PER_DAY, Booking, DayPiece, TimeSpan, Window
from engine.scheduling.weekly_hours import (
    HOURS_TOLERANCE,
    hours_by_week,
    iso_week,
    week_hours,
    within_weekly_limit,
)
from engine.scheduling.windows import (
    day_intervals,
    parse_blackouts,
    parse_clock,
    parse_window,
    parse_windows,
    window_day_intervals,
)

__all__ = [
    "CAIRO",
    "HOURS_TOLERANCE",
    "MINUTES_PER_DAY",
    "AvailabilityIndex",
    "Booking",
    "DayPiece",
    "IntervalIndex",
    "SchedulingError",
    "ShiftTemplate",
    "TimeSpan",
    "Window",
    "all_compatible",
    "bookings_conflict",
    "conflicting_pairs",
    "conflicts",
    "daily_shifts",
    "day_intervals",
    "epoch_seconds",
    "expand",
    "fits_with",
    "hours_by_week",
    "intersects_blackout",
    "iso_week",
    "local_midnight",
    "localize",
    "local_wall",
    "offset_at",
    "offset_segments",
    "parse_blackouts",
    "parse_clock",
    "parse_instant",
    "parse_window",
    "parse_windows",
    "piece_fits",
    "pieces_fit",
    "shift_conflict_pairs",
    "shift_day_pieces",
    "shift_fits_availability",
    "shift_fits_windows",
    "split_windows",
    "to_utc",
    "transitions",
    "week_hours",
    "window_day_intervals",
    "within_weekly_limit",
    "zone",
]
