"""The solver's working state and the residual feasibility of candidate edges against it.

The state holds, for every slot, the chosen candidate edge (or -1) and lender (or -1), plus
aggregates kept in step: hours of new assignments per volunteer and instance week, and the
number of slots each lender lends each volunteer to. A cluster is taken out of the state before
it is re-solved, so "residual" always means "given every other cluster's choices":

- ``fits_hours``: booked + other new hours + this shift's hours <= maxHoursWeek in every week;
- ``free_of_new``: no overlap / short rest with the volunteer's other new assignments;
- ``choose_lenders``: the lender of a borrowed edge: one already counting this volunteer (no
  extra quota), else the lender with most quota left; edges with no lender left are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.matching.candidates import CandidateGraph
from engine.matching.constraints import HOURS_EPS, conflicts
from engine.types import BoolArray, IntArray, Problem


@dataclass
class SolverState:
    """Mutable assignment state (see module docstring)."""

    slot_edge: IntArray
    slot_lender: IntArray
    used_hours: np.ndarray  # (n_volunteers, n_weeks) float
    lent: np.ndarray  # (n_volunteers, n_associations) int32
    counted: IntArray  # per lender: volunteers with ``lent > 0`` (kept in step by ``apply``)

    @classmethod
    def empty(cls, problem: Problem) -> SolverState:
        n = problem.needs.slots
        return cls(
            slot_edge=np.full(n, -1, dtype=np.int64),
            slot_lender=np.full(n, -1, dtype=np.int64),
            used_hours=np.zeros((problem.volunteers.count, len(problem.weeks))),
            lent=np.zeros((problem.volunteers.count, len(problem.associations.ids)), dtype=np.int32),
            counted=np.zeros(len(problem.associations.ids), dtype=np.int64),
        )

    def copy(self) -> SolverState:
        return SolverState(
            slot_edge=self.slot_edge.copy(),
            slot_lender=self.slot_lender.copy(),
            used_hours=self.used_hours.copy(),
            lent=self.lent.copy(),
            counted=self.counted.copy(),
        )


def unrevoked(lenders: BoolArray, volunteer: int, revoked: set[tuple[int, int]]) -> BoolArray:
    """``lenders`` (a mask) without those whose loan of ``volunteer`` the solver has revoked."""
    out = lenders.copy()
    for vv, lend in revoked:
        if vv == volunteer:
            out[lend] = False
    return out


#: up to this many borrowed edges, ``choose_lenders`` works on the edges' own lender rows
SMALL_CHOICE = 256


def _distinct_rows(opts: BoolArray) -> tuple[BoolArray, IntArray]:
    """The distinct rows of a boolean matrix and each row's index among them (rows packed into
    integers while they fit, which ``np.unique(axis=0)`` would sort column by column)."""
    n, width = opts.shape
    if width > 62:
        rows, of = np.unique(opts, axis=0, return_inverse=True)
        return rows, of.reshape(-1)
    keys = opts.astype(np.int64) @ (np.int64(1) << np.arange(width, dtype=np.int64))
    uk, of = np.unique(keys, return_inverse=True)
    sets: BoolArray = ((uk[:, None] >> np.arange(width, dtype=np.int64)) & 1).astype(bool)
    return sets, of.reshape(-1)


class Residual:
    """Residual checks of candidate edges against a ``SolverState``."""

    def __init__(self, problem: Problem, graph: CandidateGraph, edge_need: IntArray) -> None:
        self.problem = problem
        self.graph = graph
        self.edge_need = edge_need
        self.edge_shift = problem.needs.shift[edge_need]
        self.rest = problem.rules.min_rest_hours * 3600.0
        self.slot_need = np.repeat(np.arange(problem.needs.n), problem.needs.count)
        self.can_lend_t = problem.associations.can_lend.T.copy()  # [borrower, lender]
        # lenders that may lend each borrowed edge's volunteer to its shift (fixed by the input)
        b = np.flatnonzero(graph.borrowed)
        self.opt_row = np.full(graph.edges, -1, dtype=np.int64)
        self.opt_row[b] = np.arange(len(b))
        self.edge_opts: BoolArray = (
            problem.volunteers.member[graph.vol[b]] & self.can_lend_t[problem.shifts.association[self.edge_shift[b]]]
        )
        # the few distinct lender sets among borrowed edges: the best lender by quota left is
        # chosen once per set instead of once per edge
        self.opt_sets, self.opt_set_of = _distinct_rows(self.edge_opts)
        # per edge and instance week: the shift's hours, and maxHoursWeek (+ eps) minus booked
        # hours, fixed by the input (``fits_hours`` subtracts only the state's new hours)
        vols = problem.volunteers
        self.edge_week_hours = problem.shifts.week_hours[self.edge_shift]
        self.edge_week_cap = (vols.max_hours_week[graph.vol] + HOURS_EPS)[:, None] - vols.booked_week_hours[
            graph.vol
        ]

    # ------------------------------------------------------------ state updates
    def apply(self, state: SolverState, slots: IntArray, sign: int) -> None:
        """Add (sign=+1) or remove (sign=-1) the hours and loans of ``slots`` to the aggregates."""
        e = state.slot_edge[slots]
        filled = e >= 0
        if not filled.any():
            return
        e = e[filled]
        v = self.graph.vol[e]
        s = self.edge_shift[e]
        np.add.at(state.used_hours, v, sign * self.problem.shifts.week_hours[s])
        lender = state.slot_lender[slots][filled]
        b = lender >= 0
        if b.any():
            vb, lb = v[b], lender[b]
            na = state.lent.shape[1]
            pairs = np.unique(vb * na + lb)
            pv, pl = pairs // na, pairs % na
            before = state.lent[pv, pl] > 0
            np.add.at(state.lent, (vb, lb), sign)
            after = state.lent[pv, pl] > 0
            state.counted += np.bincount(pl, weights=after.astype(np.int64) - before, minlength=na).astype(
                np.int64
            )

    def apply_one(self, state: SolverState, slot: int, sign: int) -> None:
        """``apply`` for one slot, without the array machinery (the chain search's step)."""
        e = int(state.slot_edge[slot])
        if e < 0:
            return
        v = int(self.graph.vol[e])
        state.used_hours[v] += sign * self.problem.shifts.week_hours[int(self.edge_shift[e])]
        lender = int(state.slot_lender[slot])
        if lender >= 0:
            before = state.lent[v, lender] > 0
            state.lent[v, lender] += sign
            state.counted[lender] += int(state.lent[v, lender] > 0) - int(before)

    def remaining_quota(self, state: SolverState) -> IntArray:
        out: IntArray = self.problem.associations.quota - state.counted
        return out

    # ------------------------------------------------------------ residual checks
    def fits_hours(self, state: SolverState, edges: IntArray) -> BoolArray:
        wh = self.edge_week_hours[edges]
        cap = self.edge_week_cap[edges] - state.used_hours[self.graph.vol[edges]]
        out: BoolArray = np.all((wh <= 0.0) | (wh <= cap), axis=1)
        return out

    def free_of_new(
        self, state: SolverState, edges: IntArray, exclude_slots: IntArray | None = None
    ) -> BoolArray:
        """No conflict with the volunteer's new assignments in the state (minus ``exclude_slots``)."""
        sh = self.problem.shifts
        ok = np.ones(len(edges), dtype=bool)
        filled = np.flatnonzero(state.slot_edge >= 0)
        if exclude_slots is not None and len(exclude_slots):
            filled = np.setdiff1d(filled, exclude_slots, assume_unique=True)
        if len(filled) == 0 or len(edges) == 0:
            return ok
        es = self.edge_shift[edges]
        lo = float(sh.start[es].min()) - self.rest
        hi = float(sh.end[es].max()) + self.rest
        fe = state.slot_edge[filled]
        fs = self.edge_shift[fe]
        near = (sh.start[fs] < hi) & (sh.end[fs] > lo)
        fe = fe[near]
        fs = fs[near]
        if len(fe) == 0:
            return ok
        fv = self.graph.vol[fe]
        order = np.argsort(fv, kind="stable")
        fv = fv[order]
        fs = fs[order]
        ev = self.graph.vol[edges]
        first = np.searchsorted(fv, ev, side="left")
        cnt = np.searchsorted(fv, ev, side="right") - first
        for k in range(int(cnt.max(initial=0))):
            sel = np.flatnonzero(cnt > k)
            other = fs[first[sel] + k]
            mine = es[sel]
            ok[sel] &= ~conflicts(
                sh.start[other], sh.end[other], sh.event[other],
                sh.start[mine], sh.end[mine], sh.event[mine], self.rest,
            )
        return ok

    def choose_lenders(
        self,
        state: SolverState,
        edges: IntArray,
        remaining: IntArray,
        forbidden: set[tuple[int, int]],
    ) -> tuple[IntArray, BoolArray]:
        """Lender per edge (-1 when the volunteer is a member of the shift's association) and
        whether the edge is usable. Also tells, via ``lender >= 0`` and ``state.lent``, whether
        the loan is already counted (free) — see ``consumes``."""
        g = self.graph
        lender = np.full(len(edges), -1, dtype=np.int64)
        usable = np.ones(len(edges), dtype=bool)
        b = np.flatnonzero(g.borrowed[edges])
        if len(b) == 0:
            return lender, usable
        v = g.vol[edges[b]]
        rows = self.opt_row[edges[b]]
        if len(b) <= SMALL_CHOICE or forbidden:
            pick, ok = self._lenders_direct(state, v, rows, remaining, forbidden)
        else:
            pick, ok = self._lenders_by_set(state, v, rows, remaining)
        lender[b] = np.where(ok, pick, -1)
        usable[b] = ok
        return lender, usable

    def _lenders_direct(
        self,
        state: SolverState,
        v: IntArray,
        rows: IntArray,
        remaining: IntArray,
        forbidden: set[tuple[int, int]],
    ) -> tuple[IntArray, BoolArray]:
        """``choose_lenders`` on the edges' own lender rows (few edges, or forbidden loans)."""
        opts = self.edge_opts[rows]
        for vv, lend in sorted(forbidden):
            opts[v == vv, lend] = False
        counted = opts & (state.lent[v] > 0)
        has_counted = counted.any(axis=1)
        score = np.where(opts & (remaining[None, :] > 0), remaining[None, :], -1)
        best = np.argmax(score, axis=1)
        best_ok = score[np.arange(len(v)), best] > 0
        pick: IntArray = np.where(has_counted, np.argmax(counted, axis=1), best)
        return pick, has_counted | best_ok

    def _lenders_by_set(
        self, state: SolverState, v: IntArray, rows: IntArray, remaining: IntArray
    ) -> tuple[IntArray, BoolArray]:
        """``choose_lenders`` for many edges: the lender with most quota left (lowest index on
        ties) once per distinct lender set; a lender already counting the volunteer only for
        the volunteers holding a loan in the state (no one else can have one)."""
        score = np.where(self.opt_sets & (remaining[None, :] > 0), remaining[None, :], -1)
        set_best = np.argmax(score, axis=1)
        set_ok = score[np.arange(len(score)), set_best] > 0
        sets = self.opt_set_of[rows]
        pick: IntArray = set_best[sets]
        ok: BoolArray = set_ok[sets]
        held = state.slot_lender >= 0
        if held.any():
            lent_vol = np.zeros(self.problem.volunteers.count, dtype=bool)
            lent_vol[self.graph.vol[state.slot_edge[held]]] = True
            sub = np.flatnonzero(lent_vol[v])
            if len(sub):
                counted = self.edge_opts[rows[sub]] & (state.lent[v[sub]] > 0)
                has_counted = counted.any(axis=1)
                pick[sub] = np.where(has_counted, np.argmax(counted, axis=1), pick[sub])
                ok[sub] |= has_counted
        return pick, ok

    def consumes(self, state: SolverState, edges: IntArray, lender: IntArray) -> BoolArray:
        """True where a chosen loan adds a new volunteer to its lender's count."""
        v = self.graph.vol[edges]
        out: BoolArray = (lender >= 0) & (state.lent[v, np.maximum(lender, 0)] == 0)
        return out
