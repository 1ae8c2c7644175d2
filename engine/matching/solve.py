"""The matching solver: cluster decomposition on SciPy's assignment solvers.

1. Candidates (``engine.matching.candidates``): every pair constraint applied up front.
2. Clusters (``engine.matching.clusters``): shifts that pairwise conflict for everyone, so a
   volunteer takes at most one slot per cluster and each cluster is ONE assignment problem
   (rows = slots, columns = volunteers + one "unfilled" column per slot).
3. Relaxation: every cluster solved alone, ignoring the other clusters (rest between clusters,
   weekly hours of several new shifts, lender quotas). Its objective is a lower bound on the
   optimum over the candidate graph; when its union is feasible it IS optimal.
4. Repair: the relaxation's assignments are accepted greedily (urgent first, then cheapest)
   where they stay feasible with those accepted before; the rest are dropped.
5. Improvement (block coordinate descent): each cluster is taken out and re-solved exactly
   against the others' choices (residual rest, hours and lender quota), and the new choice is
   kept when the objective strictly improves; passes repeat until none improves or the time
   budget is spent. Lender quotas inside a cluster: loans beyond a lender's remaining quota are
   forbidden, lowest value first, and the cluster re-solved (a volunteer with another lender may
   switch to it).

Deterministic: every order is a stable sort on indices; no dict/set iteration decides anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.matching.assign import ScipyClock, solve_rows
from engine.matching.candidates import CandidateGraph, build_candidates, unfilled_penalty
from engine.matching.clusters import cluster_shifts
from engine.matching.constraints import HOURS_EPS, conflicts
from engine.matching.costs import pair_terms
from engine.matching.reasons import unfilled_reasons
from engine.matching.residual import Residual, SolverState
from engine.types import Assignment, FloatArray, IntArray, Problem, Solution, Unfilled

TIME_BUDGET_S = 45.0
MAX_PASSES = 12
QUOTA_ROUNDS = 8
IMPROVE_EPS = 1e-9


@dataclass(frozen=True)
class Cluster:
    """Needs, slots and candidate edges of one cluster."""

    needs: IntArray
    slots: IntArray
    edges: IntArray


class Solver:
    """Holds the problem, its candidate graph and clusters, and runs the phases."""

    def __init__(self, problem: Problem, graph: CandidateGraph) -> None:
        self.problem = problem
        self.graph = graph
        self.clock = ScipyClock()
        nd = problem.needs
        self.edge_need = graph.need_of_edge()
        self.residual = Residual(problem, graph, self.edge_need)
        self.penalty = unfilled_penalty(problem)
        self.slot_need = np.repeat(np.arange(nd.n), nd.count)
        shift_cluster = cluster_shifts(problem)
        need_cluster = shift_cluster[nd.shift]
        order = np.lexsort((np.arange(nd.n), need_cluster))
        bounds = np.searchsorted(need_cluster[order], np.arange(int(shift_cluster.max(initial=-1)) + 2))
        self.clusters: list[Cluster] = []
        for k in range(len(bounds) - 1):
            js = order[bounds[k] : bounds[k + 1]]
            js = js[nd.count[js] > 0]
            if len(js) == 0:
                continue
            self.clusters.append(
                Cluster(needs=js, slots=_ranges(nd.slot_ptr, js), edges=_ranges(graph.ptr, js))
            )

    # ------------------------------------------------------------ one cluster
    def solve_cluster(
        self, cl: Cluster, state: SolverState, *, relaxed: bool
    ) -> tuple[IntArray, IntArray]:
        """Best (edge, lender) per slot of the cluster given the state (cluster taken out)."""
        g = self.graph
        edges = cl.edges
        if not relaxed and len(edges):
            ok = self.residual.fits_hours(state, edges)
            ok[ok] = self.residual.free_of_new(state, edges[ok])
            edges = edges[ok]
        forbidden: set[tuple[int, int]] = set()
        remaining = self.residual.remaining_quota(state)
        for _round in range(QUOTA_ROUNDS + 1):
            if relaxed:
                lender = np.where(g.borrowed[edges], 0, -1)
                usable = np.ones(len(edges), dtype=bool)
            else:
                lender, usable = self.residual.choose_lenders(state, edges, remaining, forbidden)
            use = edges[usable]
            lend = lender[usable]
            slot_edge, slot_lender = self._assign(cl, use, lend)
            if relaxed:
                return slot_edge, np.full(len(slot_edge), -1, dtype=np.int64)
            excess = self._quota_excess(state, slot_edge, slot_lender, remaining)
            if not excess:
                return slot_edge, slot_lender
            if _round == QUOTA_ROUNDS:
                for s in excess:
                    slot_edge[s] = -1
                    slot_lender[s] = -1
                return slot_edge, slot_lender
            for s in excess:
                forbidden.add((int(g.vol[slot_edge[s]]), int(slot_lender[s])))
        raise AssertionError("unreachable")

    def _assign(self, cl: Cluster, edges: IntArray, lender: IntArray) -> tuple[IntArray, IntArray]:
        nd = self.problem.needs
        g = self.graph
        en = self.edge_need[edges]
        local_need = np.searchsorted(cl.needs, en)
        counts = nd.count[cl.needs]
        row0 = np.zeros(len(cl.needs) + 1, dtype=np.int64)
        row0[1:] = np.cumsum(counts)
        nrows = int(row0[-1])
        reps = counts[local_need]
        e_idx = np.repeat(np.arange(len(edges)), reps)
        within = np.arange(len(e_idx)) - np.repeat(np.cumsum(reps) - reps, reps)
        rows = row0[local_need][e_idx] + within
        vols, cols = np.unique(g.vol[edges], return_inverse=True)
        cols = cols[e_idx]
        row_need = np.repeat(cl.needs, counts)
        chosen = solve_rows(
            nrows, len(vols), rows, cols, g.cost[edges][e_idx], self.penalty[row_need], self.clock
        )
        slot_edge = np.full(nrows, -1, dtype=np.int64)
        slot_lender = np.full(nrows, -1, dtype=np.int64)
        filled = np.flatnonzero(chosen >= 0)
        if len(filled):
            # map (row, column) back to the edge: edges of the row's need with that volunteer
            key_e = local_need * len(vols) + np.searchsorted(vols, g.vol[edges])
            order = np.argsort(key_e, kind="stable")
            want = np.searchsorted(cl.needs, row_need[filled]) * len(vols) + chosen[filled]
            pos = order[np.searchsorted(key_e[order], want)]
            slot_edge[filled] = edges[pos]
            slot_lender[filled] = lender[pos]
        return slot_edge, slot_lender

    def _quota_excess(
        self, state: SolverState, slot_edge: IntArray, slot_lender: IntArray, remaining: IntArray
    ) -> list[int]:
        """Local slot positions whose loans exceed their lender's remaining quota (lowest value
        first, i.e. the ones to forbid)."""
        filled = np.flatnonzero(slot_edge >= 0)
        if len(filled) == 0:
            return []
        e = slot_edge[filled]
        lend = slot_lender[filled]
        new = self.residual.consumes(state, e, lend)
        if not new.any():
            return []
        pos = filled[new]
        e = e[new]
        lend = lend[new]
        value = self.penalty[self.edge_need[e]] - self.graph.cost[e]
        order = np.lexsort((pos, -value, lend))
        out: list[int] = []
        lend_sorted = lend[order]
        for L in np.unique(lend_sorted).tolist():
            members = order[lend_sorted == L]
            cap = max(int(remaining[L]), 0)
            out.extend(pos[members[cap:]].tolist())
        return sorted(out)

    # ------------------------------------------------------------ objective pieces
    def slots_objective(self, slot_edge: IntArray, slots: IntArray) -> float:
        filled = slot_edge >= 0
        cost = float(self.graph.cost[slot_edge[filled]].sum())
        return cost + float(self.penalty[self.slot_need[slots[~filled]]].sum())

    # ------------------------------------------------------------ phases
    def relaxation(self) -> tuple[SolverState, float]:
        """Every cluster alone; returns the union (maybe infeasible) and its objective (a lower
        bound over the candidate graph)."""
        state = SolverState.empty(self.problem)
        bound = 0.0
        for cl in self.clusters:
            edge, _lender = self.solve_cluster(cl, state, relaxed=True)
            state.slot_edge[cl.slots] = edge
            bound += self.slots_objective(edge, cl.slots)
        return state, bound

    def repair(self, relaxed: SolverState) -> SolverState:
        """Greedy: keep relaxation assignments in order (urgent first, cheapest first) while
        they stay feasible together; returns a feasible state."""
        p = self.problem
        g = self.graph
        sh = p.shifts
        vols = p.volunteers
        state = SolverState.empty(p)
        filled = np.flatnonzero(relaxed.slot_edge >= 0)
        e_all = relaxed.slot_edge[filled]
        order = np.lexsort((filled, g.cost[e_all], -self.penalty[self.edge_need[e_all]]))
        remaining = p.associations.quota.copy()
        taken: dict[int, list[int]] = {}
        hours: dict[int, np.ndarray] = {}
        lent_by: dict[tuple[int, int], bool] = {}
        rest = p.rules.min_rest_hours * 3600.0
        can_lend_t = p.associations.can_lend.T
        for i in order.tolist():
            slot = int(filled[i])
            e = int(e_all[i])
            v = int(g.vol[e])
            s = int(self.residual.edge_shift[e])
            mine = taken.get(v, [])
            if mine:
                other = np.array(mine)
                if conflicts(
                    sh.start[other], sh.end[other], sh.event[other],
                    np.full(len(other), sh.start[s]), np.full(len(other), sh.end[s]),
                    np.full(len(other), sh.event[s]), rest,
                ).any():
                    continue
            wh = sh.week_hours[s]
            used = hours.get(v)
            cap = vols.max_hours_week[v] + HOURS_EPS - vols.booked_week_hours[v]
            tot = wh if used is None else used + wh
            if np.any((wh > 0) & (tot > cap)):
                continue
            lender = -1
            if g.borrowed[e]:
                a = int(sh.association[s])
                opts = np.flatnonzero(vols.member[v] & can_lend_t[a]).tolist()
                free = [L for L in opts if lent_by.get((v, L))]
                if free:
                    lender = free[0]
                else:
                    best = -1
                    for L in opts:
                        if remaining[L] > 0 and (best < 0 or remaining[L] > remaining[best]):
                            best = L
                    if best < 0:
                        continue
                    lender = best
                    remaining[lender] -= 1
                    lent_by[(v, lender)] = True
            taken.setdefault(v, []).append(s)
            hours[v] = tot
            state.slot_edge[slot] = e
            state.slot_lender[slot] = lender
        self.residual.apply(state, np.flatnonzero(state.slot_edge >= 0), +1)
        return state

    def improve(
        self, state: SolverState, deadline: float, progress: Callable[[float], None] | None
    ) -> int:
        """Block coordinate descent over clusters; returns the number of passes made."""
        passes = 0
        last_change = -1
        k_total = len(self.clusters)
        step = 0
        for passes in range(1, MAX_PASSES + 1):
            changed = False
            for ci, cl in enumerate(self.clusters):
                if time.perf_counter() > deadline:
                    return passes
                if last_change == ci and not changed and passes > 1:
                    return passes - 1
                old_edge = state.slot_edge[cl.slots].copy()
                old_lender = state.slot_lender[cl.slots].copy()
                old_obj = self.slots_objective(old_edge, cl.slots)
                self.residual.apply(state, cl.slots, -1)
                state.slot_edge[cl.slots] = -1
                state.slot_lender[cl.slots] = -1
                new_edge, new_lender = self.solve_cluster(cl, state, relaxed=False)
                new_obj = self.slots_objective(new_edge, cl.slots)
                if new_obj < old_obj - IMPROVE_EPS * max(1.0, abs(old_obj)):
                    state.slot_edge[cl.slots] = new_edge
                    state.slot_lender[cl.slots] = new_lender
                    changed = True
                    last_change = ci
                else:
                    state.slot_edge[cl.slots] = old_edge
                    state.slot_lender[cl.slots] = old_lender
                self.residual.apply(state, cl.slots, +1)
                step += 1
                if progress is not None and k_total:
                    progress(min(0.95, 0.5 + 0.45 * step / (k_total * 3)))
            if not changed:
                return passes
        return passes


def _ranges(ptr: IntArray, rows: IntArray) -> IntArray:
    """Concatenated ``ptr[r]:ptr[r+1]`` for every r in ``rows``."""
    lo = ptr[rows]
    n = ptr[rows + 1] - lo
    total = int(n.sum())
    out: IntArray = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(total)
    return out


def solve(
    problem: Problem,
    *,
    progress: Callable[[float], None] | None = None,
    time_budget: float = TIME_BUDGET_S,
) -> Solution:
    """Solve the matching problem (see module docstring); deterministic for the same input."""
    t0 = time.perf_counter()
    graph = build_candidates(problem)
    t_cand = time.perf_counter() - t0
    if progress is not None:
        progress(0.3)
    solver = Solver(problem, graph)
    relaxed, bound = solver.relaxation()
    if progress is not None:
        progress(0.5)
    state = solver.repair(relaxed)
    passes = solver.improve(state, t0 + time_budget, progress)
    solution = _solution(problem, solver, state)
    seconds = time.perf_counter() - t0
    objective = solution.objective
    stats: dict[str, float | int | str] = {
        "seconds": round(seconds, 4),
        "solver": "tahaluf",
        "candidateSeconds": round(t_cand, 4),
        "scipySeconds": round(solver.clock.seconds, 4),
        "scipyCalls": solver.clock.calls,
        "edges": graph.edges,
        "clusters": len(solver.clusters),
        "passes": passes,
        "lowerBound": bound,
        "objective": objective,
        "gap": (objective - bound) / max(abs(bound), 1e-9) if bound else 0.0,
        "slots": problem.needs.slots,
        "filled": len(solution.assignments),
    }
    if progress is not None:
        progress(1.0)
    return Solution(
        assignments=solution.assignments,
        unfilled=solution.unfilled,
        objective=objective,
        stats=stats,
    )


def _solution(problem: Problem, solver: Solver, state: SolverState) -> Solution:
    g = solver.graph
    slots = np.flatnonzero(state.slot_edge >= 0)
    e = state.slot_edge[slots]
    need = solver.edge_need[e]
    vol = g.vol[e]
    level = g.level[e]
    terms = pair_terms(problem, need, vol, level)
    names = list(terms)
    matrix = np.stack([terms[n] for n in names], axis=1) if len(e) else np.zeros((0, len(names)))
    assignments: list[Assignment] = []
    lenders = state.slot_lender[slots].tolist()
    for i, (j, v) in enumerate(zip(need.tolist(), vol.tolist(), strict=True)):
        row = {n: float(x) for n, x in zip(names, matrix[i].tolist(), strict=True)}
        assignments.append(
            Assignment(need=j, volunteer=v, lender=lenders[i], cost=float(sum(row.values())), terms=row)
        )
    unfilled_cost = 0.0
    filled_per_need = np.bincount(need, minlength=problem.needs.n)
    short = problem.needs.count - filled_per_need
    unfilled_cost = float((short * solver.penalty).sum())
    reasons = unfilled_reasons(problem, solver.graph, solver.residual, state, short)
    unfilled = tuple(
        Unfilled(need=j, count=int(short[j]), reason=reasons[j]) for j in np.flatnonzero(short > 0).tolist()
    )
    objective = float(sum(a.cost for a in assignments)) + unfilled_cost
    return Solution(assignments=tuple(assignments), unfilled=unfilled, objective=objective)


__all__ = ["solve", "Solver", "FloatArray"]
