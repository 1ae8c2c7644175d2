"""The rows that couple candidate edges, shared by the exact peers (MILP, CP-SAT, Timefold):

- need capacity: sum of a need's edges <= count;
- one slot per shift: a volunteer's edges into one shift form a group, sum <= 1;
- conflicts: groups of one volunteer whose shifts pairwise overlap or break the rest, as cliques
  of the interval graph of [start, end + rest) (tight LP), plus pairs no clique covers;
- weekly hours: per (volunteer, week) where the candidate hours could exceed the budget;
- lender quotas: per lender whose lendable candidates outnumber its quota.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from bench.peers.model import PeerModel


@dataclass
class Coupling:
    group_of_edge: np.ndarray  # edge -> group index
    group_vol: np.ndarray
    group_shift: np.ndarray
    group_edges: list[list[int]]
    cliques: list[list[int]]  # groups of one volunteer of which at most one may be taken
    week_rows: list[tuple[list[int], list[float], float]]  # (groups, hours, budget)
    quota_rows: list[tuple[int, dict[int, list[int]], int]]  # (lender, vol -> edges, quota)
    need_edges: list[list[int]]


def build_coupling(model: PeerModel) -> Coupling:
    e_shift = model.e_shift
    keys: dict[tuple[int, int], int] = {}
    group_of_edge = np.empty(len(model.e_vol), dtype=np.int64)
    group_edges: list[list[int]] = []
    g_vol: list[int] = []
    g_shift: list[int] = []
    for e, (v, s) in enumerate(zip(model.e_vol.tolist(), e_shift.tolist(), strict=True)):
        g = keys.get((v, s))
        if g is None:
            g = len(group_edges)
            keys[(v, s)] = g
            group_edges.append([])
            g_vol.append(v)
            g_shift.append(s)
        group_edges[g].append(e)
        group_of_edge[e] = g
    by_vol: dict[int, list[int]] = defaultdict(list)
    for g, v in enumerate(g_vol):
        by_vol[v].append(g)
    cliques: list[list[int]] = []
    week_rows: list[tuple[list[int], list[float], float]] = []
    start = model.shift_start
    for v, groups in by_vol.items():
        if len(groups) > 1:
            groups.sort(key=lambda g: (start[g_shift[g]], model.shift_end[g_shift[g]]))
            cliques.extend(volunteer_cliques(model, groups, g_shift))
        else:
            cliques.append(groups[:])
        weeks: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
        for g in groups:
            for w, h in model.shift_weeks[g_shift[g]].items():
                weeks[w].append((g, h))
        for w, items in weeks.items():
            budget = model.budget(v, w)
            if len(items) > 1 and sum(h for _, h in items) > budget + 1e-9:
                week_rows.append(([g for g, _ in items], [h for _, h in items], budget))
    quota_rows: list[tuple[int, dict[int, list[int]], int]] = []
    lent: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for e, (v, lender) in enumerate(
        zip(model.e_vol.tolist(), model.e_lender.tolist(), strict=True)
    ):
        if lender >= 0:
            lent[lender][v].append(e)
    for lender, vols in lent.items():
        q = model.quota.get(lender, 0)
        if len(vols) > q:
            quota_rows.append((lender, dict(vols), q))
    need_edges: list[list[int]] = [[] for _ in model.needs]
    for e, k in enumerate(model.e_need.tolist()):
        need_edges[k].append(e)
    return Coupling(
        group_of_edge=group_of_edge,
        group_vol=np.array(g_vol, dtype=np.int64),
        group_shift=np.array(g_shift, dtype=np.int64),
        group_edges=group_edges,
        cliques=[c for c in cliques if len(c) > 1 or len(group_edges[c[0]]) > 1],
        week_rows=week_rows,
        quota_rows=quota_rows,
        need_edges=need_edges,
    )


def volunteer_cliques(model: PeerModel, groups: list[int], g_shift: list[int]) -> list[list[int]]:
    """Cliques covering every conflicting pair among one volunteer's groups (sorted by start):
    for each group b, b with the earlier groups still within rest of b's start that conflict
    with every member; pairs left uncovered (same-event back-to-back exceptions) become pairs."""
    start, end, rest = model.shift_start, model.shift_end, model.rest_s
    covered: set[tuple[int, int]] = set()
    out: list[list[int]] = []
    for j, b in enumerate(groups):
        clique = [b]
        for a in reversed(groups[:j]):
            if start[g_shift[b]] - end[g_shift[a]] >= rest:
                continue
            if all(model.conflict(g_shift[a], g_shift[c]) for c in clique):
                clique.append(a)
        for x in clique:
            for y in clique:
                if x < y:
                    covered.add((x, y))
        out.append(clique)
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            if start[g_shift[b]] - end[g_shift[a]] >= rest:
                break
            key = (min(a, b), max(a, b))
            if key not in covered and model.conflict(g_shift[a], g_shift[b]):
                out.append([a, b])
    return out


def edge_objective(model: PeerModel) -> tuple[np.ndarray, float]:
    """Per-edge objective coefficient (cost - unfilled penalty of its need) and the constant
    (every slot unfilled), so objective = constant + sum coef * x."""
    penalty = np.array([n.penalty for n in model.needs])
    constant = float(sum(n.penalty * n.count for n in model.needs))
    if len(model.e_need) == 0:
        return np.zeros(0), constant
    return model.e_cost - penalty[model.e_need], constant
