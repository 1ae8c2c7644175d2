"""The array forms of the scheduling rules (what the matching engine uses): for each rule one
case it forbids and one it lets through, and agreement with the datetime forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.scheduling import (
    CAIRO,
    NO_EVENT,
    Window,
    conflicts,
    day_table,
    intersects_blackout,
    piece_in_one_window,
    shift_day_pieces,
    shift_fits_windows,
    shifts_fit_windows,
    spans_conflict,
    spans_intersect,
    weekly_hours_fit,
)
from tests.engine.scheduling.helpers import at

H = 3600.0
REST = 8 * H


def _f(*xs: float) -> np.ndarray:
    return np.array(xs, dtype=np.float64)


def _i(*xs: int) -> np.ndarray:
    return np.array(xs, dtype=np.int64)


def test_blackout_intersecting_is_forbidden_touching_is_allowed() -> None:
    # shift [10h, 14h) against blackouts [13h, 15h) (intersects) and [14h, 15h) (touches)
    hit = spans_intersect(_f(13 * H, 14 * H), _f(15 * H, 15 * H), _f(10 * H, 10 * H), _f(14 * H, 14 * H))
    assert hit.tolist() == [True, False]


def test_overlap_forbidden_far_apart_allowed() -> None:
    hit = spans_conflict(
        _f(10 * H, 10 * H), _f(14 * H, 14 * H), _i(NO_EVENT, NO_EVENT),
        _f(13 * H, 22 * H), _f(15 * H, 23 * H), _i(NO_EVENT, NO_EVENT), REST,
    )
    assert hit.tolist() == [True, False]


def test_short_rest_forbidden_full_rest_allowed() -> None:
    # the second shift starts 7 h (too soon) or exactly 8 h after the first ends
    hit = spans_conflict(
        _f(0.0, 0.0), _f(4 * H, 4 * H), _i(1, 1),
        _f(11 * H, 12 * H), _f(13 * H, 14 * H), _i(2, 2), REST,
    )
    assert hit.tolist() == [True, False]


def test_back_to_back_allowed_only_within_one_named_event() -> None:
    # same event: allowed; other event or no event on either side: the rest rule applies
    hit = spans_conflict(
        _f(10 * H, 10 * H, 10 * H, 14 * H), _f(14 * H, 14 * H, 14 * H, 16 * H),
        _i(1, 1, NO_EVENT, 1),
        _f(14 * H, 14 * H, 14 * H, 10 * H), _f(16 * H, 16 * H, 16 * H, 14 * H),
        _i(1, 2, NO_EVENT, 1), REST,
    )
    assert hit.tolist() == [False, True, True, False]


def test_weekly_hours_over_the_limit_forbidden_at_the_limit_allowed() -> None:
    shift_hours = _f(4.0, 0.0, 0.0, 4.0, 3.0, 3.0).reshape(3, 2)  # shift 2 touches both weeks
    used = _f(3.0, 0.0, 2.0, 0.0, 9.0, 2.0, 3.0, 3.0).reshape(4, 2)
    fits = weekly_hours_fit(shift_hours, used, _f(6.0, 6.0, 6.0, 6.0), _i(0, 0, 1, 2), _i(0, 1, 2, 3))
    # shift 0 for owner 0: 4+3 > 6; for owner 1: 4+2 = 6 fits; shift 1 for owner 2: week 0
    # holds 9 booked h but the shift puts none there, week 1 is 4+2 = 6: fits (weeks the shift
    # does not touch are not judged); shift 2 for owner 3: 3+3 in each week fits
    assert fits.tolist() == [False, True, True, True]
    over = weekly_hours_fit(shift_hours, used, _f(6.0, 6.0, 6.0, 5.9), _i(2), _i(3))
    assert over.tolist() == [False]


def _table(windows_per_row: list[list[tuple[int, int, int]]]) -> tuple[np.ndarray, ...]:
    flat = [(r, d, s, e) for r, ws in enumerate(windows_per_row) for d, s, e in ws]
    a = np.array(flat, dtype=np.int64).reshape(-1, 4)
    return day_table(a[:, 0], a[:, 1], a[:, 2], a[:, 3], len(windows_per_row))


def test_piece_outside_window_forbidden_inside_allowed() -> None:
    table = _table([[(1, 600, 840)], [(1, 630, 840)], [(2, 0, 1440)]])
    ok = piece_in_one_window(table, _i(0, 1, 2), _i(1, 1, 1), _i(600, 600, 600), _i(840, 840, 840))
    assert ok.tolist() == [True, False, False]  # fits / starts too late / other weekday


def test_two_windows_of_one_day_are_not_joined() -> None:
    table = _table([[(1, 480, 720), (1, 720, 960)], [(1, 480, 960)]])
    ok = piece_in_one_window(table, _i(0, 1), _i(1, 1), _i(600, 600), _i(840, 840))
    assert ok.tolist() == [False, True]


def test_over_midnight_window_covers_the_head_of_the_next_day() -> None:
    # Monday 20:00-03:00 covers Tuesday 00:00-02:00; Monday 20:00-24:00 does not
    table = _table([[(1, 1200, 180)], [(1, 1200, 1440)]])
    ok = piece_in_one_window(table, _i(0, 1), _i(2, 2), _i(0, 0), _i(120, 120))
    assert ok.tolist() == [True, False]
    ptr = table[0]
    assert (ptr[2] - ptr[1], ptr[9] - ptr[8]) == (1, 0)  # only row 0's Tuesday holds a head


def test_shift_needs_every_local_day_piece_in_a_window() -> None:
    # one shift Monday 22:00 -> Tuesday 02:00 (two pieces), one inside Monday
    table = _table([[(1, 1200, 180)], [(1, 1200, 1440)]])
    piece_ptr = _i(0, 2, 3)
    fits = shifts_fit_windows(
        table, piece_ptr, _i(1, 2, 1), _i(1320, 0, 1260), _i(1440, 120, 1380),
        _i(0, 0, 1, 1), _i(0, 1, 0, 1),
    )
    assert fits.tolist() == [True, False, True, True]


WEEK = at("2026-04-20T00:00+02:00")  # Monday of the week of Egypt's 2026 spring-forward


@settings(max_examples=60, deadline=None)
@given(
    start_min=st.integers(0, 7 * 1440 - 1),
    length_min=st.integers(1, 30 * 60),
    windows=st.lists(
        st.tuples(st.integers(1, 7), st.integers(0, 1439), st.integers(0, 1440)),
        max_size=4,
    ),
)
def test_array_window_rule_agrees_with_the_datetime_rule(
    start_min: int, length_min: int, windows: list[tuple[int, int, int]]
) -> None:
    start = WEEK + timedelta(minutes=start_min)
    end = start + timedelta(minutes=length_min)
    pieces = shift_day_pieces(start, end, CAIRO)
    table = _table([windows])
    fits = shifts_fit_windows(
        table,
        _i(0, len(pieces)),
        np.array([p.weekday for p in pieces], dtype=np.int64),
        np.array([p.start_min for p in pieces], dtype=np.int64),
        np.array([p.end_min for p in pieces], dtype=np.int64),
        _i(0),
        _i(0),
    )
    expected = shift_fits_windows([Window(*w) for w in windows], start, end, CAIRO)
    assert bool(fits[0]) == expected


@settings(max_examples=80, deadline=None)
@given(
    a=st.tuples(st.integers(0, 72), st.integers(1, 12), st.sampled_from([None, "E1", "E2"])),
    b=st.tuples(st.integers(0, 72), st.integers(1, 12), st.sampled_from([None, "E1", "E2"])),
    rest=st.sampled_from([0, 8]),
)
def test_array_span_rules_agree_with_the_datetime_rules(
    a: tuple[int, int, str | None], b: tuple[int, int, str | None], rest: int
) -> None:
    base = datetime(2026, 4, 22, tzinfo=UTC)
    a0, a1 = base + timedelta(hours=a[0]), base + timedelta(hours=a[0] + a[1])
    b0, b1 = base + timedelta(hours=b[0]), base + timedelta(hours=b[0] + b[1])
    codes = {None: NO_EVENT, "E1": 1, "E2": 2}
    got = spans_conflict(
        _f(a0.timestamp()), _f(a1.timestamp()), _i(codes[a[2]]),
        _f(b0.timestamp()), _f(b1.timestamp()), _i(codes[b[2]]), rest * H,
    )
    assert bool(got[0]) == conflicts(a0, a1, a[2], b0, b1, b[2], rest)
    inter = spans_intersect(_f(a0.timestamp()), _f(a1.timestamp()), _f(b0.timestamp()), _f(b1.timestamp()))
    assert bool(inter[0]) == intersects_blackout([(b0, b1)], a0, a1)
