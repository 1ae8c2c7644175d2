"""Candidate generation: every (need, volunteer) pair that passes all pair constraints, with its
cost, without ever materialising volunteers x slots.

1. A skill index: every active volunteer's skill entry is expanded to the skills it serves
   (itself and, transitively, those it implies), and sorted by (served skill, grid cell,
   volunteer, level). A need then reads only its skill's entries in the grid cells that can be
   within reach (a lat/lon grid; the box is sized by the largest ``maxTravelKm`` holding that
   skill), keeps those at ``level >= minLevel`` not expired at the shift end, and the lowest
   qualifying level per volunteer.
2. The gathered pairs of many needs are then filtered together, vectorised, by the constraint
   stages of ``engine.matching.constraints`` (reach, rule, available, busy; prepared once per
   problem); the number of candidates surviving each stage is kept per need for the unfilled
   reasons.
3. Each surviving pair is costed with ``engine.matching.costs`` and each need keeps its
   cheapest ``limit(count)`` candidates (sorted by cost, then volunteer index: deterministic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from engine.matching.constraints import (
    Constraint,
    association_eligible,
    in_reach,
    pair_distance_km,
    prepared_stages,
)
from engine.matching.costs import pair_cost
from engine.types import BoolArray, FloatArray, IntArray, Problem

CELL_DEG = 0.1
#: upper bounds (km) of the travel classes of the skill index
TRAVEL_CLASSES = np.array([5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 80.0, 100.0, 150.0])
KM_PER_DEG = 111.2
CHUNK_PAIRS = 3_000_000
PRECUT_FACTOR = 3
COST_BINS = 512
LARGE_SLOTS = 20_000
#: first search radius (km); needs whose cheapest candidates are not all inside are searched
#: again. Off (None): measured, the cost terms other than distance make most needs search again
NEAR_KM: float | None = None
#: stage columns of ``CandidateGraph.stage_counts``
STAGE_NAMES = ("NO_SKILL_IN_REACH", "RULE", "NOT_AVAILABLE", "ALL_CANDIDATES_BUSY")

#: the constraint stages after REACH (``constraints.prepared_stages``)
Stages = tuple[tuple[Constraint, ...], ...]


def candidate_limit(count: IntArray, slots: int) -> IntArray:
    """How many of its cheapest candidates a need keeps: enough that the cheapest volunteers
    being taken elsewhere rarely leaves the need short (fewer on national-size problems, where
    the graph's size is the solver's time)."""
    out: IntArray = (48 + 8 * count) if slots <= LARGE_SLOTS else (24 + 4 * count)
    return out


@dataclass(frozen=True)
class CandidateGraph:
    """Candidates per need as CSR: need ``j`` has edges ``ptr[j]:ptr[j+1]`` sorted by cost.

    ``stage_counts[j, k]`` is the number of volunteers left after constraint stage ``k``
    (``STAGE_NAMES``): exact for a need left without candidates (it names the unfilled
    reason); otherwise pairs the pre-cut dropped count as passing the stages they were checked
    against. ``truncated[j]`` says whether the per-need limit dropped some.
    """

    ptr: IntArray
    vol: IntArray
    level: IntArray
    cost: FloatArray
    borrowed: BoolArray
    stage_counts: IntArray
    truncated: BoolArray

    @property
    def edges(self) -> int:
        return len(self.vol)

    def need_of_edge(self) -> IntArray:
        out: IntArray = np.repeat(np.arange(len(self.ptr) - 1), np.diff(self.ptr))
        return out

    def by_volunteer(self, volunteers: int) -> tuple[IntArray, IntArray]:
        """The transposed CSR: volunteer ``v``'s edges are ``order[ptr[v]:ptr[v+1]]``, cheapest
        first (ties by edge index)."""
        order: IntArray = np.lexsort((np.arange(self.edges), self.cost, self.vol))
        ptr: IntArray = np.searchsorted(self.vol[order], np.arange(volunteers + 1))
        return order, ptr


@dataclass(frozen=True)
class SkillIndex:
    """Skill entries of active volunteers, sorted by (served skill, travel class, grid cell,
    volunteer, level); ``cell`` holds the sort key ``(skill * classes + travel class) * ncells
    + cell``. Travel classes keep the
    search box of a need as small as the reach of the volunteers searched."""

    skill_ptr: IntArray
    cell: IntArray
    vol: IntArray
    level: IntArray
    expires: FloatArray
    max_travel: FloatArray  # per (served skill, travel class)
    ncols: int
    ncells: int
    lat0: float
    lon0: float


def build_skill_index(problem: Problem) -> SkillIndex:
    v = problem.volunteers
    sk = problem.skills
    nsk = len(sk.codes)
    owner = np.repeat(np.arange(v.count), np.diff(v.skill_ptr))
    keep = v.active[owner]
    owner = owner[keep]
    code = v.skill_code[keep]
    level = v.skill_level[keep]
    expires = v.skill_expires[keep]
    # serves[h] = skills s whose qualifier list contains h
    q_target = np.repeat(np.arange(nsk), np.diff(sk.qualifier_ptr))
    order = np.argsort(sk.qualifiers, kind="stable")
    serves_held = sk.qualifiers[order]
    serves_target = q_target[order]
    serves_ptr = np.searchsorted(serves_held, np.arange(nsk + 1))
    n_serve = serves_ptr[code + 1] - serves_ptr[code]
    rep = np.repeat(np.arange(len(code)), n_serve)
    first = np.repeat(serves_ptr[code] - np.cumsum(n_serve) + n_serve, n_serve)
    target = serves_target[first + np.arange(len(rep))] if len(rep) else np.zeros(0, np.int64)
    e_vol = owner[rep]
    lat0 = float(np.floor(v.lat.min(initial=0.0))) - 1.0
    lon0 = float(np.floor(v.lon.min(initial=0.0))) - 1.0
    ncols = int(math.ceil((float(v.lon.max(initial=0.0)) - lon0) / CELL_DEG)) + 2
    row = np.floor((v.lat - lat0) / CELL_DEG).astype(np.int64)
    col = np.floor((v.lon - lon0) / CELL_DEG).astype(np.int64)
    nrows = int(row.max(initial=0)) + 2
    ncells = nrows * ncols
    travel_class = np.searchsorted(TRAVEL_CLASSES, v.max_travel_km, side="left")
    vcell = travel_class * ncells + row * ncols + col
    e_cell = vcell[e_vol]
    e_level = level[rep]
    srt = np.lexsort((e_level, e_vol, e_cell, target))
    target = target[srt]
    max_travel = np.full((nsk, len(TRAVEL_CLASSES) + 1), -1.0)  # -1: nobody (0 km is a reach)
    if len(target):
        np.maximum.at(max_travel, (target, travel_class[e_vol[srt]]), v.max_travel_km[e_vol[srt]])
    nclass = len(TRAVEL_CLASSES) + 1
    return SkillIndex(
        skill_ptr=np.searchsorted(target, np.arange(nsk + 1)).astype(np.int64),
        cell=target * (nclass * ncells) + e_cell[srt],
        vol=e_vol[srt],
        level=e_level[srt],
        expires=expires[rep][srt],
        max_travel=max_travel,
        ncols=ncols,
        ncells=ncells,
        lat0=lat0,
        lon0=lon0,
    )


def _boxes(
    problem: Problem, index: SkillIndex, needs: IntArray, cap: FloatArray | None = None
) -> tuple[IntArray, IntArray, IntArray]:
    """Index ranges ``[start, stop)`` of the skill entries in the grid cells that can be in
    reach of each need: one range per (need, travel class, grid row). Returns (need, start,
    stop), grouped by need in the order of ``needs``."""
    nd = problem.needs
    sh = nd.shift[needs]
    lat = problem.shifts.lat[sh]
    lon = problem.shifts.lon[sh]
    skill = nd.skill[needs]
    nclass = index.max_travel.shape[1]
    out_need: list[IntArray] = []
    out_lo: list[IntArray] = []
    out_hi: list[IntArray] = []
    for c in range(nclass):
        reach = index.max_travel[skill, c]
        if cap is not None:
            reach = np.minimum(reach, cap[needs])
        has = np.flatnonzero(reach >= 0.0)
        if len(has) == 0:
            continue
        r = reach[has]
        la = lat[has]
        lo_ = lon[has]
        dlat = r / KM_PER_DEG + 1e-6
        cos = np.maximum(np.cos(np.radians(np.minimum(np.abs(la) + dlat, 89.0))), 1e-3)
        dlon = np.minimum(r / (KM_PER_DEG * cos) + 1e-6, 360.0)
        r0 = np.maximum(np.floor((la - dlat - index.lat0) / CELL_DEG), 0).astype(np.int64)
        r1 = np.floor((la + dlat - index.lat0) / CELL_DEG).astype(np.int64)
        c0 = np.maximum(np.floor((lo_ - dlon - index.lon0) / CELL_DEG), 0).astype(np.int64)
        c1 = np.minimum(np.floor((lo_ + dlon - index.lon0) / CELL_DEG), index.ncols - 1).astype(np.int64)
        nrow = np.maximum(r1 - r0 + 1, 0)
        rep = np.repeat(np.arange(len(has)), nrow)
        row = np.repeat(r0 - np.cumsum(nrow) + nrow, nrow) + np.arange(int(nrow.sum()))
        base = (skill[has][rep] * nclass + c) * index.ncells + row * index.ncols
        out_need.append(has[rep])
        out_lo.append(base + c0[rep])
        out_hi.append(base + c1[rep])
    if not out_need:
        z = np.zeros(0, dtype=np.int64)
        return z, z, z
    pos = np.concatenate(out_need)
    order = np.argsort(pos, kind="stable")
    pos = pos[order]
    lo_key = np.concatenate(out_lo)[order]
    hi_key = np.concatenate(out_hi)[order]
    start = np.searchsorted(index.cell, lo_key)
    stop = np.searchsorted(index.cell, hi_key, side="right")
    keep = stop > start
    return needs[pos[keep]], start[keep], stop[keep]


def _gather_ranges(
    problem: Problem, index: SkillIndex, need: IntArray, start: IntArray, stop: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Expand ranges into (need, volunteer, lowest qualifying level) pairs: level >= minLevel,
    not expired at the shift end, each volunteer once per need."""
    nd = problem.needs
    lens = stop - start
    total = int(lens.sum())
    idx = np.repeat(start - np.cumsum(lens) + lens, lens) + np.arange(total)
    pn = np.repeat(need, lens)
    lvl = index.level[idx]
    min_level = np.repeat(nd.min_level[need], lens)
    end = np.repeat(problem.shifts.end[nd.shift[need]], lens)
    ok = (lvl >= min_level) & (index.expires[idx] > end)
    idx = idx[ok]
    pn = pn[ok]
    vol = index.vol[idx]
    first = np.ones(len(vol), dtype=bool)
    # one volunteer's entries are contiguous (one travel class, one cell), lowest level first
    first[1:] = (vol[1:] != vol[:-1]) | (pn[1:] != pn[:-1])
    return pn[first], vol[first], lvl[ok][first]


