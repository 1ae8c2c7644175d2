"""Vectorised blackout and booking lookups agree with the scalar rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.scheduling import (
    Booking,
    IntervalIndex,
    SchedulingError,
    conflicts,
    intersects_blackout,
)
from tests.engine.scheduling.helpers import at

BASE = at("2026-03-01T00:00+02:00")


def test_blackout_touching_is_free_intersecting_is_not() -> None:
    index = IntervalIndex.from_spans(
        [
            [(at("2026-03-02T00:00+02:00"), at("2026-03-02T08:00+02:00"))],  # touches
            [(at("2026-03-02T07:59+02:00"), at("2026-03-02T08:01+02:00"))],  # intersects
            [],
        ]
    )
    mask = index.free_mask(at("2026-03-02T08:00+02:00"), at("2026-03-02T12:00+02:00"))
    assert mask.tolist() == [True, False, True]


def test_long_blackout_far_before_the_query_start_still_found() -> None:
    index = IntervalIndex.from_spans(
        [
            [(at("2026-02-01T00:00+02:00"), at("2026-04-01T00:00+02:00"))],
            [(at("2026-03-02T09:00+02:00"), at("2026-03-02T09:30+02:00"))],
        ]
    )
    assert index.hit_rows(at("2026-03-10T08:00+02:00"), at("2026-03-10T09:00+02:00")).tolist() == [
        0
    ]


def test_booking_rest_and_back_to_back_exception() -> None:
    index = IntervalIndex.from_bookings(
        [
            [
                Booking(at("2026-03-02T04:00+02:00"), at("2026-03-02T08:00+02:00"), "E1")
            ],  # b2b same event
            [
                Booking(at("2026-03-02T04:00+02:00"), at("2026-03-02T08:00+02:00"), "E2")
            ],  # b2b other event
            [
                Booking(at("2026-03-02T04:00+02:00"), at("2026-03-02T08:00+02:00"), None)
            ],  # b2b, no event
            [
                Booking(at("2026-03-02T20:00+02:00"), at("2026-03-02T22:00+02:00"), None)
            ],  # exactly 8 h after
            [
                Booking(at("2026-03-02T19:59+02:00"), at("2026-03-02T22:00+02:00"), None)
            ],  # 7:59 after
        ]
    )
    free = index.free_mask(at("2026-03-02T08:00+02:00"), at("2026-03-02T12:00+02:00"), 8, "E1")
    assert free.tolist() == [True, False, False, True, False]


def test_reversed_booking_is_rejected() -> None:
    with pytest.raises(SchedulingError) as err:
        IntervalIndex.from_bookings(
            [[Booking(at("2026-03-02T08:00+02:00"), at("2026-03-02T08:00+02:00"), None)]]
        )
    assert err.value.path == "intervals.end"


interval_st = st.tuples(
    st.integers(0, 200), st.integers(1, 40), st.sampled_from([None, "E1", "E2"])
)


@settings(max_examples=150, deadline=None)
@given(
    per_row=st.lists(st.lists(interval_st, max_size=4), min_size=1, max_size=6),
    query=interval_st,
    rest_half_hours=st.integers(0, 20),
)
def test_booking_index_equals_scalar_conflicts(
    per_row: list[list[tuple[int, int, str | None]]],
    query: tuple[int, int, str | None],
    rest_half_hours: int,
) -> None:
    def booking(item: tuple[int, int, str | None]) -> Booking:
        start = BASE + timedelta(minutes=30 * item[0])
        return Booking(start, start + timedelta(minutes=30 * item[1]), item[2])

    rows = [[booking(item) for item in items] for items in per_row]
    q = booking(query)
    rest = rest_half_hours / 2
    index = IntervalIndex.from_bookings(rows)
    expected = [
        not any(conflicts(q.start, q.end, q.event, o.start, o.end, o.event, rest) for o in bs)
        for bs in rows
    ]
    assert index.free_mask(q.start, q.end, rest, q.event).tolist() == expected
    spans = [[(o.start, o.end) for o in bs] for bs in rows]
    blackout_free = IntervalIndex.from_spans(spans).free_mask(q.start, q.end)
    assert blackout_free.tolist() == [not intersects_blackout(s, q.start, q.end) for s in spans]
