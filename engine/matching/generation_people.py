"""Synthetic volunteers: where they live, whom they belong to, what they can do and when.

Homes follow governorate population around each capital; associations recruit where they work
(nationwide ones everywhere); skills follow a supply mix in which physicians and other
specialists are rare; certified skills may carry an expiry (some already past); weekly
availability follows common patterns (evenings after work, the Friday-Saturday weekend,
students, nights that cross midnight, split days); a few have blackouts and existing bookings
(with or without an event, some back to back with a generated shift of that event).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from engine.matching.generation_clock import clock, local_iso
from engine.matching.generation_shifts import GeneratedShifts
from engine.reference.associations import ASSOCIATIONS
from engine.reference.governorates import GOVERNORATES
from engine.reference.skills import SKILLS

SUPPLY_WEIGHT: dict[str, float] = {
    "first_aid": 9.0,
    "food_packing": 10.0,
    "food_distribution": 10.0,
    "cooking": 5.0,
    "health_awareness": 5.0,
    "tutor": 7.0,
    "teacher": 3.0,
    "field_survey": 5.0,
    "tree_planting": 4.0,
    "waste_sorting": 4.0,
    "environmental_awareness": 3.0,
    "crowd_management": 4.0,
    "driver": 3.0,
    "data_entry": 4.0,
    "social_media": 3.0,
    "photographer": 2.0,
    "nurse": 1.6,
    "physician": 0.35,
    "pediatrician": 0.1,
    "surgeon": 0.05,
    "ophthalmologist": 0.05,
    "gynecologist": 0.06,
    "dentist": 0.15,
    "pharmacist": 0.5,
    "psychologist": 0.15,
    "literacy_instructor": 1.5,
    "early_childhood": 1.2,
    "social_researcher": 1.5,
    "agricultural_extension": 1.2,
    "animal_husbandry": 1.0,
    "psychological_first_aid": 1.2,
    "psychosocial_support": 0.6,
    "paramedic": 0.5,
    "shelter_management": 0.6,
    "search_and_rescue": 0.5,
    "blood_drive": 0.8,
}
CERTIFIED_DOMAINS = ("HEALTH", "RELIEF")
CERTIFIED_SKILLS = ("driver", "heavy_vehicle_driver", "ambulance_driver", "electrician")

EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)
WORK_WEEK = (7, 1, 2, 3, 4)  # Sunday..Thursday; Friday-Saturday is the weekend


def windows(days: tuple[int, ...], start: int, end: int) -> list[dict[str, Any]]:
    return [{"weekday": d, "start": clock(start), "end": clock(end)} for d in days]


# (pattern, weight); patterns are shared read-only lists (JSON writes them out per volunteer)
AVAILABILITY: tuple[tuple[list[dict[str, Any]], float], ...] = (
    (windows(WORK_WEEK, 17 * 60, 22 * 60), 0.20),  # after work
    (windows((5, 6), 8 * 60, 22 * 60), 0.16),  # the weekend
    (windows(EVERY_DAY, 8 * 60, 18 * 60), 0.14),
    (windows(WORK_WEEK, 13 * 60, 23 * 60) + windows((5,), 10 * 60, 20 * 60), 0.12),  # students
    (windows((6, 7, 1, 2, 3, 4), 7 * 60, 13 * 60), 0.09),  # mornings
    (windows(EVERY_DAY, 8 * 60, 23 * 60), 0.10),
    (windows((4, 5, 6), 20 * 60, 4 * 60) + windows((5,), 10 * 60, 18 * 60), 0.05),  # nights
    (windows(EVERY_DAY, 0, 24 * 60), 0.04),
    (windows(EVERY_DAY, 8 * 60, 12 * 60) + windows(EVERY_DAY, 16 * 60, 22 * 60), 0.06),  # split
    (windows(EVERY_DAY, 18 * 60, 2 * 60), 0.04),  # evenings running past midnight
)

FIRST_F = (
    "مريم",
    "فاطمة",
    "نور",
    "سارة",
    "هبة",
    "آية",
    "منى",
    "دينا",
    "ياسمين",
    "رحمة",
    "إسراء",
    "شيماء",
    "أسماء",
    "هدى",
    "سلمى",
    "ندى",
    "مي",
    "رضوى",
    "جنى",
    "حبيبة",
)
FIRST_M = (
    "محمد",
    "أحمد",
    "محمود",
    "مصطفى",
    "علي",
    "عمر",
    "يوسف",
    "حسن",
    "إبراهيم",
    "خالد",
    "طارق",
    "كريم",
    "عبد الله",
    "مينا",
    "بيشوي",
    "مروان",
    "زياد",
    "هشام",
    "سيد",
    "عمرو",
)
FAMILY = (
    "عبد الرحمن",
    "السيد",
    "حسين",
    "إبراهيم",
    "عثمان",
    "جرجس",
    "الشافعي",
    "النجار",
    "الشريف",
    "فؤاد",
    "رمضان",
    "سليمان",
    "عبد العزيز",
    "فهمي",
    "منصور",
    "شحاتة",
)


def member_tables() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per governorate: association indices recruiting there and normalised size weights."""
    table: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for g in GOVERNORATES:
        idx = [
            i for i, a in enumerate(ASSOCIATIONS) if not a.governorates or g.code in a.governorates
        ]
        weights = np.array(
            [ASSOCIATIONS[i].size * (3.0 if ASSOCIATIONS[i].governorates else 1.0) for i in idx]
        )
        table[g.code] = (np.array(idx), weights / weights.sum())
    return table


