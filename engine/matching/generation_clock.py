"""Local Cairo wall-clock times of a generated instance, written as ISO 8601 with their offset.

Times are chosen on the local clock (a shift 22:00-02:00 is four clock hours even on a DST
night), then written with the offset that zoneinfo gives that wall time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

TIMEZONE = "Africa/Cairo"
_TZ = ZoneInfo(TIMEZONE)


@lru_cache(maxsize=65536)
def local_iso(start: date, day: int, minute: int) -> str:
    """ISO text of local wall time `minute` minutes after 00:00 of `start + day` days."""
    naive = datetime.combine(start + timedelta(days=day), time(0, 0)) + timedelta(minutes=minute)
    return naive.replace(tzinfo=_TZ).isoformat()


def clock(minute: int) -> str:
    """'HH:MM' for minutes after midnight (1440 gives '24:00')."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def last_friday_of_april(year: int) -> date:
    """The day Egypt moves its clocks forward (00:00 -> 01:00) since 2023."""
    day = date(year, 4, 30)
    while day.isoweekday() != 5:
        day -= timedelta(days=1)
    return day
