"""The matching solver: cluster decomposition on SciPy's assignment solvers.

1. Candidates (``engine.matching.candidates``): every pair constraint applied up front.
2. Clusters (``engine.matching.clusters``): shifts that pairwise conflict for everyone, so a
   volunteer takes at most one slot per cluster and each cluster is ONE assignment problem
   (rows = slots, columns = volunteers + one "unfilled" column per slot).
3. Start.
   - Up to ``LARGE_SLOTS``: relaxation (every cluster solved alone, ignoring rest between
     clusters, weekly hours of several new shifts and lender quotas; its objective is a lower
     bound over the candidate graph, reported as ``lowerBound``), then repair: its assignments
     are accepted greedily (urgent first, loans of volunteers lent to several slots first,
     cheapest first) while they stay feasible together.
   - National size: urgent slots of every cluster first, then every cluster in turn, each
     solved exactly against the choices already made.
4. Improvement (block coordinate descent): a block - one cluster, two clusters adjacent in time,
   (up to ``ALL_PAIRS_SLOTS``) any two clusters, (up to ``SPLIT_SLOTS``) three clusters adjacent
   in time - is taken out and re-solved as ONE assignment against the others' choices (residual
   rest, hours and lender quota); in a multi-cluster block a volunteer gets one column per
   cluster only where that is always feasible, else one shared column. The new choice is kept
   when the objective strictly improves; a block is re-solved only when one of its volunteers
   or lenders changed since. Each round takes the non-adjacent pairs most likely to fill more
   first (volunteers holding a slot in one and wanted by a short need of the other). Budget: a
   deterministic amount of work (edge-rows solved, ``WORK_FACTOR`` times the graph's), with a
   CPU-time safety net.
5. Lender quotas inside a block: Lagrangian prices on loans that add a volunteer to a lender's
   count (shared over the columns of a volunteer lent to several clusters), raised/bisected
   until the quota holds; the best quota-feasible round is kept. Up to ``SPLIT_SLOTS``, also
   license swaps (withdraw one lent volunteer of a full lender whose quota alone keeps a free
   candidate out of a short need, re-solve what depends on it, keep if better) and multi-cluster
   blocks re-tried with the volunteer's hours split between clusters, and with columns guided by
   a relaxed solve of the block (``engine.matching.guided``: a volunteer's compatible relaxed
   choice across clusters, e.g. two back-to-back shifts of another event, becomes its columns).
6. Ejection chains (``engine.matching.chains``): each slot still unfilled is offered to its
   candidates once more, as the state stands (a free insertion the work budget left behind) or
   by moving a volunteer out of the slots that clash with it (rest, overlap, weekly hours),
   each given-up slot refilled by its cheapest free candidate; kept when the objective gains.
7. Neighbourhood re-solves (``engine.matching.neighbourhood``): around each short need, and (up
   to ``NEIGHBOURHOOD_SLOTS``) each filled need a cheaper candidate is kept out of, the needs
   whose release would let a candidate in (its own clashing slots, the loans of a full lender)
   are freed together and filled again by an exact branch and bound over them
   (``engine.matching.hood_search``); kept when the objective gains. Above
   ``NEIGHBOURHOOD_SLOTS`` the short needs only, within ``SHORT_HOOD_NODES``.

Deterministic: every order is a stable sort on indices; no dict/set iteration decides anything
(the CPU-time safety net only matters if the work budget has not ended the run first).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.matching.assign import ScipyClock, solve_rows
from engine.matching.candidates import (
    LARGE_SLOTS,
    CandidateGraph,
    build_candidates,
    unfilled_penalty,
)
from engine.matching.chains import fill_by_chains
from engine.matching.clusters import cluster_shifts
from engine.matching.constraints import HOURS_EPS, conflicts
from engine.matching.costs import pair_terms
from engine.matching.guided import compatible, guided_columns
from engine.matching.neighbourhood import TOTAL_NODES, fill_by_neighbourhoods
from engine.matching.reasons import unfilled_reasons
from engine.matching.residual import Residual, SolverState
from engine.types import Assignment, BoolArray, FloatArray, IntArray, Problem, Solution, Unfilled

TIME_BUDGET_S = 45.0
#: improvement work (edge-rows solved) as a multiple of the whole candidate graph's; a
#: deterministic budget (the wall-clock one is only a safety net). With all pairs scheduled one
#: round costs about (clusters) x the graph; measured at M (14 clusters): 8 -> 4446 filled,
#: 20 -> 4462, 28 -> 4463 (optimum 4465)
WORK_FACTOR = 20
#: national size: about one round of single clusters and the first adjacent pairs, so the
#: whole run stays within a minute on two cores
WORK_FACTOR_LARGE = 2
MAX_PASSES = 12
QUOTA_ROUNDS = 24
QUOTA_ROUNDS_LARGE = 6
QUOTA_ROUNDS_SLACK = 3
IMPROVE_EPS = 1e-9
ALL_PAIRS_MAX = 16
ALL_PAIRS_SLOTS = 10000
#: problems up to this many slots also get the hours-split pair variant, license swaps and
#: cold-started quota prices (exactness matters most and they are cheap there)
SPLIT_SLOTS = 2000
#: up to this many slots, short needs (and filled needs a cheaper candidate is kept out of) are
#: re-solved exactly with their neighbourhoods; above it, only the short needs, within
#: ``SHORT_HOOD_NODES`` of branch and bound (under a second at M, three at L). Generated M seeds
#: 1-4 (25K volunteers, 5K slots) had filled one or two slots fewer than the exact MILP; with
#: them seeds 1-3 fill as many as the MILP (within 0.003 %) and seed 4 one fewer (0.10 %).
#: (filled needs too, at M: 6.4-6.6 s for 0.0006-0.0012 % more on seeds 1-2)
NEIGHBOURHOOD_SLOTS = SPLIT_SLOTS
SHORT_HOOD_NODES = 100_000
#: license swaps: at most this many trials, each re-solving with this work factor (a
#: deterministic budget; ``SWAP_BUDGET_S`` of CPU is only a safety net)
SWAP_TRIALS = 8
SWAP_WORK_FACTOR = 4
SWAP_BUDGET_S = 10.0
#: relaxed solves of a block steering clashing volunteers to compatible choices (guided columns)
GUIDE_ROUNDS = 3


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
        self.lam = np.zeros(len(problem.associations.ids))
        self.revoked: set[tuple[int, int]] = set()  # (volunteer, lender) loans tried away
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
        self._groups: dict[tuple[int, ...], tuple[Cluster, IntArray]] = {}
        for k in range(len(bounds) - 1):
            js = order[bounds[k] : bounds[k + 1]]
            js = js[nd.count[js] > 0]
            if len(js) == 0:
                continue
            self.clusters.append(
                Cluster(needs=js, slots=_ranges(nd.slot_ptr, js), edges=_ranges(graph.ptr, js))
            )

    # ------------------------------------------------------------ one group of clusters
    def group(self, members: list[int]) -> tuple[Cluster, IntArray]:
        """Merge clusters into one block; also returns the member position of each need."""
        key = tuple(members)
        hit = self._groups.get(key)
        if hit is None:
            hit = self._groups[key] = self._group(members)
        return hit

    def _group(self, members: list[int]) -> tuple[Cluster, IntArray]:
        if len(members) == 1:
            cl = self.clusters[members[0]]
            return cl, np.zeros(len(cl.needs), dtype=np.int64)
        parts = [self.clusters[k] for k in members]
        needs = np.concatenate([c.needs for c in parts])
        part = np.concatenate([np.full(len(c.needs), i, dtype=np.int64) for i, c in enumerate(parts)])
        order = np.argsort(needs, kind="stable")
        needs = needs[order]
        nd = self.problem.needs
        merged = Cluster(
            needs=needs, slots=_ranges(nd.slot_ptr, needs), edges=_ranges(self.graph.ptr, needs)
        )
        return merged, part[order]

    def solve_group(
        self,
        members: list[int],
        state: SolverState,
        *,
        relaxed: bool = False,
        split_hours: bool = False,
        guided: bool = False,
    ) -> tuple[Cluster, IntArray, IntArray]:
        """Best (edge, lender) per slot of the merged clusters given the state (taken out).

        One assignment: a volunteer gets one column per member cluster when all its candidate
        shifts in different members are rest-apart and its hours allow one shift in each;
        otherwise ONE column shared by the members (it takes at most one slot among them), so
        every solution of the block is feasible. With ``split_hours``, a volunteer whose
        shifts are apart but whose hours do not allow its longest shift in every member gets
        one column per member anyway, keeping only shifts that fit an equal share of its hours
        (another feasible restriction, tried beside the first). With ``guided``, volunteers
        get their columns from a relaxed solve of the block (``engine.matching.guided``).
        """
        cl, need_part = self.group(members)
        g = self.graph
        edges = cl.edges
        if not relaxed and len(edges):
            ok = self.residual.fits_hours(state, edges)
            ok[ok] = self.residual.free_of_new(state, edges[ok])
            edges = edges[ok]
        nparts = len(members)
        edge_part = need_part[np.searchsorted(cl.needs, self.edge_need[edges])]
        if nparts > 1:
            multi, drop = self._multi_column(state, edges, edge_part, nparts, split_hours)
            if guided and not relaxed:
                keep, gmulti = self._guide(cl, state, edges, edge_part, nparts)
                drop |= ~keep
                multi |= gmulti
            edges, edge_part, multi = edges[~drop], edge_part[~drop], multi[~drop]
            col_key = g.vol[edges] * nparts + np.where(multi, edge_part, 0)
        else:
            col_key = g.vol[edges]
        if relaxed:
            lender = np.where(g.borrowed[edges], 0, -1)
            slot_edge, _l = self._assign(cl, edges, lender, col_key)
            return cl, slot_edge, np.full(len(slot_edge), -1, dtype=np.int64)
        remaining = self.residual.remaining_quota(state)
        lender, usable = self.residual.choose_lenders(state, edges, remaining, self.revoked)
        edges, lender, col_key = edges[usable], lender[usable], col_key[usable]
        slot_edge, slot_lender = self._priced_quota(cl, state, edges, lender, col_key, remaining)
        return cl, slot_edge, slot_lender

    def _guide(
        self, cl: Cluster, state: SolverState, edges: IntArray, edge_part: IntArray, nparts: int
    ) -> tuple[BoolArray, BoolArray]:
        """Relaxed solve of the block (one column per volunteer and member, loans only where a
        lender has quota left, quota counts ignored) and the columns it suggests."""
        g = self.graph
        remaining = self.residual.remaining_quota(state)
        lender, usable = self.residual.choose_lenders(state, edges, remaining, self.revoked)
        u = np.flatnonzero(usable)
        eu = edges[u]
        col_key = g.vol[eu] * nparts + edge_part[u]
        # a volunteer whose relaxed choice clashes (rest, hours) pays a price on the edges it
        # chose, so the next relaxed solve steers it to a compatible set (Lagrangian rounds)
        price = np.zeros(len(eu))
        step = 2.0 * float(g.cost[eu].max(initial=1.0)) + 1.0
        chosen = np.zeros(0, dtype=np.int64)
        for _round in range(GUIDE_ROUNDS):
            slot_edge, _l = self._assign(cl, eu, lender[u], col_key, price)
            chosen = slot_edge[slot_edge >= 0]
            uv, several, ok = compatible(self.problem, self.residual, state, chosen)
            bad = uv[several & ~ok]
            if len(bad) == 0:
                break
            hit = np.isin(eu, chosen[np.isin(g.vol[chosen], bad)])
            price[hit] += step
        return guided_columns(self.problem, self.residual, state, edges, g.vol[edges], chosen)

    def _priced_quota(
        self,
        cl: Cluster,
        state: SolverState,
        edges: IntArray,
        lender: IntArray,
        col_key: IntArray,
        remaining: IntArray,
    ) -> tuple[IntArray, IntArray]:
        """Solve the block under lender quotas by Lagrangian prices.

        A loan that adds a volunteer to its lender's count pays a price per lender; prices of
        lenders over quota go up (x8, then bisection), of lenders under quota with a price go
        down, and the best quota-feasible solution is kept. A feasible solution where every
        priced lender uses exactly its remaining quota is optimal for the block. If no round is
        feasible, the lowest-value loans over quota are dropped from the last one.
        """
        consume = self.residual.consumes(state, edges, lender)
        # large problems warm-start the prices across blocks and rounds (so their first solve is
        # already priced); small ones start cold and search longer
        small = self.problem.needs.slots <= SPLIT_SLOTS
        lam = np.zeros(len(remaining)) if small else self.lam
        if not consume.any() or not lam.any():
            slot_edge, slot_lender = self._assign(cl, edges, lender, col_key)
            if not consume.any():
                return slot_edge, slot_lender
        # a volunteer counts once per lender however many slots it is lent to: a volunteer with
        # one column per member cluster shares its price over its columns
        vol = self.graph.vol[edges]
        share_key = (lender * self.problem.volunteers.count + vol)[consume]
        ck = col_key[consume]
        span = int(ck.max(initial=0)) + 1
        pairs = np.unique(share_key * span + ck)
        uk, ncols = np.unique(pairs // span, return_counts=True)
        share = np.ones(len(edges))
        share[consume] = 1.0 / ncols[np.searchsorted(uk, share_key)]
        na = len(remaining)
        rounds = QUOTA_ROUNDS if small else QUOTA_ROUNDS_LARGE
        lo = np.zeros(na)
        hi = np.full(na, np.inf)
        start = 2.0 * float(self.graph.cost[edges].max(initial=1.0)) + 1.0
        best: tuple[IntArray, IntArray] | None = None
        best_obj = np.inf
        if lam.any():
            extra = np.where(consume, lam[np.maximum(lender, 0)] * share, 0.0)
            slot_edge, slot_lender = self._assign(cl, edges, lender, col_key, extra)
        for _round in range(rounds):
            counts = self._lent_counts(state, slot_edge, slot_lender, na)
            over = counts > remaining
            if not over.any():
                obj = self.slots_objective(slot_edge, cl.slots)
                if obj < best_obj - IMPROVE_EPS:
                    best, best_obj = (slot_edge, slot_lender), obj
                slack = (lam > 0) & (counts < remaining)
                if not slack.any() or (not small and _round >= QUOTA_ROUNDS_SLACK):
                    break
                hi[slack] = lam[slack]
                lam[slack] = (lo[slack] + hi[slack]) / 2.0
            else:
                lo[over] = lam[over]
                grow = np.where(lam[over] > 0, lam[over] * 4.0, start)
                lam[over] = np.where(np.isinf(hi[over]), grow, (lo[over] + hi[over]) / 2.0)
            if np.all((hi - lo)[lam > 0] < 1e-6):
                break
            extra = np.where(consume, lam[np.maximum(lender, 0)] * share, 0.0)
            slot_edge, slot_lender = self._assign(cl, edges, lender, col_key, extra)
        if best is None:
            counts = self._lent_counts(state, slot_edge, slot_lender, na)
            if (counts > remaining).any():
                slot_edge, slot_lender = slot_edge.copy(), slot_lender.copy()
                for s in self._quota_excess(state, slot_edge, slot_lender, remaining):
                    slot_edge[s] = -1
                    slot_lender[s] = -1
            return slot_edge, slot_lender
        return best

    def _lent_counts(
        self, state: SolverState, slot_edge: IntArray, slot_lender: IntArray, na: int
    ) -> IntArray:
        """New volunteers added to each lender's count by a block solution."""
        filled = np.flatnonzero(slot_edge >= 0)
        e = slot_edge[filled]
        lend = slot_lender[filled]
        new = self.residual.consumes(state, e, lend)
        if not new.any():
            return np.zeros(na, dtype=np.int64)
        pairs = np.unique(lend[new] * self.problem.volunteers.count + self.graph.vol[e[new]])
        out: IntArray = np.bincount(pairs // self.problem.volunteers.count, minlength=na)
        return out

    def _multi_column(
        self,
        state: SolverState,
        edges: IntArray,
        edge_part: IntArray,
        nparts: int,
        split_hours: bool = False,
    ) -> tuple[BoolArray, BoolArray]:
        """Per edge: may its volunteer take one slot in EACH member cluster (see solve_group)?"""
        g = self.graph
        sh = self.problem.shifts
        vols = self.problem.volunteers
        v = g.vol[edges]
        s = self.residual.edge_shift[edges]
        key = v * nparts + edge_part
        big = np.inf
        nw = len(self.problem.weeks)
        # per (volunteer, member): earliest start, latest end, most hours per week of its
        # candidate shifts (segments of the key-sorted edges, reduced in one pass each)
        by_key = np.argsort(key, kind="stable")
        sorted_key = key[by_key]
        head = np.ones(len(key), dtype=bool)
        head[1:] = sorted_key[1:] != sorted_key[:-1]
        starts = np.flatnonzero(head)
        uk = sorted_key[starts]
        if len(key):
            ks = s[by_key]
            kmin = np.minimum.reduceat(sh.start[ks], starts)
            kmax = np.maximum.reduceat(sh.end[ks], starts)
            khours = np.maximum(np.maximum.reduceat(sh.week_hours[ks], starts, axis=0), 0.0)
        else:
            kmin, kmax, khours = np.zeros(0), np.zeros(0), np.zeros((0, nw))
        kv = uk // nparts
        order = np.lexsort((kmin, kv))
        kv_o = kv[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = kv_o[1:] != kv_o[:-1]
        # running max of the end within each volunteer (segments of the sorted order)
        ends = kmax[order]
        seg = np.cumsum(first) - 1
        run = ends.copy()
        for i in range(1, int(np.bincount(seg).max(initial=1))):
            prev = np.concatenate([[-big] * i, run[:-i]])
            same = np.concatenate([[False] * i, seg[i:] == seg[:-i]])
            run = np.where(same, np.maximum(run, prev), run)
        prev_run = np.concatenate([[-big], run[:-1]])
        apart = first | (prev_run + self.residual.rest <= kmin[order])
        uv, vinv = np.unique(kv_o, return_inverse=True)
        ok_v = np.bincount(vinv, weights=~apart, minlength=len(uv)) == 0
        tot = np.zeros((len(uv), nw))
        np.add.at(tot, vinv, khours[order])
        cap = (vols.max_hours_week[uv] + HOURS_EPS)[:, None] - vols.booked_week_hours[uv]
        cap = cap - state.used_hours[uv]
        hours_ok = np.all(tot <= cap, axis=1)
        at = np.searchsorted(uv, v)
        drop = np.zeros(len(edges), dtype=bool)
        if split_hours:
            split = ok_v & ~hours_ok
            share = cap / nparts
            over = np.any(sh.week_hours[s] > share[at], axis=1)
            drop = split[at] & over
            ok_v = ok_v & (hours_ok | split)
        else:
            ok_v = ok_v & hours_ok
        out: BoolArray = ok_v[at]
        return out, drop

    def _assign(
        self,
        cl: Cluster,
        edges: IntArray,
        lender: IntArray,
        col_key: IntArray,
        extra: FloatArray | None = None,
    ) -> tuple[IntArray, IntArray]:
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
        keys, key_of_edge = np.unique(col_key, return_inverse=True)
        cols = key_of_edge[e_idx]
        row_local = np.repeat(np.arange(len(cl.needs)), counts)
        row_need = cl.needs[row_local]
        weight = g.cost[edges] if extra is None else g.cost[edges] + extra
        chosen = solve_rows(
            nrows, len(keys), rows, cols, weight[e_idx], self.penalty[row_need], self.clock
        )
        slot_edge = np.full(nrows, -1, dtype=np.int64)
        slot_lender = np.full(nrows, -1, dtype=np.int64)
        filled = np.flatnonzero(chosen >= 0)
        if len(filled):
            # map (row, column) back to the edge: the row's need and the column's key
            nk = len(keys)
            key_e = local_need * nk + key_of_edge
            order = np.argsort(key_e, kind="stable")
            want = row_local[filled] * nk + chosen[filled]
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
        for k, cl in enumerate(self.clusters):
            _cl, edge, _lender = self.solve_group([k], state, relaxed=True)
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
        # a volunteer the relaxation lends to several slots uses one unit of quota for all of
        # them: its loans go first among slots of equal penalty
        v_all = g.vol[e_all]
        lent = g.borrowed[e_all]
        loans = np.bincount(v_all[lent], minlength=p.volunteers.count)[v_all]
        multi = np.where(lent & (loans > 1), 0, 1)
        order = np.lexsort((filled, g.cost[e_all], multi, -self.penalty[self.edge_need[e_all]]))
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

    def urgent_first(self, state: SolverState) -> None:
        """Fill the urgent slots of every cluster before any normal slot takes the hours,
        rest or quota they need (the later full-cluster solves keep them: an urgent slot
        outweighs any number of cheaper normal choices inside a cluster)."""
        nd = self.problem.needs
        urgent_need = self.problem.shifts.urgent[nd.shift]
        base = len(self.clusters)
        for k in self.sequence():
            cl = self.clusters[k]
            js = cl.needs[urgent_need[cl.needs]]
            if len(js) == 0:
                continue
            sub = Cluster(needs=js, slots=_ranges(nd.slot_ptr, js), edges=_ranges(self.graph.ptr, js))
            self.clusters.append(sub)
            try:
                self.try_block([base], state)
            finally:
                self.clusters.pop()
                self._groups.pop((base,), None)

    def sequence(self) -> list[int]:
        """Order of the first sequential pass: clusters holding urgent slots first, then by
        time (earlier clusters get first pick of hours and quota)."""
        nd = self.problem.needs
        urgent = [bool(self.problem.shifts.urgent[nd.shift[c.needs]].any()) for c in self.clusters]
        return sorted(range(len(self.clusters)), key=lambda k: (not urgent[k], k))

    def schedule(self) -> list[list[int]]:
        """Blocks re-solved by one improvement round: every cluster, then every pair of
        clusters adjacent in time, then (few clusters) every pair."""
        n = len(self.clusters)
        blocks = [[k] for k in range(n)]
        blocks += [[k, k + 1] for k in range(n - 1)] if n > 1 else []
        if n <= ALL_PAIRS_MAX and self.problem.needs.slots <= ALL_PAIRS_SLOTS:
            blocks += [[k, m] for k in range(n) for m in range(k + 2, n)]
        if self.problem.needs.slots <= SPLIT_SLOTS:
            blocks += [[k, k + 1, k + 2] for k in range(n - 2)]
        return blocks

    def improve(
        self,
        state: SolverState,
        deadline: float,
        progress: Callable[[float], None] | None,
        dirty: tuple[IntArray, IntArray] | None = None,
        work_factor: int | None = None,
    ) -> int:
        """Block coordinate descent; returns the number of rounds made.

        A block is re-solved only when something it depends on changed since its last solve:
        the assignments of one of its candidate volunteers (their rest and hours), or the loans
        of a lender that could lend into it."""
        blocks = self.schedule()
        factor = WORK_FACTOR if self.problem.needs.slots <= LARGE_SLOTS else WORK_FACTOR_LARGE
        factor = factor if work_factor is None else work_factor
        work_left = factor * max(int(np.diff(self.graph.ptr).dot(self.problem.needs.count)), 1)
        na = len(self.problem.associations.ids)
        vol_stamp = np.zeros(self.problem.volunteers.count, dtype=np.int64)
        lender_stamp = np.zeros(na, dtype=np.int64)
        solved_at = [-1] * len(blocks)
        deps: list[tuple[IntArray, BoolArray] | None] = [None] * len(blocks)
        tick = 0
        if dirty is not None:  # only blocks depending on these volunteers / lenders
            solved_at = [0] * len(blocks)
            tick = 1
            vol_stamp[dirty[0]] = 1
            lender_stamp[dirty[1]] = 1
        step = 0
        rounds = 0
        for rounds in range(1, MAX_PASSES + 1):
            changed = False
            for bi in self._round_order(blocks, state):
                members = blocks[bi]
                if time.process_time() > deadline or work_left <= 0:
                    return rounds
                dep = deps[bi]
                if dep is None:
                    dep = deps[bi] = self._dependencies(members)
                vols, lenders = dep
                if solved_at[bi] >= 0 and (
                    int(vol_stamp[vols].max(initial=0)) <= solved_at[bi]
                    and int(lender_stamp[lenders].max(initial=0)) <= solved_at[bi]
                ):
                    continue
                cl, _part = self.group(members)
                work_left -= int(self.problem.needs.count[self.edge_need[cl.edges]].sum())
                tick += 1
                moved = self.try_block(members, state)
                solved_at[bi] = tick
                if moved is not None:
                    changed = True
                    tick += 1
                    moved_vols, moved_lenders = moved
                    vol_stamp[moved_vols] = tick
                    lender_stamp[moved_lenders] = tick
                step += 1
                if progress is not None:
                    progress(min(0.95, 0.5 + 0.45 * step / (len(blocks) * 3)))
            if not changed:
                return rounds
        return rounds

    def _round_order(self, blocks: list[list[int]], state: SolverState) -> list[int]:
        """Order of one improvement round: single clusters and adjacent pairs in schedule order,
        then the other pairs most likely to fill more first: by the number of volunteers that
        hold a slot in one member and are candidates of a short need of the other (moving one
        of them is what a pair re-solve can do that single re-solves cannot)."""
        n = len(self.clusters)
        fixed = [bi for bi, m in enumerate(blocks) if len(m) != 2 or m[1] == m[0] + 1]
        rest = [bi for bi, m in enumerate(blocks) if len(m) == 2 and m[1] != m[0] + 1]
        if not rest:
            return fixed
        g = self.graph
        nv = self.problem.volunteers.count
        nd = self.problem.needs
        filled = np.flatnonzero(state.slot_edge >= 0)
        got = np.bincount(self.slot_need[filled], minlength=nd.n)
        short = got < nd.count
        need_cluster = np.full(nd.n, -1, dtype=np.int64)
        for k, cl in enumerate(self.clusters):
            need_cluster[cl.needs] = k
        e_short = short[self.edge_need]
        wanted = np.zeros((n, nv), dtype=np.float64)
        wanted[need_cluster[self.edge_need[e_short]], g.vol[e_short]] = 1.0
        held = np.zeros((n, nv), dtype=np.float64)
        e = state.slot_edge[filled]
        held[need_cluster[self.edge_need[e]], g.vol[e]] = 1.0
        cross = wanted @ held.T
        score = cross + cross.T
        keys = [-score[blocks[bi][0], blocks[bi][1]] for bi in rest]
        order = np.lexsort((np.array(rest), np.array(keys)))
        return fixed + [rest[i] for i in order.tolist()]

    def swap_licenses(self, state: SolverState, deadline: float) -> int:
        """Lender-quota local search: for a lender whose quota is used up while slots stay
        unfilled for lack of quota, try withdrawing one lent volunteer (its loans from that
        lender are forbidden) and re-solve the blocks that depend on it, so the freed unit can
        go to a volunteer lent to more or better slots; keep the change when the objective
        improves. Returns the number of accepted swaps."""
        p = self.problem
        accepted = 0
        tried: set[tuple[int, int]] = set()
        trials = 0
        while time.process_time() < deadline and trials < SWAP_TRIALS:
            trials += 1
            remaining = self.residual.remaining_quota(state)
            wanted = self._wanted_lenders(state)
            full = [int(L) for L in np.flatnonzero((remaining <= 0) & (p.associations.quota > 0) & wanted)]
            move = None
            for L in full:
                licensed = np.flatnonzero(state.lent[:, L] > 0).tolist()
                for w in licensed:
                    if (w, L) not in tried:
                        move = (w, L)
                        break
                if move is not None:
                    break
            if move is None:
                return accepted
            tried.add(move)
            w, L = move
            before = self.total_objective(state)
            snapshot = state.copy()
            slots = np.flatnonzero(
                (state.slot_lender == L) & (state.slot_edge >= 0)
                & (self.graph.vol[np.maximum(state.slot_edge, 0)] == w)
            )
            self.residual.apply(state, slots, -1)
            state.slot_edge[slots] = -1
            state.slot_lender[slots] = -1
            self.revoked.add(move)
            self.improve(
                state, deadline, None, dirty=(np.array([w]), np.array([L])), work_factor=SWAP_WORK_FACTOR
            )
            self.revoked.discard(move)
            if self.total_objective(state) < before - IMPROVE_EPS * max(1.0, abs(before)):
                accepted += 1
                tried.clear()
                tried.add(move)
            else:
                state.slot_edge, state.slot_lender = snapshot.slot_edge, snapshot.slot_lender
                state.used_hours, state.lent = snapshot.used_hours, snapshot.lent
                state.counted = snapshot.counted
        return accepted

    def _wanted_lenders(self, state: SolverState) -> BoolArray:
        """Full lenders whose quota alone keeps a candidate out of a need left short: the
        candidate is free (hours, rest) and not in that shift yet, and every lender that could
        lend it is full. Only their quota is worth freeing by a license swap."""
        nd = self.problem.needs
        na = len(self.problem.associations.ids)
        filled = np.flatnonzero(state.slot_edge >= 0)
        got = np.bincount(self.slot_need[filled], minlength=nd.n)
        e = np.flatnonzero((got < nd.count)[self.edge_need] & self.graph.borrowed)
        if len(e) == 0:
            return np.zeros(na, dtype=bool)
        e = e[self.residual.fits_hours(state, e)]
        e = e[self.residual.free_of_new(state, e)]
        opts = self.residual.edge_opts[self.residual.opt_row[e]]
        full = self.residual.remaining_quota(state) <= 0
        v = self.graph.vol[e]
        blocked = ~(opts & ~full[None, :]).any(axis=1) & ~(opts & (state.lent[v] > 0)).any(axis=1)
        out: BoolArray = np.asarray((opts[blocked] & full[None, :]).any(axis=0), dtype=bool)
        return out

    def total_objective(self, state: SolverState) -> float:
        return self.slots_objective(state.slot_edge, np.arange(len(state.slot_edge)))

    def _dependencies(self, members: list[int]) -> tuple[IntArray, BoolArray]:
        """Candidate volunteers of a block and the lenders that could lend into it."""
        cl, _part = self.group(members)
        g = self.graph
        vols = np.unique(g.vol[cl.edges])
        lenders: BoolArray = np.zeros(len(self.problem.associations.ids), dtype=bool)
        b = cl.edges[g.borrowed[cl.edges]]
        if len(b):
            a = np.unique(self.problem.shifts.association[self.residual.edge_shift[b]])
            lenders |= self.problem.associations.can_lend[:, a].any(axis=1)
        return vols, lenders

    def try_block(
        self, members: list[int], state: SolverState
    ) -> tuple[IntArray, IntArray] | None:
        """Take the block out, re-solve it, keep the result if it strictly improves; returns
        the volunteers and lenders whose assignments changed (None when nothing changed)."""
        cl, _part = self.group(members)
        old_edge = state.slot_edge[cl.slots].copy()
        old_lender = state.slot_lender[cl.slots].copy()
        old_obj = self.slots_objective(old_edge, cl.slots)
        self.residual.apply(state, cl.slots, -1)
        state.slot_edge[cl.slots] = -1
        state.slot_lender[cl.slots] = -1
        _cl, new_edge, new_lender = self.solve_group(members, state)
        new_obj = self.slots_objective(new_edge, cl.slots)
        if len(members) > 1 and self.problem.needs.slots <= SPLIT_SLOTS:
            for variant in ({"split_hours": True}, {"guided": True}):
                _cl, e2, l2 = self.solve_group(members, state, **variant)
                obj2 = self.slots_objective(e2, cl.slots)
                if obj2 < new_obj - IMPROVE_EPS * max(1.0, abs(new_obj)):
                    new_edge, new_lender, new_obj = e2, l2, obj2
        better = new_obj < old_obj - IMPROVE_EPS * max(1.0, abs(old_obj))
        state.slot_edge[cl.slots] = new_edge if better else old_edge
        state.slot_lender[cl.slots] = new_lender if better else old_lender
        self.residual.apply(state, cl.slots, +1)
        if not better:
            return None
        g = self.graph
        nv = self.problem.volunteers.count

        def keys(edge: IntArray, lender: IntArray) -> tuple[IntArray, IntArray]:
            f = edge >= 0
            e = edge[f]
            by_shift = g.vol[e] * self.problem.shifts.count + self.residual.edge_shift[e]
            loans = (lender[f] + 1) * nv + g.vol[e]
            return by_shift, loans

        old_s, old_l = keys(old_edge, old_lender)
        new_s, new_l = keys(new_edge, new_lender)
        moved_vols = np.unique(np.setxor1d(old_s, new_s) // self.problem.shifts.count)
        loans = np.setxor1d(old_l, new_l)
        moved_lenders = np.unique(loans // nv - 1)
        return moved_vols, moved_lenders[moved_lenders >= 0]


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
    c0 = time.process_time()
    deadline = c0 + time_budget  # CPU seconds of this process: a safety net only
    graph = build_candidates(problem)
    t_cand = time.perf_counter() - t0
    if progress is not None:
        progress(0.3)
    solver = Solver(problem, graph)
    bound: float | None = None
    if problem.needs.slots <= LARGE_SLOTS:
        relaxed, bound = solver.relaxation()
        state = solver.repair(relaxed)
    else:  # national size: sequential passes give a far better start than repairing
        state = SolverState.empty(problem)
        solver.urgent_first(state)
        for k in solver.sequence():
            solver.try_block([k], state)
    if progress is not None:
        progress(0.5)
    passes = solver.improve(state, deadline, progress)
    swaps = 0
    if problem.needs.slots <= SPLIT_SLOTS:
        swaps = solver.swap_licenses(state, c0 + min(time_budget, SWAP_BUDGET_S))
    t_chain = time.perf_counter()
    chains = fill_by_chains(
        solver.residual,
        solver.penalty,
        state,
        solver.revoked,
        deadline,
        top_up=problem.needs.slots <= LARGE_SLOTS,
    )
    t_chain = time.perf_counter() - t_chain
    t_hood = time.perf_counter()
    small = problem.needs.slots <= NEIGHBOURHOOD_SLOTS
    hoods, hood_nodes = fill_by_neighbourhoods(
        solver.residual,
        solver.penalty,
        state,
        solver.revoked,
        deadline,
        short_only=not small,
        total_nodes=TOTAL_NODES if small else SHORT_HOOD_NODES,
    )
    t_hood = time.perf_counter() - t_hood
    solution = _solution(problem, solver, state)
    seconds = time.perf_counter() - t0
    objective = solution.objective
    stats: dict[str, float | int | str] = {
        "seconds": round(seconds, 4),
        "solver": "tahaluf",
        "cpuSeconds": round(time.process_time() - c0, 4),
        "candidateSeconds": round(t_cand, 4),
        "scipySeconds": round(solver.clock.seconds, 4),
        "scipyCalls": solver.clock.calls,
        "edges": graph.edges,
        "clusters": len(solver.clusters),
        "passes": passes,
        "licenseSwaps": swaps,
        "chains": chains,
        "chainSeconds": round(t_chain, 4),
        "neighbourhoods": hoods,
        "neighbourhoodNodes": hood_nodes,
        "neighbourhoodSeconds": round(t_hood, 4),
        "lowerBound": bound if bound is not None else "",
        "objective": objective,
        "gap": (objective - bound) / max(abs(bound), 1e-9) if bound is not None else "",
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