def _rough_distance_km(problem: Problem, need: IntArray, vol: IntArray) -> FloatArray:
    """Flat-earth distance (within ~1% of the haversine over a few hundred km): a cheap
    necessary test for ``within_travel`` and the order of the pre-cut."""
    v = problem.volunteers
    s = problem.needs.shift[need]
    lat = problem.shifts.lat
    dy = (v.lat[vol] - lat[s]) * KM_PER_DEG
    dx = (v.lon[vol] - problem.shifts.lon[s]) * (KM_PER_DEG * np.cos(np.radians(lat)))[s]
    out: FloatArray = np.sqrt(dx * dx + dy * dy)
    return out


def _approx_cost(
    problem: Problem, need: IntArray, vol: IntArray, level: IntArray, rough: FloatArray
) -> FloatArray:
    """The pair cost with the flat-earth distance (same terms as engine.matching.costs)."""
    w = problem.weights
    v = problem.volunteers
    static = w.hours_this_month * v.hours_this_month / 10.0 + w.unreliability * (1.0 - v.reliability)
    a = problem.shifts.association[problem.needs.shift[need]]
    member = v.member.ravel()[vol * v.member.shape[1] + a]  # = member[vol, a], one gather
    out: FloatArray = (
        w.distance_km * rough
        + static[vol]
        + w.over_level * np.maximum(level - problem.needs.min_level[need], 0)
        + w.exchange * ~member
    )
    return out


