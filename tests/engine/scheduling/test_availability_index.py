"""The vectorised availability check agrees with the scalar rule, over many volunteers at once."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.scheduling import (
    CAIRO,
    AvailabilityIndex,
    DayPiece,
    Window,
    shift_day_pieces,
    shift_fits_windows,
)
from tests.engine.scheduling.helpers import at

BASE = at("2026-03-02T00:00+02:00")  # a Monday

windows_st = st.lists(
    st.builds(
        Window,
        st.integers(1, 7),
        st.integers(0, 47).map(lambda h: h * 30),
        st.integers(0, 48).map(lambda h: h * 30),
    ),
    max_size=4,
)


def test_piece_mask_marks_only_volunteers_with_one_covering_window() -> None:
    index = AvailabilityIndex.from_windows(
        [
            [Window(1, 480, 1200)],  # covers
            [Window(1, 480, 720), Window(1, 720, 1200)],  # two windows, not joined
            [Window(7, 1320, 600)],  # Sunday overnight covers Monday head only
            [],
        ]
    )
    assert index.piece_mask(DayPiece(1, 600, 840)).tolist() == [True, False, False, False]
    assert index.piece_mask(DayPiece(1, 0, 540)).tolist() == [False, False, True, False]


def test_shift_mask_requires_every_piece() -> None:
    index = AvailabilityIndex.from_windows([[Window(1, 1200, 1440)], [Window(1, 1200, 240)]])
    pieces = shift_day_pieces(at("2026-03-02T22:00+02:00"), at("2026-03-03T02:00+02:00"), CAIRO)
    assert index.shift_mask(pieces).tolist() == [False, True]


def test_cached_mask_is_read_only_and_shift_mask_is_fresh() -> None:
    index = AvailabilityIndex.from_windows([[Window(2, 0, 1440)]], cache_size=2)
    piece = DayPiece(2, 60, 120)
    first = index.piece_mask(piece)
    assert index.piece_mask(piece) is first
    assert not first.flags.writeable
    combined = index.shift_mask([piece])
    combined[0] = False
    assert index.piece_mask(piece)[0]


def test_cache_is_bounded() -> None:
    index = AvailabilityIndex.from_windows([[Window(2, 0, 1440)]], cache_size=2)
    masks = [index.piece_mask(DayPiece(2, m, m + 1)) for m in range(5)]
    assert index.piece_mask(DayPiece(2, 0, 1)) is not masks[0]
    assert index.piece_mask(DayPiece(2, 4, 5)) is masks[4]


def test_rows_subset_matches_full_mask() -> None:
    index = AvailabilityIndex.from_windows([[Window(3, 60, 600)], [], [Window(3, 0, 1440)]])
    pieces = [DayPiece(3, 120, 300)]
    rows = np.array([2, 0, 1])
    assert index.shift_mask_rows(pieces, rows).tolist() == index.shift_mask(pieces)[rows].tolist()
    index.shift_mask(pieces)  # now cached: same answer from the cache path
    assert index.shift_mask_rows(pieces, rows).tolist() == [True, True, False]


@settings(max_examples=150, deadline=None)
@given(
    per_volunteer=st.lists(windows_st, min_size=1, max_size=6),
    start_offset=st.integers(0, 7 * 48).map(lambda h: h * 30),
    length=st.integers(1, 60).map(lambda h: h * 30),
)
def test_vectorised_mask_equals_scalar_rule(
    per_volunteer: list[list[Window]], start_offset: int, length: int
) -> None:
    start = BASE + timedelta(minutes=start_offset)
    end = start + timedelta(minutes=length)
    index = AvailabilityIndex.from_windows(per_volunteer)
    mask = index.shift_mask(shift_day_pieces(start, end, CAIRO))
    expected = [shift_fits_windows(ws, start, end, CAIRO) for ws in per_volunteer]
    assert mask.tolist() == expected


@settings(max_examples=60, deadline=None)
@given(
    per_volunteer=st.lists(windows_st, min_size=1, max_size=4),
    minutes=st.integers(-300, 300),
    length=st.integers(1, 12).map(lambda h: h * 30),
    spring=st.booleans(),
)
def test_vectorised_mask_equals_scalar_rule_around_dst(
    per_volunteer: list[list[Window]], minutes: int, length: int, spring: bool
) -> None:
    from engine.scheduling import transitions

    start = transitions(2026, CAIRO)[0 if spring else 1] + timedelta(minutes=minutes)
    end = start + timedelta(minutes=length)
    index = AvailabilityIndex.from_windows(per_volunteer)
    mask = index.shift_mask(shift_day_pieces(start, end, CAIRO))
    assert mask.tolist() == [shift_fits_windows(ws, start, end, CAIRO) for ws in per_volunteer]
