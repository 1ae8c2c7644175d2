"""Hand-made tiny instances for the engine tests (Monday 2 March 2026, Cairo, UTC+2)."""

from __future__ import annotations

import copy
from typing import Any

from engine.matching.instance import parse_instance
from engine.matching.result import solution_to_dict
from engine.matching.solve import solve

WEIGHTS = {
    "distanceKm": 1.0,
    "overLevel": 5.0,
    "hoursThisMonth": 0.5,
    "unreliability": 20.0,
    "exchange": 15.0,
    "unfilled": 10000.0,
    "urgentUnfilled": 100000.0,
}


def volunteer(vid: str = "V1", **over: Any) -> dict[str, Any]:
    v: dict[str, Any] = {
        "id": vid,
        "associations": ["A01"],
        "lat": 30.04,
        "lon": 31.24,
        "gender": "F",
        "birthYear": 1998,
        "maxTravelKm": 40.0,
        "maxHoursWeek": 20.0,
        "reliability": 1.0,
        "hoursThisMonth": 0.0,
        "active": True,
        "skills": [{"code": "first_aid", "level": 2, "expiresAt": None}],
        "availability": [{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(1, 8)],
        "blackouts": [],
        "booked": [],
    }
    v.update(over)
    return v


def shift(sid: str = "S1", **over: Any) -> dict[str, Any]:
    s: dict[str, Any] = {
        "id": sid,
        "event": "E1",
        "association": "A01",
        "lat": 30.04,
        "lon": 31.24,
        "start": "2026-03-02T10:00:00+02:00",
        "end": "2026-03-02T14:00:00+02:00",
        "urgent": False,
        "needs": [
            {"skill": "first_aid", "count": 1, "minLevel": 2, "gender": None, "minAge": None}
        ],
    }
    s.update(over)
    return s


def need(**over: Any) -> dict[str, Any]:
    n: dict[str, Any] = {
        "skill": "first_aid",
        "count": 1,
        "minLevel": 2,
        "gender": None,
        "minAge": None,
    }
    n.update(over)
    return n


def association(aid: str, **over: Any) -> dict[str, Any]:
    a: dict[str, Any] = {
        "id": aid,
        "lends": False,
        "maxShare": 0.0,
        "requiresApproval": False,
        "borrowers": None,
    }
    a.update(over)
    return a


def instance(
    volunteers: list[dict[str, Any]] | None = None,
    shifts: list[dict[str, Any]] | None = None,
    associations: list[dict[str, Any]] | None = None,
    rest: float = 8.0,
) -> dict[str, Any]:
    return {
        "format": "tahaluf-instance/1",
        "rules": {"minRestHours": rest, "timezone": "Africa/Cairo"},
        "weights": dict(WEIGHTS),
        "skills": [
            {"code": "first_aid", "implies": []},
            {"code": "nurse", "implies": ["first_aid"]},
            {"code": "physician", "implies": ["nurse"]},
            {"code": "packer", "implies": []},
        ],
        "associations": copy.deepcopy(associations)
        if associations
        else [association("A01"), association("A02")],
        "volunteers": copy.deepcopy(volunteers) if volunteers is not None else [volunteer()],
        "shifts": copy.deepcopy(shifts) if shifts is not None else [shift()],
    }


def run(data: dict[str, Any]) -> dict[str, Any]:
    problem = parse_instance(data)
    return solution_to_dict(problem, solve(problem))


def filled(result: dict[str, Any]) -> set[tuple[str, int, str]]:
    return {(a["shift"], a["need"], a["volunteer"]) for a in result["assignments"]}
