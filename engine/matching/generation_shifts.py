"""Synthetic events and shifts: where the alliance needs people, when, and with which skills.

Events are spread over governorates by population, organised by an association working there,
in one of its focus domains. An event has one to a few shifts: single shifts, back-to-back
chains (08-12, 12-16, 16-20), overlapping pairs, evenings, nights crossing midnight and
multi-day campaigns. About 10% of events are urgent. Needs carry counts, minimum levels and
sometimes a gender or minimum-age rule. Need counts add up to exactly the requested slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from engine.matching.generation_clock import local_iso
from engine.reference.associations import ASSOCIATIONS, Association
from engine.reference.governorates import GOVERNORATES
from engine.reference.skills import SKILLS

GENERIC_SKILLS = ("driver", "crowd_management", "data_entry", "photographer", "social_media")

# How often a shift asks for a skill, relative to 1.0 (scarce specialists are asked for rarely
# but are rarer still among volunteers: see generation_people.SUPPLY_WEIGHT).
DEMAND_WEIGHT: dict[str, float] = {
    "first_aid": 6.0,
    "nurse": 3.0,
    "physician": 2.0,
    "pediatrician": 0.8,
    "pharmacist": 1.2,
    "health_awareness": 4.0,
    "blood_drive": 1.5,
    "psychosocial_support": 1.0,
    "tutor": 5.0,
    "teacher": 3.0,
    "literacy_instructor": 2.0,
    "early_childhood": 1.5,
    "food_packing": 8.0,
    "food_distribution": 8.0,
    "cooking": 4.0,
    "field_survey": 4.0,
    "social_researcher": 2.0,
    "warehouse_management": 1.5,
    "tree_planting": 4.0,
    "waste_sorting": 3.0,
    "environmental_awareness": 3.0,
    "agricultural_extension": 2.5,
    "animal_husbandry": 1.5,
    "irrigation_technician": 1.0,
    "crowd_management": 3.0,
    "shelter_management": 1.5,
    "search_and_rescue": 1.0,
    "psychological_first_aid": 1.5,
    "logistics_coordinator": 1.0,
    "driver": 2.0,
    "data_entry": 1.0,
    "photographer": 0.5,
    "social_media": 0.5,
}

# (name, shift (start minute, length minutes) per day offset, weight)
TEMPLATES: tuple[tuple[str, tuple[tuple[int, int, int], ...], float], ...] = (
    ("morning", ((0, 9 * 60, 4 * 60),), 0.22),
    ("day", ((0, 10 * 60, 6 * 60),), 0.10),
    ("afternoon", ((0, 14 * 60, 4 * 60),), 0.10),
    ("evening", ((0, 18 * 60, 4 * 60),), 0.12),
    ("late_evening", ((0, 19 * 60, 4 * 60),), 0.05),
    ("chain", ((0, 8 * 60, 4 * 60), (0, 12 * 60, 4 * 60), (0, 16 * 60, 4 * 60)), 0.12),
    ("pair", ((0, 8 * 60, 4 * 60), (0, 12 * 60, 4 * 60)), 0.08),
    ("overlap", ((0, 9 * 60, 4 * 60), (0, 11 * 60, 4 * 60)), 0.08),
    ("night", ((0, 22 * 60, 4 * 60),), 0.04),
    ("campaign", ((0, 9 * 60, 5 * 60), (1, 9 * 60, 5 * 60), (2, 9 * 60, 5 * 60)), 0.09),
)


@dataclass(frozen=True, slots=True)
class GeneratedShifts:
    shifts: list[dict[str, Any]]
    events: list[str]
    by_governorate: dict[str, list[int]]  # governorate code -> indices into shifts


def domain_pools() -> dict[str, tuple[list[str], np.ndarray]]:
    """For each domain, the skills its events ask for and their normalised demand weights."""
    pools: dict[str, tuple[list[str], np.ndarray]] = {}
    for domain in {s.domain for s in SKILLS}:
        codes = [s.code for s in SKILLS if s.domain == domain] + [
            g for g in GENERIC_SKILLS if g not in {s.code for s in SKILLS if s.domain == domain}
        ]
        weights = np.array(
            [DEMAND_WEIGHT.get(c, 0.3) * (0.4 if c in GENERIC_SKILLS else 1.0) for c in codes]
        )
        pools[domain] = (codes, weights / weights.sum())
    return pools


def organisers_by_governorate() -> dict[str, tuple[list[Association], np.ndarray]]:
    """Associations that run events in each governorate, weighted by size."""
    table: dict[str, tuple[list[Association], np.ndarray]] = {}
    for g in GOVERNORATES:
        local = [a for a in ASSOCIATIONS if not a.governorates or g.code in a.governorates]
        weights = np.array([a.size * (2.0 if a.governorates else 1.0) for a in local])
        table[g.code] = (local, weights / weights.sum())
    return table


def generate_shifts(
    rng: np.random.Generator, slots: int, days: int, start: date
) -> GeneratedShifts:
    gov_weights = np.array([g.population for g in GOVERNORATES], dtype=float)
    gov_weights /= gov_weights.sum()
    pools = domain_pools()
    organisers = organisers_by_governorate()
    template_weights = np.array([t[2] for t in TEMPLATES])
    template_weights /= template_weights.sum()
    shifts: list[dict[str, Any]] = []
    events: list[str] = []
    by_governorate: dict[str, list[int]] = {g.code: [] for g in GOVERNORATES}
    remaining = slots
    while remaining > 0:
        event_id = f"E{len(events) + 1:06d}"
        events.append(event_id)
        gov = GOVERNORATES[int(rng.choice(len(GOVERNORATES), p=gov_weights))]
        local, local_p = organisers[gov.code]
        association = local[int(rng.choice(len(local), p=local_p))]
        domain = association.focus[int(rng.integers(len(association.focus)))]
        codes, skill_p = pools[domain]
        lat = round(gov.lat + float(rng.normal(0.0, 0.08)), 5)
        lon = round(gov.lon + float(rng.normal(0.0, 0.08)), 5)
        template = TEMPLATES[int(rng.choice(len(TEMPLATES), p=template_weights))]
        first_day = int(rng.integers(max(1, days - max(t[0] for t in template[1]))))
        urgent = bool(rng.random() < 0.10)
        for day_offset, start_minute, length in template[1]:
            if remaining <= 0:
                break
            day = first_day + day_offset
            needs = make_needs(rng, codes, skill_p, remaining)
            remaining -= sum(n["count"] for n in needs)
            by_governorate[gov.code].append(len(shifts))
            shifts.append(
                {
                    "id": f"S{len(shifts) + 1:06d}",
                    "event": event_id,
                    "association": association.id,
                    "governorate": gov.code,
                    "lat": lat,
                    "lon": lon,
                    "start": local_iso(start, day, start_minute),
                    "end": local_iso(start, day, start_minute + length),
                    "urgent": urgent,
                    "needs": needs,
                }
            )
    return GeneratedShifts(shifts, events, by_governorate)


def make_needs(
    rng: np.random.Generator, codes: list[str], skill_p: np.ndarray, remaining: int
) -> list[dict[str, Any]]:
    """One to three needs of distinct skills; counts never exceed the slots still to place."""
    n_needs = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
    chosen = rng.choice(len(codes), size=min(n_needs, len(codes)), replace=False, p=skill_p)
    needs: list[dict[str, Any]] = []
    for index in chosen.tolist():
        if remaining <= 0:
            break
        count = min(remaining, int(rng.choice([1, 2, 3, 4, 6], p=[0.38, 0.30, 0.16, 0.11, 0.05])))
        remaining -= count
        roll = float(rng.random())
        gender = "F" if roll < 0.08 else ("M" if roll < 0.11 else None)
        age_roll = float(rng.random())
        min_age = 18 if age_roll < 0.35 else (21 if age_roll < 0.40 else None)
        needs.append(
            {
                "skill": codes[index],
                "count": count,
                "minLevel": int(rng.choice([1, 2, 3, 4], p=[0.55, 0.25, 0.15, 0.05])),
                "gender": gender,
                "minAge": min_age,
            }
        )
    return needs
