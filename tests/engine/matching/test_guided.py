"""Relaxation-guided columns (engine.matching.guided) and the solver on generated instances
against the exact MILP optimum."""

from __future__ import annotations

import numpy as np
import pytest

from engine.matching.candidates import build_candidates
from engine.matching.generate import generate_instance
from engine.matching.guided import guided_columns
from engine.matching.instance import parse_instance
from engine.matching.residual import Residual, SolverState
from engine.types import IntArray, Problem
from tests.engine.matching.milp_reference import milp_optimum
from tests.engine.matching.test_solver import TOL, _check
from tests.engine.matching.tiny import instance, shift, volunteer


def _two_events() -> tuple[Problem, Residual, IntArray]:
    """V1 could work S1 08-12 then S2 12-16 (back to back, event E1) or S3 08-12 (event E2)."""
    data = instance(
        [volunteer("V1")],
        [
            shift("S1", event="E1", start="2026-03-02T08:00:00+02:00", end="2026-03-02T12:00:00+02:00"),
            shift("S2", event="E1", start="2026-03-02T12:00:00+02:00", end="2026-03-02T16:00:00+02:00"),
            shift("S3", event="E2", start="2026-03-02T08:00:00+02:00", end="2026-03-02T12:00:00+02:00"),
        ],
    )
    problem = parse_instance(data)
    graph = build_candidates(problem)
    residual = Residual(problem, graph, graph.need_of_edge())
    return problem, residual, np.arange(graph.edges)


def _edge_to(residual: Residual, edges: IntArray, shift_index: int) -> int:
    return int(edges[residual.edge_shift[edges] == shift_index][0])


def test_compatible_relaxed_choice_gets_one_column_per_member() -> None:
    problem, residual, edges = _two_events()
    chosen = np.array([_edge_to(residual, edges, 0), _edge_to(residual, edges, 1)])
    keep, multi = guided_columns(
        problem, residual, SolverState.empty(problem), edges, residual.graph.vol[edges], chosen
    )
    shifts = residual.edge_shift[edges]
    assert keep.tolist() == (shifts != 2).tolist()  # the E2 shift is dropped for V1
    assert multi.all()


def test_clashing_relaxed_choice_is_left_alone() -> None:
    problem, residual, edges = _two_events()
    # S3 (E2) ends when S2 (E1) starts: back to back across events breaks the rest rule
    chosen = np.array([_edge_to(residual, edges, 2), _edge_to(residual, edges, 1)])
    keep, multi = guided_columns(
        problem, residual, SolverState.empty(problem), edges, residual.graph.vol[edges], chosen
    )
    assert keep.all()
    assert not multi.any()


def test_hours_over_the_week_are_left_alone() -> None:
    problem, residual, edges = _two_events()
    state = SolverState.empty(problem)
    state.used_hours[0] = problem.volunteers.max_hours_week[0] - 6.0  # room for one 4 h shift
    chosen = np.array([_edge_to(residual, edges, 0), _edge_to(residual, edges, 1)])
    keep, multi = guided_columns(problem, residual, state, edges, residual.graph.vol[edges], chosen)
    assert keep.all()
    assert not multi.any()


def test_bench_size_s_equals_milp() -> None:
    """The benchmark's S instance (1K volunteers, 300 slots, 7 days, exchange on)."""
    data = generate_instance(1_000, 300, 7, seed=20261125, exchange=True)
    obj, _ = _check(data)
    assert obj == pytest.approx(milp_optimum(parse_instance(data)), abs=TOL)


@pytest.mark.parametrize("seed", range(6))
def test_generated_small_equal_milp(seed: int) -> None:
    data = generate_instance(400, 120, 3, seed=seed, exchange=True)
    obj, _ = _check(data)
    assert obj == pytest.approx(milp_optimum(parse_instance(data)), abs=TOL)


@pytest.mark.parametrize("seed", range(8))
def test_generated_dense_close_to_milp(seed: int) -> None:
    """Known gap: 300 slots over 3 days (dense back-to-back chains, tight quotas). Moves that
    swap several volunteers' event chains across three clusters can still be missed: at most
    one normal slot short of the optimum (measured: seed 3 one slot, seeds 0 and 7 only 4.0 and
    12.5 of cost, the others exact), and never better than it (that would be a bug)."""
    data = generate_instance(1_000, 300, 3, seed=seed, exchange=True)
    obj, _ = _check(data)
    opt = milp_optimum(parse_instance(data))
    assert opt - TOL <= obj <= opt + data["weights"]["unfilled"] + TOL
