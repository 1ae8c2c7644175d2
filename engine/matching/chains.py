"""Ejection chains: fill a short need by moving a volunteer who already holds another slot.

Block re-solves (``engine.matching.solve``) move volunteers only inside a block of clusters and
stop on a work budget, so two kinds of gain can be left behind:

- a free insertion: a candidate who fits the short slot as the state stands (it became free
  after the last re-solve of the slot's cluster);
- a move: candidate ``v`` holds slots that clash with the short slot (overlap, short rest) or
  use up its weekly hours; ``v`` gives them up and takes the short slot, and every slot it gave
  up is refilled by the cheapest candidate still free (or left unfilled when that is cheaper,
  e.g. an ordinary slot given up for an urgent one).

After the chains, a last pass moves loans between lenders: a filled slot whose cheaper
candidate only full lender quotas keep out gets it, once another volunteer lent by such a
lender is moved (every slot it holds there) to a second lender that may lend it too.

A chain is kept only when it lowers the objective: ``penalty(short) - cost(v, short)`` plus,
per slot given up, ``cost(v, given up) - cost(refill)`` (or ``- penalty`` when not refilled).
Every step goes through the same residual checks as the rest of the solver (candidate edges
only, hours, rest and overlap with the other new assignments, lender quota), so the state
stays feasible. Deterministic: needs, candidates and options are tried in index/cost order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from engine.matching.constraints import conflicts
from engine.matching.residual import Residual, SolverState, unrevoked
from engine.types import BoolArray, FloatArray, IntArray

CHAIN_TRIALS_PER_SLOT = 64  # options tried per short slot (a deterministic budget)
CHAIN_ROUNDS = 2  # passes over the short slots; a pass that fills none ends them
GAIN_EPS = 1e-6  # a chain is kept when it lowers the objective by more than this
RELEND_TRIALS = 16  # volunteers of a full lender tried per cheaper candidate


@dataclass
class _Undo:
    """What a trial changed, to put the state back exactly."""

    slots: list[tuple[int, int, int]] = field(default_factory=list)  # slot, edge, lender
    rows: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    counted: IntArray | None = None


class ChainSearch:
    """Short slots filled by ejection chains of depth two (see module docstring)."""

    def __init__(
        self,
        residual: Residual,
        penalty: FloatArray,
        state: SolverState,
        revoked: set[tuple[int, int]],
        top_up: bool = True,
    ) -> None:
        self.top_up = top_up
        self.res = residual
        self.problem = residual.problem
        self.graph = residual.graph
        self.penalty = penalty
        self.state = state
        self.revoked = revoked
        self.held: dict[int, list[int]] = {}
        # each volunteer's candidate edges (cheapest first) and filled slots per need: the
        # top-up step looks for short needs among a moved volunteer's edges
        self.vol_edges, self.vol_ptr = self.graph.by_volunteer(self.problem.volunteers.count)
        self.slot_ptr = self.problem.needs.slot_ptr
        self.filled_of_need = np.bincount(
            residual.slot_need[state.slot_edge >= 0], minlength=self.problem.needs.n
        )
        filled = np.flatnonzero(state.slot_edge >= 0)
        for slot, v in zip(
            filled.tolist(), self.graph.vol[state.slot_edge[filled]].tolist(), strict=True
        ):
            self.held.setdefault(v, []).append(slot)
        self._undo: _Undo | None = None

    # ------------------------------------------------------------ state edits (undoable)
    def _touch(self, v: int) -> None:
        u = self._undo
        if u is not None and v not in u.rows:
            u.rows[v] = (self.state.used_hours[v].copy(), self.state.lent[v].copy())

    def _set(self, slot: int, edge: int, lender: int) -> None:
        st = self.state
        old = int(st.slot_edge[slot])
        if self._undo is not None:
            if self._undo.counted is None:
                self._undo.counted = st.counted.copy()
            self._undo.slots.append((slot, old, int(st.slot_lender[slot])))
        if old >= 0:
            v_old = int(self.graph.vol[old])
            self._touch(v_old)
            self.res.apply_one(st, slot, -1)
            self.held[v_old].remove(slot)
        st.slot_edge[slot] = edge
        st.slot_lender[slot] = lender
        self.filled_of_need[self.res.slot_need[slot]] += int(edge >= 0) - int(old >= 0)
        if edge >= 0:
            v_new = int(self.graph.vol[edge])
            self._touch(v_new)
            self.res.apply_one(st, slot, +1)
            self.held.setdefault(v_new, []).append(slot)

    def _begin(self) -> None:
        self._undo = _Undo()

    def _rollback(self) -> None:
        u, self._undo = self._undo, None
        assert u is not None
        st = self.state
        for slot, edge, lender in reversed(u.slots):
            now = int(st.slot_edge[slot])
            if now >= 0:
                self.held[int(self.graph.vol[now])].remove(slot)
            self.filled_of_need[self.res.slot_need[slot]] += int(edge >= 0) - int(now >= 0)
            st.slot_edge[slot] = edge
            st.slot_lender[slot] = lender
            if edge >= 0:
                self.held.setdefault(int(self.graph.vol[edge]), []).append(slot)
        for v, (hours, lent) in u.rows.items():
            st.used_hours[v] = hours
            st.lent[v] = lent
        if u.counted is not None:
            st.counted[:] = u.counted
        for v in u.rows:
            self.held[v].sort()

    def _commit(self) -> None:
        u, self._undo = self._undo, None
        assert u is not None
        for v in u.rows:
            self.held[v].sort()

    # ------------------------------------------------------------ feasibility
    def _clash(self, held: list[int], edges: IntArray) -> BoolArray:
        """Per pair: the held slot's shift and the edge's shift overlap or rest too little."""
        sh = self.problem.shifts
        hs = self.res.edge_shift[self.state.slot_edge[np.array(held)]]
        es = self.res.edge_shift[edges]
        out: BoolArray = conflicts(
            sh.start[hs],
            sh.end[hs],
            sh.event[hs],
            sh.start[es],
            sh.end[es],
            sh.event[es],
            self.res.rest,
        )
        return out

    def _clashing(self, v: int, edge: int) -> list[int]:
        """Slots held by ``v`` whose shifts overlap or rest too little from ``edge``'s shift."""
        mine = self.held.get(v, [])
        if not mine:
            return []
        clash = self._clash(mine, np.full(len(mine), edge))
        return [slot for slot, c in zip(mine, clash.tolist(), strict=True) if c]

    def _fits(self, edges: IntArray) -> tuple[np.ndarray, IntArray]:
        """Per edge: feasible against the state (hours, rest with held slots, a lender), and
        the lender to use. The rest rule is ``Residual.free_of_new``'s, checked through the
        held-slot index instead of a scan of every filled slot per call."""
        g = self.graph
        ok = self.res.fits_hours(self.state, edges)
        pair_edge: list[int] = []
        pair_slot: list[int] = []
        for i in np.flatnonzero(ok).tolist():
            mine = self.held.get(int(g.vol[edges[i]]))
            if mine:
                pair_edge.extend([i] * len(mine))
                pair_slot.extend(mine)
        if pair_edge:
            pe = np.array(pair_edge)
            ok[pe[self._clash(pair_slot, edges[pe])]] = False
        lender = np.full(len(edges), -1, dtype=np.int64)
        sub = np.flatnonzero(ok)
        if len(sub):
            lend, usable = self.res.choose_lenders(
                self.state, edges[sub], self.res.remaining_quota(self.state), self.revoked
            )
            lender[sub] = lend
            ok[sub] = usable
        return ok, lender

    # ------------------------------------------------------------ a loan moved to another lender
    def relend_pass(self) -> int:
        """A cheaper candidate of a filled slot that only full lender quotas keep out: another
        volunteer lent by such a lender moves (every slot it holds there) to a second lender
        that may lend it too, and the freed unit lends the cheaper candidate, who takes the
        slot. Kept when the objective gains. Returns the number of slots improved."""
        res, g, st = self.res, self.graph, self.state
        b = np.flatnonzero(g.borrowed)
        if len(b) == 0:
            return 0
        remaining = res.remaining_quota(st)
        opts = res.edge_opts[res.opt_row[b]]
        free = (opts & (remaining[None, :] > 0)).any(axis=1) | (opts & (st.lent[g.vol[b]] > 0)).any(axis=1)
        blocked = np.zeros(g.edges, dtype=bool)
        blocked[b[~free]] = True
        if not blocked.any():
            return 0
        need_blocked = np.zeros(self.problem.needs.n, dtype=bool)
        need_blocked[res.edge_need[blocked]] = True
        improved = 0
        for slot in np.flatnonzero((st.slot_edge >= 0) & need_blocked[res.slot_need]).tolist():
            current = int(st.slot_edge[slot])
            need = int(res.slot_need[slot])
            edges = np.arange(g.ptr[need], g.ptr[need + 1])
            edges = edges[blocked[edges] & (g.cost[edges] < g.cost[current] - GAIN_EPS)]
            for e in edges.tolist():
                self._begin()
                if self._relend_into(slot, e):
                    self._commit()
                    improved += 1
                    break
                self._rollback()
        return improved

    def _relend_into(self, slot: int, e: int) -> bool:
        """Inside an open trial: free a unit of one of ``e``'s full lenders and give ``slot`` to
        ``e``'s volunteer; False when it cannot."""
        res, g, st = self.res, self.graph, self.state
        v = int(g.vol[e])
        opts = unrevoked(res.edge_opts[res.opt_row[e]], v, self.revoked)
        for full in np.flatnonzero(opts).tolist():
            for w in np.flatnonzero(st.lent[:, full] > 0).tolist()[:RELEND_TRIALS]:
                if w == v or not self._move_loans(w, full):
                    continue
                self._set(slot, -1, -1)
                ok, lender = self._fits(np.array([e]))
                if ok[0]:
                    self._set(slot, e, int(lender[0]))
                    return True
                return False
        return False

    def _move_loans(self, w: int, lender: int) -> bool:
        """Move every slot ``w`` holds through ``lender`` to one other lender that may lend it
        for each of them (one counting ``w`` already first, else the one with most quota left);
        False when none has room."""
        res, st = self.res, self.state
        mine = [s for s in self.held.get(w, []) if int(st.slot_lender[s]) == lender]
        if not mine:
            return False
        can = np.ones(res.edge_opts.shape[1], dtype=bool)
        for s in mine:
            can &= res.edge_opts[res.opt_row[int(st.slot_edge[s])]]
        can[lender] = False
        can = unrevoked(can, w, self.revoked)
        counting = np.flatnonzero(can & (st.lent[w] > 0))
        if len(counting):
            to = int(counting[0])
        else:
            remaining = res.remaining_quota(st)
            room = np.flatnonzero(can & (remaining > 0))
            if len(room) == 0:
                return False
            to = int(room[np.argmax(remaining[room])])
        for s in mine:
            self._set(s, int(st.slot_edge[s]), to)
        return True

    def _best_filler(self, need: int, exclude: int) -> tuple[int, int]:
        """Cheapest feasible candidate edge of ``need`` (not volunteer ``exclude``), and its
        lender; (-1, -1) when none."""
        g = self.graph
        edges = np.arange(g.ptr[need], g.ptr[need + 1])
        edges = edges[g.vol[edges] != exclude]
        if len(edges) == 0:
            return -1, -1
        ok, lender = self._fits(edges)
        hit = np.flatnonzero(ok)
        if len(hit) == 0:
            return -1, -1
        i = int(hit[np.argmin(g.cost[edges[hit]])])  # the first of equal costs
        return int(edges[i]), int(lender[i])

    def _top_up(self, v: int) -> float:
        """After a chain moved ``v`` (its given-up slots freed hours and rest), ``v`` takes the
        cheapest short slots it now fits, one at a time against the state as it stands (e.g.
        one 5 h shift given up for two 4 h shifts of an 8 h week). Returns the gain."""
        g = self.graph
        nd = self.problem.needs
        edges = self.vol_edges[self.vol_ptr[v] : self.vol_ptr[v + 1]]
        need = self.res.edge_need[edges]
        worth = (self.filled_of_need[need] < nd.count[need]) & (g.cost[edges] < self.penalty[need])
        gain = 0.0
        for e in edges[worth].tolist():
            j = int(self.res.edge_need[e])
            if self.filled_of_need[j] >= nd.count[j]:
                continue
            ok, lender = self._fits(np.array([e]))
            if not ok[0]:
                continue
            lo, hi = int(self.slot_ptr[j]), int(self.slot_ptr[j + 1])
            slot = lo + int(np.flatnonzero(self.state.slot_edge[lo:hi] < 0)[0])
            self._set(slot, e, int(lender[0]))
            gain += float(self.penalty[j]) - float(g.cost[e])
        return gain

    # ------------------------------------------------------------ one chain
    def _options(self, edge: int) -> list[list[int]]:
        """Sets of held slots whose release could let the edge's volunteer take it."""
        v = int(self.graph.vol[edge])
        base = self._clashing(v, edge)
        others = [s for s in self.held.get(v, []) if s not in base]
        # hours: besides the clashing ones, give up one or two more slots of the weeks the
        # shift touches
        wh = self.problem.shifts.week_hours
        weeks = wh[int(self.res.edge_shift[edge])] > 0
        same_week = [
            s
            for s in others
            if (wh[int(self.res.edge_shift[self.state.slot_edge[s]])][weeks] > 0).any()
        ]
        out = [base] + [base + [s] for s in same_week]
        out += [base + [a, b] for i, a in enumerate(same_week) for b in same_week[i + 1 :]]
        return out

    def _try(self, slot: int, edge: int, release: list[int]) -> float | None:
        """Apply one chain inside an open trial; its gain, or None when infeasible."""
        g = self.graph
        v = int(g.vol[edge])
        gain = float(self.penalty[self.res.slot_need[slot]]) - float(g.cost[edge])
        given = [(s, int(self.state.slot_edge[s])) for s in release]
        for s, _e in given:
            self._set(s, -1, -1)
        ok, lender = self._fits(np.array([edge]))
        if not ok[0]:
            return None
        self._set(slot, edge, int(lender[0]))
        for s, e_old in given:
            gain += float(g.cost[e_old])
            need = int(self.res.slot_need[s])
            refill, lend = self._best_filler(need, v)
            if refill >= 0 and float(g.cost[refill]) < float(self.penalty[need]):
                self._set(s, refill, lend)
                gain -= float(g.cost[refill])
            else:
                gain -= float(self.penalty[need])
        if release and self.top_up and gain <= GAIN_EPS:
            # only where the move alone gains nothing: a chain worth making by itself is kept
            # as it is, so the freed hours stay for the short slots still to come
            gain += self._top_up(v)
        return gain

    def fill(self, slot: int, budget: int) -> None:
        """Best chain for one short slot (at most ``budget`` options), applied when it gains."""
        g = self.graph
        need = int(self.res.slot_need[slot])
        tried = 0
        best: tuple[float, int, list[int]] | None = None
        for edge in range(int(g.ptr[need]), int(g.ptr[need + 1])):
            if float(g.cost[edge]) >= float(self.penalty[need]):
                break
            for release in self._options(edge):
                if tried >= budget:
                    break
                tried += 1
                self._begin()
                gain = self._try(slot, edge, release)
                self._rollback()
                if gain is not None and gain > GAIN_EPS and (best is None or gain > best[0] + 1e-9):
                    best = (gain, edge, release)
            if not self.held.get(int(g.vol[edge])) and best is not None and best[1] == edge:
                break  # a free insertion of the cheapest free candidate: nothing cheaper follows
        if best is not None:
            self._begin()
            self._try(slot, best[1], best[2])
            self._commit()


