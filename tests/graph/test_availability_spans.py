"""Minutes-of-week spans: weekly windows (the derived `availSpans`) and report windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from graph.availability_spans import (
    availability_spans,
    week_spans,
    whole_week,
    window_spans,
)

CAIRO = ZoneInfo("Africa/Cairo")
DAY = 1440


def cairo(*args: int) -> datetime:
    # handed over in UTC like the API does; the Cairo wall clock is what must come out
    return datetime(*args, tzinfo=CAIRO).astimezone(UTC)  # type: ignore[misc]


def test_weekly_windows_become_minutes_since_monday() -> None:
    assert week_spans([{"weekday": 1, "start": "08:00", "end": "10:30"}]) == [480, 630]
    assert week_spans([{"weekday": 3, "start": "17:00", "end": "22:00"}]) == [
        2 * DAY + 1020, 2 * DAY + 1320,
    ]
    assert week_spans([{"weekday": 7, "start": "00:00", "end": "24:00"}]) == [6 * DAY, 7 * DAY]


def test_spans_are_sorted_and_touching_windows_merge() -> None:
    windows = [
        {"weekday": 2, "start": "12:00", "end": "14:00"},
        {"weekday": 1, "start": "09:00", "end": "12:00"},
        {"weekday": 1, "start": "12:00", "end": "13:00"},  # touches the one before: merged
        {"weekday": 1, "start": "12:30", "end": "12:45"},  # inside: merged
    ]
    assert week_spans(windows) == [540, 780, DAY + 720, DAY + 840]


def test_a_window_over_midnight_continues_next_day_and_sunday_wraps_to_monday() -> None:
    assert week_spans([{"weekday": 2, "start": "22:00", "end": "02:00"}]) == [
        DAY + 1320, 2 * DAY + 120,
    ]
    assert week_spans([{"weekday": 7, "start": "23:00", "end": "01:00"}]) == [
        0, 60, 6 * DAY + 1380, 7 * DAY,
    ]


def test_malformed_windows_and_text_give_no_spans() -> None:
    assert week_spans([
        {"weekday": 8, "start": "08:00", "end": "09:00"},
        {"weekday": True, "start": "08:00", "end": "09:00"},
        {"weekday": 1, "start": "8:00", "end": "09:00"},
        {"weekday": 1, "start": "08:00", "end": "25:00"},
        "not a window",  # type: ignore[list-item]
    ]) == []
    assert availability_spans(None) == [] and availability_spans("{oops") == []
    assert availability_spans('{"weekday": 1}') == []
    assert availability_spans('[{"weekday": 5, "start": "09:00", "end": "21:00"}]') == [
        4 * DAY + 540, 4 * DAY + 1260,
    ]


def test_report_window_follows_the_cairo_wall_clock() -> None:
    # Monday 2027-02-01 09:00 .. 12:00 Cairo (07:00 .. 10:00 UTC)
    assert window_spans(cairo(2027, 2, 1, 9), cairo(2027, 2, 1, 12)) == [540, 720]
    # Sunday 22:00 .. Monday 02:00: the end of the week and the start of the next
    assert window_spans(cairo(2027, 1, 31, 22), cairo(2027, 2, 1, 2)) == [0, 120, 7 * DAY - 120,
                                                                          7 * DAY]
    # Monday 00:00 .. Thursday 00:00: three whole days
    assert window_spans(cairo(2027, 2, 1), cairo(2027, 2, 4)) == [0, 3 * DAY]
    # a partial minute at the end still counts
    assert window_spans(cairo(2027, 2, 1, 9), cairo(2027, 2, 1, 9, 0) + timedelta(seconds=30)) \
        == [540, 541]
    assert window_spans(cairo(2027, 2, 1, 9), cairo(2027, 2, 1, 9)) == []


def test_a_week_or_more_covers_every_weekly_window() -> None:
    thirty = window_spans(cairo(2027, 2, 1, 2), cairo(2027, 3, 3, 2))
    assert thirty == [0, 7 * DAY] and whole_week(thirty)
    # 6 days 23 hours misses an hour of the week
    short = window_spans(cairo(2027, 2, 1, 2), cairo(2027, 2, 8, 1))
    assert not whole_week(short) and short == [0, 60, 120, 7 * DAY]


def test_a_window_across_the_spring_forward_night_uses_local_clock_times() -> None:
    # Cairo skips 00:00 -> 01:00 on the last Friday of April 2027 (30 April)
    start = datetime(2027, 4, 29, 21, 30, tzinfo=UTC)  # Thursday 23:30 EET
    end = datetime(2027, 4, 29, 23, 30, tzinfo=UTC)  # Friday 02:30 EEST
    assert window_spans(start, end) == [3 * DAY + 1410, 4 * DAY + 150]


def test_naive_bounds_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        window_spans(datetime(2027, 2, 1), datetime(2027, 2, 2))
