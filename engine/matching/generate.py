"""Realistic synthetic matching instances in the "tahaluf-instance/1" format (INSTANCE.md).

Deterministic for a seed (one numpy Generator). 27 governorates with real coordinates weighted
by population, the alliance's ~32 associations with their sharing policies, 62 skills with
implications, weekly availability, blackouts, existing bookings, urgent shifts. A horizon that
crosses Egypt's DST switch (last Friday of April) carries the offset change in its times.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from engine.matching.generation_clock import TIMEZONE
from engine.matching.generation_people import generate_volunteers
from engine.matching.generation_shifts import generate_shifts
from engine.reference.associations import ASSOCIATIONS
from engine.reference.skills import SKILLS

DEFAULT_START = date(2026, 11, 30)  # a Monday; a fixed default keeps the seed deterministic
WEIGHTS: dict[str, float] = {
    "distanceKm": 1.0,
    "overLevel": 5.0,
    "hoursThisMonth": 0.5,
    "unreliability": 20.0,
    "exchange": 15.0,
    "unfilled": 10000.0,
    "urgentUnfilled": 100000.0,
}


def association_records(exchange: bool) -> list[dict[str, Any]]:
    """The reference associations and their sharing policies (nobody lends when exchange is off)."""
    return [
        {
            "id": a.id,
            "name": a.name_ar,
            "lends": a.policy.lends and exchange,
            "maxShare": a.policy.max_share,
            "requiresApproval": a.policy.requires_approval,
            "borrowers": None if a.policy.lends_to_all else list(a.policy.borrowers),
        }
        for a in ASSOCIATIONS
    ]


def generate_instance(
    volunteers: int,
    slots: int,
    days: int,
    seed: int,
    start: date | None = None,
    exchange: bool = True,
) -> dict[str, Any]:
    """A "tahaluf-instance/1" dict with `volunteers` volunteers and shifts whose need counts add
    up to exactly `slots`, over `days` local days from `start` (default Monday 2026-11-30)."""
    if volunteers < 0 or slots < 0 or days < 1:
        raise ValueError("volunteers and slots must be >= 0 and days >= 1")
    first_day = start or DEFAULT_START
    rng = np.random.default_rng(seed)
    shifts = generate_shifts(rng, slots, days, first_day)
    people = generate_volunteers(rng, volunteers, days, first_day, shifts)
    return {
        "format": "tahaluf-instance/1",
        "rules": {"minRestHours": 8, "timezone": TIMEZONE},
        "weights": dict(WEIGHTS),
        "skills": [{"code": s.code, "implies": list(s.implies)} for s in SKILLS],
        "associations": association_records(exchange),
        "volunteers": people,
        "shifts": shifts.shifts,
    }
