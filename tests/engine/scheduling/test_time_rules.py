"""Africa/Cairo time rules: DST transitions 2024-2026, local midnights, offset segments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from engine.scheduling import (
    CAIRO,
    SchedulingError,
    local_midnight,
    local_wall,
    offset_at,
    offset_segments,
    to_utc,
    transitions,
    zone,
)
from tests.engine.scheduling.helpers import at, fall_back_day, spring_forward_day

PINNED = {
    2024: ["2024-04-25T22:00:00+00:00", "2024-10-31T21:00:00+00:00"],
    2025: ["2025-04-24T22:00:00+00:00", "2025-10-30T21:00:00+00:00"],
    2026: ["2026-04-23T22:00:00+00:00", "2026-10-29T21:00:00+00:00"],
}


@pytest.mark.parametrize("year", sorted(PINNED))
def test_cairo_transitions_are_the_pinned_instants(year: int) -> None:
    assert [t.isoformat() for t in transitions(year, CAIRO)] == PINNED[year]


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026, 2027])
def test_cairo_transitions_follow_the_egyptian_rule(year: int) -> None:
    spring, autumn = transitions(year, CAIRO)
    # forward at local 00:00 of the last Friday of April (the clock shows 01:00 at once)
    assert local_wall(spring, CAIRO) == datetime.combine(
        spring_forward_day(year), datetime.min.time()
    ) + timedelta(hours=1)
    assert offset_at(spring - timedelta(seconds=1), CAIRO) == timedelta(hours=2)
    assert offset_at(spring, CAIRO) == timedelta(hours=3)
    # back at local 24:00 of the last Thursday of October (the clock shows 23:00 again)
    assert local_wall(autumn, CAIRO) == datetime.combine(
        fall_back_day(year), datetime.min.time()
    ) + timedelta(hours=23)
    assert offset_at(autumn, CAIRO) == timedelta(hours=2)


def test_no_transitions_in_2022_when_egypt_had_no_dst() -> None:
    assert transitions(2022, CAIRO) == []


def test_local_midnight_is_00_00_on_an_ordinary_day() -> None:
    assert local_midnight(date(2026, 3, 2), CAIRO) == at("2026-03-01T22:00:00+00:00")
    assert local_midnight(date(2026, 7, 6), CAIRO) == at("2026-07-05T21:00:00+00:00")


def test_local_midnight_on_spring_forward_day_is_the_transition() -> None:
    day = spring_forward_day(2026)
    first = local_midnight(day, CAIRO)
    assert first == transitions(2026, CAIRO)[0]
    assert local_wall(first, CAIRO).date() == day
    assert local_wall(first - timedelta(microseconds=1), CAIRO).date() == day - timedelta(days=1)


def test_local_midnight_after_fall_back_night() -> None:
    day = fall_back_day(2026) + timedelta(days=1)
    assert local_midnight(day, CAIRO) == transitions(2026, CAIRO)[1] + timedelta(hours=1)


def test_offset_segments_split_at_the_transition() -> None:
    start = at("2025-04-24T22:00:00+02:00")
    end = at("2025-04-25T03:00:00+03:00")
    segs = offset_segments(start, end, CAIRO)
    assert [(s.isoformat(), e.isoformat(), o) for s, e, o in segs] == [
        ("2025-04-24T20:00:00+00:00", "2025-04-24T22:00:00+00:00", timedelta(hours=2)),
        ("2025-04-24T22:00:00+00:00", "2025-04-25T00:00:00+00:00", timedelta(hours=3)),
    ]


def test_offset_segments_without_transition_is_one_segment() -> None:
    segs = offset_segments(at("2025-03-01T08:00+02:00"), at("2025-03-03T08:00+02:00"), CAIRO)
    assert len(segs) == 1 and segs[0][2] == timedelta(hours=2)


def test_naive_datetime_is_rejected_naming_the_field() -> None:
    with pytest.raises(SchedulingError) as err:
        to_utc(datetime(2026, 3, 1, 8, 0), "shifts[0].start")
    assert err.value.path == "shifts[0].start"


def test_aware_datetime_converts_to_utc() -> None:
    assert to_utc(at("2026-03-01T08:00+02:00")) == datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def test_unknown_zone_is_rejected() -> None:
    with pytest.raises(SchedulingError) as err:
        zone("Africa/Atlantis")
    assert err.value.path == "timezone"


def test_offset_segments_reject_empty_interval() -> None:
    with pytest.raises(SchedulingError):
        offset_segments(at("2026-03-01T08:00+02:00"), at("2026-03-01T08:00+02:00"), CAIRO)