def _cheapest_by_bins(need: IntArray, cost: FloatArray, keep_first: IntArray) -> BoolArray:
    """Per need, at least its ``keep_first`` cheapest pairs (all pairs in the cost bin that
    reaches the count): a per-need histogram of costs in unit bins instead of a sort."""
    if len(need) == 0:
        return np.zeros(0, dtype=bool)
    first = np.ones(len(need), dtype=bool)
    first[1:] = need[1:] != need[:-1]
    if int(first.sum()) != np.count_nonzero(np.bincount(need)):  # grouped by need?
        order = _by_need_then_cost(need, cost)
        keep = np.zeros(len(need), dtype=bool)
        keep[order] = _rank_in_need(need[order]) < keep_first[need[order]]
        return keep
    local = np.cumsum(first) - 1
    owners = need[first]
    b = np.clip(np.floor(cost - cost.min()).astype(np.int64), 0, COST_BINS - 1)
    hist = np.bincount(local * COST_BINS + b, minlength=len(owners) * COST_BINS)
    cum = np.cumsum(hist.reshape(len(owners), COST_BINS), axis=1)
    reached = cum >= keep_first[owners][:, None]
    threshold = np.where(reached.any(axis=1), np.argmax(reached, axis=1), COST_BINS - 1)
    out: BoolArray = b <= threshold[local]
    return out


