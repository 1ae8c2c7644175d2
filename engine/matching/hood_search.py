"""The exact sub-solve of a neighbourhood: freed needs filled again by branch and bound.

``engine.matching.neighbourhood`` frees every slot of a few needs and hands their candidate
options (``HoodOption``: edges still compatible with the fixed assignments) here. The needs are
first split into parts that cannot affect each other (``parts``): two needs are in one part when
a volunteer is an option of both, or a lender is for more volunteers wanting a new loan from it
than it has quota left (a lender with room for all of them lends with no branching and no quota
check, ``loosen``). Each part is searched depth first (``HoodSearch``), exact over its slots:

- slots of one need take options in increasing cost order (no permutation is searched twice);
- an option is checked against the ones chosen (overlap and rest, weekly hours); a loan takes a
  lender already counting the volunteer (no quota spent) or branches over the lenders with
  quota left;
- the bound gives every open slot its cheapest option or its penalty, whichever is lower; once
  a volunteer is chosen, options that no longer fit beside the choices are left out of it, so a
  need left with fewer options than open slots pays the penalty at once (``_bound``: without
  it, a cheap choice that leaves a later need empty had every fill of the needs between tried);
- only a result strictly below the incumbent (the part's current cost) is returned.

Deterministic: options, needs and lenders in a fixed order, a node budget instead of a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from engine.types import BoolArray, IntArray

NODE_BUDGET = 2_000  # branch-and-bound nodes per part (a deterministic budget)
GAIN_EPS = 1e-6  # a result is kept when it lowers the objective by more than this

Choice = tuple[int, "HoodOption", int]  # (need position in the part, option, lender or -1)


@dataclass(frozen=True)
class HoodOption:
    """One candidate edge of a freed need, as the fixed part leaves it."""

    edge: int
    vol: int
    cost: float
    shift: int  # index among the neighbourhood's shifts (``HoodSearch.clash``)
    lenders: tuple[int, ...]  # lenders that may lend it; empty for a member of the shift's association
    free: bool  # its one lender needs no quota check: it already counts the volunteer, or has room
    # for every volunteer of the neighbourhood who may want a loan from it (``loosen``)
    load: tuple[tuple[int, float, float], ...]  # per instance week it touches: (week, the shift's
    # hours, maxHoursWeek minus booked and fixed new hours)


class _Budget(Exception):
    """The node budget of one neighbourhood is spent."""


class HoodSearch:
    """Depth-first branch and bound over one part of the freed needs (module docstring)."""

    def __init__(
        self,
        options: list[list[HoodOption]],
        counts: list[int],
        penalty: list[float],
        clash: BoolArray,
        quota_left: IntArray,
        fixed_lent: np.ndarray,
        incumbent: float,
        budget: int = NODE_BUDGET,
    ) -> None:
        self.options = options
        self.counts = counts
        self.penalty = penalty
        self.clash = clash
        self.quota_left = quota_left
        self.fixed_lent = fixed_lent
        self.best = incumbent - GAIN_EPS
        self.best_choice: list[Choice] | None = None
        self.nodes = 0
        self.budget = budget
        self.chosen: list[Choice] = []
        self.shifts_of: dict[int, list[int]] = {}
        self.hours_of: dict[int, dict[int, float]] = {}  # per volunteer: week -> chosen hours
        self.lent_of: dict[tuple[int, int], int] = {}
        self.new_loans = np.zeros(len(quota_left), dtype=np.int64)
        # bound: per need, prefix sums of option costs capped at the need's penalty
        self.capped = [
            np.concatenate([[0.0], np.cumsum(np.minimum([o.cost for o in opts], pen))])
            for opts, pen in zip(options, penalty, strict=True)
        ]
        self.suffix = [0.0] * (len(options) + 1)
        for p in range(len(options) - 1, -1, -1):
            self.suffix[p] = self.suffix[p + 1] + self._partial(p, 0, counts[p])

    def _partial(self, p: int, start: int, left: int) -> float:
        """Lower bound of need ``p``'s ``left`` slots still open, options from ``start`` on."""
        cum = self.capped[p]
        k = min(left, len(cum) - 1 - start)
        return float(cum[start + k] - cum[start]) + (left - k) * self.penalty[p]

    def _bound(self, p: int, start: int, left: int, limit: float) -> float:
        """The static bound of ``_partial`` with the options that no longer fit beside the ones
        chosen (overlap, rest, weekly hours) left out, so a branch where a need cannot be filled
        any more pays its penalty at once; stops as soon as it reaches ``limit``."""
        total = 0.0
        for q in range(p, len(self.options)):
            want = left if q == p else self.counts[q]
            pen = self.penalty[q]
            got = 0
            for opt in self.options[q][start if q == p else 0 :]:
                if got == want or opt.cost >= pen:
                    break
                if opt.vol in self.shifts_of and not self._fits(opt):
                    continue
                total += opt.cost
                got += 1
            total += (want - got) * pen
            if total >= limit:
                break
        return total

    def run(self) -> list[Choice] | None:
        try:
            self._need(0, 0, self.counts[0] if self.counts else 0, 0.0)
        except _Budget:
            pass
        return self.best_choice

    def _need(self, p: int, start: int, left: int, cur: float) -> None:
        self.nodes += 1
        if self.nodes > self.budget:
            raise _Budget
        if p == len(self.options):
            if cur < self.best:
                self.best = cur
                self.best_choice = list(self.chosen)
            return
        if cur + self._partial(p, start, left) + self.suffix[p + 1] >= self.best:
            return
        if self.shifts_of and cur + self._bound(p, start, left, self.best - cur) >= self.best:
            return
        opts = self.options[p]
        pen = self.penalty[p]
        if left > 0:
            for o in range(start, len(opts)):
                opt = opts[o]
                if opt.cost >= pen:
                    break  # cost order: no later option beats leaving the slot open
                if not self._fits(opt):
                    continue
                for lender in self._lenders(opt):
                    self._push(p, opt, lender)
                    self._need(p, o + 1, left - 1, cur + opt.cost)
                    self._pop(opt, lender)
        nxt = self.counts[p + 1] if p + 1 < len(self.counts) else 0
        self._need(p + 1, 0, nxt, cur + left * pen)

    def _fits(self, opt: HoodOption) -> bool:
        v = opt.vol
        for s in self.shifts_of.get(v, ()):
            if self.clash[opt.shift, s]:
                return False
        used = self.hours_of.get(v)
        if used is None:
            return True
        return all(hours <= room - used.get(week, 0.0) for week, hours, room in opt.load)

    def _lenders(self, opt: HoodOption) -> tuple[int, ...] | list[int]:
        if not opt.lenders:
            return (-1,)
        if opt.free:
            return opt.lenders
        v = opt.vol
        for lender in opt.lenders:  # already counting this volunteer: no quota spent
            if self.fixed_lent[v, lender] > 0 or self.lent_of.get((v, lender), 0) > 0:
                return [lender]
        return [x for x in opt.lenders if self.quota_left[x] - self.new_loans[x] > 0]

    def _push(self, p: int, opt: HoodOption, lender: int) -> None:
        v = opt.vol
        self.chosen.append((p, opt, lender))
        self.shifts_of.setdefault(v, []).append(opt.shift)
        used = self.hours_of.setdefault(v, {})
        for week, hours, _room in opt.load:
            used[week] = used.get(week, 0.0) + hours
        if lender >= 0:
            k = (v, lender)
            n = self.lent_of.get(k, 0)
            if n == 0 and self.fixed_lent[v, lender] == 0:
                self.new_loans[lender] += 1
            self.lent_of[k] = n + 1

    def _pop(self, opt: HoodOption, lender: int) -> None:
        v = opt.vol
        self.chosen.pop()
        self.shifts_of[v].pop()
        if not self.shifts_of[v]:
            del self.shifts_of[v]
            del self.hours_of[v]
        else:
            used = self.hours_of[v]
            for week, hours, _room in opt.load:
                used[week] -= hours
        if lender >= 0:
            k = (v, lender)
            n = self.lent_of[k] - 1
            if n == 0:
                del self.lent_of[k]
                if self.fixed_lent[v, lender] == 0:
                    self.new_loans[lender] -= 1
            else:
                self.lent_of[k] = n


