"""Time-conflict clusters: groups of shifts that pairwise conflict for every volunteer.

Two shifts conflict when they overlap or leave less than ``minRestHours`` between them (unless
back to back within one event). Stretching each shift to ``[start, end + rest)``, shifts that
share a point of time pairwise conflict, so a volunteer takes at most one slot per cluster.
Greedy stabbing by earliest stretched end gives a minimum clique cover of this interval graph;
a shift that is back to back with a member of the same event is kept out (they are compatible).
"""

from __future__ import annotations

import numpy as np

from engine.types import IntArray, Problem


def cluster_shifts(problem: Problem) -> IntArray:
    """Cluster id per shift; ids are numbered in order of the clusters' stabbing time."""
    sh = problem.shifts
    n = sh.count
    rest = problem.rules.min_rest_hours * 3600.0
    reach = sh.end + rest
    idx = np.arange(n)
    by_reach = np.lexsort((idx, sh.start, reach))
    by_start = np.lexsort((idx, reach, sh.start))
    cluster = np.full(n, -1, dtype=np.int64)
    starts = sh.start.tolist()
    ends = sh.end.tolist()
    events = sh.event.tolist()
    order_s = by_start.tolist()
    ptr = 0
    leftovers: list[int] = []
    next_id = 0
    for i in by_reach.tolist():
        if cluster[i] >= 0:
            continue
        cid = next_id
        next_id += 1
        cluster[i] = cid
        r = reach[i]
        member_starts = {(events[i], starts[i])}
        member_ends = {(events[i], ends[i])}
        candidates = leftovers
        leftovers = []
        while ptr < n and starts[order_s[ptr]] < r:
            candidates.append(order_s[ptr])
            ptr += 1
        for j in candidates:
            if cluster[j] >= 0:
                continue
            ev = events[j]
            if (ev, ends[j]) in member_starts or (ev, starts[j]) in member_ends:
                leftovers.append(j)  # back to back with a member: compatible, not a clique
                continue
            cluster[j] = cid
            member_starts.add((ev, starts[j]))
            member_ends.add((ev, ends[j]))
    return cluster
