"""Each hard constraint: one tiny instance it forbids, one it lets through (end to end)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from engine.matching import constraints
from engine.matching.constraints import (
    AVAILABLE,
    BUSY,
    PAIR_CONSTRAINTS,
    RULE,
    haversine_km,
    inside_availability,
    outside_blackouts,
    prepared_stages,
)
from engine.matching.generate import generate_instance
from engine.matching.instance import parse_instance
from tests.engine.matching.tiny import association, filled, instance, need, run, shift, volunteer

FILL = ("S1", 0, "V1")

CASES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    # (name, volunteer override forbidding, shift override forbidding, volunteer ok, shift ok)
    ("inactive", {"active": False}, {}, {"active": True}, {}),
    ("skill missing", {"skills": [{"code": "packer", "level": 5, "expiresAt": None}]}, {}, {}, {}),
    (
        "level too low",
        {"skills": [{"code": "first_aid", "level": 1, "expiresAt": None}]},
        {},
        {"skills": [{"code": "first_aid", "level": 2, "expiresAt": None}]},
        {},
    ),
    (
        "implied skill",
        {"skills": [{"code": "packer", "level": 3, "expiresAt": None}]},
        {},
        {"skills": [{"code": "physician", "level": 3, "expiresAt": None}]},
        {},
    ),
    (
        "expired at end",
        {"skills": [{"code": "first_aid", "level": 3, "expiresAt": "2026-03-02T14:00:00+02:00"}]},
        {},
        {"skills": [{"code": "first_aid", "level": 3, "expiresAt": "2026-03-02T14:00:01+02:00"}]},
        {},
    ),
    ("too far", {"maxTravelKm": 1.0}, {"lat": 30.10}, {"maxTravelKm": 7.0}, {"lat": 30.10}),
    (
        "not available (weekday)",
        {"availability": [{"weekday": 2, "start": "00:00", "end": "24:00"}]},
        {},
        {"availability": [{"weekday": 1, "start": "10:00", "end": "14:00"}]},
        {},
    ),
    (
        "window too short",
        {"availability": [{"weekday": 1, "start": "10:30", "end": "14:00"}]},
        {},
        {"availability": [{"weekday": 1, "start": "09:59", "end": "14:00"}]},
        {},
    ),
    (
        "two windows not joined",
        {
            "availability": [
                {"weekday": 1, "start": "08:00", "end": "12:00"},
                {"weekday": 1, "start": "12:00", "end": "16:00"},
            ]
        },
        {},
        {"availability": [{"weekday": 1, "start": "08:00", "end": "16:00"}]},
        {},
    ),
    (
        "midnight shift needs both days",
        {"availability": [{"weekday": 1, "start": "20:00", "end": "24:00"}]},
        {"start": "2026-03-02T22:00:00+02:00", "end": "2026-03-03T02:00:00+02:00"},
        {"availability": [{"weekday": 1, "start": "20:00", "end": "03:00"}]},
        {"start": "2026-03-02T22:00:00+02:00", "end": "2026-03-03T02:00:00+02:00"},
    ),
    (
        # Thursday 23:00 -> Friday 02:00 over Egypt's 2026 spring-forward: Friday's part is
        # 01:00-02:00 (the local day begins at its first real instant), so 01:00 is enough
        "spring-forward Friday begins at 01:00",
        {
            "availability": [
                {"weekday": 4, "start": "23:00", "end": "24:00"},
                {"weekday": 5, "start": "01:30", "end": "03:00"},
            ]
        },
        {"start": "2026-04-23T23:00:00+02:00", "end": "2026-04-24T02:00:00+03:00"},
        {
            "availability": [
                {"weekday": 4, "start": "23:00", "end": "24:00"},
                {"weekday": 5, "start": "01:00", "end": "03:00"},
            ]
        },
        {"start": "2026-04-23T23:00:00+02:00", "end": "2026-04-24T02:00:00+03:00"},
    ),
    (
        "blackout",
        {"blackouts": [{"start": "2026-03-02T13:00:00+02:00", "end": "2026-03-02T15:00:00+02:00"}]},
        {},
        {"blackouts": [{"start": "2026-03-02T14:00:00+02:00", "end": "2026-03-02T15:00:00+02:00"}]},
        {},
    ),
    (
        "booked overlap",
        {"booked": [{"start": "2026-03-02T13:00:00+02:00", "end": "2026-03-02T15:00:00+02:00"}]},
        {},
        {"booked": [{"start": "2026-03-02T22:00:00+02:00", "end": "2026-03-02T23:00:00+02:00"}]},
        {},
    ),
    (
        "booked rest",
        {"booked": [{"start": "2026-03-02T14:00:00+02:00", "end": "2026-03-02T15:00:00+02:00"}]},
        {},
        {
            "booked": [
                {
                    "start": "2026-03-02T14:00:00+02:00",
                    "end": "2026-03-02T15:00:00+02:00",
                    "event": "E1",
                }
            ]
        },
        {},
    ),
    (
        "weekly hours with booked",
        {
            "maxHoursWeek": 6.0,
            "booked": [{"start": "2026-03-04T10:00:00+02:00", "end": "2026-03-04T13:00:00+02:00"}],
        },
        {},
        {
            "maxHoursWeek": 7.0,
            "booked": [{"start": "2026-03-04T10:00:00+02:00", "end": "2026-03-04T13:00:00+02:00"}],
        },
        {},
    ),
    (
        "gender",
        {"gender": "M"},
        {"needs": [need(gender="F")]},
        {"gender": "F"},
        {"needs": [need(gender="F")]},
    ),
    (
        "min age (local year of start)",
        {"birthYear": 2009},
        {"needs": [need(minAge=18)]},
        {"birthYear": 2008},
        {"needs": [need(minAge=18)]},
    ),
    ("association", {"associations": ["A02"]}, {}, {"associations": ["A01"]}, {}),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_hard_constraint(
    case: tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    _name, v_bad, s_bad, v_ok, s_ok = case
    bad = run(instance([volunteer(**v_bad)], [shift(**s_bad)]))
    assert FILL not in filled(bad)
    assert bad["unfilled"] and bad["unfilled"][0]["count"] == 1
    ok = run(instance([volunteer(**v_ok)], [shift(**s_ok)]))
    assert filled(ok) == {FILL}


def test_constraint_list_has_docstrings() -> None:
    assert len(PAIR_CONSTRAINTS) >= 10
    for c in PAIR_CONSTRAINTS:
        assert c.__doc__ and len(c.__doc__) > 20


def test_haversine_radius() -> None:
    d = haversine_km(np.array([0.0]), np.array([0.0]), np.array([0.0]), np.array([1.0]))
    assert d[0] == pytest.approx(6371.0 * np.pi / 180.0)


def _two_shifts(s2: dict[str, Any], v: dict[str, Any] | None = None) -> set[tuple[str, int, str]]:
    return filled(run(instance([volunteer(**(v or {}))], [shift("S1"), shift("S2", **s2)])))


def test_new_shifts_overlap_forbidden() -> None:
    got = _two_shifts({"start": "2026-03-02T12:00:00+02:00", "end": "2026-03-02T16:00:00+02:00"})
    assert len(got) == 1


def test_new_shifts_rest_forbidden_and_allowed() -> None:
    short = _two_shifts(
        {"start": "2026-03-02T21:00:00+02:00", "end": "2026-03-02T23:00:00+02:00", "event": "E2"}
    )
    assert len(short) == 1
    rested = _two_shifts(
        {"start": "2026-03-02T22:00:00+02:00", "end": "2026-03-02T23:00:00+02:00", "event": "E2"}
    )
    assert len(rested) == 2


def test_back_to_back_same_event_allowed_other_event_not() -> None:
    same = _two_shifts({"start": "2026-03-02T14:00:00+02:00", "end": "2026-03-02T16:00:00+02:00"})
    assert len(same) == 2
    other = _two_shifts(
        {"start": "2026-03-02T14:00:00+02:00", "end": "2026-03-02T16:00:00+02:00", "event": "E2"}
    )
    assert len(other) == 1


def test_chain_of_three_back_to_back_needs_rest_between_first_and_third() -> None:
    shifts = [
        shift("S1", start="2026-03-02T10:00:00+02:00", end="2026-03-02T12:00:00+02:00"),
        shift("S2", start="2026-03-02T12:00:00+02:00", end="2026-03-02T14:00:00+02:00"),
        shift("S3", start="2026-03-02T14:00:00+02:00", end="2026-03-02T16:00:00+02:00"),
    ]
    got = filled(run(instance([volunteer()], shifts)))
    assert len(got) == 2  # S1+S2 or S2+S3, never all three (S1 end to S3 start is 2h < 8h)


def test_weekly_hours_of_new_shifts() -> None:
    v = {"maxHoursWeek": 6.0}
    got = _two_shifts(
        {"start": "2026-03-03T10:00:00+02:00", "end": "2026-03-03T14:00:00+02:00", "event": "E2"}, v
    )
    assert len(got) == 1
    next_week = _two_shifts(
        {"start": "2026-03-09T10:00:00+02:00", "end": "2026-03-09T14:00:00+02:00", "event": "E2"}, v
    )
    assert len(next_week) == 2


def test_one_volunteer_one_slot_per_shift() -> None:
    got = filled(run(instance([volunteer()], [shift(needs=[need(count=2), need(count=1)])])))
    assert len(got) == 1


def test_lending_policy_and_quota() -> None:
    assocs = [association("A01"), association("A02", lends=True, maxShare=0.5, borrowers=["A01"])]
    vols = [volunteer("V1", associations=["A02"]), volunteer("V2", associations=["A02"])]
    res = run(instance(vols, [shift(needs=[need(count=2)])], assocs))
    assert len(res["assignments"]) == 1  # floor(0.5 * 2) = 1 volunteer may be lent
    assert res["assignments"][0]["lender"] == "A02"
    assert res["unfilled"][0]["reason"] == "LENDER_QUOTA"
    closed = [
        association("A01"),
        association("A02", lends=True, maxShare=0.5, borrowers=["A03"]),
        association("A03"),
    ]
    res = run(instance(vols, [shift(needs=[need(count=2)])], closed))
    assert res["assignments"] == []


def test_member_is_never_lent_and_lent_volunteer_counts_once() -> None:
    assocs = [association("A01"), association("A02", lends=True, maxShare=0.5)]
    vols = [volunteer("V1", associations=["A01", "A02"]), volunteer("V2", associations=["A02"])]
    shifts = [
        shift("S1"),
        shift("S2", start="2026-03-03T10:00:00+02:00", end="2026-03-03T14:00:00+02:00", event="E2"),
    ]
    res = run(instance(vols, shifts, assocs))
    lenders = {(a["volunteer"], a["lender"]) for a in res["assignments"]}
    assert ("V1", None) in lenders or all(v != "V1" for v, _ in lenders)
    assert all(lender == "A02" for v, lender in lenders if v == "V2")
    # quota floor(0.5*2)=1 distinct volunteer: V2 may be lent to both shifts
    res = run(
        instance(
            [volunteer("V2", associations=["A02"]), volunteer("V3", associations=["A02"])],
            shifts,
            assocs,
        )
    )
    lent = {a["volunteer"] for a in res["assignments"] if a["lender"] == "A02"}
    assert len(res["assignments"]) == 2 and len(lent) == 1


def _all_pairs_of(problem: Any) -> tuple[np.ndarray, np.ndarray]:
    need = np.repeat(np.arange(problem.needs.n), problem.volunteers.count)
    vol = np.tile(np.arange(problem.volunteers.count), problem.needs.n)
    return need, vol


def _window(day: int, start: str, end: str) -> dict[str, Any]:
    return {"weekday": day, "start": start, "end": end}


def test_prepared_window_table_checks_every_piece_of_a_shift() -> None:
    shifts = [  # over the spring-forward night, and over an ordinary midnight
        shift("S1", start="2026-04-23T23:00:00+02:00", end="2026-04-24T02:00:00+03:00"),
        shift("S2", start="2026-03-02T22:00:00+02:00", end="2026-03-03T02:00:00+02:00"),
    ]
    windows = [
        [_window(4, "23:00", "24:00"), _window(5, "01:00", "03:00")],  # fits S1
        [_window(4, "23:00", "24:00")],  # S1's Friday part missing
        [_window(4, "22:00", "24:00"), _window(5, "01:30", "03:00")],  # Friday starts too late
        [_window(1, "20:00", "03:00")],  # fits S2 (over midnight)
        [_window(1, "20:00", "24:00")],  # S2's Tuesday part missing
    ]
    vols = [volunteer(f"V{i}", availability=w) for i, w in enumerate(windows)]
    problem = parse_instance(instance(vols, shifts))
    need, vol = _all_pairs_of(problem)
    table_check = prepared_stages(problem)[1][0]
    assert table_check is not inside_availability
    expected = [True, False, False, False, False] + [False, False, False, True, False]
    assert table_check(problem, need, vol).tolist() == expected
    assert inside_availability(problem, need, vol).tolist() == expected


def test_prepared_window_table_agrees_with_the_pair_rule_over_dst_weeks() -> None:
    # a generated week over Egypt's spring-forward night: every (need, volunteer) pair
    problem = parse_instance(generate_instance(300, 120, 7, seed=5, start=date(2026, 4, 20)))
    need, vol = _all_pairs_of(problem)
    rule, available, busy = prepared_stages(problem)
    assert (rule, busy) == (RULE, BUSY)
    table_check, blackouts = available
    assert table_check is not inside_availability and blackouts is outside_blackouts
    plain = inside_availability(problem, need, vol)
    assert 0 < plain.sum() < len(plain)  # both verdicts occur
    assert np.array_equal(table_check(problem, need, vol), plain)


def test_prepared_stages_fall_back_to_the_pair_rule_when_the_table_is_too_big(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = parse_instance(generate_instance(50, 20, 2, seed=1))
    monkeypatch.setattr(constraints, "WINDOW_TABLE_BYTES", 1)
    assert prepared_stages(problem) == (RULE, AVAILABLE, BUSY)
