"""Relaxation-guided columns for a block of several clusters.

In a block re-solve a volunteer gets one column per member cluster only when EVERY combination
of its candidate shifts in different members is compatible (rest, hours); otherwise one column
shared by the members, so it takes at most one slot in the block. That misses moves such as a
volunteer taking two back-to-back shifts of ANOTHER event (its back-to-back shifts of two
events conflict crosswise, so it gets a shared column).

The guide: solve the block once with one column per (volunteer, member) for everyone (a
relaxation of the volunteer coupling inside the block). A volunteer whose relaxed choice spans
several members and is compatible (pairwise no overlap / short rest, weekly hours fit) is then
restricted to exactly the shifts it chose and gets one column per member: every combination of
those shifts is compatible, so every solution of the restricted block stays feasible, and the
block can now take the move the relaxation found.
"""

from __future__ import annotations

import numpy as np

from engine.matching.constraints import HOURS_EPS, conflicts
from engine.matching.residual import Residual, SolverState
from engine.types import BoolArray, IntArray, Problem


def compatible(
    problem: Problem, residual: Residual, state: SolverState, chosen: IntArray
) -> tuple[IntArray, BoolArray, BoolArray]:
    """The volunteers of ``chosen`` edges (sorted), whether each chose several shifts, and
    whether its chosen shifts are compatible together (pairwise no overlap / short rest, weekly
    hours within what the rest of the state leaves)."""
    sh = problem.shifts
    vols = problem.volunteers
    cv = residual.graph.vol[chosen]
    cs = residual.edge_shift[chosen]
    order = np.lexsort((cs, cv))
    cv, cs = cv[order], cs[order]
    uv, first, counts = np.unique(cv, return_index=True, return_counts=True)
    several = counts > 1
    ok = several.copy()
    span = int(counts.max(initial=0))
    for i in range(span):
        for j in range(i + 1, span):
            sel = np.flatnonzero(several & (counts > j))
            if len(sel) == 0:
                continue
            a = cs[first[sel] + i]
            b = cs[first[sel] + j]
            clash = conflicts(
                sh.start[a], sh.end[a], sh.event[a], sh.start[b], sh.end[b], sh.event[b], residual.rest
            )
            ok[sel[clash]] = False
    tot = np.zeros((len(uv), len(problem.weeks)))
    np.add.at(tot, np.repeat(np.arange(len(uv)), counts), sh.week_hours[cs])
    cap = (vols.max_hours_week[uv] + HOURS_EPS)[:, None] - vols.booked_week_hours[uv] - state.used_hours[uv]
    ok &= np.all((tot <= 0.0) | (tot <= cap), axis=1)
    return uv, several, ok


def guided_columns(
    problem: Problem,
    residual: Residual,
    state: SolverState,
    edges: IntArray,
    edge_vol: IntArray,
    chosen: IntArray,
) -> tuple[BoolArray, BoolArray]:
    """Per edge: ``(keep, multi)``. ``chosen`` are the edges of the relaxed solution; a
    volunteer whose chosen shifts are several and compatible keeps only edges into those shifts
    and gets one column per member (``multi``); every other edge is kept unchanged."""
    keep: BoolArray = np.ones(len(edges), dtype=bool)
    multi: BoolArray = np.zeros(len(edges), dtype=bool)
    if len(chosen) < 2:
        return keep, multi
    uv, several, ok = compatible(problem, residual, state, chosen)
    if not several.any():
        return keep, multi
    guided = uv[ok]
    if len(guided) == 0:
        return keep, multi
    ns = problem.shifts.count
    cv = residual.graph.vol[chosen]
    cs = residual.edge_shift[chosen]
    allowed = np.unique(cv[np.isin(cv, guided)] * ns + cs[np.isin(cv, guided)])
    es = residual.edge_shift[edges]
    mine = np.isin(edge_vol, guided)
    keep[mine] = np.isin(edge_vol[mine] * ns + es[mine], allowed)
    multi[mine] = True
    return keep, multi
