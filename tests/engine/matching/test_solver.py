"""Solver: determinism, feasibility (independent validator), equality with the MILP optimum."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.matching import solve_instance
from engine.matching.instance import parse_instance
from engine.matching.result import solution_to_dict
from engine.matching.solve import solve
from engine.matching.validate import validate
from tests.engine.matching.milp_reference import milp_optimum
from tests.engine.matching.synth import synth_instance
from tests.engine.matching.tiny import association, instance, need, shift, volunteer

TOL = 1e-6


def _check(data: dict) -> tuple[float, dict]:
    problem = parse_instance(data)
    solution = solve(problem)
    result = solution_to_dict(problem, solution)
    report = validate(data, result)
    assert report.violations == []
    assert report.objective == pytest.approx(solution.objective, rel=1e-9, abs=1e-6)
    return solution.objective, result


def test_result_format() -> None:
    res = solve_instance(instance())
    assert res["format"] == "tahaluf-result/1"
    assert res["stats"]["solver"] == "tahaluf"
    assert isinstance(res["stats"]["seconds"], float)
    a = res["assignments"][0]
    assert set(a) >= {"shift", "need", "volunteer", "lender", "cost", "terms"}
    json.dumps(res)


def test_progress_is_reported() -> None:
    seen: list[float] = []
    problem = parse_instance(synth_instance(40, 20, 2, seed=3))
    solve(problem, progress=seen.append)
    assert seen and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_deterministic() -> None:
    data = synth_instance(300, 120, 3, seed=11, n_skills=4, n_centers=2)
    a = solve_instance(data)
    b = solve_instance(json.loads(json.dumps(data)))
    for r in (a, b):
        r["stats"] = {}
    assert a == b


HAND_MADE = [
    # urgent first: the only nurse goes to the urgent shift
    instance(
        [
            volunteer("V1", skills=[{"code": "nurse", "level": 3, "expiresAt": None}]),
            volunteer("V2"),
        ],
        [
            shift("S1", needs=[need(skill="nurse")]),
            shift("S2", urgent=True, event="E2", needs=[need(skill="nurse")]),
        ],
    ),
    # over-level: keep the physician for the physician need
    instance(
        [
            volunteer("V1", skills=[{"code": "physician", "level": 5, "expiresAt": None}]),
            volunteer("V2", lat=30.2),
        ],
        [shift("S1"), shift("S2", event="E2", needs=[need(skill="physician")])],
    ),
    # lender quota counted per distinct volunteer across shifts
    instance(
        [volunteer(f"V{i}", associations=["A02"], lat=30.04 + i * 0.01) for i in range(5)],
        [
            shift("S1", needs=[need(count=2)]),
            shift(
                "S2",
                event="E2",
                start="2026-03-03T10:00:00+02:00",
                end="2026-03-03T14:00:00+02:00",
                needs=[need(count=2)],
            ),
        ],
        [association("A01"), association("A02", lends=True, maxShare=0.4)],
    ),
    # weekly hours: a volunteer can only do one of three days
    instance(
        [volunteer("V1", maxHoursWeek=5.0), volunteer("V2", lat=30.1, maxHoursWeek=9.0)],
        [
            shift(
                f"S{d}",
                event=f"E{d}",
                start=f"2026-03-0{d + 1}T10:00:00+02:00",
                end=f"2026-03-0{d + 1}T14:00:00+02:00",
            )
            for d in range(1, 4)
        ],
    ),
]


@pytest.mark.parametrize("data", HAND_MADE, ids=["urgent", "overlevel", "quota", "hours"])
def test_hand_made_equal_milp(data: dict) -> None:
    obj, _ = _check(data)
    assert obj == pytest.approx(milp_optimum(parse_instance(data)), abs=TOL)


RANDOM_SMALL = dict(volunteers=60, slots=25, days=2, spread_km=8, associations=4, hours_week=(4, 14), max_share=0.1, n_skills=3, n_centers=1)
#: several lenders with quotas of 1-3 volunteers: where the decomposition can miss the optimum
#: (lending ONE volunteer to two shifts of different clusters to save quota)
TIGHT_QUOTAS = dict(volunteers=80, slots=40, days=3, spread_km=10, associations=6, hours_week=(6, 24), max_share=0.2, n_skills=4, n_centers=2)


def _synth(params: dict, seed: int) -> dict:
    p = dict(params)
    return synth_instance(p.pop("volunteers"), p.pop("slots"), p.pop("days"), seed, **p)


@pytest.mark.parametrize("seed", range(12))
def test_random_small_equal_milp(seed: int) -> None:
    data = _synth(RANDOM_SMALL, seed)
    obj, _ = _check(data)
    assert obj == pytest.approx(milp_optimum(parse_instance(data)), abs=TOL)


@pytest.mark.parametrize("seed", range(12))
def test_tight_quotas_close_to_milp(seed: int) -> None:
    """Known gap: with tight multi-lender quotas the result may miss the optimum by at most one
    normal unfilled slot (and is never better than the optimum, which would be a bug)."""
    data = _synth(TIGHT_QUOTAS, seed)
    obj, _ = _check(data)
    opt = milp_optimum(parse_instance(data))
    assert opt - TOL <= obj <= opt + data["weights"]["unfilled"] + TOL


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    volunteers=st.integers(1, 60),
    slots=st.integers(1, 40),
    days=st.integers(1, 4),
    rest=st.sampled_from([0.0, 8.0, 12.0]),
    share=st.sampled_from([0.0, 0.1, 0.5, 1.0]),
)
def test_random_results_are_feasible(
    seed: int, volunteers: int, slots: int, days: int, rest: float, share: float
) -> None:
    data = synth_instance(
        volunteers,
        slots,
        days,
        seed,
        spread_km=10,
        associations=3,
        hours_week=(3, 16),
        rest_hours=rest,
        max_share=share,
        n_skills=3,
        n_centers=2,
        booked_rate=0.4,
    )
    _check(data)


def test_degenerate_instances() -> None:
    assert solve_instance(instance([], [shift()]))["unfilled"] == [
        {"shift": "S1", "need": 0, "count": 1, "reason": "NO_SKILL_IN_REACH"}
    ]
    assert solve_instance(instance([volunteer()], []))["assignments"] == []
    assert solve_instance(instance([volunteer()], [shift(needs=[need(count=0)])]))["unfilled"] == []


def test_candidate_matrix_hook() -> None:
    """The benchmark's bare-SciPy hook: one row per slot, volunteers then one unfilled column
    per slot, and a full matching exists."""
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    from engine.matching.candidates import candidate_matrix

    problem = parse_instance(synth_instance(50, 30, 2, seed=5, n_skills=3, n_centers=1))
    m = candidate_matrix(problem)
    assert m.shape == (30, 50 + 30)
    rows, cols = min_weight_full_bipartite_matching(m)
    assert len(rows) == 30
    solution = solve(problem)
    assert solution.stats["scipySeconds"] >= 0.0


def test_zero_km_reach_is_filled_at_the_event_itself_and_not_a_step_away() -> None:
    """maxTravelKm 0 reaches a shift at the volunteer's own point (distance 0 <= 0)."""
    here = instance(volunteers=[volunteer(maxTravelKm=0.0)])
    assert {a["volunteer"] for a in solve_instance(here)["assignments"]} == {"V1"}
    away = instance(volunteers=[volunteer(maxTravelKm=0.0, lat=30.05)])
    result = solve_instance(away)
    assert result["assignments"] == [] and result["unfilled"][0]["reason"] == "NO_SKILL_IN_REACH"


