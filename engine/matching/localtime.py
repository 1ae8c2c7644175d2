"""Local-time helpers for the matching problem: day pieces of a shift and ISO-week hours.

Kept minimal and inside engine/matching on purpose (the parser needs only these two views of a
shift); engine/scheduling has the general time rules. All elapsed times are real (UTC) seconds;
clock minutes are the local wall clock of ``rules.timezone``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

MINUTES_PER_DAY = 1440


def _day_start(day: datetime, zone: tzinfo) -> float:
    """Epoch seconds of the first instant of the local date of ``day`` (00:00, or the DST
    transition when 00:00 does not exist; fold=0 maps a gap time onto the transition)."""
    return datetime.combine(day.date(), time(0), tzinfo=zone).timestamp()


def day_pieces(start: float, end: float, zone: tzinfo) -> list[tuple[int, int, int]]:
    """Split the real interval ``[start, end)`` at local midnights.

    Returns ``(iso_weekday, start_minute, end_minute)`` per local day touched, in clock minutes;
    a piece that runs to the next local midnight ends at 1440.
    """
    pieces: list[tuple[int, int, int]] = []
    cur = start
    while cur < end:
        local = datetime.fromtimestamp(cur, zone)
        next_midnight = _day_start(local + timedelta(days=1), zone)
        # (local + 1 day) keeps the wall clock; its date is the next local date.
        piece_end = min(end, next_midnight)
        a = local.hour * 60 + local.minute + local.second / 60.0
        if piece_end >= next_midnight:
            b = float(MINUTES_PER_DAY)
        else:
            loc_end = datetime.fromtimestamp(piece_end, zone)
            b = loc_end.hour * 60 + loc_end.minute + loc_end.second / 60.0
        pieces.append((local.isoweekday(), int(a), int(-(-b // 1))))
        cur = piece_end
    return pieces


def week_seconds(start: float, end: float, zone: tzinfo) -> list[tuple[int, float]]:
    """Split ``[start, end)`` at local Monday 00:00; returns ``(iso_year*100+week, seconds)``."""
    out: list[tuple[int, float]] = []
    cur = start
    while cur < end:
        local = datetime.fromtimestamp(cur, zone)
        iso = local.isocalendar()
        monday = local - timedelta(days=local.isoweekday() - 1)
        next_monday = _day_start(monday + timedelta(days=7), zone)
        piece_end = min(end, next_monday)
        out.append((iso.year * 100 + iso.week, piece_end - cur))
        cur = piece_end
    return out


def local_year(instant: float, zone: tzinfo) -> int:
    """The local calendar year at ``instant``."""
    return datetime.fromtimestamp(instant, zone).year
