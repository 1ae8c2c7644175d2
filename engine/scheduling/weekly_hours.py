"""Hours per ISO week, weeks taken in local time, hours counted in real elapsed time.

A shift crossing local Monday 00:00 puts its real hours on each side into each week; a DST night
inside a shift counts an hour more or less than the clock shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from engine.scheduling.errors import SchedulingError
from engine.scheduling.time_rules import local_midnight, local_wall, to_utc
from engine.scheduling.types import TimeSpan

IsoWeek = tuple[int, int]

#: Slack for float sums of hours (a limit of 20 h allows 20.0000000001 h of float noise).
HOURS_TOLERANCE = 1e-9


def iso_week(instant: datetime, tz: tzinfo | str) -> IsoWeek:
    """The ``(ISO year, ISO week)`` of the local date of ``instant`` in ``tz``."""
    year, week, _ = local_wall(instant, tz).isocalendar()
    return (year, week)


def week_hours(start: datetime, end: datetime, tz: tzinfo | str) -> dict[IsoWeek, float]:
    """Real hours of ``[start, end)`` per local ISO week, split at each local Monday 00:00."""
    cur = to_utc(start, "start")
    stop = to_utc(end, "end")
    if stop <= cur:
        raise SchedulingError("end", "must be after start")
    hours: dict[IsoWeek, float] = {}
    while cur < stop:
        day = local_wall(cur, tz).date()
        next_monday = day + timedelta(days=8 - day.isoweekday())
        boundary = local_midnight(next_monday, tz)
        piece_end = min(stop, boundary)
        week = iso_week(cur, tz)
        hours[week] = hours.get(week, 0.0) + (piece_end - cur).total_seconds() / 3600.0
        cur = piece_end
    return hours


def hours_by_week(spans: Iterable[TimeSpan], tz: tzinfo | str) -> dict[IsoWeek, float]:
    """Summed real hours per local ISO week over several shifts."""
    total: dict[IsoWeek, float] = {}
    for start, end in spans:
        for week, h in week_hours(start, end, tz).items():
            total[week] = total.get(week, 0.0) + h
    return total


def within_weekly_limit(
    existing: Iterable[TimeSpan], new: TimeSpan, max_hours: float, tz: tzinfo | str
) -> bool:
    """True if adding ``new`` keeps every ISO week it touches within ``max_hours``.

    Weeks ``new`` does not touch are not judged (adding it cannot change them).
    """
    added = week_hours(new[0], new[1], tz)
    before = hours_by_week(existing, tz)
    return all(
        before.get(week, 0.0) + h <= max_hours + HOURS_TOLERANCE for week, h in added.items()
    )
