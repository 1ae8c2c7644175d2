"""Recurring shifts keep the local wall clock across DST and run past midnight when asked."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

import pytest

from engine.scheduling import CAIRO, SchedulingError, local_wall, transitions
from engine.scheduling.recurrence import ShiftTemplate, daily_shifts, expand, localize
from tests.engine.scheduling.helpers import fall_back_day, spring_forward_day


def test_ramadan_drive_gives_thirty_daily_shifts() -> None:
    shifts = daily_shifts(date(2026, 2, 18), 30, time(17), time(21), CAIRO)
    assert len(shifts) == 30
    assert shifts[0][0].isoformat() == "2026-02-18T17:00:00+02:00"
    assert shifts[-1][1].isoformat() == "2026-03-19T21:00:00+02:00"
    assert all((e - s) == timedelta(hours=4) for s, e in shifts)


def test_recurrence_across_spring_forward_keeps_local_17_00() -> None:
    change = spring_forward_day(2026)
    shifts = daily_shifts(change - timedelta(days=3), 7, time(17), time(21), CAIRO)
    assert [local_wall(s, CAIRO).time() for s, _ in shifts] == [time(17)] * 7
    offsets = [s.utcoffset() for s, _ in shifts]
    assert offsets[:3] == [timedelta(hours=2)] * 3 and offsets[3:] == [timedelta(hours=3)] * 4
    # the UTC start moves by one hour: it is not a fixed 24 h repetition
    assert shifts[3][0] - shifts[2][0] == timedelta(hours=23)


def test_recurrence_across_fall_back_keeps_local_17_00() -> None:
    change = fall_back_day(2026)
    shifts = daily_shifts(change - timedelta(days=1), 4, time(17), time(21), CAIRO)
    assert [local_wall(s, CAIRO).hour for s, _ in shifts] == [17] * 4
    assert shifts[2][0] - shifts[1][0] == timedelta(hours=25)


def test_end_past_midnight_falls_on_next_day() -> None:
    ((start, end),) = daily_shifts(date(2026, 3, 2), 1, time(22), time(2), CAIRO)
    assert start.isoformat() == "2026-03-02T22:00:00+02:00"
    assert end.isoformat() == "2026-03-03T02:00:00+02:00"


def test_night_shift_over_fall_back_lasts_one_real_hour_more() -> None:
    ((start, end),) = daily_shifts(fall_back_day(2026), 1, time(22), time(2), CAIRO)
    assert end - start == timedelta(hours=5)  # real time, because offsets are fixed per instant
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=5)


def test_equal_start_and_end_is_a_24_hour_shift() -> None:
    ((start, end),) = daily_shifts(date(2026, 3, 2), 1, time(8), time(8), CAIRO)
    assert end - start == timedelta(hours=24)


def test_weekday_filter_keeps_only_chosen_days() -> None:
    shifts = daily_shifts(date(2026, 3, 2), 14, time(9), time(13), CAIRO, weekdays={5, 6})
    assert [local_wall(s, CAIRO).isoweekday() for s, _ in shifts] == [5, 6, 5, 6]


def test_time_in_spring_forward_gap_moves_forward() -> None:
    moved = localize(spring_forward_day(2026), time(0, 30), CAIRO)
    assert local_wall(moved, CAIRO).time() == time(1, 30)
    assert moved.astimezone(UTC) == transitions(2026, CAIRO)[0] + timedelta(minutes=30)


def test_repeated_time_on_fall_back_night_takes_first_occurrence() -> None:
    first = localize(fall_back_day(2026), time(23, 30), CAIRO)
    assert first.utcoffset() == timedelta(hours=3)
    assert first.astimezone(UTC) < transitions(2026, CAIRO)[1]


def test_template_expand_matches_daily_shifts() -> None:
    template = ShiftTemplate(time(17), time(21), frozenset({1, 3}))
    assert expand(template, date(2026, 3, 1), 10, CAIRO) == daily_shifts(
        date(2026, 3, 1), 10, time(17), time(21), CAIRO, weekdays=[1, 3]
    )


def test_bad_weekday_and_negative_days_are_rejected() -> None:
    with pytest.raises(SchedulingError) as err:
        ShiftTemplate(time(17), time(21), frozenset({0}))
    assert err.value.path == "weekdays"
    with pytest.raises(SchedulingError) as err:
        daily_shifts(date(2026, 3, 1), -1, time(17), time(21), CAIRO)
    assert err.value.path == "days"
