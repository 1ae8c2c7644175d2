"""Overlap and minimum rest (INSTANCE.md hard constraint 3), every pair, real elapsed time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.scheduling import (
    CAIRO,
    Booking,
    SchedulingError,
    all_compatible,
    conflicting_pairs,
    conflicts,
    fits_with,
    transitions,
)
from tests.engine.scheduling.helpers import at

REST = 8.0


def b(start: str, end: str, event: str | None = None) -> Booking:
    return Booking(at(start), at(end), event)


def clash(x: Booking, y: Booking, rest: float = REST) -> bool:
    return conflicts(x.start, x.end, x.event, y.start, y.end, y.event, rest)


def test_overlapping_shifts_conflict() -> None:
    assert clash(
        b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00"),
        b("2026-03-01T11:00+02:00", "2026-03-01T15:00+02:00"),
        0,
    )


def test_touching_shifts_with_zero_rest_do_not_conflict() -> None:
    assert not clash(
        b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00"),
        b("2026-03-01T12:00+02:00", "2026-03-01T15:00+02:00"),
        0,
    )


def test_rest_of_exactly_min_rest_is_allowed() -> None:
    x = b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00")
    assert not clash(x, b("2026-03-01T20:00+02:00", "2026-03-01T23:00+02:00"))
    assert not clash(b("2026-03-01T20:00+02:00", "2026-03-01T23:00+02:00"), x)


def test_rest_one_minute_short_is_forbidden() -> None:
    x = b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00")
    assert clash(x, b("2026-03-01T19:59+02:00", "2026-03-01T23:00+02:00"))
    assert clash(b("2026-03-01T19:59+02:00", "2026-03-01T23:00+02:00"), x)


def test_back_to_back_same_event_is_allowed() -> None:
    assert not clash(
        b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00", "E1"),
        b("2026-03-01T12:00+02:00", "2026-03-01T16:00+02:00", "E1"),
    )
    assert not clash(
        b("2026-03-01T12:00+02:00", "2026-03-01T16:00+02:00", "E1"),
        b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00", "E1"),
    )


def test_back_to_back_different_event_is_forbidden() -> None:
    assert clash(
        b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00", "E1"),
        b("2026-03-01T12:00+02:00", "2026-03-01T16:00+02:00", "E2"),
    )


def test_back_to_back_with_booking_without_event_is_forbidden() -> None:
    booked = b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00", None)
    assert clash(booked, b("2026-03-01T12:00+02:00", "2026-03-01T16:00+02:00", "E1"))
    assert clash(booked, b("2026-03-01T12:00+02:00", "2026-03-01T16:00+02:00", None))


def test_same_event_with_a_short_gap_is_forbidden() -> None:
    assert clash(
        b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00", "E1"),
        b("2026-03-01T12:30+02:00", "2026-03-01T16:00+02:00", "E1"),
    )


def test_same_event_overlapping_is_forbidden() -> None:
    assert clash(
        b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00", "E1"),
        b("2026-03-01T11:00+02:00", "2026-03-01T16:00+02:00", "E1"),
    )


def test_back_to_back_is_judged_on_instants_not_offsets() -> None:
    # 12:00+02:00 and 10:00Z are the same instant: back to back.
    assert not clash(
        b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00", "E1"),
        b("2026-03-01T10:00+00:00", "2026-03-01T14:00+00:00", "E1"),
    )


def test_rest_is_real_elapsed_time_over_the_spring_forward_night() -> None:
    spring = transitions(2026, CAIRO)[0]
    # the clock shows 8 h between 21:00 and 06:00 (+1 skipped), but only 8 real hours pass.
    first = Booking(spring - timedelta(hours=5), spring - timedelta(hours=3))
    second = Booking(spring + timedelta(hours=5), spring + timedelta(hours=7))
    assert not clash(first, second)
    assert clash(first, Booking(second.start - timedelta(minutes=1), second.end))


def test_chain_of_three_back_to_back_needs_rest_between_first_and_third() -> None:
    chain = [
        b("2026-03-01T08:00+02:00", "2026-03-01T10:00+02:00", "E1"),
        b("2026-03-01T10:00+02:00", "2026-03-01T12:00+02:00", "E1"),
        b("2026-03-01T12:00+02:00", "2026-03-01T14:00+02:00", "E1"),
    ]
    assert conflicting_pairs(chain, REST) == [(0, 2)]
    assert not all_compatible(chain, REST)


def test_chain_of_three_back_to_back_is_allowed_when_first_and_third_are_rested() -> None:
    chain = [
        b("2026-03-01T08:00+02:00", "2026-03-01T10:00+02:00", "E1"),
        b("2026-03-01T10:00+02:00", "2026-03-01T18:00+02:00", "E1"),
        b("2026-03-01T18:00+02:00", "2026-03-01T20:00+02:00", "E1"),
    ]
    assert all_compatible(chain, REST)


def test_conflicting_pairs_reports_input_indices() -> None:
    items = [
        b("2026-03-05T08:00+02:00", "2026-03-05T12:00+02:00"),
        b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00"),
        b("2026-03-05T13:00+02:00", "2026-03-05T14:00+02:00"),
    ]
    assert conflicting_pairs(items, REST) == [(0, 2)]


def test_fits_with_checks_new_against_existing() -> None:
    existing = [b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00", "E1")]
    assert fits_with(b("2026-03-01T12:00+02:00", "2026-03-01T14:00+02:00", "E1"), existing, REST)
    assert not fits_with(
        b("2026-03-01T12:00+02:00", "2026-03-01T14:00+02:00", "E2"), existing, REST
    )


def test_negative_rest_and_reversed_interval_are_rejected() -> None:
    x = b("2026-03-01T08:00+02:00", "2026-03-01T12:00+02:00")
    with pytest.raises(SchedulingError):
        clash(x, x, -1)
    with pytest.raises(SchedulingError) as err:
        conflicts(x.end, x.start, None, x.start, x.end, None, REST)
    assert err.value.path == "a_end"
