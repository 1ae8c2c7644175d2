"""Shift templates and recurrence: local wall-clock shifts repeated day after day.

A 30-day Ramadan drive with daily shifts "17:00-21:00 local" keeps 17:00 on the local clock on
every day, whatever the UTC offset (DST) of that day. An end not after the start runs past
midnight into the next day (e.g. "22:00-02:00"; "08:00-08:00" is a 24-hour shift).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from engine.scheduling.errors import SchedulingError
from engine.scheduling.time_rules import zone
from engine.scheduling.types import TimeSpan


def localize(day: date, clock: time, tz: tzinfo | str) -> datetime:
    """The real instant at which ``tz`` shows ``clock`` on ``day``.

    The result carries the fixed UTC offset in force at that instant (``datetime.timezone``), so
    subtracting or comparing results is real elapsed time even across a DST change (two
    datetimes sharing one ZoneInfo would be subtracted by their wall clocks instead).

    A time that occurs twice (fall-back night) gives its first occurrence. A time that does not
    exist (inside a spring-forward gap) is moved forward by the gap, as a clock would be
    (00:30 on Egypt's spring-forward Friday becomes 01:30).
    """
    if clock.tzinfo is not None:
        raise SchedulingError("time", "must be a naive local clock time")
    z = zone(tz)
    naive = datetime.combine(day, clock)
    # fold=0 picks the first of two occurrences, and reads a gap time with the offset in force
    # before the gap, which lands the instant as far past the gap as the time was into it.
    local = naive.replace(tzinfo=z, fold=0).astimezone(UTC).astimezone(z)
    offset = local.utcoffset()
    assert offset is not None  # a datetime converted into a zone always has an offset
    return local.replace(tzinfo=timezone(offset))


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """A recurring shift: local ``start``-``end`` on the given ISO ``weekdays`` (None = every day).

    ``end`` not after ``start`` means the shift ends on the next day.
    """

    start: time
    end: time
    weekdays: frozenset[int] | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise SchedulingError("template", "start and end must be naive local clock times")
        if self.weekdays is not None and not all(1 <= d <= 7 for d in self.weekdays):
            raise SchedulingError(
                "weekdays", f"must be ISO weekdays 1..7, got {sorted(self.weekdays)}"
            )

    def on(self, day: date, tz: tzinfo | str) -> TimeSpan:
        """The real ``(start, end)`` of this template's shift starting on local date ``day``."""
        end_day = day if self.end > self.start else day + timedelta(days=1)
        return localize(day, self.start, tz), localize(end_day, self.end, tz)


def expand(template: ShiftTemplate, first_day: date, days: int, tz: tzinfo | str) -> list[TimeSpan]:
    """The template's shifts on ``days`` consecutive local dates from ``first_day``."""
    if days < 0:
        raise SchedulingError("days", f"must be >= 0, got {days}")
    out: list[TimeSpan] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if template.weekdays is None or day.isoweekday() in template.weekdays:
            out.append(template.on(day, tz))
    return out


def daily_shifts(
    first_day: date,
    days: int,
    start: time,
    end: time,
    tz: tzinfo | str,
    weekdays: Iterable[int] | None = None,
) -> list[TimeSpan]:
    """Daily shifts ``start``-``end`` local on ``days`` days from ``first_day``.

    Only days whose ISO weekday is in ``weekdays`` are kept when it is given. Each shift keeps the
    local wall clock (17:00 stays 17:00 across DST) and is returned as fixed-offset aware
    datetimes (see ``localize``); an end not after the start falls on the next day.
    """
    chosen = None if weekdays is None else frozenset(weekdays)
    return expand(ShiftTemplate(start, end, chosen), first_day, days, tz)
