"""Weekly availability windows: parsing ``{"weekday","start","end"}`` and per-day intervals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from engine.scheduling.errors import SchedulingError
from engine.scheduling.time_rules import parse_instant
from engine.scheduling.types import MINUTES_PER_DAY, TimeSpan, Window

#: Per ISO weekday (1..7), the ``(start_min, end_min)`` intervals a volunteer is available.
DayIntervals = dict[int, tuple[tuple[int, int], ...]]


def parse_clock(text: object, path: str, *, allow_24: bool) -> int:
    """Parse ``"HH:MM"`` into minutes after midnight; ``"24:00"`` (1440) only if ``allow_24``."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        raise SchedulingError(path, f"must be a 'HH:MM' string, got {text!r}")
    hh, mm = text[:2], text[3:]
    if not (hh.isdigit() and mm.isdigit()):
        raise SchedulingError(path, f"must be a 'HH:MM' string, got {text!r}")
    hours, minutes = int(hh), int(mm)
    if allow_24 and hours == 24 and minutes == 0:
        return MINUTES_PER_DAY
    if hours > 23 or minutes > 59:
        limit = "00:00..24:00" if allow_24 else "00:00..23:59"
        raise SchedulingError(path, f"must be within {limit}, got {text!r}")
    return hours * 60 + minutes


def parse_window(data: Mapping[str, Any], path: str = "availability[0]") -> Window:
    """Parse one ``{"weekday": 1..7, "start": "HH:MM", "end": "HH:MM"|"24:00"}`` window."""
    if not isinstance(data, Mapping):
        raise SchedulingError(path, "must be an object with weekday, start and end")
    weekday = data.get("weekday")
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not 1 <= weekday <= 7:
        raise SchedulingError(f"{path}.weekday", f"must be an integer 1..7 (ISO), got {weekday!r}")
    start = parse_clock(data.get("start"), f"{path}.start", allow_24=False)
    end = parse_clock(data.get("end"), f"{path}.end", allow_24=True)
    return Window(weekday, start, end)


def parse_windows(
    items: Sequence[Mapping[str, Any]], path: str = "availability"
) -> tuple[Window, ...]:
    """Parse a list of availability windows; errors name e.g. ``availability[2].end``."""
    if not isinstance(items, Sequence) or isinstance(items, str | bytes):
        raise SchedulingError(path, "must be a list of windows")
    return tuple(parse_window(item, f"{path}[{i}]") for i, item in enumerate(items))


def parse_blackouts(
    items: Sequence[Mapping[str, Any]], path: str = "blackouts"
) -> tuple[TimeSpan, ...]:
    """Parse ``[{"start": iso, "end": iso}]`` into UTC spans; the end must be after the start."""
    if not isinstance(items, Sequence) or isinstance(items, str | bytes):
        raise SchedulingError(path, "must be a list of {start, end} objects")
    spans: list[TimeSpan] = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise SchedulingError(f"{path}[{i}]", "must be an object with start and end")
        start = parse_instant(item.get("start"), f"{path}[{i}].start")  # type: ignore[arg-type]
        end = parse_instant(item.get("end"), f"{path}[{i}].end")  # type: ignore[arg-type]
        if end <= start:
            raise SchedulingError(f"{path}[{i}].end", "must be after start")
        spans.append((start, end))
    return tuple(spans)


def window_day_intervals(window: Window) -> list[tuple[int, int, int]]:
    """The ``(weekday, start_min, end_min)`` parts of one window on each day it touches.

    A window over midnight gives its tail ``[start, 1440)`` on its weekday and its head
    ``[0, end)`` on the next weekday (Sunday is followed by Monday). Empty parts are dropped.
    """
    if not window.overnight:
        return [(window.weekday, window.start_min, window.end_min)]
    parts = [(window.weekday, window.start_min, MINUTES_PER_DAY)]
    if window.end_min > 0:
        parts.append((window.weekday % 7 + 1, 0, window.end_min))
    return parts


def day_intervals(windows: Iterable[Window]) -> DayIntervals:
    """Per ISO weekday, the intervals (each from ONE window) a volunteer is available.

    Intervals of one day are never joined: a shift piece must fit inside a single one.
    """
    by_day: dict[int, list[tuple[int, int]]] = {d: [] for d in range(1, 8)}
    for window in windows:
        for weekday, start, end in window_day_intervals(window):
            by_day[weekday].append((start, end))
    return {d: tuple(sorted(set(v))) for d, v in by_day.items()}
