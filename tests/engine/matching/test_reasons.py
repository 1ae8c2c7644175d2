"""Each unfilled reason, by a hand-made instance."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.matching.tiny import association, instance, need, run, shift, volunteer


def _reason(
    vols: list[dict[str, Any]],
    shifts: list[dict[str, Any]],
    assocs: list[dict[str, Any]] | None = None,
    sid: str = "S1",
) -> str:
    res = run(instance(vols, shifts, assocs))
    reasons = {u["shift"]: u["reason"] for u in res["unfilled"]}
    return reasons[sid]


def test_no_skill_in_reach() -> None:
    assert _reason([volunteer(skills=[])], [shift()]) == "NO_SKILL_IN_REACH"
    assert _reason([volunteer(lat=31.5)], [shift()]) == "NO_SKILL_IN_REACH"  # too far
    assert (
        _reason([volunteer(associations=["A02"])], [shift()]) == "NO_SKILL_IN_REACH"
    )  # no lending


def test_rule() -> None:
    assert _reason([volunteer(gender="M")], [shift(needs=[need(gender="F")])]) == "RULE"
    assert _reason([volunteer(birthYear=2015)], [shift(needs=[need(minAge=18)])]) == "RULE"


def test_not_available() -> None:
    assert _reason([volunteer(availability=[])], [shift()]) == "NOT_AVAILABLE"
    black = [{"start": "2026-03-02T00:00:00+02:00", "end": "2026-03-03T00:00:00+02:00"}]
    assert _reason([volunteer(blackouts=black)], [shift()]) == "NOT_AVAILABLE"


def test_all_candidates_busy() -> None:
    booked = [{"start": "2026-03-02T09:00:00+02:00", "end": "2026-03-02T11:00:00+02:00"}]
    assert _reason([volunteer(booked=booked)], [shift()]) == "ALL_CANDIDATES_BUSY"
    assert _reason([volunteer(maxHoursWeek=3.0)], [shift()]) == "ALL_CANDIDATES_BUSY"


def test_lender_quota() -> None:
    assocs = [association("A01"), association("A02", lends=True, maxShare=0.2)]
    # 4 active members: floor(0.2 * 4) = 0 may be lent
    vols = [volunteer(f"V{i}", associations=["A02"]) for i in range(4)]
    assert _reason(vols, [shift()], assocs) == "LENDER_QUOTA"


def test_outcompeted() -> None:
    urgent = shift(
        "S2",
        urgent=True,
        start="2026-03-02T11:00:00+02:00",
        end="2026-03-02T13:00:00+02:00",
        event="E2",
    )
    assert _reason([volunteer()], [shift(), urgent]) == "OUTCOMPETED"


@pytest.mark.parametrize("count", [1, 3])
def test_unfilled_counts_add_up(count: int) -> None:
    res = run(instance([volunteer()], [shift(needs=[need(count=count + 1)])]))
    assert len(res["assignments"]) == 1
    assert sum(u["count"] for u in res["unfilled"]) == count