def loan_wanters(options: list[list[HoodOption]]) -> dict[int, set[int]]:
    """Per lender, the volunteers that may want a new loan from it among ``options``."""
    out: dict[int, set[int]] = {}
    for opts in options:
        for o in opts:
            if not o.free:
                for x in o.lenders:
                    out.setdefault(x, set()).add(o.vol)
    return out


def loosen(options: list[list[HoodOption]], quota_left: IntArray) -> list[list[HoodOption]]:
    """A loan that a lender with room for every volunteer who may want it can give is given by
    that lender, with no branching and no quota check (its choice can never block another)."""
    wanting = loan_wanters(options)
    loose = {x for x, vols in wanting.items() if len(vols) <= quota_left[x]}
    if not loose:
        return options
    out: list[list[HoodOption]] = []
    for opts in options:
        row: list[HoodOption] = []
        for o in opts:
            if not o.free:
                pick = next((x for x in o.lenders if x in loose), None)
                if pick is not None:
                    o = replace(o, lenders=(pick,), free=True)
            row.append(o)
        out.append(row)
    return out


def parts(options: list[list[HoodOption]], quota_left: IntArray) -> list[list[int]]:
    """The freed needs split into parts that cannot affect each other: two needs are in one
    part when a volunteer is an option of both, or a lender is, for more volunteers wanting a
    new loan from it than it has quota left."""
    n = len(options)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(needs: list[int]) -> None:
        root = find(needs[0])
        for x in needs[1:]:
            parent[find(x)] = root

    by_vol: dict[int, list[int]] = {}
    by_lender: dict[int, list[int]] = {}
    wanting = loan_wanters(options)
    for p, opts in enumerate(options):
        for o in opts:
            by_vol.setdefault(o.vol, []).append(p)
            if not o.free:
                for x in o.lenders:
                    by_lender.setdefault(x, []).append(p)
    for needs in by_vol.values():
        join(needs)
    for x, needs in by_lender.items():
        if len(wanting[x]) > quota_left[x]:
            join(needs)
    parts: dict[int, list[int]] = {}
    for p in range(n):
        parts.setdefault(find(p), []).append(p)
    return sorted(parts.values())
