"""A quick synthetic instance generator for the engine's own tests and timing (the product's
realistic generator is engine.matching.generate, written independently)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

CENTERS = [  # (lat, lon, weight): a few Egyptian cities
    (30.04, 31.24, 0.35),
    (31.20, 29.92, 0.15),
    (30.59, 32.27, 0.08),
    (27.18, 31.18, 0.10),
    (25.69, 32.64, 0.08),
    (30.79, 31.00, 0.12),
    (24.09, 32.90, 0.05),
    (29.31, 30.84, 0.07),
]
SKILLS = [
    ("physician", ["nurse"]),
    ("nurse", ["first_aid"]),
    ("first_aid", []),
    ("teacher", []),
    ("driver", []),
    ("packer", []),
    ("cook", []),
    ("pharmacist", ["first_aid"]),
    ("engineer", []),
    ("farmer", []),
]
TZ = timezone(timedelta(hours=2))


def synth_instance(
    volunteers: int,
    slots: int,
    days: int = 3,
    seed: int = 0,
    *,
    associations: int = 8,
    travel: tuple[float, float] = (10.0, 60.0),
    hours_week: tuple[float, float] = (8.0, 30.0),
    spread_km: float = 15.0,
    booked_rate: float = 0.2,
    urgent_rate: float = 0.1,
    rest_hours: float = 8.0,
    max_share: float = 0.2,
    n_skills: int = len(SKILLS),
    n_centers: int = len(CENTERS),
) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    centers = CENTERS[:n_centers]
    skill_list = SKILLS[:n_skills]
    base = datetime(2026, 3, 2, tzinfo=TZ)  # a Monday
    assoc = [
        {
            "id": f"A{i:02d}",
            "lends": bool(i % 3 != 2),
            "maxShare": max_share,
            "requiresApproval": False,
            "borrowers": None if i % 2 == 0 else [f"A{(i + 1) % associations:02d}"],
        }
        for i in range(associations)
    ]
    w = np.array([c[2] for c in centers])
    w = w / w.sum()
    vols = []
    for i in range(volunteers):
        c = centers[rng.choice(len(centers), p=w)]
        lat = c[0] + rng.normal(0, spread_km / 111.0)
        lon = c[1] + rng.normal(0, spread_km / 111.0)
        nskills = int(rng.integers(1, 3))
        codes = rng.choice(len(skill_list), size=min(nskills, len(skill_list)), replace=False)
        skills = []
        for k in codes.tolist():
            exp = None
            if rng.random() < 0.2:
                exp = (base + timedelta(days=int(rng.integers(-3, 20)))).isoformat()
            skills.append(
                {"code": skill_list[k][0], "level": int(rng.integers(1, 6)), "expiresAt": exp}
            )
        avail = []
        for wd in range(1, 8):
            if rng.random() < 0.6:
                s = int(rng.choice([0, 6, 7, 8]))
                e = int(rng.choice([16, 20, 22, 24]))
                avail.append({"weekday": wd, "start": f"{s:02d}:00", "end": f"{e:02d}:00"})
        booked = []
        if rng.random() < booked_rate:
            d = int(rng.integers(0, days))
            st = base + timedelta(days=d, hours=int(rng.integers(6, 18)))
            booked.append({"start": st.isoformat(), "end": (st + timedelta(hours=4)).isoformat()})
        blackouts = []
        if rng.random() < 0.1:
            d = int(rng.integers(0, days))
            st = base + timedelta(days=d)
            blackouts.append({"start": st.isoformat(), "end": (st + timedelta(days=1)).isoformat()})
        na = 1 + int(rng.random() < 0.15)
        vols.append(
            {
                "id": f"V{i:07d}",
                "associations": [
                    f"A{x:02d}" for x in sorted(set(rng.integers(0, associations, na).tolist()))
                ],
                "lat": round(float(lat), 5),
                "lon": round(float(lon), 5),
                "gender": "F" if rng.random() < 0.45 else "M",
                "birthYear": int(rng.integers(1960, 2009)),
                "maxTravelKm": float(rng.uniform(*travel)),
                "maxHoursWeek": float(rng.uniform(*hours_week)),
                "reliability": round(float(rng.uniform(0.6, 1.0)), 3),
                "hoursThisMonth": round(float(rng.uniform(0, 40)), 1),
                "active": bool(rng.random() < 0.95),
                "skills": skills,
                "availability": avail,
                "blackouts": blackouts,
                "booked": booked,
            }
        )
    shifts = []
    made = 0
    i = 0
    while made < slots:
        c = centers[rng.choice(len(centers), p=w)]
        lat = c[0] + rng.normal(0, spread_km / 111.0)
        lon = c[1] + rng.normal(0, spread_km / 111.0)
        ev = f"E{i // 3:05d}"
        d = int(rng.integers(0, days))
        start = base + timedelta(days=d, hours=int(rng.choice([6, 8, 10, 12, 14, 16, 18])))
        dur = int(rng.choice([3, 4, 6, 8]))
        needs = []
        for _k in range(int(rng.integers(1, 3))):
            cnt = min(int(rng.integers(1, 6)), slots - made)
            if cnt <= 0:
                break
            made += cnt
            needs.append(
                {
                    "skill": skill_list[int(rng.integers(0, len(skill_list)))][0],
                    "count": cnt,
                    "minLevel": int(rng.integers(1, 4)),
                    "gender": None if rng.random() < 0.9 else ("F" if rng.random() < 0.5 else "M"),
                    "minAge": None if rng.random() < 0.7 else 18,
                }
            )
        shifts.append(
            {
                "id": f"S{i:06d}",
                "event": ev,
                "association": f"A{int(rng.integers(0, associations)):02d}",
                "lat": round(float(lat), 5),
                "lon": round(float(lon), 5),
                "start": start.isoformat(),
                "end": (start + timedelta(hours=dur)).isoformat(),
                "urgent": bool(rng.random() < urgent_rate),
                "needs": needs,
            }
        )
        i += 1
    return {
        "format": "tahaluf-instance/1",
        "rules": {"minRestHours": rest_hours, "timezone": "Africa/Cairo"},
        "weights": {
            "distanceKm": 1.0,
            "overLevel": 5.0,
            "hoursThisMonth": 0.5,
            "unreliability": 20.0,
            "exchange": 15.0,
            "unfilled": 10000.0,
            "urgentUnfilled": 100000.0,
        },
        "skills": [{"code": c, "implies": imp} for c, imp in SKILLS],
        "associations": assoc,
        "volunteers": vols,
        "shifts": shifts,
    }
