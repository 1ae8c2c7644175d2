"""Neighbourhood re-solves: a few needs around one seed freed and filled again exactly.

Block re-solves, ejection chains and lender moves each change one kind of thing at a time. Some
gains need several at once. Found on generated S-size instances against the exact MILP: a full
lender keeps a candidate out of a short slot until one volunteer it lends gives up both of its
shifts; one of them is taken by a volunteer who leaves a third, which a fourth takes.

Seeds: every need still short that has candidates (most valuable first), then every filled
need. Around a seed, the needs whose release would let one of its candidates in are its
blocking groups (``_blockers``): the candidate's own needs when rest, overlap or weekly hours
keep it out; when only full lenders keep it out, the needs of each volunteer such a lender
lends, with the candidate's other short needs (``OTHER_USES``: a loan moved from one volunteer
to another pays off only when the new one fills as many slots). A filled seed looks only at
candidates cheaper than its dearest holder. Neighbourhoods tried, smallest first, until one
gains: a short seed alone; per blocking group, the seed, the group and the groups blocking the
group's needs, up to ``CHAIN_NEEDS`` needs; last, the breadth-first closure of blocking groups,
up to ``NEIGHBOURHOOD_NEEDS``.

Every slot of a neighbourhood is freed and its needs are filled again by the exact branch and
bound of ``engine.matching.hood_search`` over their candidates still compatible with the fixed
part (each need keeps its count plus ``EXTRA_OPTIONS`` of the cheapest, and the edges it held).
A part is kept only when it lowers the objective; otherwise its slots are put back as they
were. Parts are cut with the quota left before the slots were freed, so a lender counted loose
(room for everyone wanting it) stays within its quota whichever parts are put back.

Deterministic: seeds, groups and candidates in index and cost order; node budgets per part and
per run (``TOTAL_NODES``) instead of a clock (the CPU-time deadline is only a safety net).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from engine.matching.constraints import conflicts
from engine.matching.hood_search import NODE_BUDGET, HoodOption, HoodSearch, loosen, parts
from engine.matching.residual import Residual, SolverState, unrevoked
from engine.types import BoolArray, FloatArray, IntArray

NEIGHBOURHOOD_NEEDS = 16  # needs freed in the broad neighbourhood of one seed
CHAIN_NEEDS = 8  # needs freed in a neighbourhood grown from one blocking group
FIRST_STEPS = 24  # blocking groups of the seed tried, each its own neighbourhood
TOTAL_NODES = 600_000  # branch-and-bound nodes per run: about two seconds on two cores
OTHER_USES = 4  # other short needs of a quota-blocked candidate freed with a lender's loan
EXTRA_OPTIONS = 6  # a freed need keeps its count plus this many cheapest options
ROUNDS = 3  # passes over the seeds; a pass that gains nothing ends them


class NeighbourhoodSearch:
    """Seeds re-solved exactly with the needs that block their candidates (module docstring)."""

    def __init__(
        self,
        residual: Residual,
        penalty: FloatArray,
        state: SolverState,
        revoked: set[tuple[int, int]],
        total_nodes: int = TOTAL_NODES,
    ) -> None:
        self.res = residual
        self.problem = residual.problem
        self.graph = residual.graph
        self.penalty = penalty  # per need
        self.state = state
        self.revoked = revoked
        self.slot_ptr = self.problem.needs.slot_ptr
        self.nodes = 0
        self.total_nodes = total_nodes
        self.vol_edges, self.vol_ptr = self.graph.by_volunteer(self.problem.volunteers.count)
        # what the state says about holders, quota and short needs, and the blocking groups
        # found from it: kept until a re-solve changes the state (one put back leaves it as it was)
        self._view: _View | None = None

    @property
    def nodes_left(self) -> int:
        return self.total_nodes - self.nodes

    # ------------------------------------------------------------ the neighbourhoods
    def _holders(self) -> tuple[dict[int, list[int]], dict[int, dict[int, list[int]]]]:
        """Needs held per volunteer, and per lender the needs of each volunteer it lends, in
        slot order."""
        st = self.state
        filled = np.flatnonzero(st.slot_edge >= 0)
        held: dict[int, list[int]] = {}
        lent: dict[int, dict[int, list[int]]] = {}
        needs = self.res.slot_need[filled].tolist()
        vols = self.graph.vol[st.slot_edge[filled]].tolist()
        for j, v, lender in zip(needs, vols, st.slot_lender[filled].tolist(), strict=True):
            held.setdefault(v, []).append(j)
            if lender >= 0:
                lent.setdefault(lender, {}).setdefault(v, []).append(j)
        return held, lent

    def _lender_row(self, edge: int, v: int) -> list[int]:
        res = self.res
        row = unrevoked(res.edge_opts[res.opt_row[edge]], v, self.revoked)
        out: list[int] = np.flatnonzero(row).tolist()
        return out

    def _blockers(
        self,
        j: int,
        held: dict[int, list[int]],
        lent: dict[int, dict[int, list[int]]],
        left: IntArray,
        short: BoolArray,
        below: float = np.inf,
    ) -> list[list[int]]:
        """Groups of needs whose release would let a candidate of ``j`` costing less than
        ``below`` in, cheapest candidate first: the candidate's own needs when rest, overlap or
        weekly hours keep it out; when only full lenders keep it out, the needs of each
        volunteer such a lender lends, with up to ``OTHER_USES`` other short needs the
        candidate could fill (one loan taken from another volunteer pays off only when the
        new one fills as many slots)."""
        g, st, res = self.graph, self.state, self.res
        edges = np.arange(g.ptr[j], g.ptr[j + 1])
        edges = edges[g.cost[edges] < below]
        if len(edges) == 0:
            return []
        free = res.fits_hours(st, edges) & res.free_of_new(st, edges)
        groups: list[list[int]] = []
        seen: set[tuple[int, ...]] = set()

        def add(needs: list[int]) -> None:
            group = tuple(sorted(set(needs) - {j}))
            if group and group not in seen:
                seen.add(group)
                groups.append(list(group))

        for e, ok in zip(edges.tolist(), free.tolist(), strict=True):
            v = int(g.vol[e])
            if not ok:
                add(held.get(v, []))
            if g.borrowed[e]:
                row = self._lender_row(e, v)
                if not any(st.lent[v, x] > 0 or left[x] > 0 for x in row):
                    others = self._other_uses(v, j, short)
                    for x in row:
                        for w in sorted(lent.get(x, {})):
                            add(lent[x][w] + others)
        return groups

    def _other_uses(self, v: int, j: int, short: BoolArray) -> list[int]:
        """Short needs other than ``j`` that ``v`` is a candidate of, cheapest first."""
        edges = self.vol_edges[self.vol_ptr[v] : self.vol_ptr[v + 1]]
        needs = self.res.edge_need[edges]
        picked = needs[short[needs] & (needs != j)]
        out: list[int] = picked[:OTHER_USES].tolist()
        return out

    def neighbourhoods(self, seed: int, short: bool) -> list[list[int]]:
        """Needs to free around ``seed``, smallest first: a short seed alone; per group of needs
        blocking one of its candidates (``_blockers``; for a filled seed, only candidates
        cheaper than its dearest holder), the seed, the group and the groups blocking the
        group's needs' candidates, up to ``CHAIN_NEEDS``; last, the breadth-first closure of
        blockers up to ``NEIGHBOURHOOD_NEEDS``."""
        view = self.view()
        held, lent, left, short_of, cache = view.held, view.lent, view.left, view.short, view.groups
        own: list[list[int]] | None = None  # a filled seed's groups: only cheaper candidates

        def blockers(j: int) -> list[list[int]]:
            if j == seed and own is not None:
                return own
            if j not in cache:
                cache[j] = self._blockers(j, held, lent, left, short_of)
            return cache[j]

        def grow(hood: list[int], limit: int, frontier: int) -> list[int]:
            at = frontier
            while at < len(hood) and len(hood) < limit:
                for group in blockers(hood[at]):
                    extra = [x for x in group if x not in hood]
                    if extra and len(hood) + len(extra) <= limit:
                        hood.extend(extra)
                at += 1
            return hood

        out = [[seed]] if short else []
        seen: set[tuple[int, ...]] = {(seed,)}
        below = np.inf
        if not short:
            ptr, st = self.slot_ptr, self.state
            held_edges = st.slot_edge[ptr[seed] : ptr[seed + 1]]
            below = float(self.graph.cost[held_edges[held_edges >= 0]].max(initial=-np.inf))
            own = self._blockers(seed, held, lent, left, short_of, below)
            if not own:
                return []
        for group in blockers(seed)[:FIRST_STEPS]:
            hood = grow([seed, *group], CHAIN_NEEDS, 1)
            key = tuple(sorted(hood))
            if len(hood) > 1 and key not in seen:
                seen.add(key)
                out.append(hood)
        broad = grow([seed], NEIGHBOURHOOD_NEEDS, 0)
        if len(broad) == 1:
            return out
        if tuple(sorted(broad)) not in seen:
            out.append(broad)
        return out

    def view(self) -> _View:
        """The state's holders, quota left and short needs, built again only after a gain."""
        if self._view is None:
            held, lent = self._holders()
            res = self.res
            filled = np.bincount(res.slot_need[self.state.slot_edge >= 0], minlength=len(self.penalty))
            short: BoolArray = filled < self.problem.needs.count
            self._view = _View(held, lent, res.remaining_quota(self.state), short, {})
        return self._view

    # ------------------------------------------------------------ one exact re-solve
    def resolve(self, needs: list[int]) -> bool:
        """Free every slot of ``needs`` and fill them again by branch and bound, one independent
        part at a time (needs that share no candidate and no lender short of quota); each part
        is kept only when it gains."""
        st, res, g = self.state, self.res, self.graph
        ptr = self.slot_ptr
        rank = {j: r for r, j in enumerate(needs)}  # breadth-first order: the chain's order
        needs = sorted(needs)
        slots = np.concatenate([np.arange(ptr[j], ptr[j + 1]) for j in needs])
        old_edge = st.slot_edge[slots].copy()
        old_lender = st.slot_lender[slots].copy()
        # quota left with the old loans still counted: a lender is loose or apart only if it has
        # room for everyone wanting it even when every part is put back as it was
        before = res.remaining_quota(st)
        for s in slots.tolist():
            res.apply_one(st, s, -1)
        st.slot_edge[slots] = -1
        st.slot_lender[slots] = -1
        options, clash = self._options(needs, set(old_edge[old_edge >= 0].tolist()))
        left = res.remaining_quota(st)
        pen = self.penalty
        gained = False
        options = loosen(options, before)
        for part in parts(options, before):
            part.sort(key=lambda p: rank[needs[p]])  # searched from the short need outwards
            part_slots = [s for p in part for s in range(int(ptr[needs[p]]), int(ptr[needs[p] + 1]))]
            at = np.searchsorted(slots, part_slots)  # slots are increasing: needs in index order
            incumbent = float(
                sum(
                    g.cost[e] if e >= 0 else pen[res.slot_need[s]]
                    for s, e in zip(part_slots, old_edge[at].tolist(), strict=True)
                )
            )
            search = HoodSearch(
                [options[p] for p in part],
                [int(self.problem.needs.count[needs[p]]) for p in part],
                [float(pen[needs[p]]) for p in part],
                clash,
                left,
                st.lent,
                incumbent,
                min(NODE_BUDGET, self.nodes_left),
            )
            choice = search.run()
            self.nodes += search.nodes
            if choice is None:  # put the part back as it was
                st.slot_edge[part_slots] = old_edge[at]
                st.slot_lender[part_slots] = old_lender[at]
                for s in part_slots:
                    res.apply_one(st, s, +1)
                left = res.remaining_quota(st)
                continue
            gained = True
            self._view = None
            nxt = {q: int(ptr[needs[p]]) for q, p in enumerate(part)}
            for q, opt, lender in choice:
                s = nxt[q]
                nxt[q] += 1
                st.slot_edge[s] = opt.edge
                st.slot_lender[s] = lender
                res.apply_one(st, s, +1)
            left = res.remaining_quota(st)
        return gained

    def _options(self, needs: list[int], held: set[int]) -> tuple[list[list[HoodOption]], BoolArray]:
        """Per freed need, its candidate edges compatible with the fixed part (cost order): its
        count plus ``EXTRA_OPTIONS`` of the cheapest, and always the edges it ``held`` before it
        was freed, so a part put back as it was is one of the options (its volunteers and
        loans join the parts they touch); and the clash matrix of the shifts they are on."""
        st, res, g = self.state, self.res, self.graph
        sh = self.problem.shifts
        left = res.remaining_quota(st)
        shift_ids = sorted({int(res.edge_shift[e]) for j in needs for e in range(g.ptr[j], g.ptr[j + 1])})
        local = {s: i for i, s in enumerate(shift_ids)}
        ids = np.array(shift_ids, dtype=np.int64)
        a, b = np.meshgrid(ids, ids, indexing="ij")
        clash: BoolArray = conflicts(
            sh.start[a], sh.end[a], sh.event[a], sh.start[b], sh.end[b], sh.event[b], res.rest
        )
        options: list[list[HoodOption]] = []
        for j in needs:
            edges = np.arange(g.ptr[j], g.ptr[j + 1])  # cost order (``CandidateGraph``)
            if len(edges):
                edges = edges[res.fits_hours(st, edges) & res.free_of_new(st, edges)]
            keep = int(self.problem.needs.count[j]) + EXTRA_OPTIONS
            opts: list[HoodOption] = []
            for e in edges.tolist():
                if len(opts) >= keep and e not in held:
                    continue
                v = int(g.vol[e])
                lenders: tuple[int, ...] = ()
                counted = False
                if g.borrowed[e]:
                    lenders = tuple(x for x in self._lender_row(e, v) if st.lent[v, x] > 0 or left[x] > 0)
                    if not lenders:
                        continue
                    free = [x for x in lenders if st.lent[v, x] > 0]
                    if free:  # a lender already counting the volunteer costs no quota
                        lenders, counted = (free[0],), True
                opts.append(
                    HoodOption(
                        edge=e,
                        vol=v,
                        cost=float(g.cost[e]),
                        shift=local[int(res.edge_shift[e])],
                        lenders=lenders,
                        free=counted,
                        load=_load(res.edge_week_hours[e], res.edge_week_cap[e] - st.used_hours[v]),
                    )
                )
            options.append(opts)
        return options, clash


