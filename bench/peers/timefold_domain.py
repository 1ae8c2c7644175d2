"""Timefold domain classes for the Timefold peer.

Module level and without `from __future__ import annotations`: Timefold reads the annotations
at class creation to find planning ids, variables and value ranges.
"""

from dataclasses import dataclass, field
from typing import Annotated

from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningScore,
    PlanningVariable,
    ProblemFactCollectionProperty,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import HardMediumSoftScore


@dataclass
class Option:
    id: Annotated[int, PlanningId]
    edge: int
    vol: int
    shift: int
    start: int
    end: int
    event: int
    lender: int
    cost: int


@dataclass
class WeekPart:
    """The seconds an option puts in one (volunteer, ISO week) and that week's budget."""

    id: Annotated[int, PlanningId]
    option: int
    key: int  # volunteer x week
    seconds: int
    budget: int


@planning_entity
@dataclass
class Slot:
    id: Annotated[int, PlanningId]
    need: int
    medium: int
    candidates: Annotated[list[Option], ValueRangeProvider(id="candidates")]
    option: Annotated[
        Option | None,
        PlanningVariable(value_range_provider_refs=["candidates"], allows_unassigned=True),
    ] = field(default=None)


@planning_solution
@dataclass
class Plan:
    options: Annotated[list[Option], ProblemFactCollectionProperty]
    parts: Annotated[list[WeekPart], ProblemFactCollectionProperty]
    slots: Annotated[list[Slot], PlanningEntityCollectionProperty]
    score: Annotated[HardMediumSoftScore | None, PlanningScore] = field(default=None)


def clash(a: Option, b: Option, rest: int) -> bool:
    """One volunteer cannot take both: same shift, overlap, or short rest (not same-event
    back to back)."""
    if a.shift == b.shift:
        return True
    if a.start > b.start or (a.start == b.start and a.end > b.end):
        a, b = b, a
    if b.start - a.end >= rest:
        return False
    return not (a.end == b.start and a.event >= 0 and a.event == b.event)
