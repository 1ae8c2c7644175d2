"""Exact optimum of a small instance with scipy.optimize.milp (TEST code only).

The model is written from INSTANCE.md directly: x[j,v] for every (need, volunteer) pair allowed
by the pair constraints, y[j,v,L] picking the lender of a borrowed pair, z[v,L] = "L lends v";
pairwise conflict constraints between shifts of one volunteer, weekly hours, need counts and
lender quotas. The objective counts unfilled slots as ``count - sum(x)``.
"""

from __future__ import annotations

import itertools

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from engine.matching.candidates import unfilled_penalty
from engine.matching.constraints import allowed, qualifying_level
from engine.matching.costs import pair_cost
from engine.types import Problem


def milp_optimum(problem: Problem, chosen: list[tuple[int, int]] | None = None) -> float:
    nd = problem.needs
    sh = problem.shifts
    vols = problem.volunteers
    nv = vols.count
    jj, vv = np.meshgrid(np.arange(nd.n), np.arange(nv), indexing="ij")
    jj = jj.ravel()
    vv = vv.ravel()
    ok = allowed(problem, jj, vv) & (nd.count[jj] > 0)
    jj, vv = jj[ok], vv[ok]
    level = qualifying_level(problem, jj, vv)
    cost = pair_cost(problem, jj, vv, level)
    pen = unfilled_penalty(problem)
    n_x = len(jj)
    # lender variables
    a_of = sh.association[nd.shift[jj]]
    y_index: list[tuple[int, int]] = []  # (x index, lender)
    for i in range(n_x):
        if not vols.member[vv[i], a_of[i]]:
            for lend in np.flatnonzero(
                vols.member[vv[i]] & problem.associations.can_lend[:, a_of[i]]
            ):
                y_index.append((i, int(lend)))
    z_keys = sorted({(int(vv[i]), lend) for i, lend in y_index})
    z_pos = {k: n_x + len(y_index) + t for t, k in enumerate(z_keys)}
    n = n_x + len(y_index) + len(z_keys)
    c = np.zeros(n)
    c[:n_x] = cost - pen[jj]
    rows: list[dict[int, float]] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(coef: dict[int, float], lb: float, ub: float) -> None:
        rows.append(coef)
        lo.append(lb)
        hi.append(ub)

    for j in range(nd.n):  # need counts
        idx = np.flatnonzero(jj == j)
        if len(idx):
            add({int(i): 1.0 for i in idx}, 0, float(nd.count[j]))
    for i in range(n_x):  # a borrowed pair needs exactly one lender
        if not vols.member[vv[i], a_of[i]]:
            ys = [n_x + t for t, (xi, _l) in enumerate(y_index) if xi == i]
            coef = {y: 1.0 for y in ys}
            coef[i] = -1.0
            add(coef, 0, 0)
    for t, (xi, lend) in enumerate(y_index):  # y <= z
        add({n_x + t: 1.0, z_pos[(int(vv[xi]), lend)]: -1.0}, -np.inf, 0)
    for lend in range(len(problem.associations.ids)):  # quotas
        zs = [p for (v, ll), p in z_pos.items() if ll == lend]
        if zs:
            add({p: 1.0 for p in zs}, 0, float(problem.associations.quota[lend]))
    rest = problem.rules.min_rest_hours * 3600.0
    for v in range(nv):
        idx = np.flatnonzero(vv == v)
        if len(idx) == 0:
            continue
        shifts = nd.shift[jj[idx]]
        for a, b in itertools.combinations(range(len(idx)), 2):
            s, t = shifts[a], shifts[b]
            if s == t:
                clash = True
            else:
                close = sh.end[s] + rest > sh.start[t] and sh.end[t] + rest > sh.start[s]
                b2b = sh.event[s] == sh.event[t] and (
                    sh.end[s] == sh.start[t] or sh.end[t] == sh.start[s]
                )
                clash = close and not b2b
            if clash:
                add({int(idx[a]): 1.0, int(idx[b]): 1.0}, 0, 1)
        for w in range(len(problem.weeks)):
            wh = sh.week_hours[shifts, w]
            if (wh > 0).any():
                cap = vols.max_hours_week[v] - vols.booked_week_hours[v, w] + 1e-9
                add({int(i): float(h) for i, h in zip(idx, wh, strict=True) if h > 0}, -np.inf, cap)
    const = float((pen * nd.count).sum())
    if n == 0:
        return const
    A = sp.lil_matrix((len(rows), n))
    for r, coef in enumerate(rows):
        for k, val in coef.items():
            A[r, k] = val
    cons = [LinearConstraint(A.tocsr(), np.array(lo), np.array(hi))] if rows else []
    res = milp(
        c,
        constraints=cons,
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0, "time_limit": 60.0},
    )
    assert res.status == 0, res.message
    if chosen is not None:
        chosen.extend((int(jj[i]), int(vv[i])) for i in np.flatnonzero(res.x[:n_x] > 0.5))
        chosen.extend(
            (-1 - lend, int(vv[xi])) for t, (xi, lend) in enumerate(y_index) if res.x[n_x + t] > 0.5
        )
    return float(res.fun) + const
