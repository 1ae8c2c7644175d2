"""Volunteer matching engine: instance in, assignments with cost breakdowns out.

Public API: ``parse_instance`` (engine.matching.instance), ``solve`` (engine.matching.solve),
``solution_to_dict`` (engine.matching.result) and the one-call ``solve_instance``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def solve_instance(
    data: Mapping[str, Any], *, progress: Callable[[float], None] | None = None
) -> dict[str, Any]:
    """Parse an INSTANCE.md mapping, solve it and return the "tahaluf-result/1" mapping."""
    from engine.matching.instance import parse_instance
    from engine.matching.result import solution_to_dict
    from engine.matching.solve import solve

    problem = parse_instance(data)
    return solution_to_dict(problem, solve(problem, progress=progress))


__all__ = ["solve_instance"]