@dataclass
class _View:
    """``NeighbourhoodSearch.view``: read off the state once per change."""

    held: dict[int, list[int]]
    lent: dict[int, dict[int, list[int]]]
    left: IntArray
    short: BoolArray
    groups: dict[int, list[list[int]]]


def _load(hours: FloatArray, room: FloatArray) -> tuple[tuple[int, float, float], ...]:
    """``HoodOption.load``: (week, hours, room) for the weeks the shift has hours in."""
    weeks = np.flatnonzero(hours > 0.0).tolist()
    return tuple((w, float(hours[w]), float(room[w])) for w in weeks)


def fill_by_neighbourhoods(
    residual: Residual,
    penalty: FloatArray,
    state: SolverState,
    revoked: set[tuple[int, int]],
    deadline: float,
    *,
    short_only: bool = False,
    total_nodes: int = TOTAL_NODES,
) -> tuple[int, int]:
    """Re-solve the neighbourhoods of every short need with candidates (most valuable first),
    then (unless ``short_only``) of every filled one, up to ``ROUNDS`` passes and until a pass
    gains nothing, within ``total_nodes`` of branch and bound; returns (re-solves kept, nodes
    searched)."""
    search = NeighbourhoodSearch(residual, penalty, state, revoked, total_nodes)
    g = residual.graph
    has_edges = np.diff(g.ptr) > 0
    kept = 0
    for _round in range(ROUNDS):
        short_of = search.view().short
        short: IntArray = np.flatnonzero(has_edges & short_of)
        seeds = [(j, True) for j in short[np.lexsort((short, -penalty[short]))].tolist()]
        if not short_only:
            seeds += [(j, False) for j in np.flatnonzero(has_edges & ~short_of).tolist()]
        gained = 0
        for j, is_short in seeds:
            if time.process_time() > deadline or search.nodes_left <= 0:
                break
            for hood in search.neighbourhoods(j, is_short):
                if search.nodes_left <= 0:
                    break
                if search.resolve(hood):
                    gained += 1
                    break
        kept += gained
        if gained == 0:
            break
    return kept, search.nodes
