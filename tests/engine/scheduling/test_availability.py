"""The availability rule (INSTANCE.md hard constraint 2): one forbidden and one allowed case each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from engine.scheduling import (
    CAIRO,
    DayPiece,
    Window,
    parse_windows,
    shift_day_pieces,
    shift_fits_availability,
    transitions,
)
from tests.engine.scheduling.helpers import at

# 2026-03-02 is a Monday (ISO weekday 1); Cairo is UTC+02:00 in March.
MON, TUE = 1, 2


def w(weekday: int, start: str, end: str) -> Window:
    return parse_windows([{"weekday": weekday, "start": start, "end": end}])[0]


def fits(
    windows: list[Window], start: str, end: str, blackouts: Sequence[tuple[str, str]] = ()
) -> bool:
    spans = [(at(a), at(b)) for a, b in blackouts]
    return shift_fits_availability(windows, spans, at(start), at(end), CAIRO)


def test_shift_inside_a_window_fits() -> None:
    assert fits([w(MON, "08:00", "20:00")], "2026-03-02T08:00+02:00", "2026-03-02T20:00+02:00")


def test_shift_past_window_end_does_not_fit() -> None:
    assert not fits([w(MON, "08:00", "20:00")], "2026-03-02T16:00+02:00", "2026-03-02T20:01+02:00")


def test_shift_on_another_weekday_does_not_fit() -> None:
    assert not fits([w(TUE, "08:00", "20:00")], "2026-03-02T09:00+02:00", "2026-03-02T10:00+02:00")


def test_weekday_is_taken_in_local_time_not_utc() -> None:
    # 00:30 Tuesday local is 22:30 Monday UTC: a Tuesday window must cover it.
    assert fits([w(TUE, "00:00", "02:00")], "2026-03-03T00:30+02:00", "2026-03-03T01:30+02:00")
    assert not fits([w(MON, "22:00", "24:00")], "2026-03-03T00:30+02:00", "2026-03-03T01:30+02:00")


def test_midnight_crossing_window_covers_a_shift_over_midnight() -> None:
    assert fits([w(MON, "22:00", "06:00")], "2026-03-02T23:00+02:00", "2026-03-03T05:00+02:00")


def test_midnight_crossing_window_does_not_cover_past_its_end() -> None:
    assert not fits([w(MON, "22:00", "06:00")], "2026-03-02T23:00+02:00", "2026-03-03T06:30+02:00")


def test_midnight_crossing_window_covers_the_head_of_next_day_alone() -> None:
    assert fits([w(MON, "22:00", "06:00")], "2026-03-03T01:00+02:00", "2026-03-03T03:00+02:00")
    assert not fits([w(MON, "22:00", "06:00")], "2026-03-02T01:00+02:00", "2026-03-02T03:00+02:00")


def test_shift_over_midnight_fits_windows_covering_both_parts() -> None:
    windows = [w(MON, "18:00", "24:00"), w(TUE, "00:00", "04:00")]
    assert fits(windows, "2026-03-02T22:00+02:00", "2026-03-03T02:00+02:00")


def test_shift_over_midnight_needs_the_second_day_too() -> None:
    assert not fits([w(MON, "18:00", "24:00")], "2026-03-02T22:00+02:00", "2026-03-03T02:00+02:00")


def test_24_00_end_covers_until_midnight() -> None:
    assert fits([w(MON, "18:00", "24:00")], "2026-03-02T20:00+02:00", "2026-03-03T00:00+02:00")


def test_23_59_end_does_not_cover_until_midnight() -> None:
    assert not fits([w(MON, "18:00", "23:59")], "2026-03-02T20:00+02:00", "2026-03-03T00:00+02:00")


def test_two_windows_of_one_day_are_not_joined() -> None:
    windows = [w(MON, "08:00", "12:00"), w(MON, "12:00", "17:00")]
    assert not fits(windows, "2026-03-02T10:00+02:00", "2026-03-02T14:00+02:00")


def test_either_of_two_windows_of_a_day_suffices_alone() -> None:
    windows = [w(MON, "08:00", "12:00"), w(MON, "12:00", "17:00")]
    assert fits(windows, "2026-03-02T12:00+02:00", "2026-03-02T17:00+02:00")


def test_blackout_intersecting_the_shift_forbids_it() -> None:
    blackout = [("2026-03-02T11:59+02:00", "2026-03-02T18:00+02:00")]
    assert not fits(
        [w(MON, "08:00", "20:00")], "2026-03-02T08:00+02:00", "2026-03-02T12:00+02:00", blackout
    )


def test_blackout_touching_the_shift_is_allowed() -> None:
    before = [("2026-03-02T00:00+02:00", "2026-03-02T08:00+02:00")]
    after = [("2026-03-02T12:00+02:00", "2026-03-03T00:00+02:00")]
    assert fits(
        [w(MON, "08:00", "20:00")],
        "2026-03-02T08:00+02:00",
        "2026-03-02T12:00+02:00",
        before + after,
    )


def test_blackout_compared_in_real_time_across_offsets() -> None:
    # 10:00+02:00 == 08:00Z; a blackout from 08:30Z intersects a shift ending 11:00+02:00 (09:00Z).
    blackout = [("2026-03-02T08:30+00:00", "2026-03-02T09:30+00:00")]
    assert not fits(
        [w(MON, "08:00", "20:00")], "2026-03-02T10:00+02:00", "2026-03-02T11:00+02:00", blackout
    )


def test_spring_forward_night_skips_the_missing_hour() -> None:
    spring = transitions(2026, CAIRO)[0]  # Friday 00:00 local becomes 01:00
    start, end = spring - timedelta(hours=2), spring + timedelta(hours=1)
    pieces = shift_day_pieces(start, end, CAIRO)
    assert pieces == (DayPiece(4, 22 * 60, 1440), DayPiece(5, 60, 120))
    thursday_night = [w(4, "22:00", "02:00")]
    assert shift_fits_availability(thursday_night, [], start, end, CAIRO)
    assert not shift_fits_availability(thursday_night, [], start, end + timedelta(hours=1), CAIRO)


def test_fall_back_night_covers_the_repeated_hour_once() -> None:
    autumn = transitions(2026, CAIRO)[1]  # Thursday 24:00 local becomes 23:00
    start, end = autumn - timedelta(hours=2), autumn + timedelta(minutes=30)
    # local 22:00 -> 24:00 (first pass) then 23:00 -> 23:30: all on Thursday.
    assert shift_day_pieces(start, end, CAIRO) == (DayPiece(4, 22 * 60, 1440),)
    assert shift_fits_availability([w(4, "22:00", "24:00")], [], start, end, CAIRO)
    assert not shift_fits_availability([w(4, "22:00", "23:45")], [], start, end, CAIRO)


def test_multi_day_shift_needs_a_whole_day_window_in_the_middle() -> None:
    windows = [w(MON, "20:00", "24:00"), w(TUE, "00:00", "24:00"), w(3, "00:00", "02:00")]
    assert fits(windows, "2026-03-02T20:00+02:00", "2026-03-04T02:00+02:00")
    assert not fits(windows[:1] + windows[2:], "2026-03-02T20:00+02:00", "2026-03-04T02:00+02:00")
