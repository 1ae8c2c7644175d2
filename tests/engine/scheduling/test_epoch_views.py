"""The local-time views the matching parser reads (epoch seconds in, pieces/weeks/year out)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from engine.scheduling.epoch_views import day_pieces, local_year, week_seconds
from tests.engine.scheduling.helpers import at

Z = ZoneInfo("Africa/Cairo")


def _s(text: str) -> float:
    return at(text).timestamp()


def test_spring_forward_friday_begins_at_its_first_real_instant_0100() -> None:
    # Thursday 23:00 (+02) -> Friday 02:00 (+03) on 2026-04-24: 2 real hours, and Friday's
    # piece starts at 01:00 (00:00-01:00 never happens that night), not at 00:00
    pieces = day_pieces(_s("2026-04-23T23:00+02:00"), _s("2026-04-24T02:00+03:00"), Z)
    assert pieces == [(4, 1380, 1440), (5, 60, 120)]
    first_instant = day_pieces(_s("2026-04-24T01:00+03:00"), _s("2026-04-24T02:00+03:00"), Z)
    assert first_instant == [(5, 60, 120)]


def test_fall_back_repeated_hour_is_one_piece_of_thursday() -> None:
    # 2026-10-29 (Thursday) 22:00 (+03) -> Friday 01:00 (+02): 23:00-24:00 happens twice
    pieces = day_pieces(_s("2026-10-29T22:00+03:00"), _s("2026-10-30T01:00+02:00"), Z)
    assert pieces == [(4, 1320, 1440), (5, 0, 60)]
    assert week_seconds(_s("2026-10-29T22:00+03:00"), _s("2026-10-30T01:00+02:00"), Z) == [
        (202644, 4 * 3600.0)
    ]


def test_week_seconds_split_at_local_monday_midnight() -> None:
    got = week_seconds(_s("2026-03-08T22:00+02:00"), _s("2026-03-09T03:00+02:00"), Z)
    assert got == [(202610, 2 * 3600.0), (202611, 3 * 3600.0)]
    inside = week_seconds(_s("2026-03-09T00:00+02:00"), _s("2026-03-09T03:00+02:00"), Z)
    assert inside == [(202611, 3 * 3600.0)]


def test_spring_forward_night_counts_real_hours() -> None:
    # 22:00 -> 03:00 on the clock is 4 real hours that night
    got = week_seconds(_s("2026-04-23T22:00+02:00"), _s("2026-04-24T03:00+03:00"), Z)
    assert got == [(202617, 4 * 3600.0)]


def test_local_year_is_cairo_not_utc() -> None:
    assert local_year(_s("2027-01-01T00:30+02:00"), Z) == 2027  # still 2026 in UTC
    assert local_year(_s("2026-12-31T23:30+02:00"), Z) == 2026
