"""Why a slot stays unfilled: one reason per need with unfilled slots (INSTANCE.md list).

Decided in this order, for need ``j``:

1. No candidate survives the pair constraints: the reason is the first constraint stage that
   left none (``engine.matching.constraints.STAGES``):
   - ``NO_SKILL_IN_REACH``: no active volunteer holds a qualifying skill (level, not expired)
     within their travel reach AND in the shift's association or one lending to it;
   - ``RULE``: such volunteers exist, but none meets the need's gender / minimum age;
   - ``NOT_AVAILABLE``: some meet the rules, but none is available (weekly windows, blackouts);
   - ``ALL_CANDIDATES_BUSY``: some are available, but every one is taken by an existing
     booking (overlap / rest) or has no weekly hours left for it.
2. Candidates existed, but the solution used them elsewhere:
   - ``LENDER_QUOTA``: at least one candidate not serving this need is free of the solution's
     other assignments (no overlap/rest clash, weekly hours left) and blocked only because no
     lender lending it has quota left;
   - ``OUTCOMPETED``: otherwise: every candidate fills another (better) slot that clashes,
     or this need already, or its hours went to better slots.
"""

from __future__ import annotations

import numpy as np

from engine.matching.candidates import STAGE_NAMES, CandidateGraph
from engine.matching.residual import Residual, SolverState
from engine.types import IntArray, Problem

LENDER_QUOTA = "LENDER_QUOTA"
OUTCOMPETED = "OUTCOMPETED"
REASONS = (*STAGE_NAMES, LENDER_QUOTA, OUTCOMPETED)


def unfilled_reasons(
    problem: Problem,
    graph: CandidateGraph,
    residual: Residual,
    state: SolverState,
    short: IntArray,
) -> dict[int, str]:
    """Reason per need with ``short[j] > 0`` unfilled slots (see module docstring)."""
    out: dict[int, str] = {}
    js = np.flatnonzero(short > 0)
    if len(js) == 0:
        return out
    sc = graph.stage_counts
    static_empty = sc[js, -1] == 0
    for j in js[static_empty].tolist():
        k = int(np.flatnonzero(sc[j] == 0)[0])
        out[j] = STAGE_NAMES[k]
    rest = js[~static_empty]
    if len(rest) == 0:
        return out
    lo = graph.ptr[rest]
    n = graph.ptr[rest + 1] - lo
    edges = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
    edge_need = residual.edge_need[edges]
    # candidates already serving this very need do not count
    filled = state.slot_edge[state.slot_edge >= 0]
    serving = np.isin(
        edge_need * problem.volunteers.count + graph.vol[edges],
        residual.edge_need[filled] * problem.volunteers.count + graph.vol[filled],
    )
    free = ~serving & residual.fits_hours(state, edges)
    free[free] = residual.free_of_new(state, edges[free])
    remaining = residual.remaining_quota(state)
    _lender, usable = residual.choose_lenders(state, edges, remaining, set())
    quota_blocked = free & ~usable
    by_need = np.bincount(np.searchsorted(rest, edge_need[quota_blocked]), minlength=len(rest))
    for i, j in enumerate(rest.tolist()):
        out[j] = LENDER_QUOTA if by_need[i] > 0 else OUTCOMPETED
    return out
