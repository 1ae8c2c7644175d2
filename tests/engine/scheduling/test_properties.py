"""Property tests tying the rules together: hours, pieces and offsets agree with real time."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.scheduling import (
    CAIRO,
    local_wall,
    offset_segments,
    shift_day_pieces,
    transitions,
    week_hours,
)

START_2026 = transitions(2026, CAIRO)[0] - timedelta(days=10)

starts = st.integers(0, 60 * 24 * 220).map(lambda m: START_2026 + timedelta(minutes=m))
lengths = st.integers(1, 60 * 72).map(lambda m: timedelta(minutes=m))


@settings(max_examples=200, deadline=None)
@given(start=starts, length=lengths)
def test_week_hours_sum_to_real_duration(start: datetime, length: timedelta) -> None:
    hours = week_hours(start, start + length, CAIRO)
    assert abs(sum(hours.values()) - length.total_seconds() / 3600) < 1e-9
    assert all(h > 0 for h in hours.values())


@settings(max_examples=200, deadline=None)
@given(start=starts, length=lengths)
def test_offset_segments_cover_the_interval_contiguously(
    start: datetime, length: timedelta
) -> None:
    segs = offset_segments(start, start + length, CAIRO)
    assert segs[0][0] == start and segs[-1][1] == start + length
    assert all(a[1] == b[0] and a[2] != b[2] for a, b in zip(segs, segs[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(start=starts, length=lengths)
def test_day_pieces_start_and_end_at_the_local_clock(start: datetime, length: timedelta) -> None:
    end = start + length
    pieces = shift_day_pieces(start, end, CAIRO)
    first, last = local_wall(start, CAIRO), local_wall(end, CAIRO)
    assert pieces[0].weekday == first.isoweekday()
    assert pieces[0].start_min <= first.hour * 60 + first.minute
    end_min = last.hour * 60 + last.minute or 1440
    assert pieces[-1].end_min >= end_min
    assert all(0 <= p.start_min < p.end_min <= 1440 for p in pieces)
    # consecutive local days: each piece's weekday follows the previous one
    assert all(b.weekday == a.weekday % 7 + 1 for a, b in zip(pieces, pieces[1:], strict=False))
