"""A tiny hand-made instance for the validator tests (Cairo, late November 2026: UTC+02:00)."""

from __future__ import annotations

import copy
from typing import Any

CAIRO = (30.0444, 31.2357)


def volunteer(vid: str, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": vid,
        "associations": ["A1"],
        "lat": CAIRO[0],
        "lon": CAIRO[1],
        "gender": "F",
        "birthYear": 1990,
        "maxTravelKm": 50,
        "maxHoursWeek": 20,
        "reliability": 0.9,
        "hoursThisMonth": 10.0,
        "active": True,
        "skills": [{"code": "first_aid", "level": 3, "expiresAt": None}],
        # Monday 2026-11-30 is ISO weekday 1
        "availability": [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(1, 8)],
        "blackouts": [],
        "booked": [],
    }
    base.update(overrides)
    return base


def shift(sid: str, start: str, end: str, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": sid,
        "event": "E1",
        "association": "A1",
        "lat": CAIRO[0],
        "lon": CAIRO[1],
        "start": start,
        "end": end,
        "urgent": False,
        "needs": [
            {"skill": "first_aid", "count": 2, "minLevel": 2, "gender": None, "minAge": None}
        ],
    }
    base.update(overrides)
    return base


def instance(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": "tahaluf-instance/1",
        "rules": {"minRestHours": 8, "timezone": "Africa/Cairo"},
        "weights": {
            "distanceKm": 1.0,
            "overLevel": 5.0,
            "hoursThisMonth": 0.5,
            "unreliability": 20.0,
            "exchange": 15.0,
            "unfilled": 10000.0,
            "urgentUnfilled": 100000.0,
        },
        "skills": [
            {"code": "first_aid", "implies": []},
            {"code": "nurse", "implies": ["first_aid"]},
            {"code": "physician", "implies": ["nurse"]},
            {"code": "driver", "implies": []},
        ],
        "associations": [
            {
                "id": "A1",
                "lends": True,
                "maxShare": 0.5,
                "requiresApproval": False,
                "borrowers": None,
            },
            {
                "id": "A2",
                "lends": False,
                "maxShare": 0.3,
                "requiresApproval": False,
                "borrowers": None,
            },
            {
                "id": "A3",
                "lends": True,
                "maxShare": 0.2,
                "requiresApproval": True,
                "borrowers": ["A9"],
            },
            {
                "id": "A9",
                "lends": False,
                "maxShare": 0.0,
                "requiresApproval": False,
                "borrowers": None,
            },
        ],
        "volunteers": [volunteer("V1"), volunteer("V2", gender="M", birthYear=2010)],
        "shifts": [shift("S1", "2026-11-30T09:00:00+02:00", "2026-11-30T13:00:00+02:00")],
    }
    base.update(copy.deepcopy(overrides))
    return base


def result(*lines: tuple[str, int, str] | tuple[str, int, str, str | None]) -> dict[str, Any]:
    assignments = []
    for line in lines:
        lender = line[3] if len(line) == 4 else None
        assignments.append(
            {"shift": line[0], "need": line[1], "volunteer": line[2], "lender": lender}
        )
    return {"format": "tahaluf-result/1", "assignments": assignments, "unfilled": [], "stats": {}}