def _by_need_then_cost(need: IntArray, cost: FloatArray) -> IntArray:
    """Stable order by (need, cost): one argsort on a combined float key (needs are spaced
    wider than the cost range, so the key never mixes two needs)."""
    span = 2.0 * float(np.abs(cost).max(initial=0.0)) + 8.0
    key = need.astype(np.float64) * span + cost
    out: IntArray = np.argsort(key, kind="stable")
    return out


def _rank_in_need(need: IntArray) -> IntArray:
    """Position of each pair within its need (pairs sorted by need)."""
    out: IntArray = np.arange(len(need)) - np.searchsorted(need, need, side="left")
    return out


def _filter_chunk(
    problem: Problem,
    stages: Stages,
    need: IntArray,
    vol: IntArray,
    level: IntArray,
    stage_counts: IntArray,
    keep_first: IntArray | None,
    cap: FloatArray | None = None,
) -> tuple[IntArray, IntArray, IntArray, FloatArray, BoolArray, BoolArray]:
    """Apply the constraint stages to gathered pairs; returns the survivors sorted by (need,
    cost, volunteer) with their cost, and per need whether the cheap pre-cut dropped pairs.

    With ``keep_first`` (per need), the rule and availability stages (table lookups) first
    drop the pairs that cannot serve, then only the cheapest ``keep_first[j]`` of the rest go
    on to the exact distance and the bookings: the cost is known once the pair is in reach, so
    the rest could only be needed if many of those fail later (then the need is generated again
    without the cut). Pairs dropped before the exact distance count as in reach, and as passing
    the stages they were checked against.

    With ``cap`` (km per need), only pairs within the cap are looked at; a need is
    ``complete`` when its ``keep_first``-th cheapest approximate cost is within the cap's
    distance cost: every pair farther away costs more, so the wider search would keep exactly
    the same pairs."""
    nn = problem.needs.n
    cut = np.zeros(nn, dtype=bool)
    complete = np.zeros(nn, dtype=bool)
    rough = _rough_distance_km(problem, need, vol)
    keep = rough <= problem.volunteers.max_travel_km[vol] * 1.01 + 1.0
    if cap is not None:
        keep &= rough <= cap[need]
    idx = np.flatnonzero(keep)
    keep[idx] = association_eligible(problem, need[idx], vol[idx])
    need, vol, level, rough = need[keep], vol[keep], level[keep], rough[keep]
    if keep_first is not None and len(need):
        # rule and availability before the cut, so it ranks only pairs that can serve
        checked = np.bincount(need, minlength=nn)
        keep = np.ones(len(need), dtype=bool)
        for k, funcs in enumerate(stages[:2], start=1):
            for f in funcs:
                keep &= f(problem, need, vol)
            passed = np.bincount(need[keep], minlength=nn)
            stage_counts[:, :k] += (checked - passed)[:, None]
            checked = passed
        need, vol, level, rough = need[keep], vol[keep], level[keep], rough[keep]
        # cheapest first by an approximate cost (flat-earth distance); pairs arrive grouped by
        # need, so one stable sort on (need, approximate cost) ranks them within their need
        approx = _approx_cost(problem, need, vol, level, rough)
        if cap is None:
            pre = _cheapest_by_bins(need, approx, keep_first)
        else:
            order = _by_need_then_cost(need, approx)
            need, vol, level = need[order], vol[order], level[order]
            rank = _rank_in_need(need)
            at_m = rank == keep_first[need] - 1
            bound = problem.weights.distance_km * cap[need[at_m]]
            complete[need[at_m][approx[order][at_m] < bound]] = True
            pre = rank < keep_first[need]
        need, vol, level, before = need[pre], vol[pre], level[pre], need
        dropped = np.bincount(before, minlength=nn) - np.bincount(need, minlength=nn)
        cut |= dropped > 0
        stage_counts[:, :3] += dropped[:, None]
    dist = pair_distance_km(problem, need, vol)
    idx = np.flatnonzero(in_reach(dist, problem.volunteers.max_travel_km[vol]))  # = within_travel
    need, vol, level, dist = need[idx], vol[idx], level[idx], dist[idx]
    stage_counts[:, 0] += np.bincount(need, minlength=nn)
    keep = np.ones(len(need), dtype=bool)
    for k, funcs in enumerate(stages, start=1):
        for f in funcs:
            idx = np.flatnonzero(keep)
            keep[idx] = f(problem, need[idx], vol[idx])
        stage_counts[:, k] += np.bincount(need[keep], minlength=nn)
    need, vol, level, dist = need[keep], vol[keep], level[keep], dist[keep]
    cost = pair_cost(problem, need, vol, level, dist)
    order = _by_need_then_cost(need, cost)
    return need[order], vol[order], level[order], cost[order], cut, complete


