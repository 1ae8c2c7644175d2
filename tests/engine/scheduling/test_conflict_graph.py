"""Vectorised conflict pairs among shifts agree with the pairwise rule."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.scheduling import Booking, SchedulingError, conflicting_pairs
from engine.scheduling.conflict_graph import shift_conflict_pairs
from tests.engine.scheduling.helpers import at

BASE = at("2026-03-01T00:00+02:00")
H = 3600.0


def pairs(
    start: list[float], end: list[float], event: list[int], rest: float
) -> list[tuple[int, int]]:
    i, j = shift_conflict_pairs(np.array(start), np.array(end), np.array(event), rest)
    return list(zip(i.tolist(), j.tolist(), strict=True))


def test_chain_of_three_same_event_conflicts_first_with_third_only() -> None:
    assert pairs([0, 2 * H, 4 * H], [2 * H, 4 * H, 6 * H], [0, 0, 0], 8) == [(0, 2)]


def test_back_to_back_without_event_conflicts() -> None:
    assert pairs([0, 2 * H], [2 * H, 4 * H], [-1, -1], 8) == [(0, 1)]


def test_rest_exactly_met_is_not_a_conflict() -> None:
    assert pairs([0, 10 * H], [2 * H, 12 * H], [-1, -1], 8) == []
    assert pairs([0, 10 * H - 60], [2 * H, 12 * H], [-1, -1], 8) == [(0, 1)]


def test_reversed_shift_is_rejected() -> None:
    with pytest.raises(SchedulingError) as err:
        pairs([0], [0], [-1], 8)
    assert err.value.path == "shifts.end"


shift_st = st.tuples(st.integers(0, 100), st.integers(1, 20), st.sampled_from([-1, 0, 1]))


@settings(max_examples=150, deadline=None)
@given(items=st.lists(shift_st, max_size=25), rest_half_hours=st.integers(0, 24))
def test_vectorised_pairs_equal_pairwise_rule(
    items: list[tuple[int, int, int]], rest_half_hours: int
) -> None:
    start = [30 * 60.0 * s for s, _, _ in items]
    end = [30 * 60.0 * (s + length) for s, length, _ in items]
    bookings = [
        Booking(
            BASE + timedelta(seconds=a), BASE + timedelta(seconds=b), None if ev < 0 else f"E{ev}"
        )
        for a, b, (_, _, ev) in zip(start, end, items, strict=True)
    ]
    rest = rest_half_hours / 2
    expected = [
        (i, j)
        for i in range(len(bookings))
        for j in range(i + 1, len(bookings))
        if conflicting_pairs([bookings[i], bookings[j]], rest)
    ]
    assert pairs(start, end, [ev for _, _, ev in items], rest) == expected
    assert conflicting_pairs(bookings, rest) == expected