def fill_by_chains(
    residual: Residual,
    penalty: FloatArray,
    state: SolverState,
    revoked: set[tuple[int, int]],
    deadline: float,
    top_up: bool = True,
) -> int:
    """Run chains on every short slot (most valuable needs first), up to ``CHAIN_ROUNDS``
    passes and until a pass fills none, then the lender moves (``ChainSearch.relend_pass``);
    returns the number of slots the chains filled.

    ``top_up`` lets a moved volunteer take further short slots (``ChainSearch._top_up``); the
    solver turns it off at national size, where it measured 3-4 slots fewer of 50,000 (the
    volunteers' hours it spends early are missed by the chains of slots still to come)."""
    search = ChainSearch(residual, penalty, state, revoked, top_up)
    applied = 0
    slot_need = residual.slot_need
    for _round in range(CHAIN_ROUNDS):
        short = np.flatnonzero(state.slot_edge < 0)
        if len(short) == 0:
            break
        order = short[np.lexsort((short, -penalty[slot_need[short]]))]
        gained = 0
        for slot in order.tolist():
            if time.process_time() > deadline:
                break
            if state.slot_edge[slot] >= 0:
                continue
            search.fill(slot, CHAIN_TRIALS_PER_SLOT)
            if state.slot_edge[slot] >= 0:
                gained += 1
        applied += gained
        if gained == 0:
            break
    search.relend_pass()
    return applied
