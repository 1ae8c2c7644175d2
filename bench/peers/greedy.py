"""Greedy first-fit baseline: urgent slots first, then by start time; each slot takes its
cheapest candidate that is still feasible given what was already taken."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import numpy as np

from bench.peers.model import PeerModel, build_model, to_result


class Ledger:
    """What has been taken so far: per volunteer its shifts and hours per week, per lender whom."""

    def __init__(self, model: PeerModel) -> None:
        self.model = model
        self.shifts: dict[int, list[int]] = defaultdict(list)
        self.used: dict[tuple[int, tuple[int, int]], float] = defaultdict(float)
        self.lent: dict[int, set[int]] = defaultdict(set)

    def fits(self, vol: int, shift: int, lender: int) -> bool:
        m = self.model
        if any(m.conflict(shift, other) for other in self.shifts.get(vol, ())):
            return False
        for week, hours in m.shift_weeks[shift].items():
            if self.used.get((vol, week), 0.0) + hours > m.budget(vol, week) + 1e-9:
                return False
        if lender >= 0:
            lent = self.lent.get(lender, set())
            if vol not in lent and len(lent) >= m.quota.get(lender, 0):
                return False
        return True

    def take(self, vol: int, shift: int, lender: int) -> None:
        self.shifts[vol].append(shift)
        for week, hours in self.model.shift_weeks[shift].items():
            self.used[(vol, week)] += hours
        if lender >= 0:
            self.lent[lender].add(vol)


def greedy_choose(model: PeerModel) -> list[int]:
    starts = np.searchsorted(model.e_need, np.arange(len(model.needs) + 1))
    order = sorted(
        range(len(model.needs)),
        key=lambda k: (
            not model.shift_urgent[model.needs[k].shift],
            model.shift_start[model.needs[k].shift],
            k,
        ),
    )
    ledger = Ledger(model)
    chosen: list[int] = []
    for k in order:
        need = model.needs[k]
        left = need.count
        for e in range(int(starts[k]), int(starts[k + 1])):  # edges of a need are sorted by cost
            if left == 0:
                break
            vol, lender = int(model.e_vol[e]), int(model.e_lender[e])
            if ledger.fits(vol, need.shift, lender):
                ledger.take(vol, need.shift, lender)
                chosen.append(e)
                left -= 1
    return chosen


def solve(instance: dict[str, Any], time_limit: float = 60.0) -> dict[str, Any]:
    began = time.perf_counter()
    model = build_model(instance)
    chosen = greedy_choose(model)
    return to_result(
        model,
        chosen,
        "greedy",
        time.perf_counter() - began,
        {"buildSeconds": round(model.seconds_build, 3), "edges": int(len(model.e_vol))},
    )
