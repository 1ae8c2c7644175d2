"""Hours per local ISO week (INSTANCE.md hard constraint 4), real hours, DST nights."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.scheduling import (
    CAIRO,
    SchedulingError,
    hours_by_week,
    iso_week,
    transitions,
    week_hours,
    within_weekly_limit,
)
from tests.engine.scheduling.helpers import at


def test_shift_inside_one_week_counts_there() -> None:
    assert week_hours(at("2026-03-04T08:00+02:00"), at("2026-03-04T12:30+02:00"), CAIRO) == {
        (2026, 10): 4.5
    }


def test_shift_crossing_local_monday_midnight_is_split() -> None:
    # Sunday 2026-03-08 22:00 -> Monday 2026-03-09 03:00 local: 2 h in week 10, 3 h in week 11.
    assert week_hours(at("2026-03-08T22:00+02:00"), at("2026-03-09T03:00+02:00"), CAIRO) == {
        (2026, 10): 2.0,
        (2026, 11): 3.0,
    }


def test_week_is_taken_in_local_time_not_utc() -> None:
    # Monday 00:30 local is still Sunday in UTC; it belongs to the new local week.
    assert iso_week(at("2026-03-09T00:30+02:00"), CAIRO) == (2026, 11)
    assert week_hours(at("2026-03-08T22:00+00:00"), at("2026-03-08T23:00+00:00"), CAIRO) == {
        (2026, 11): 1.0
    }


def test_iso_year_differs_from_calendar_year_at_new_year() -> None:
    # 2026-12-31 is a Thursday of ISO week 2026-53; 2027-01-04 starts 2027-W01.
    hours = week_hours(at("2027-01-03T20:00+02:00"), at("2027-01-04T02:00+02:00"), CAIRO)
    assert hours == {(2026, 53): 4.0, (2027, 1): 2.0}


def test_spring_forward_night_counts_one_hour_less_than_the_clock() -> None:
    spring = transitions(2026, CAIRO)[0]
    start = spring - timedelta(hours=2)  # Thursday 22:00 local
    end = spring + timedelta(hours=6)  # Friday 07:00 local: the clock shows 9 h
    total = sum(week_hours(start, end, CAIRO).values())
    assert total == 8.0


def test_fall_back_night_counts_one_hour_more_than_the_clock() -> None:
    autumn = transitions(2026, CAIRO)[1]
    start = autumn - timedelta(hours=2)  # Thursday 22:00 local (+03)
    end = autumn + timedelta(hours=8)  # Friday 07:00 local (+02): the clock shows 9 h
    assert sum(week_hours(start, end, CAIRO).values()) == 10.0


def test_hours_by_week_sums_several_shifts() -> None:
    spans = [
        (at("2026-03-02T08:00+02:00"), at("2026-03-02T12:00+02:00")),
        (at("2026-03-04T08:00+02:00"), at("2026-03-04T10:00+02:00")),
        (at("2026-03-10T08:00+02:00"), at("2026-03-10T09:00+02:00")),
    ]
    assert hours_by_week(spans, CAIRO) == {(2026, 10): 6.0, (2026, 11): 1.0}


def test_within_limit_allows_exactly_the_limit() -> None:
    existing = [(at("2026-03-02T08:00+02:00"), at("2026-03-02T20:00+02:00"))]
    assert within_weekly_limit(
        existing, (at("2026-03-04T08:00+02:00"), at("2026-03-04T16:00+02:00")), 20, CAIRO
    )


def test_within_limit_forbids_one_minute_over() -> None:
    existing = [(at("2026-03-02T08:00+02:00"), at("2026-03-02T20:00+02:00"))]
    assert not within_weekly_limit(
        existing, (at("2026-03-04T08:00+02:00"), at("2026-03-04T16:01+02:00")), 20, CAIRO
    )


def test_within_limit_ignores_hours_of_other_weeks() -> None:
    existing = [(at("2026-03-09T00:00+02:00"), at("2026-03-09T20:00+02:00"))]  # next week, full
    assert within_weekly_limit(
        existing, (at("2026-03-08T16:00+02:00"), at("2026-03-08T20:00+02:00")), 20, CAIRO
    )


def test_within_limit_checks_both_weeks_of_a_split_shift() -> None:
    existing = [(at("2026-03-09T04:00+02:00"), at("2026-03-09T22:00+02:00"))]  # 18 h in week 11
    new = (at("2026-03-08T20:00+02:00"), at("2026-03-09T03:00+02:00"))  # 4 h in w10, 3 h in w11
    assert not within_weekly_limit(existing, new, 20, CAIRO)
    assert within_weekly_limit(existing, new, 21, CAIRO)


def test_reversed_shift_is_rejected() -> None:
    with pytest.raises(SchedulingError):
        week_hours(at("2026-03-04T12:00+02:00"), at("2026-03-04T08:00+02:00"), CAIRO)