def _generate(
    problem: Problem,
    stages: Stages,
    index: SkillIndex,
    needs: IntArray,
    limit: IntArray | None,
    stage_counts: IntArray,
    cap: FloatArray | None = None,
) -> tuple[IntArray, IntArray, IntArray, FloatArray, BoolArray, BoolArray, BoolArray]:
    """Candidates of ``needs``; with ``limit``, each need keeps its cheapest ``limit[j]``.
    Returns pairs plus per-need flags: truncated (limit dropped some), cut (pre-cut dropped)."""
    nd = problem.needs
    nn = nd.n
    truncated = np.zeros(nn, dtype=bool)
    cut_any = np.zeros(nn, dtype=bool)
    complete_any = np.zeros(nn, dtype=bool)
    out: list[tuple[IntArray, IntArray, IntArray, FloatArray]] = []
    buf_n: list[IntArray] = []
    buf_v: list[IntArray] = []
    buf_l: list[IntArray] = []
    keep_first = None if limit is None else PRECUT_FACTOR * limit

    def flush() -> None:
        if not buf_n:
            return
        need, vol, level = np.concatenate(buf_n), np.concatenate(buf_v), np.concatenate(buf_l)
        buf_n.clear()
        buf_v.clear()
        buf_l.clear()
        need, vol, level, cost, cut, complete = _filter_chunk(
            problem, stages, need, vol, level, stage_counts, keep_first, cap
        )
        cut_any[cut] = True
        complete_any[complete] = True
        if limit is not None and len(need):
            keep = _rank_in_need(need) < limit[need]
            truncated[need[~keep]] = True
            need, vol, level, cost = need[keep], vol[keep], level[keep], cost[keep]
        out.append((need, vol, level, cost))

    needs = needs[nd.count[needs] > 0]
    b_need, b_start, b_stop = _boxes(problem, index, needs, cap)
    size = np.cumsum(b_stop - b_start)
    lo = 0
    while lo < len(b_need):
        # cut chunks at need boundaries once they hold CHUNK_PAIRS entries
        hi = int(np.searchsorted(size, (size[lo - 1] if lo else 0) + CHUNK_PAIRS, side="right"))
        hi = max(hi, lo + 1)
        if hi < len(b_need):
            while hi < len(b_need) and b_need[hi] == b_need[hi - 1]:
                hi += 1
        n_, v_, l_ = _gather_ranges(problem, index, b_need[lo:hi], b_start[lo:hi], b_stop[lo:hi])
        buf_n.append(n_)
        buf_v.append(v_)
        buf_l.append(l_)
        flush()
        lo = hi
    flush()
    if not out:
        z = np.zeros(0, dtype=np.int64)
        return z, z, z, np.zeros(0), truncated, cut_any, complete_any
    return (
        np.concatenate([o[0] for o in out]),
        np.concatenate([o[1] for o in out]),
        np.concatenate([o[2] for o in out]),
        np.concatenate([o[3] for o in out]),
        truncated,
        cut_any,
        complete_any,
    )


