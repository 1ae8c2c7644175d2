"""Small test helpers for the scheduling tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

CAIRO_TZ = ZoneInfo("Africa/Cairo")


def at(text: str) -> datetime:
    """Parse an ISO 8601 datetime with offset."""
    dt = datetime.fromisoformat(text)
    assert dt.tzinfo is not None
    return dt


def cairo(y: int, mo: int, d: int, h: int = 0, mi: int = 0, fold: int = 0) -> datetime:
    """An aware Cairo wall-clock datetime, normalised to its real offset."""
    return (
        datetime(y, mo, d, h, mi, tzinfo=CAIRO_TZ, fold=fold).astimezone(UTC).astimezone(CAIRO_TZ)
    )


def last_weekday_of_month(year: int, month: int, iso_weekday: int) -> date:
    """The last date in ``year-month`` falling on ``iso_weekday`` (calendar arithmetic only)."""
    day = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    while day.isoweekday() != iso_weekday:
        day -= timedelta(days=1)
    return day


def spring_forward_day(year: int) -> date:
    """Egypt's clocks go forward at the start of the last Friday of April (00:00 -> 01:00)."""
    return last_weekday_of_month(year, 4, 5)


def fall_back_day(year: int) -> date:
    """Egypt's clocks go back at the end of the last Thursday of October (24:00 -> 23:00)."""
    return last_weekday_of_month(year, 10, 4)
