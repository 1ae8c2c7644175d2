"""Exact MILP peer: scipy.optimize.milp (HiGHS) on the peers' model, with a time limit.

Binary x per candidate edge and z per (lender, volunteer) where a quota binds; rows from
`coupling`. The LP relaxation of the same model gives a lower bound on the objective when the
MILP does not prove optimality in time.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from bench.peers.coupling import Coupling, build_coupling, edge_objective
from bench.peers.model import PeerModel, build_model, to_result


def build_rows(model: PeerModel, coupling: Coupling) -> tuple[Any, np.ndarray, int]:
    """Sparse A (rows x (edges + z)) and upper bounds b of A @ [x, z] <= b; returns n_z too."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    ub: list[float] = []

    def row(columns: list[int], values: list[float] | None, bound: float) -> None:
        r = len(ub)
        rows.extend([r] * len(columns))
        cols.extend(columns)
        vals.extend(values if values is not None else [1.0] * len(columns))
        ub.append(bound)

    n_e = len(model.e_vol)
    for k, edges in enumerate(coupling.need_edges):
        if len(edges) > model.needs[k].count:
            row(edges, None, float(model.needs[k].count))
    for clique in coupling.cliques:
        row([e for g in clique for e in coupling.group_edges[g]], None, 1.0)
    for groups, hours, budget in coupling.week_rows:
        columns: list[int] = []
        values: list[float] = []
        for g, h in zip(groups, hours, strict=True):
            columns.extend(coupling.group_edges[g])
            values.extend([h] * len(coupling.group_edges[g]))
        row(columns, values, budget)
    n_z = 0
    for _lender, vols, quota in coupling.quota_rows:
        zs: list[int] = []
        for edges in vols.values():
            z = n_e + n_z
            n_z += 1
            zs.append(z)
            for e in edges:
                row([e, z], [1.0, -1.0], 0.0)
        row(zs, None, float(quota))
    a = coo_matrix((vals, (rows, cols)), shape=(len(ub), n_e + n_z)).tocsr()
    return a, np.array(ub), n_z


def solve(instance: dict[str, Any], time_limit: float = 60.0) -> dict[str, Any]:
    began = time.perf_counter()
    model = build_model(instance)
    coupling = build_coupling(model)
    coef, constant = edge_objective(model)
    a, ub, n_z = build_rows(model, coupling)
    c = np.concatenate([coef, np.zeros(n_z)])
    n = len(c)
    if n == 0:  # no candidate at all: nothing to assign, trivially optimal
        extra0 = {"rows": 0, "edges": 0, "lpBound": constant, "lpSeconds": 0.0, "optimal": True,
                  "status": "no candidate edges"}
        return to_result(model, [], "milp", time.perf_counter() - began, extra0)
    constraints = [LinearConstraint(a, -np.inf, ub)] if a.shape[0] else []
    # the LP relaxation (a lower bound) and the MILP each get the time limit
    t_lp = time.perf_counter()
    lp = milp(
        c,
        constraints=constraints,
        integrality=np.zeros(n),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit},
    )
    lp_seconds = time.perf_counter() - t_lp
    lp_bound = constant + float(lp.fun) if lp.x is not None and lp.status == 0 else None
    res = milp(
        c,
        constraints=constraints,
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-9},
    )
    extra: dict[str, Any] = {
        "rows": int(a.shape[0]),
        "edges": int(len(model.e_vol)),
        "lpBound": lp_bound,
        "lpSeconds": round(lp_seconds, 2),
        "optimal": bool(res.status == 0),
        "status": res.message,
    }
    dual = getattr(res, "mip_dual_bound", None)
    if dual is not None and np.isfinite(dual):
        extra["dualBound"] = constant + float(dual)
    if res.x is None:
        extra["failed"] = f"no integer solution within {time_limit:g} s"
        chosen: list[int] = []
    else:
        chosen = np.flatnonzero(res.x[: len(model.e_vol)] > 0.5).tolist()
    return to_result(model, chosen, "milp", time.perf_counter() - began, extra)
