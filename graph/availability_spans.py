"""Weekly availability as minutes of the week: the derived `Volunteer.availSpans` property.

`Volunteer.availability` is a JSON string of weekly windows
[{"weekday": 1..7 (1=Mon), "start": "HH:MM", "end": "HH:MM"}] in Africa/Cairo wall-clock time,
which Cypher can only string-match. Every writer therefore also stores `availSpans`: a flat
list [start0, end0, start1, end1, ...] of half-open intervals in minutes since Monday 00:00
(0..10080), sorted and merged, that a query can compare with numbers. A window whose end is
not after its start runs over midnight (engine/scheduling parses every window): its tail stays
on its weekday and its head moves to the next day (Sunday's to Monday). "24:00" is accepted as
an end. Malformed windows are skipped (inputs are validated before they are stored).

`window_spans` maps an instant interval [start, end) to the same minutes-of-week scale, so
"some weekly window occurs inside [start, end)" is an overlap test between two span lists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from engine.scheduling.errors import SchedulingError
from engine.scheduling.windows import parse_window, window_day_intervals

CAIRO: Final = ZoneInfo("Africa/Cairo")
MINUTES_PER_DAY: Final = 1440
MINUTES_PER_WEEK: Final = 7 * MINUTES_PER_DAY


def _merge(spans: Iterable[tuple[int, int]]) -> list[int]:
    flat: list[int] = []
    for lo, hi in sorted(s for s in spans if s[1] > s[0]):
        if flat and lo <= flat[-1]:
            flat[-1] = max(flat[-1], hi)
        else:
            flat.extend((lo, hi))
    return flat


def week_spans(windows: Iterable[Mapping[str, Any]]) -> list[int]:
    """The merged minutes-of-week intervals of weekly windows, flattened [lo, hi, lo, hi, ...].
    Each window is read by engine.scheduling (the rule matching applies): over midnight, its
    tail stays on its weekday and its head moves to the next day."""
    spans: list[tuple[int, int]] = []
    for item in windows:
        try:
            window = parse_window(item)
        except SchedulingError:
            continue  # malformed: inputs are validated before they are stored
        for weekday, lo, hi in window_day_intervals(window):
            base = (weekday - 1) * MINUTES_PER_DAY
            spans.append((base + lo, base + hi))
    return _merge(spans)


def availability_spans(availability_json: str | None) -> list[int]:
    """`week_spans` of a stored `availability` JSON string (unreadable text gives [])."""
    try:
        items = json.loads(availability_json or "[]")
    except ValueError:
        return []
    return week_spans(items) if isinstance(items, list) else []


def window_spans(start: datetime, end: datetime) -> list[int]:
    """The minutes-of-week (Cairo wall clock) that the instants [start, end) pass through,
    merged and flattened; [0, 10080] when the interval covers a whole week."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("window bounds must be timezone-aware")
    if end <= start:
        return []
    local_start, local_end = start.astimezone(CAIRO), end.astimezone(CAIRO)
    spans: list[tuple[int, int]] = []
    day = local_start.date()
    for _ in range(9):  # a window longer than 8 local days covers every weekday fully
        day_start = datetime.combine(day, time(0, 0), tzinfo=CAIRO)
        next_day = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=CAIRO)
        lo = local_start.hour * 60 + local_start.minute if local_start > day_start else 0
        if local_end < next_day:
            # a partial last minute still counts: [10:00:30, 10:01) passes through 10:00
            hi = local_end.hour * 60 + local_end.minute + (
                1 if (local_end.second, local_end.microsecond) != (0, 0) else 0
            )
        else:
            hi = MINUTES_PER_DAY
        base = (day.isoweekday() - 1) * MINUTES_PER_DAY
        spans.append((base + lo, base + hi))
        if local_end <= next_day:
            break
        day += timedelta(days=1)
    return _merge(spans)


def whole_week(spans: list[int]) -> bool:
    return spans == [0, MINUTES_PER_WEEK]
