"""Timefold Solver peer (PyPI `timefold`, Java 17), employee-scheduling style, same model.

Planning entities are slots (one per unit of a need's count) whose planning variable is one of
the need's candidate edges, or unassigned. HardMediumSoft score: hard = conflicts (same
volunteer on one shift twice, overlap, rest), weekly hours, lender quotas; medium = unfilled
slots (urgent weigh 10, normal 1, as in the objective's 100000/10000); soft = edge cost in
thousandths. Construction heuristic then local search until the time limit.

Known cost (measured with jstack on the M instance): after solving, timefold's Python bridge
writes every candidate Option of every slot's value range back into CPython objects through
JPype proxies (`$writeFieldsToCPythonReference`), which takes minutes for ~90K edges, so the
M run overruns its limit; S finishes (about 40 s of it JVM start and bytecode translation).
"""

from __future__ import annotations

import math
import time
from typing import Any

from bench.peers.model import build_model, to_result

SCALE = 1000


def solve(instance: dict[str, Any], time_limit: float = 60.0) -> dict[str, Any]:
    began = time.perf_counter()
    from timefold.solver import SolverFactory
    from timefold.solver.config import (
        Duration,
        ScoreDirectorFactoryConfig,
        SolverConfig,
        TerminationConfig,
    )
    from timefold.solver.score import (
        ConstraintCollectors,
        HardMediumSoftScore,
        Joiners,
        constraint_provider,
    )

    from bench.peers.timefold_domain import Option, Plan, Slot, WeekPart, clash

    model = build_model(instance)
    rest = int(model.rest_s)
    quotas = dict(model.quota)
    events: dict[str, int] = {}
    event_ids = [
        events.setdefault(e, len(events)) if e is not None else -1 for e in model.shift_event
    ]
    options: list[Any] = []
    parts: list[Any] = []
    week_keys: dict[tuple[int, tuple[int, int]], int] = {}
    by_need: dict[int, list[Any]] = {}
    for e in range(len(model.e_vol)):
        k = int(model.e_need[e])
        s = model.needs[k].shift
        v = int(model.e_vol[e])
        opt = Option(
            len(options),
            e,
            v,
            s,
            int(model.shift_start[s]),
            int(model.shift_end[s]),
            event_ids[s],
            int(model.e_lender[e]),
            round(float(model.e_cost[e]) * SCALE),
        )
        for w, h in model.shift_weeks[s].items():
            key = week_keys.setdefault((v, w), len(week_keys))
            budget = math.floor(model.budget(v, w) * 3600 + 1e-6)
            parts.append(WeekPart(len(parts), opt.id, key, round(h * 3600), budget))
        options.append(opt)
        by_need.setdefault(k, []).append(opt)
    slots = []
    for k, need in enumerate(model.needs):
        cands = by_need.get(k, [])
        if not cands:
            continue
        medium = max(1, round(need.penalty / 10000.0))
        for _ in range(need.count):
            slots.append(Slot(len(slots), k, medium, cands))

    @constraint_provider
    def constraints(cf: Any) -> list[Any]:
        return [
            cf.for_each_unique_pair(Slot, Joiners.equal(lambda s: s.option.vol))
            .filter(lambda a, b: clash(a.option, b.option, rest))
            .penalize(HardMediumSoftScore.ONE_HARD)
            .as_constraint("overlap, rest or one slot per shift"),
            cf.for_each(Slot)
            .join(WeekPart, Joiners.equal(lambda s: s.option.id, lambda p: p.option))
            .group_by(
                lambda s, p: p.key,
                ConstraintCollectors.sum(lambda s, p: p.seconds),
                ConstraintCollectors.max(lambda s, p: p.budget),
            )
            .filter(lambda key, used, budget: used > budget)
            .penalize(
                HardMediumSoftScore.ONE_HARD, lambda key, used, budget: (used - budget) // 60 + 1
            )
            .as_constraint("weekly hours"),
            cf.for_each(Slot)
            .filter(lambda s: s.option.lender >= 0)
            .group_by(
                lambda s: s.option.lender,
                ConstraintCollectors.count_distinct(lambda s: s.option.vol),
            )
            .filter(lambda lender, n: n > quotas.get(lender, 0))
            .penalize(HardMediumSoftScore.ONE_HARD, lambda lender, n: n - quotas.get(lender, 0))
            .as_constraint("lender quota"),
            cf.for_each_including_unassigned(Slot)
            .filter(lambda s: s.option is None)
            .penalize(HardMediumSoftScore.ONE_MEDIUM, lambda s: s.medium)
            .as_constraint("unfilled"),
            cf.for_each(Slot)
            .penalize(HardMediumSoftScore.ONE_SOFT, lambda s: s.option.cost)
            .as_constraint("cost"),
        ]

    left = max(5.0, time_limit - (time.perf_counter() - began))
    config = SolverConfig(
        solution_class=Plan,
        entity_class_list=[Slot],
        score_director_factory_config=ScoreDirectorFactoryConfig(
            constraint_provider_function=constraints
        ),
        termination_config=TerminationConfig(spent_limit=Duration(seconds=int(left))),
    )
    t_create = time.perf_counter()
    solver = SolverFactory.create(config).build_solver()
    create_seconds = time.perf_counter() - t_create
    best = solver.solve(Plan(options, parts, slots))
    score = best.score
    chosen = [s.option.edge for s in best.slots if s.option is not None]
    extra: dict[str, Any] = {
        "edges": len(options),
        "score": str(score),
        "slotsModelled": len(slots),
        "createSeconds": round(create_seconds, 2),
        "solveSeconds": round(time.perf_counter() - t_create - create_seconds, 2),
    }
    if score is not None and score.hard_score < 0:
        extra["failed"] = f"Timefold ended infeasible ({score}) within {time_limit:g} s"
    return to_result(model, chosen, "timefold", time.perf_counter() - began, extra)
