"""Parsing availability windows and blackouts; per-day intervals of windows."""

from __future__ import annotations

import pytest

from engine.scheduling import (
    SchedulingError,
    Window,
    day_intervals,
    parse_blackouts,
    parse_clock,
    parse_windows,
    window_day_intervals,
)


def test_parse_windows_reads_weekday_and_minutes() -> None:
    windows = parse_windows(
        [
            {"weekday": 5, "start": "08:00", "end": "20:00"},
            {"weekday": 7, "start": "18:00", "end": "24:00"},
        ]
    )
    assert windows == (Window(5, 480, 1200), Window(7, 1080, 1440))


def test_24_00_allowed_as_end_only() -> None:
    assert parse_clock("24:00", "end", allow_24=True) == 1440
    with pytest.raises(SchedulingError) as err:
        parse_windows([{"weekday": 1, "start": "24:00", "end": "24:00"}])
    assert err.value.path == "availability[0].start"


@pytest.mark.parametrize(
    ("item", "path"),
    [
        ({"weekday": 0, "start": "08:00", "end": "10:00"}, "availability[1].weekday"),
        ({"weekday": 8, "start": "08:00", "end": "10:00"}, "availability[1].weekday"),
        ({"weekday": True, "start": "08:00", "end": "10:00"}, "availability[1].weekday"),
        ({"weekday": 1, "start": "8:00", "end": "10:00"}, "availability[1].start"),
        ({"weekday": 1, "start": "08:00", "end": "10:60"}, "availability[1].end"),
        ({"weekday": 1, "start": "08:00", "end": "24:01"}, "availability[1].end"),
        ({"weekday": 1, "start": "08:00"}, "availability[1].end"),
    ],
)
def test_bad_window_error_names_the_field(item: dict[str, object], path: str) -> None:
    good = {"weekday": 1, "start": "08:00", "end": "10:00"}
    with pytest.raises(SchedulingError) as err:
        parse_windows([good, item])
    assert err.value.path == path


def test_overnight_window_gives_tail_and_head() -> None:
    assert window_day_intervals(Window(3, 22 * 60, 6 * 60)) == [(3, 1320, 1440), (4, 0, 360)]


def test_sunday_overnight_window_runs_into_monday() -> None:
    assert window_day_intervals(Window(7, 20 * 60, 2 * 60)) == [(7, 1200, 1440), (1, 0, 120)]


def test_window_ending_at_00_00_is_overnight_with_empty_head() -> None:
    assert window_day_intervals(Window(2, 20 * 60, 0)) == [(2, 1200, 1440)]


def test_ordinary_window_is_one_interval() -> None:
    assert window_day_intervals(Window(2, 8 * 60, 24 * 60)) == [(2, 480, 1440)]


def test_day_intervals_keep_two_windows_of_a_day_separate() -> None:
    intervals = day_intervals([Window(1, 480, 720), Window(1, 720, 1020)])
    assert intervals[1] == ((480, 720), (720, 1020))
    assert intervals[2] == ()


def test_parse_blackouts_and_reject_reversed() -> None:
    spans = parse_blackouts(
        [{"start": "2026-03-02T00:00:00+02:00", "end": "2026-03-03T00:00:00+02:00"}]
    )
    assert (spans[0][1] - spans[0][0]).total_seconds() == 86400
    with pytest.raises(SchedulingError) as err:
        parse_blackouts(
            [{"start": "2026-03-02T00:00:00+02:00", "end": "2026-03-01T00:00:00+02:00"}]
        )
    assert err.value.path == "blackouts[0].end"


def test_blackout_without_offset_is_rejected() -> None:
    with pytest.raises(SchedulingError) as err:
        parse_blackouts([{"start": "2026-03-02T00:00:00", "end": "2026-03-03T00:00:00+02:00"}])
    assert err.value.path == "blackouts[0].start"