def _merge_redo(
    problem: Problem,
    stages: Stages,
    index: SkillIndex,
    pairs: tuple[IntArray, IntArray, IntArray, FloatArray],
    redo: IntArray,
    limit: IntArray | None,
    counts: IntArray,
    truncated: BoolArray,
    cut: BoolArray,
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Generate ``redo`` needs again (no distance cap; with ``limit`` None also no pre-cut)
    and replace their pairs; returns all pairs sorted by (need, cost)."""
    need, vol, level, cost = pairs
    if len(redo) == 0:
        return need, vol, level, cost
    full = candidate_limit(problem.needs.count, problem.needs.slots)
    keep = ~np.isin(need, redo)
    counts[redo] = 0
    truncated[redo] = False
    cut[redo] = False
    n2, v2, l2, c2, t2, c2cut, _c = _generate(problem, stages, index, redo, limit, counts)
    k2 = _rank_in_need(n2) < full[n2]
    truncated[redo] = t2[redo] | np.isin(redo, n2[~k2])
    cut[redo] = c2cut[redo]
    need = np.concatenate([need[keep], n2[k2]])
    vol = np.concatenate([vol[keep], v2[k2]])
    level = np.concatenate([level[keep], l2[k2]])
    cost = np.concatenate([cost[keep], c2[k2]])
    order = np.lexsort((vol, cost, need))
    return need[order], vol[order], level[order], cost[order]


def build_candidates(problem: Problem, *, unlimited: bool = False) -> CandidateGraph:
    """All feasible (need, volunteer) pairs with costs, each need's cheapest ``candidate_limit``
    kept (all of them when ``unlimited``). Needs whose pre-cut left them short are generated
    again without it, so the cut never loses a candidate that would have been kept."""
    nd = problem.needs
    nn = nd.n
    index = build_skill_index(problem)
    stages = prepared_stages(problem)
    limit = None if unlimited else candidate_limit(nd.count, nd.slots)
    counts = np.zeros((nn, len(STAGE_NAMES)), dtype=np.int64)
    all_needs = np.flatnonzero(nd.count > 0)
    if limit is None:
        need, vol, level, cost, truncated, cut, _c = _generate(
            problem, stages, index, all_needs, None, counts
        )
    else:
        near = None if NEAR_KM is None else np.full(nn, NEAR_KM)
        need, vol, level, cost, truncated, cut, complete = _generate(
            problem, stages, index, all_needs, limit, counts, near
        )
        if near is not None:
            # near first: a need whose cheapest candidates all lie within NEAR_KM is done
            covered = index.max_travel[nd.skill].max(axis=1, initial=0.0) <= NEAR_KM
            redo = all_needs[~(complete | covered)[all_needs]]
            need, vol, level, cost = _merge_redo(
                problem, stages, index, (need, vol, level, cost), redo, limit, counts, truncated, cut
            )
        got = np.bincount(need, minlength=nn)
        # short after the cut, or left with none: the first pass counted some pairs as in
        # reach without the exact distance, and an empty need's counts name its reason
        short = np.flatnonzero((cut & (got < limit)) | ((nd.count > 0) & (got == 0)))
        if len(short):
            cut[short] = False
            need, vol, level, cost = _merge_redo(
                problem, stages, index, (need, vol, level, cost), short, None, counts, truncated, cut
            )
    truncated |= cut & ~truncated & (np.bincount(need, minlength=nn) >= (limit if limit is not None else 0))
    ptr = np.zeros(nn + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(need, minlength=nn))
    a = problem.shifts.association[nd.shift[need]]
    borrowed = ~problem.volunteers.member[vol, a]
    return CandidateGraph(
        ptr=ptr,
        vol=vol,
        level=level,
        cost=cost,
        borrowed=borrowed,
        stage_counts=counts,
        truncated=truncated,
    )


def candidate_matrix(problem: Problem, graph: CandidateGraph | None = None) -> sp.csr_matrix:
    """The candidate graph as one sparse biadjacency matrix for a bare SciPy solve (benchmark
    hook): rows are slots, columns are volunteers then one "unfilled" column per slot; weights
    are ``cost + 1`` on candidate edges and ``unfilled penalty + 1`` on a slot's own unfilled
    column (the +1 keeps weights non-zero). ``min_weight_full_bipartite_matching`` on it solves
    the problem relaxed to one slot per volunteer, with no rest/hours/quota coupling."""
    g = graph if graph is not None else build_candidates(problem)
    nd = problem.needs
    nslots = nd.slots
    nv = problem.volunteers.count
    per_need = np.diff(g.ptr)
    rows_l: list[IntArray] = []
    cols_l: list[IntArray] = []
    vals_l: list[FloatArray] = []
    for k in range(int(nd.count.max(initial=0))):
        js = np.flatnonzero(nd.count > k)
        e_n = per_need[js]
        idx = np.repeat(g.ptr[js] - np.cumsum(e_n) + e_n, e_n) + np.arange(int(e_n.sum()))
        rows_l.append(np.repeat(nd.slot_ptr[js] + k, e_n))
        cols_l.append(g.vol[idx])
        vals_l.append(g.cost[idx] + 1.0)
    pen = unfilled_penalty(problem)
    slot_need = np.repeat(np.arange(nd.n), nd.count)
    rows_l.append(np.arange(nslots))
    cols_l.append(nv + np.arange(nslots))
    vals_l.append(pen[slot_need] + 1.0)
    m = sp.csr_matrix(
        (np.concatenate(vals_l), (np.concatenate(rows_l), np.concatenate(cols_l))),
        shape=(nslots, nv + nslots),
    )
    return m


def unfilled_penalty(problem: Problem) -> FloatArray:
    """Per need: the objective penalty of one unfilled slot (urgent or normal)."""
    w = problem.weights
    urgent = problem.shifts.urgent[problem.needs.shift]
    out: FloatArray = np.where(urgent, w.urgent_unfilled, w.unfilled)
    return out
