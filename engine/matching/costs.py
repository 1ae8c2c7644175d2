"""Cost terms of the objective (INSTANCE.md "Objective"), each a small named function.

A term takes the problem, a batch of (need, volunteer) pairs and the volunteers' lowest
qualifying level for each need, and returns the WEIGHTED contribution of every pair, so the
cost of an assignment is the sum of its terms and ``terms`` in a result add up to ``cost``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from engine.matching.constraints import pair_distance_km
from engine.types import FloatArray, IntArray, Problem

CostTerm = Callable[[Problem, IntArray, IntArray, IntArray], FloatArray]


def distance(problem: Problem, need: IntArray, vol: IntArray, level: IntArray) -> FloatArray:
    """``distanceKm * d``: great-circle km from the volunteer's home to the shift."""
    out: FloatArray = problem.weights.distance_km * pair_distance_km(problem, need, vol)
    return out


def over_level(problem: Problem, need: IntArray, vol: IntArray, level: IntArray) -> FloatArray:
    """``overLevel * (level - minLevel)`` with the LOWEST qualifying level (do not spend the only
    physician on packing boxes)."""
    gap = np.maximum(level - problem.needs.min_level[need], 0)
    out: FloatArray = problem.weights.over_level * gap.astype(np.float64)
    return out


def hours_this_month(problem: Problem, need: IntArray, vol: IntArray, level: IntArray) -> FloatArray:
    """``hoursThisMonth * h / 10``: fairness, spread work over those who did less this month."""
    out: FloatArray = problem.weights.hours_this_month * problem.volunteers.hours_this_month[vol] / 10.0
    return out


def unreliability(problem: Problem, need: IntArray, vol: IntArray, level: IntArray) -> FloatArray:
    """``unreliability * (1 - r)``: no-show history."""
    out: FloatArray = problem.weights.unreliability * (1.0 - problem.volunteers.reliability[vol])
    return out


def exchange(problem: Problem, need: IntArray, vol: IntArray, level: IntArray) -> FloatArray:
    """``exchange * [borrowed]``: own volunteers first; borrowed = not a member of the shift's
    association."""
    own = problem.volunteers.member[vol, problem.shifts.association[problem.needs.shift[need]]]
    out: FloatArray = problem.weights.exchange * (~own).astype(np.float64)
    return out


#: (result name, function) in the order terms are reported
TERMS: tuple[tuple[str, CostTerm], ...] = (
    ("distance", distance),
    ("overLevel", over_level),
    ("hoursThisMonth", hours_this_month),
    ("unreliability", unreliability),
    ("exchange", exchange),
)


def pair_cost(
    problem: Problem,
    need: IntArray,
    vol: IntArray,
    level: IntArray,
    distance_km: FloatArray | None = None,
) -> FloatArray:
    """Total cost of each pair (sum of all terms); ``distance_km``, when the caller already has
    the pairs' distances, replaces recomputing them for the distance term."""
    total = np.zeros(len(need))
    for _name, term in TERMS:
        if term is distance and distance_km is not None:
            total += problem.weights.distance_km * distance_km
        else:
            total += term(problem, need, vol, level)
    return total


def pair_terms(
    problem: Problem, need: IntArray, vol: IntArray, level: IntArray
) -> dict[str, FloatArray]:
    """Every term of each pair, by result name."""
    return {name: term(problem, need, vol, level) for name, term in TERMS}
