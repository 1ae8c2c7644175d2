"""The local-time views of a shift for instants held as epoch seconds (the matching arrays).

Thin adapters: each converts the instants to aware UTC datetimes and asks the one rule of this
package (``shift_day_pieces``, ``week_pieces``, ``local_wall``), so a local day begins at its
first real instant (01:00 on Cairo's spring-forward Friday) here exactly as everywhere else.
Answers are remembered per (start, end, zone): thousands of shifts and bookings share a few
hundred times.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import lru_cache

from engine.scheduling.local_pieces import shift_day_pieces
from engine.scheduling.time_rules import local_wall
from engine.scheduling.weekly_hours import week_pieces


def instant(seconds: float) -> datetime:
    """The aware UTC datetime of an epoch-seconds instant."""
    return datetime.fromtimestamp(seconds, UTC)


def local_year(seconds: float, tz: tzinfo | str) -> int:
    """The local calendar year at the instant."""
    return local_wall(instant(seconds), tz).year


def day_pieces(start: float, end: float, tz: tzinfo | str) -> list[tuple[int, int, int]]:
    """``(iso_weekday, start_minute, end_minute)`` of each local day ``[start, end)`` touches
    (``shift_day_pieces``: clock minutes, end 1440 when the piece runs to the next day)."""
    return list(_day_pieces(start, end, tz))


def week_seconds(start: float, end: float, tz: tzinfo | str) -> list[tuple[int, float]]:
    """``(iso_year * 100 + iso_week, real seconds)`` of ``[start, end)`` per local ISO week."""
    return list(_week_seconds(start, end, tz))


@lru_cache(maxsize=1 << 16)
def _day_pieces(start: float, end: float, tz: tzinfo | str) -> tuple[tuple[int, int, int], ...]:
    return tuple(
        (p.weekday, p.start_min, p.end_min)
        for p in shift_day_pieces(instant(start), instant(end), tz)
    )


@lru_cache(maxsize=1 << 16)
def _week_seconds(start: float, end: float, tz: tzinfo | str) -> tuple[tuple[int, float], ...]:
    return tuple(
        (year * 100 + week, span.total_seconds())
        for (year, week), span in week_pieces(instant(start), instant(end), tz)
    )
