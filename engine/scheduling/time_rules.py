"""Time-zone rules: aware instants, local wall clock, UTC-offset segments and local midnights.

Everything here works on real instants (UTC). Python compares and subtracts two datetimes that
share one ``tzinfo`` by their wall clocks, which is wrong across a DST change, so every public
function of the scheduling package converts to UTC first (``to_utc``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from engine.scheduling.errors import SchedulingError

CAIRO = "Africa/Cairo"

#: A piece of real time with one constant UTC offset: ``(start_utc, end_utc, offset)``.
OffsetSegment = tuple[datetime, datetime, timedelta]

_CHUNK = timedelta(hours=6)
_TICK = timedelta(microseconds=1)


@lru_cache(maxsize=64)
def _zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise SchedulingError("timezone", f"unknown time zone {name!r}") from exc


def zone(tz: tzinfo | str) -> tzinfo:
    """Return the tzinfo for ``tz`` (a zone name such as ``"Africa/Cairo"`` or a tzinfo)."""
    if isinstance(tz, str):
        return _zone_named(tz)
    return tz


def require_aware(dt: datetime, path: str = "datetime") -> datetime:
    """Return ``dt`` unchanged, raising SchedulingError naming ``path`` if it has no UTC offset."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise SchedulingError(path, "must be timezone-aware (ISO 8601 with offset)")
    return dt


def to_utc(dt: datetime, path: str = "datetime") -> datetime:
    """Convert an aware datetime to UTC (the real instant); naive datetimes are rejected."""
    return require_aware(dt, path).astimezone(UTC)


def parse_instant(text: str, path: str) -> datetime:
    """Parse an ISO 8601 datetime with offset into an aware UTC datetime (error names ``path``)."""
    try:
        dt = datetime.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise SchedulingError(path, f"not an ISO 8601 datetime: {text!r}") from exc
    return to_utc(dt, path)


def epoch_seconds(dt: datetime, path: str = "datetime") -> float:
    """Seconds since the Unix epoch of an aware datetime (exact for whole seconds)."""
    return require_aware(dt, path).timestamp()


def offset_at(instant: datetime, tz: tzinfo | str) -> timedelta:
    """The UTC offset that ``tz`` uses at the real instant ``instant``."""
    return _offset_utc(to_utc(instant), zone(tz))


def _offset_utc(instant: datetime, z: tzinfo) -> timedelta:
    """``offset_at`` for an instant already in UTC and a resolved zone (the inner loops)."""
    off = instant.astimezone(z).utcoffset()
    assert off is not None  # astimezone into a tzinfo always yields an offset
    return off


def local_wall(instant: datetime, tz: tzinfo | str) -> datetime:
    """The naive local wall-clock datetime that ``tz`` shows at the real instant ``instant``."""
    return to_utc(instant).astimezone(zone(tz)).replace(tzinfo=None)


def _first_change(lo: datetime, hi: datetime, tz: tzinfo, off: timedelta) -> datetime:
    """Smallest instant in ``(lo, hi]`` whose offset differs from ``off`` (``offset(hi) != off``)."""
    while hi - lo > _TICK:
        mid = lo + (hi - lo) / 2
        if _offset_utc(mid, tz) == off:
            lo = mid
        else:
            hi = mid
    return hi


def offset_segments(start: datetime, end: datetime, tz: tzinfo | str) -> list[OffsetSegment]:
    """Split the real interval ``[start, end)`` where ``tz`` changes its UTC offset.

    Returns consecutive ``(start_utc, end_utc, offset)`` segments covering the interval. The
    search looks at 6-hour chunks, so two transitions within six hours of each other (which no
    real zone has) would be missed.
    """
    z = zone(tz)
    a = to_utc(start, "start")
    b = to_utc(end, "end")
    if b <= a:
        raise SchedulingError("end", "must be after start")
    segments: list[OffsetSegment] = []
    cur = a
    while cur < b:
        off = _offset_utc(cur, z)
        chunk_end = min(b, cur + _CHUNK)
        last = chunk_end - _TICK
        if last <= cur or _offset_utc(last, z) == off:
            stop = chunk_end
        else:
            stop = _first_change(cur, last, z, off)
        if segments and segments[-1][2] == off and segments[-1][1] == cur:
            segments[-1] = (segments[-1][0], stop, off)
        else:
            segments.append((cur, stop, off))
        cur = stop
    return segments


@lru_cache(maxsize=4096)
def local_midnight(day: date, tz: tzinfo | str) -> datetime:
    """The first real instant (UTC) whose local date in ``tz`` is ``day``.

    Normally local 00:00; when 00:00 does not exist (a spring-forward at midnight) it is the
    transition instant, e.g. 01:00 local on the night Egypt moves its clocks forward.
    """
    z = zone(tz)
    naive = datetime.combine(day, time(0))
    folds = sorted(naive.replace(tzinfo=z, fold=f).astimezone(UTC) for f in (0, 1))
    for candidate in folds:
        if local_wall(candidate, z) == naive:
            return candidate
    # 00:00 falls in a gap: the day starts at the transition, which lies between the two folds.
    lo, hi = folds[0] - _CHUNK, folds[1] + _CHUNK
    while hi - lo > _TICK:
        mid = lo + (hi - lo) / 2
        if local_wall(mid, z) >= naive:
            hi = mid
        else:
            lo = mid
    return hi


def transitions(year: int, tz: tzinfo | str) -> list[datetime]:
    """The UTC instants in calendar year ``year`` (UTC) at which ``tz`` changes its offset."""
    first = datetime(year, 1, 1, tzinfo=UTC)
    after = datetime(year + 1, 1, 1, tzinfo=UTC)
    return [seg[0] for seg in offset_segments(first, after, tz)[1:]]
