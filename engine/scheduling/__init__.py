"""Scheduling rules: Africa/Cairo time (with DST), availability windows and blackouts, overlap
and rest between shifts, weekly hours per local ISO week, and recurring shift templates.

Pure Python (stdlib + numpy). Every function takes timezone-aware datetimes and compares real
instants; local clock time is used only where the rules speak of it (windows, ISO weeks). The
same rules in array form (epoch seconds, clock minutes) serve the matching engine:
``span_rules``, ``availability_pairs``, ``weekly_hours_fit`` and ``epoch_views``.
"""

from engine.scheduling.availability import (
    intersects_blackout,
    piece_fits,
    pieces_fit,
    shift_fits_availability,
    shift_fits_windows,
)
from engine.scheduling.availability_index import AvailabilityIndex, split_windows
from engine.scheduling.availability_pairs import day_table, piece_in_one_window, shifts_fit_windows
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
from engine.scheduling.span_rules import spans_conflict, spans_intersect
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
from engine.scheduling.types import MINUTES_PER_DAY, NO_EVENT, Booking, DayPiece, TimeSpan, Window
from engine.scheduling.weekly_hours import (
    HOURS_TOLERANCE,
    hours_by_week,
    iso_week,
    week_hours,
    week_pieces,
    weekly_hours_fit,
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
    "NO_EVENT",
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
    "day_table",
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
    "piece_in_one_window",
    "pieces_fit",
    "shift_conflict_pairs",
    "shift_day_pieces",
    "shift_fits_availability",
    "shift_fits_windows",
    "shifts_fit_windows",
    "spans_conflict",
    "spans_intersect",
    "split_windows",
    "to_utc",
    "transitions",
    "week_hours",
    "week_pieces",
    "weekly_hours_fit",
    "window_day_intervals",
    "within_weekly_limit",
    "zone",
]
