"""OR-Tools CP-SAT peer with the full hard-constraint model, as a fair and strong comparison.

A Boolean per candidate edge; at most `count` per need; cliques of conflicting groups (one
slot per shift, overlap and rest) as AddAtMostOne; weekly hours as linear rows in seconds;
lender quotas with a "lent" Boolean per (lender, volunteer); the objective in milli-units
(cost - unfilled penalty per edge). The greedy solution is given as a hint, 2 workers, and a
time limit. CP-SAT was chosen over min-cost flow because flow cannot express the overlap,
weekly-hours and quota coupling without a decomposition that would lose optimality.
"""

from __future__ import annotations

import math
import time
from typing import Any

from ortools.sat.python import cp_model

from bench.peers.coupling import build_coupling, edge_objective
from bench.peers.greedy import greedy_choose
from bench.peers.model import build_model, to_result

SCALE = 1000  # objective in thousandths


def solve(instance: dict[str, Any], time_limit: float = 60.0, workers: int = 2) -> dict[str, Any]:
    began = time.perf_counter()
    model = build_model(instance)
    coupling = build_coupling(model)
    coef, constant = edge_objective(model)
    cp = cp_model.CpModel()
    n_e = len(model.e_vol)
    x = [cp.NewBoolVar(f"x{e}") for e in range(n_e)]
    for k, edges in enumerate(coupling.need_edges):
        if len(edges) > model.needs[k].count:
            cp.Add(sum(x[e] for e in edges) <= model.needs[k].count)
    for clique in coupling.cliques:
        cp.AddAtMostOne([x[e] for g in clique for e in coupling.group_edges[g]])
    for groups, hours, budget in coupling.week_rows:
        terms = [
            round(h * 3600) * x[e]
            for g, h in zip(groups, hours, strict=True)
            for e in coupling.group_edges[g]
        ]
        cp.Add(sum(terms) <= math.floor(budget * 3600 + 1e-6))
    for lender, vols, quota in coupling.quota_rows:
        lent = []
        for v, edges in vols.items():
            z = cp.NewBoolVar(f"z{lender}_{v}")
            for e in edges:
                cp.AddImplication(x[e], z)
            lent.append(z)
        cp.Add(sum(lent) <= quota)
    cp.Minimize(sum(round(float(c) * SCALE) * x[e] for e, c in enumerate(coef.tolist())))
    hinted = set(greedy_choose(model))
    for e in range(n_e):  # a complete hint: CP-SAT starts from the greedy solution
        cp.AddHint(x[e], e in hinted)
    model_seconds = time.perf_counter() - began
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(1.0, time_limit - (time.perf_counter() - began))
    solver.parameters.num_workers = workers
    status = solver.Solve(cp)
    extra: dict[str, Any] = {
        "edges": n_e,
        "status": solver.StatusName(status),
        "optimal": status == cp_model.OPTIMAL,
        "modelSeconds": round(model_seconds, 2),
    }
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [e for e in range(n_e) if solver.BooleanValue(x[e])]
        extra["bound"] = constant + solver.BestObjectiveBound() / SCALE
    else:
        chosen = []
        extra["failed"] = f"CP-SAT {solver.StatusName(status)} within {time_limit:g} s"
    return to_result(model, chosen, "ortools", time.perf_counter() - began, extra)
