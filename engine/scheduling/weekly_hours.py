"""Hours per ISO week, weeks taken in local time, hours counted in real elapsed time.

A shift crossing local Monday 00:00 puts its real hours on each side into each week; a DST night
inside a shift counts an hour more or less than the clock shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

import numpy as np

from engine.scheduling.errors import SchedulingError
from engine.scheduling.time_rules import local_midnight, local_wall, to_utc, zone
from engine.scheduling.types import BoolArray, FloatArray, IntArray, TimeSpan

IsoWeek = tuple[int, int]

#: Slack for float sums of hours (a limit of 20 h allows 20.0000000001 h of float noise).
HOURS_TOLERANCE = 1e-9


def iso_week(instant: datetime, tz: tzinfo | str) -> IsoWeek:
    """The ``(ISO year, ISO week)`` of the local date of ``instant`` in ``tz``."""
    year, week, _ = local_wall(instant, tz).isocalendar()
    return (year, week)


def week_pieces(start: datetime, end: datetime, tz: tzinfo | str) -> list[tuple[IsoWeek, timedelta]]:
    """``[start, end)`` split at each local Monday 00:00 (the first real instant of that local
    Monday): the local ISO week of each piece, in order, with the real time it holds."""
    cur = to_utc(start, "start")
    stop = to_utc(end, "end")
    if stop <= cur:
        raise SchedulingError("end", "must be after start")
    z = zone(tz)
    pieces: list[tuple[IsoWeek, timedelta]] = []
    while cur < stop:
        day = cur.astimezone(z).date()  # the local date (cur is UTC)
        next_monday = day + timedelta(days=8 - day.isoweekday())
        piece_end = min(stop, local_midnight(next_monday, z))
        year, week, _ = day.isocalendar()
        pieces.append(((year, week), piece_end - cur))
        cur = piece_end
    return pieces


def week_hours(start: datetime, end: datetime, tz: tzinfo | str) -> dict[IsoWeek, float]:
    """Real hours of ``[start, end)`` per local ISO week, split at each local Monday 00:00."""
    hours: dict[IsoWeek, float] = {}
    for week, span in week_pieces(start, end, tz):
        hours[week] = hours.get(week, 0.0) + span.total_seconds() / 3600.0
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


def weekly_hours_fit(
    new_hours: FloatArray,
    used_hours: FloatArray,
    max_hours: FloatArray,
    shift: IntArray,
    owner: IntArray,
) -> BoolArray:
    """The weekly limit for many (shift, owner) pairs at once: shift ``s`` puts
    ``new_hours[s, w]`` into week column ``w``, where owner ``o`` already has
    ``used_hours[o, w]``; True where every week the shift touches (``new_hours > 0``) stays
    within ``max_hours[o]``. Weeks the shift does not touch are not judged."""
    ok = np.ones(len(shift), dtype=np.bool_)
    for w in range(new_hours.shape[1]):
        hours = new_hours[:, w][shift]
        sel = np.flatnonzero(hours > 0.0)
        if len(sel) == 0:
            continue
        o = owner[sel]
        ok[sel] &= hours[sel] + used_hours[:, w][o] <= max_hours[o] + HOURS_TOLERANCE
    return ok