def sample_memberships(
    rng: np.random.Generator, gov_index: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Primary association per volunteer, and a second one (-1 for none) for about 20%."""
    primary = np.empty(n, dtype=np.int64)
    second = np.full(n, -1, dtype=np.int64)
    tables = member_tables()
    for gi, g in enumerate(GOVERNORATES):
        members = np.flatnonzero(gov_index == gi)
        if members.size == 0:
            continue
        idx, p = tables[g.code]
        primary[members] = idx[rng.choice(idx.size, size=members.size, p=p)]
        extra = members[rng.random(members.size) < 0.2]
        second[extra] = idx[rng.choice(idx.size, size=extra.size, p=p)]
    second[second == primary] = -1
    return primary, second


def generate_volunteers(
    rng: np.random.Generator, n: int, days: int, start: date, shifts: GeneratedShifts
) -> list[dict[str, Any]]:
    gov_p = np.array([g.population for g in GOVERNORATES], dtype=float)
    gov_p /= gov_p.sum()
    gov_index = rng.choice(len(GOVERNORATES), size=n, p=gov_p)
    gov_lat = np.array([g.lat for g in GOVERNORATES])[gov_index]
    gov_lon = np.array([g.lon for g in GOVERNORATES])[gov_index]
    lat = np.round(gov_lat + rng.normal(0.0, 0.12, n), 5).tolist()
    lon = np.round(gov_lon + rng.normal(0.0, 0.12, n), 5).tolist()
    primary, second = sample_memberships(rng, gov_index, n)
    female = (rng.random(n) < 0.48).tolist()
    age = np.clip(16 + rng.gamma(2.2, 6.0, n), 16, 70).astype(int)
    birth_year = (start.year - age).tolist()
    travel = rng.choice(
        [10, 15, 20, 25, 30, 40, 50, 60, 80],
        size=n,
        p=[0.08, 0.12, 0.18, 0.14, 0.16, 0.12, 0.09, 0.06, 0.05],
    ).tolist()
    hours_week = rng.choice(
        [6, 8, 10, 12, 16, 20, 24, 30, 40],
        size=n,
        p=[0.08, 0.14, 0.16, 0.16, 0.16, 0.14, 0.08, 0.05, 0.03],
    ).tolist()
    reliability = np.round(rng.beta(9.0, 1.4, n), 3).tolist()
    hours_month = np.round(np.minimum(rng.gamma(1.4, 6.0, n), 120.0), 1).tolist()
    active = (rng.random(n) >= 0.04).tolist()
    avail_p = np.array([w for _, w in AVAILABILITY])
    pattern = rng.choice(len(AVAILABILITY), size=n, p=avail_p / avail_p.sum()).tolist()
    skill_codes = [s.code for s in SKILLS]
    supply = np.array([SUPPLY_WEIGHT.get(c, 0.4) for c in skill_codes])
    skill_draw = rng.choice(len(skill_codes), size=(n, 3), p=supply / supply.sum()).tolist()
    n_skills = rng.choice([1, 2, 3], size=n, p=[0.5, 0.35, 0.15]).tolist()
    levels = rng.choice([1, 2, 3, 4, 5], size=(n, 3), p=[0.28, 0.30, 0.22, 0.13, 0.07]).tolist()
    certified = {s.code for s in SKILLS if s.domain in CERTIFIED_DOMAINS} | set(CERTIFIED_SKILLS)
    has_expiry = (rng.random((n, 3)) < 0.6).tolist()
    expiry_day = rng.integers(-90, 720, size=(n, 3)).tolist()
    names = rng.integers(0, 20 * 20 * 16, size=n).tolist()
    blackout_roll = rng.random(n).tolist()
    booked_roll = rng.random(n).tolist()
    association_ids = [a.id for a in ASSOCIATIONS]
    primary_l, second_l, gov_l = primary.tolist(), second.tolist(), gov_index.tolist()
    volunteers: list[dict[str, Any]] = []
    for i in range(n):
        skills: list[dict[str, Any]] = []
        seen: set[int] = set()
        for k in range(n_skills[i]):
            code_index = skill_draw[i][k]
            if code_index in seen:
                continue
            seen.add(code_index)
            code = skill_codes[code_index]
            expires = (
                local_iso(start, expiry_day[i][k], 0)
                if code in certified and has_expiry[i][k]
                else None
            )
            skills.append({"code": code, "level": levels[i][k], "expiresAt": expires})
        memberships = [association_ids[primary_l[i]]]
        if second_l[i] >= 0:
            memberships.append(association_ids[second_l[i]])
        name_key = names[i]
        first = (FIRST_F if female[i] else FIRST_M)[name_key % 20]
        father = FIRST_M[(name_key // 20) % 20]
        family = FAMILY[name_key // 400]
        volunteers.append(
            {
                "id": f"V{i + 1:07d}",
                "name": f"{first} {father} {family}",
                "governorate": GOVERNORATES[gov_l[i]].code,
                "associations": memberships,
                "lat": lat[i],
                "lon": lon[i],
                "gender": "F" if female[i] else "M",
                "birthYear": birth_year[i],
                "maxTravelKm": travel[i],
                "maxHoursWeek": hours_week[i],
                "reliability": reliability[i],
                "hoursThisMonth": hours_month[i],
                "active": active[i],
                "skills": skills,
                "availability": AVAILABILITY[pattern[i]][0],
                "blackouts": blackouts(rng, days, start) if blackout_roll[i] < 0.06 else [],
                "booked": (
                    bookings(rng, days, start, shifts, GOVERNORATES[gov_l[i]].code)
                    if booked_roll[i] < 0.15
                    else []
                ),
            }
        )
    return volunteers


def blackouts(rng: np.random.Generator, days: int, start: date) -> list[dict[str, Any]]:
    """One blackout of one to three whole local days inside the horizon."""
    first = int(rng.integers(days))
    length = int(rng.integers(1, 4))
    return [{"start": local_iso(start, first, 0), "end": local_iso(start, first + length, 0)}]


def bookings(
    rng: np.random.Generator, days: int, start: date, shifts: GeneratedShifts, gov: str
) -> list[dict[str, Any]]:
    """One or two existing bookings: free-standing (with or without event), or ending exactly
    when a generated shift of the same event nearby starts."""
    out: list[dict[str, Any]] = []
    for _ in range(int(rng.integers(1, 3))):
        local = shifts.by_governorate.get(gov) or []
        roll = float(rng.random())
        if local and roll < 0.3:
            shift = shifts.shifts[local[int(rng.integers(len(local)))]]
            length = int(rng.integers(2, 5))
            begin = shift_minus_hours(shift["start"], length)
            out.append({"start": begin, "end": shift["start"], "event": shift["event"]})
            continue
        day = int(rng.integers(days))
        begin_minute = int(rng.integers(8, 19)) * 60
        end_minute = begin_minute + int(rng.integers(2, 6)) * 60
        booking: dict[str, Any] = {
            "start": local_iso(start, day, begin_minute),
            "end": local_iso(start, day, end_minute),
        }
        if roll < 0.65 and shifts.events:
            booking["event"] = shifts.events[int(rng.integers(len(shifts.events)))]
        out.append(booking)
    return out


def shift_minus_hours(iso: str, hours: int) -> str:
    """The ISO instant `hours` real hours before `iso`, written in the same offset."""
    moment = datetime.fromisoformat(iso)
    return (moment - timedelta(hours=hours)).isoformat()
