"""Shared type names of the engine: array aliases and the matching problem/solution records.

Everything is a frozen dataclass holding numpy arrays indexed by position (volunteer index,
shift index, need index, slot index), so the solver can work vectorised. Ids (strings) are kept
in tuples beside the arrays and only used at the edges (parsing and writing results).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

GENDER_CODES: tuple[str, str] = ("F", "M")
NO_GENDER = -1
NO_AGE = -1
NO_EVENT = -1


@dataclass(frozen=True)
class Rules:
    """Instance-wide rules: minimum rest between two shifts (hours) and the local time zone."""

    min_rest_hours: float
    timezone: str


@dataclass(frozen=True)
class Weights:
    """Objective weights (see INSTANCE.md "Objective")."""

    distance_km: float
    over_level: float
    hours_this_month: float
    unreliability: float
    exchange: float
    unfilled: float
    urgent_unfilled: float


@dataclass(frozen=True)
class Skills:
    """Skill codes and, per skill, the skills that qualify for it (itself and every skill that
    implies it, transitively) as CSR: ``qualifiers[ptr[s]:ptr[s+1]]``."""

    codes: tuple[str, ...]
    qualifier_ptr: IntArray
    qualifiers: IntArray


@dataclass(frozen=True)
class Associations:
    """Associations with their sharing policy.

    ``can_lend[l, a]`` is True when association ``l`` lends to association ``a`` (``l != a``).
    ``quota[l]`` is ``floor(max_share[l] * active members of l)``, computed exactly.
    """

    ids: tuple[str, ...]
    lends: BoolArray
    max_share: tuple[Fraction, ...]
    requires_approval: BoolArray
    can_lend: BoolArray
    quota: IntArray


@dataclass(frozen=True)
class Volunteers:
    """Volunteers as parallel arrays; per-volunteer lists are CSR (``*_ptr`` of length n+1).

    Times are epoch seconds. ``window_*`` are the weekly availability windows already split at
    local midnight into day pieces ``(weekday 1..7, start minute, end minute <= 1440)``.
    ``booked_week_hours[v, w]`` are the hours already booked in the instance week ``w``.
    """

    ids: tuple[str, ...]
    lat: FloatArray
    lon: FloatArray
    gender: IntArray
    birth_year: IntArray
    max_travel_km: FloatArray
    max_hours_week: FloatArray
    reliability: FloatArray
    hours_this_month: FloatArray
    active: BoolArray
    member: BoolArray  # (n_volunteers, n_associations)
    serves: BoolArray  # (n_volunteers, n_associations): member, or member of a lender to it
    skill_ptr: IntArray
    skill_code: IntArray
    skill_level: IntArray
    skill_expires: FloatArray  # +inf when the skill never expires
    window_ptr: IntArray  # CSR over volunteer*7 + (weekday-1)
    window_start: IntArray
    window_end: IntArray
    blackout_ptr: IntArray
    blackout_start: FloatArray
    blackout_end: FloatArray
    booked_ptr: IntArray
    booked_start: FloatArray
    booked_end: FloatArray
    booked_event: IntArray
    booked_week_hours: FloatArray  # (n_volunteers, n_weeks)

    @property
    def count(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Shifts:
    """Shifts as parallel arrays. ``piece_*`` (CSR by shift) are the local day pieces of each
    shift; ``week_hours[s, w]`` the real hours the shift puts into instance week ``w``."""

    ids: tuple[str, ...]
    event: IntArray
    association: IntArray
    lat: FloatArray
    lon: FloatArray
    start: FloatArray
    end: FloatArray
    urgent: BoolArray
    local_year: IntArray
    piece_ptr: IntArray
    piece_weekday: IntArray
    piece_start: IntArray
    piece_end: IntArray
    week_hours: FloatArray  # (n_shifts, n_weeks)

    @property
    def count(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Needs:
    """Needs flattened over shifts; ``slot_ptr`` maps need ``j`` to slots
    ``slot_ptr[j]:slot_ptr[j+1]`` (one slot per unit of ``count``)."""

    shift: IntArray
    index: IntArray
    skill: IntArray
    count: IntArray
    min_level: IntArray
    gender: IntArray  # NO_GENDER or an index into GENDER_CODES
    min_age: IntArray  # NO_AGE when unset
    slot_ptr: IntArray

    @property
    def n(self) -> int:
        return len(self.shift)

    @property
    def slots(self) -> int:
        return int(self.slot_ptr[-1])


@dataclass(frozen=True)
class Problem:
    """The whole matching problem (one instance)."""

    rules: Rules
    weights: Weights
    skills: Skills
    associations: Associations
    volunteers: Volunteers
    shifts: Shifts
    needs: Needs
    events: tuple[str, ...]
    weeks: tuple[int, ...]  # ISO year*100 + week of each instance week column


@dataclass(frozen=True)
class Assignment:
    """One filled slot: need ``need`` (flat index) gets ``volunteer``, lent by ``lender`` (-1 if
    the volunteer is a member of the shift's association)."""

    need: int
    volunteer: int
    lender: int
    cost: float
    terms: dict[str, float]


@dataclass(frozen=True)
class Unfilled:
    """``count`` slots of need ``need`` (flat index) stay empty, for ``reason``."""

    need: int
    count: int
    reason: str


@dataclass(frozen=True)
class Solution:
    """A solver result: assignments, unfilled slots with reasons, objective and statistics."""

    assignments: tuple[Assignment, ...]
    unfilled: tuple[Unfilled, ...]
    objective: float
    stats: dict[str, float | int | str] = field(default_factory=dict)
