"""Clock arithmetic for the independent validator (stdlib only; shares nothing with the solver).

All arithmetic on instants is done on UTC epoch seconds, never by subtracting aware datetimes
(Python subtracts two datetimes of the same tzinfo by wall clock, which is wrong across DST).
Local wall-clock values are only used for weekdays, clock times and ISO weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 1440


@dataclass(frozen=True, slots=True)
class DayPiece:
    """The part of an interval that falls on one local calendar day, in minutes of that day."""

    day: date
    start_minute: int
    end_minute: int  # may be 1440 when the piece runs up to local midnight


def parse_instant(text: str) -> datetime:
    """An ISO 8601 datetime that must carry an offset; raises ValueError otherwise."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return value


def epoch(text: str) -> float:
    """Seconds since the epoch of an ISO instant with offset."""
    return parse_instant(text).timestamp()


def parse_clock(text: str) -> int:
    """'HH:MM' (00:00..24:00) as minutes after midnight; raises ValueError."""
    if len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
        raise ValueError(f"{text!r} is not HH:MM")
    hours, minutes = int(text[:2]), int(text[3:])
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes != 0):
        raise ValueError(f"{text!r} is not a clock time between 00:00 and 24:00")
    return hours * 60 + minutes


def local_minute(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute + (1 if moment.second or moment.microsecond else 0)


def day_pieces(start: float, end: float, tz: ZoneInfo) -> list[DayPiece]:
    """Split [start, end) at local midnights into per-day pieces of wall-clock minutes.

    A local day begins at its first real instant: 00:00, or on a DST night where 00:00 was
    skipped, the wall-clock time the clocks jumped to (01:00 in Cairo). Each piece starts at the
    wall-clock minute of its first instant and ends at 1440 when it runs to the next day's first
    instant, else at the wall-clock minute of `end` rounded up. A day whose first instant is the
    end of the interval is not touched.
    """
    pieces: list[DayPiece] = []
    cursor = start
    while cursor < end:
        local = datetime.fromtimestamp(cursor, tz)
        next_day_starts = local_midnight_epoch(local.date() + timedelta(days=1), tz)
        piece_end = min(end, next_day_starts)
        start_minute = local.hour * 60 + local.minute
        if piece_end >= next_day_starts:
            end_minute = MINUTES_PER_DAY
        else:
            end_minute = local_minute(datetime.fromtimestamp(piece_end, tz))
        pieces.append(DayPiece(local.date(), start_minute, end_minute))
        cursor = piece_end
    return pieces


def local_midnight_epoch(day: date, tz: ZoneInfo) -> float:
    """The instant of local 00:00 of `day` (first occurrence; a skipped 00:00 maps forward)."""
    naive = datetime.combine(day, time(0, 0))
    aware = naive.replace(tzinfo=tz)
    # A non-existent wall time (DST gap) round-trips to a later wall time; fold=0 gives the
    # offset before the gap, which is the instant at which the day really starts.
    return aware.timestamp()


def week_hours(start: float, end: float, tz: ZoneInfo) -> dict[tuple[int, int], float]:
    """Real hours of [start, end) per local ISO week (year, week), split at local Monday 00:00."""
    result: dict[tuple[int, int], float] = {}
    cursor = start
    while cursor < end:
        local = datetime.fromtimestamp(cursor, tz)
        iso = local.isocalendar()
        monday = local.date() - timedelta(days=local.isoweekday() - 1)
        boundary = local_midnight_epoch(monday + timedelta(days=7), tz)
        piece_end = min(end, boundary)
        if piece_end <= cursor:  # defensive: never loop forever on a degenerate boundary
            piece_end = end
        key = (iso[0], iso[1])
        result[key] = result.get(key, 0.0) + (piece_end - cursor) / 3600.0
        cursor = piece_end
    return result


def local_year(moment: float, tz: ZoneInfo) -> int:
    return datetime.fromtimestamp(moment, tz).year