def test_a_pair_at_exactly_the_limit_is_never_assigned_over_it() -> None:
    """The solver keeps a safety margin: whatever it assigns, a distance computed another way
    is within maxTravelKm (the validator's rule, with no tolerance)."""
    import math

    lat = 30.04 + 0.09
    p1, p2 = math.radians(lat), math.radians(30.04)
    exact = 2 * 6371.0 * math.asin(math.sqrt(math.sin((p2 - p1) / 2) ** 2))
    for limit in (exact * (1 - 1e-9), exact, exact * (1 + 1e-9)):
        result = solve_instance(instance(volunteers=[volunteer(lat=lat, maxTravelKm=limit)]))
        assigned = bool(result["assignments"])
        assert not assigned or exact <= limit, (limit, exact)
    far = solve_instance(instance(volunteers=[volunteer(lat=lat, maxTravelKm=exact * (1 + 1e-9))]))
    assert far["assignments"], "a pair inside the limit by more than the margin is kept"


def test_a_generated_dst_week_equals_milp() -> None:
    """Found by an outside audit: on this generated week (Cairo's DST start, 800 volunteers) the
    solver once filled one slot fewer than the optimum; a volunteer had to give up one shift for
    two that its freed weekly hours allowed (the chains' top-up)."""
    from datetime import date

    from engine.matching.generate import generate_instance

    data = generate_instance(800, 250, 7, seed=4, start=date(2026, 4, 20), exchange=True)
    obj, _ = _check(data)
    assert obj == pytest.approx(milp_optimum(parse_instance(data)), abs=TOL)
