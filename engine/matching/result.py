"""Write a ``Solution`` in the "tahaluf-result/1" format (INSTANCE.md "Result")."""

from __future__ import annotations

from typing import Any

from engine.types import Problem, Solution

FORMAT = "tahaluf-result/1"


def solution_to_dict(problem: Problem, solution: Solution) -> dict[str, Any]:
    """Result mapping: assignments (with ``cost`` and per-term ``terms``), unfilled slots with
    their reason, and stats (``seconds``, ``solver`` and the solver's measurements)."""
    sh = problem.shifts
    nd = problem.needs
    assoc = problem.associations.ids
    vols = problem.volunteers.ids
    assignments = [
        {
            "shift": sh.ids[int(nd.shift[a.need])],
            "need": int(nd.index[a.need]),
            "volunteer": vols[a.volunteer],
            "lender": assoc[a.lender] if a.lender >= 0 else None,
            "cost": a.cost,
            "terms": dict(a.terms),
        }
        for a in solution.assignments
    ]
    unfilled = [
        {
            "shift": sh.ids[int(nd.shift[u.need])],
            "need": int(nd.index[u.need]),
            "count": u.count,
            "reason": u.reason,
        }
        for u in solution.unfilled
    ]
    stats: dict[str, Any] = {"seconds": 0.0, "solver": "tahaluf"}
    stats.update(solution.stats)
    stats["objective"] = solution.objective
    return {"format": FORMAT, "assignments": assignments, "unfilled": unfilled, "stats": stats}
