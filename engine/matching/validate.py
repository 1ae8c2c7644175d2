"""Independent validator: re-checks a "tahaluf-result/1" against its "tahaluf-instance/1".

It shares no code with the solver or engine/scheduling on purpose (stdlib only), so that a bug in
one is caught by the other. It follows the "Precise meanings" of INSTANCE.md to the letter and
looks only at the volunteers that appear in the result, so the national instance validates fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.matching.validation_model import (
    InstanceView,
    Placement,
    ValidationInputError,
    read_instance,
    read_placements,
)
from engine.matching.validation_rules import (
    ASSIGNMENT_RULES,
    COST_TERMS,
    RESULT_RULES,
    VOLUNTEER_RULES,
    Resolved,
    where,
)

__all__ = ["ValidationInputError", "ValidationReport", "validate"]


@dataclass
class ValidationReport:
    """What the validator found: violations (empty when valid) and the recomputed score."""

    violations: list[str]
    objective: float
    filled: int
    slots: int
    urgent_filled: int
    urgent_slots: int
    cost: float  # the assignment part of the objective
    terms: dict[str, float] = field(default_factory=dict)  # cost per term name, summed

    @property
    def valid(self) -> bool:
        return not self.violations


def resolve(placements: list[Placement], violations: list[str]) -> list[Resolved]:
    """Lines whose ids all exist; the others become violations."""
    resolved: list[Resolved] = []
    for p in placements:
        if p.volunteer is None:
            violations.append(f"[ids] {where(p)}: unknown volunteer {p.volunteer_id}")
        elif p.shift is None:
            violations.append(f"[ids] {where(p)}: unknown shift {p.shift_id}")
        elif p.need is None:
            violations.append(f"[ids] {where(p)}: need index {p.need_index} out of range")
        else:
            resolved.append(Resolved(p, p.volunteer, p.shift, p.need))
    return resolved


def fill_counts(view: InstanceView, lines: list[Resolved]) -> tuple[int, int, int, int, float]:
    """(filled, slots, urgent_filled, urgent_slots, unfilled penalty) counted from the assignments."""
    taken: dict[tuple[str, int], set[str]] = defaultdict(set)
    for r in lines:
        taken[(r.shift.id, r.placement.need_index)].add(r.volunteer.id)
    filled = slots = urgent_filled = urgent_slots = 0
    penalty = 0.0
    for shift in view.shifts.values():
        for index, need in enumerate(shift.needs):
            got = min(need.count, len(taken.get((shift.id, index), ())))
            slots += need.count
            filled += got
            if shift.urgent:
                urgent_slots += need.count
                urgent_filled += got
                penalty += view.weights["urgentUnfilled"] * (need.count - got)
            else:
                penalty += view.weights["unfilled"] * (need.count - got)
    return filled, slots, urgent_filled, urgent_slots, penalty


def validate(instance: Mapping[str, Any], result: Mapping[str, Any]) -> ValidationReport:
    """Re-check all hard constraints of `result` on `instance` and recompute the objective.

    Raises ValidationInputError when either document is not shaped as INSTANCE.md says.
    """
    view = read_instance(instance)
    violations: list[str] = []
    if result.get("format") != "tahaluf-result/1":
        violations.append(
            f"[format] result format is {result.get('format')!r}, not 'tahaluf-result/1'"
        )
    lines = resolve(read_placements(result, view), violations)
    by_volunteer: dict[str, list[Resolved]] = defaultdict(list)
    terms = dict.fromkeys(COST_TERMS, 0.0)
    for r in lines:
        for rule in ASSIGNMENT_RULES:
            violations.extend(rule(r, view))
        for name, term in COST_TERMS.items():
            terms[name] += term(r, view)
        by_volunteer[r.volunteer.id].append(r)
    for volunteer_lines in by_volunteer.values():
        volunteer = volunteer_lines[0].volunteer
        for volunteer_rule in VOLUNTEER_RULES:
            violations.extend(volunteer_rule(volunteer, volunteer_lines, view))
    for result_rule in RESULT_RULES:
        violations.extend(result_rule(lines, view))
    filled, slots, urgent_filled, urgent_slots, penalty = fill_counts(view, lines)
    cost = sum(terms.values())
    return ValidationReport(
        violations=violations,
        objective=cost + penalty,
        filled=filled,
        slots=slots,
        urgent_filled=urgent_filled,
        urgent_slots=urgent_slots,
        cost=cost,
        terms=terms,
    )
