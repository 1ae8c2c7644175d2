"""Ejection chains (engine.matching.chains): a short slot filled by moving a volunteer who holds
another slot, kept only when the objective gains; and the M bench instance reaching the exact
MILP's fill."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from engine.matching.candidates import build_candidates, unfilled_penalty
from engine.matching.chains import fill_by_chains
from engine.matching.instance import parse_instance
from engine.matching.residual import Residual, SolverState
from engine.types import Problem
from tests.engine.matching.tiny import instance, shift, volunteer

DAY = "2026-03-02T"


def _at(sid: str, start: str, end: str, **over: Any) -> dict[str, Any]:
    return shift(sid, start=f"{DAY}{start}:00+02:00", end=f"{DAY}{end}:00+02:00", **over)


class Setup:
    """A problem, its candidate graph and a state with the given (shift, volunteer) held."""

    def __init__(self, data: dict[str, Any], held: list[tuple[str, str]]) -> None:
        self.problem: Problem = parse_instance(data)
        self.graph = build_candidates(self.problem)
        self.residual = Residual(self.problem, self.graph, self.graph.need_of_edge())
        self.state = SolverState.empty(self.problem)
        for sid, vid in held:
            slot = self.free_slot(sid)
            self.state.slot_edge[slot] = self.edge(sid, vid)
            self.residual.apply(self.state, np.array([slot]), +1)

    def _shift(self, sid: str) -> int:
        return self.problem.shifts.ids.index(sid)

    def free_slot(self, sid: str) -> int:
        need = int(np.flatnonzero(self.problem.needs.shift == self._shift(sid))[0])
        slots = np.arange(self.problem.needs.slot_ptr[need], self.problem.needs.slot_ptr[need + 1])
        return int(slots[self.state.slot_edge[slots] < 0][0])

    def edge(self, sid: str, vid: str) -> int:
        v = self.problem.volunteers.ids.index(vid)
        e = np.flatnonzero((self.residual.edge_shift == self._shift(sid)) & (self.graph.vol == v))
        return int(e[0])

    def run(self) -> int:
        return fill_by_chains(
            self.residual, unfilled_penalty(self.problem), self.state, set(), deadline=1e18
        )

    def holding(self) -> set[tuple[str, str]]:
        filled = np.flatnonzero(self.state.slot_edge >= 0)
        e = self.state.slot_edge[filled]
        sh, vol = self.problem.shifts.ids, self.problem.volunteers.ids
        return {(sh[int(self.residual.edge_shift[x])], vol[int(self.graph.vol[x])]) for x in e}

    def hours(self) -> float:
        return float(self.state.used_hours.sum())


def test_free_candidate_is_inserted() -> None:
    data = instance([volunteer("V1")], [_at("S1", "10", "14")])
    s = Setup(data, [])
    assert s.run() == 1
    assert s.holding() == {("S1", "V1")}


def test_volunteer_moves_and_its_slot_is_refilled() -> None:
    # V1 holds S1; S2 (overlapping S1) can only be worked by V1; V2 can take S1 instead
    v2 = volunteer("V2", skills=[{"code": "first_aid", "level": 2, "expiresAt": None}])
    data = instance(
        [volunteer("V1", skills=[{"code": "nurse", "level": 2, "expiresAt": None}]), v2],
        [_at("S1", "10", "14"), _at("S2", "11", "15", event="E2", needs=[_nurse()])],
    )
    s = Setup(data, [("S1", "V1")])
    assert s.run() == 1
    assert s.holding() == {("S2", "V1"), ("S1", "V2")}
    assert s.hours() == 8.0  # the aggregates follow the moves


def test_move_that_would_empty_an_urgent_slot_is_refused() -> None:
    # V1 holds urgent S1 and nobody else can take it: giving it up for S2 costs more than it gains
    data = instance(
        [volunteer("V1", skills=[{"code": "nurse", "level": 2, "expiresAt": None}])],
        [_at("S1", "10", "14", urgent=True), _at("S2", "11", "15", event="E2", needs=[_nurse()])],
    )
    s = Setup(data, [("S1", "V1")])
    assert s.run() == 0
    assert s.holding() == {("S1", "V1")}
    assert s.hours() == 4.0


def test_non_urgent_slot_is_given_up_for_an_urgent_one() -> None:
    data = instance(
        [volunteer("V1", skills=[{"code": "nurse", "level": 2, "expiresAt": None}])],
        [_at("S1", "10", "14"), _at("S2", "11", "15", event="E2", urgent=True, needs=[_nurse()])],
    )
    s = Setup(data, [("S1", "V1")])
    assert s.run() == 1
    assert s.holding() == {("S2", "V1")}


def test_two_slots_are_given_up_for_the_weekly_hours() -> None:
    # V1 (8 h a week) holds two 4 h shifts; the 5 h shift S3 only V1 can do; V2 and V3 refill
    other = [{"code": "first_aid", "level": 2, "expiresAt": None}]
    data = instance(
        [
            volunteer(
                "V1", maxHoursWeek=8.0, skills=[{"code": "nurse", "level": 2, "expiresAt": None}]
            ),
            volunteer("V2", skills=other),
            volunteer("V3", skills=other),
        ],
        [
            _at("S1", "08", "12"),
            shift("S2", start="2026-03-03T08:00:00+02:00", end="2026-03-03T12:00:00+02:00"),
            shift(
                "S3",
                event="E2",
                start="2026-03-04T08:00:00+02:00",
                end="2026-03-04T13:00:00+02:00",
                needs=[_nurse()],
            ),
        ],
    )
    s = Setup(data, [("S1", "V1"), ("S2", "V1")])
    assert s.run() == 1
    held = s.holding()
    assert ("S3", "V1") in held and len(held) == 3
    assert {v for sid, v in held if sid in ("S1", "S2")} <= {"V2", "V3"}


def _week_pack(max_hours: float) -> dict[str, Any]:
    """One volunteer; X Fri 09-14 (5 h), Y1 Sat 08-12 and Y2 Sun 08-12 (4 h each), one ISO
    week, three events (no rest or overlap between them: only the weekly hours couple them)."""
    return instance(
        [volunteer("V1", maxHoursWeek=max_hours)],
        [
            shift("X", event="E1", start="2026-03-06T09:00:00+02:00", end="2026-03-06T14:00:00+02:00"),
            shift("Y1", event="E2", start="2026-03-07T08:00:00+02:00", end="2026-03-07T12:00:00+02:00"),
            shift("Y2", event="E3", start="2026-03-08T08:00:00+02:00", end="2026-03-08T12:00:00+02:00"),
        ],
    )


def test_one_slot_is_given_up_for_two_that_the_freed_hours_allow() -> None:
    # V1 (8 h a week) holds X; giving X up for Y1 alone gains nothing, but the freed hours
    # also take Y2: the chain's top-up makes it two slots for one
    s = Setup(_week_pack(8.0), [("X", "V1")])
    assert s.run() == 1
    assert s.holding() == {("Y1", "V1"), ("Y2", "V1")}
    assert s.hours() == 8.0


def test_no_top_up_when_the_hours_do_not_allow_the_second_slot() -> None:
    # 7 h a week: Y1 + Y2 (8 h) do not fit; swapping X for one 4 h shift fills no more
    s = Setup(_week_pack(7.0), [("X", "V1")])
    assert s.run() == 0
    assert s.holding() == {("X", "V1")}


def test_no_chain_when_nothing_is_short() -> None:
    data = instance([volunteer("V1")], [_at("S1", "10", "14")])
    s = Setup(data, [("S1", "V1")])
    assert s.run() == 0
    assert s.holding() == {("S1", "V1")}


def _nurse() -> dict[str, Any]:
    return {"skill": "nurse", "count": 1, "minLevel": 2, "gender": None, "minAge": None}


def test_apply_one_keeps_the_aggregates_like_apply() -> None:
    from engine.matching.generate import generate_instance

    problem = parse_instance(generate_instance(400, 120, 7, seed=7, exchange=True))
    graph = build_candidates(problem)
    res = Residual(problem, graph, graph.need_of_edge())
    rng = np.random.default_rng(3)
    nd = problem.needs
    slots, edges = [], []
    for need in np.flatnonzero(np.diff(graph.ptr) > 0).tolist():
        e = rng.integers(graph.ptr[need], graph.ptr[need + 1], size=int(nd.count[need]))
        slots += list(range(int(nd.slot_ptr[need]), int(nd.slot_ptr[need + 1])))
        edges += e.tolist()
    lender, _usable = res.choose_lenders(
        SolverState.empty(problem), np.array(edges), problem.associations.quota, set()
    )
    assert (lender >= 0).sum() > 10  # the case covers loans, several per lender
    a, b = SolverState.empty(problem), SolverState.empty(problem)
    for st in (a, b):
        st.slot_edge[slots] = edges
        st.slot_lender[slots] = lender
    res.apply(a, np.array(slots), +1)
    for slot in slots:
        res.apply_one(b, slot, +1)
    half = np.array(slots[::2])
    res.apply(a, half, -1)
    for slot in half.tolist():
        res.apply_one(b, slot, -1)
    assert np.allclose(a.used_hours, b.used_hours)
    assert (a.lent == b.lent).all() and (a.counted == b.counted).all()
    assert a.counted.sum() > 0


def test_a_loan_moves_to_another_lender_so_a_cheaper_volunteer_can_be_lent() -> None:
    """Found by a sweep against the exact MILP (shrunk from a generated instance): V3 (member of
    A5 and A1) was lent through A1, whose quota of 1 then kept A1's V2 (closer) out of S2,
    which the distant V1 took. Lending V3 through A5 frees A1's unit for V2."""
    import json
    from pathlib import Path

    from engine.matching import solve_instance
    from tests.engine.matching.milp_reference import milp_optimum

    data = json.loads((Path(__file__).parent / "cases" / "lender_choice.json").read_text())
    result = solve_instance(data)
    got = {(a["shift"], a["volunteer"], a["lender"]) for a in result["assignments"]}
    assert {v for _s, v, _l in got} == {"V2", "V3"} and ("S1", "V3", "A5") in got, got
    assert result["stats"]["objective"] == pytest.approx(milp_optimum(parse_instance(data)), abs=1e-6)


def test_no_loan_moves_when_the_quota_is_not_what_keeps_a_cheaper_volunteer_out() -> None:
    """With room in A1's quota the solver lends V2 directly; nobody's lender is changed."""
    import json
    from pathlib import Path

    from engine.matching import solve_instance

    data = json.loads((Path(__file__).parent / "cases" / "lender_choice.json").read_text())
    data["associations"][0]["maxShare"] = 1.0  # A1: quota 2
    got = {(a["volunteer"], a["lender"]) for a in solve_instance(data)["assignments"]}
    assert ("V2", "A1") in got and ("V3", "A1") in got, got
