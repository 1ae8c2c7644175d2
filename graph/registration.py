"""Registering volunteers (one person, one node: keyed by the national ID's HMAC) and availability.

`register_volunteer` MERGEs on `nationalIdHash` (unique constraint), so an existing person gets
one more MEMBER_OF instead of a second node; everything happens in one idempotent transaction.
The derived properties `governorate` and `availSpans` (graph.volunteer_derived)
are written beside what they derive from, and the volunteer's skill-gap supply cells
(graph.supply_cells) are refreshed in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.cypher_runner import interactive_session, tx_rows
from graph.recompute import PRIOR_RELIABILITY
from graph.supply_cells import refresh_supply
from graph.volunteer_derived import derived_availability

DEFAULT_MAX_TRAVEL_KM = 30.0
DEFAULT_MAX_HOURS_WEEK = 20.0

REGISTER_VOLUNTEER: LiteralString = """
MATCH (a:Association {id: $association})
MATCH (g:Governorate {code: $governorate})
MERGE (v:Volunteer {nationalIdHash: $hash})
ON CREATE SET v.id = $id, v.name = $name, v.nameNorm = $nameNorm, v.gender = $gender,
              v.birthYear = $birthYear, v.birthGovernorate = $birthGovernorate, v.phone = $phone,
              v.active = true, v.reliability = $reliability, v.hoursThisMonth = 0.0,
              v.maxTravelKm = $maxTravelKm, v.maxHoursWeek = $maxHoursWeek,
              v.lat = g.lat, v.lon = g.lon, v.availability = $availability, v.blackouts = '[]',
              v.availSpans = $availSpans,
              v.governorate = g.code,
              v.bookingVersion = 0, v.createdAt = datetime()
SET v.changedAt = datetime()
WITH v, a, g, v.id = $id AS created
WITH v, a, g, created, NOT EXISTS { (v)-[:MEMBER_OF]->(:Association) } AS firstMembership
MERGE (v)-[m:MEMBER_OF]->(a)
ON CREATE SET m.since = datetime(), m.primary = firstMembership
FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END | MERGE (v)-[:LIVES_IN]->(g))
WITH v, created
CALL (v) {
  UNWIND $skills AS sk
  MATCH (k:Skill {code: sk.skill})
  MERGE (v)-[h:HAS_SKILL]->(k)
  ON CREATE SET h.level = sk.level, h.certifiedBy = null, h.expiresAt = null
  ON MATCH SET h.level = CASE WHEN sk.level > h.level THEN sk.level ELSE h.level END
}
RETURN v.id AS id, created
"""

SET_AVAILABILITY: LiteralString = """
MATCH (v:Volunteer {id: $id})
SET v.availability = $availability, v.availSpans = $availSpans, v.changedAt = datetime()
RETURN v.id AS id
"""

EXISTING_CODES: LiteralString = """
RETURN [c IN $skills WHERE EXISTS { MATCH (:Skill {code: c}) }] AS skills,
       [c IN $governorates WHERE EXISTS { MATCH (:Governorate {code: c}) }] AS governorates,
       [c IN $associations WHERE EXISTS { MATCH (:Association {id: c}) }] AS associations
"""


@dataclass(frozen=True, slots=True)
class NewVolunteer:
    id: str
    national_id_hash: str
    name: str
    name_norm: str
    gender: str
    birth_year: int
    birth_governorate: str
    phone: str
    governorate: str
    association: str
    skills: tuple[tuple[str, int], ...]
    availability: tuple[tuple[int, str, str], ...]


def availability_json(
    windows: tuple[tuple[int, str, str], ...] | list[tuple[int, str, str]],
) -> str:
    return json.dumps([{"weekday": d, "start": s, "end": e} for d, s, e in windows])


def _derived(availability: str) -> dict[str, list[int]]:
    d = derived_availability(availability)
    return {"availSpans": d["spans"]}


async def _write_and_refresh(
    tx: AsyncManagedTransaction, query: LiteralString, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Run a volunteer write, then refresh that volunteer's supply cells in the same
    transaction (graph.supply_cells)."""
    rows = await tx_rows(tx, query, params)
    await refresh_supply(tx, [row["id"] for row in rows])
    return rows


async def existing_codes(
    driver: AsyncDriver, *, skills: list[str], governorates: list[str], associations: list[str]
) -> dict[str, set[str]]:
    """Which of the given reference codes / association ids exist (for input validation)."""
    async with interactive_session(driver) as session:
        rows = await session.execute_read(
            tx_rows,
            EXISTING_CODES,
            {"skills": skills, "governorates": governorates, "associations": associations},
        )
    row = rows[0]
    return {k: set(row[k]) for k in ("skills", "governorates", "associations")}


async def register_volunteer(driver: AsyncDriver, new: NewVolunteer) -> tuple[str, bool]:
    """(volunteer id, created?) — an existing person keeps its id and gains the membership."""
    params: dict[str, Any] = {
        "id": new.id,
        "hash": new.national_id_hash,
        "name": new.name,
        "nameNorm": new.name_norm,
        "gender": new.gender,
        "birthYear": new.birth_year,
        "birthGovernorate": new.birth_governorate,
        "phone": new.phone,
        "governorate": new.governorate,
        "association": new.association,
        "maxTravelKm": DEFAULT_MAX_TRAVEL_KM,
        "maxHoursWeek": DEFAULT_MAX_HOURS_WEEK,
        # a newcomer starts at the prior the attendance rule smooths towards (graph/recompute)
        "reliability": PRIOR_RELIABILITY,
        "availability": availability_json(new.availability),
        **_derived(availability_json(new.availability)),
        "skills": [{"skill": s, "level": lvl} for s, lvl in new.skills],
    }
    async with interactive_session(driver) as session:
        rows = await session.execute_write(_write_and_refresh, REGISTER_VOLUNTEER, params)
    if not rows:
        raise LookupError("association or governorate vanished during registration")
    return rows[0]["id"], bool(rows[0]["created"])


async def set_availability(
    driver: AsyncDriver, volunteer_id: str, windows: list[tuple[int, str, str]]
) -> bool:
    async with interactive_session(driver) as session:
        rows = await session.execute_write(
            _write_and_refresh,
            SET_AVAILABILITY,
            {
                "id": volunteer_id,
                "availability": availability_json(windows),
                **_derived(availability_json(windows)),
            },
        )
    return bool(rows)
