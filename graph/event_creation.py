"""Creating an event with its shifts and needs in one idempotent transaction (MERGE on ids)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver

from graph.cypher_runner import interactive_session, tx_rows

CREATE_EVENT: LiteralString = """
MATCH (a:Association {id: $association})
MATCH (g:Governorate {code: $governorate})
MERGE (e:Event {id: $id})
ON CREATE SET e.title = $title, e.domain = $domain, e.campaign = $campaign, e.lat = $lat, e.lon = $lon,
              e.startsAt = $startsAt, e.endsAt = $endsAt, e.createdAt = datetime()
MERGE (a)-[:ORGANIZES]->(e)
MERGE (e)-[:IN]->(g)
FOREACH (name IN CASE WHEN $campaign IS NULL THEN [] ELSE [$campaign] END |
  MERGE (c:Campaign {id: $campaignId}) ON CREATE SET c.name = name
  MERGE (e)-[:PART_OF]->(c))
WITH e
CALL (e) {
  UNWIND $shifts AS sh
  MERGE (s:Shift {id: sh.id})
  ON CREATE SET s.startsAt = sh.startsAt, s.endsAt = sh.endsAt, s.urgent = sh.urgent
  MERGE (e)-[:HAS_SHIFT]->(s)
  WITH s, sh
  UNWIND sh.needs AS n
  MATCH (k:Skill {code: n.skill})
  MERGE (s)-[r:NEEDS {index: n.index}]->(k)
  ON CREATE SET r.count = n.count, r.minLevel = n.minLevel, r.gender = n.gender, r.minAge = n.minAge
}
RETURN e.id AS id
"""


@dataclass(frozen=True, slots=True)
class NewNeed:
    skill: str
    count: int
    min_level: int
    gender: str | None
    min_age: int | None


@dataclass(frozen=True, slots=True)
class NewShift:
    id: str
    starts_at: datetime
    ends_at: datetime
    urgent: bool
    needs: tuple[NewNeed, ...]


@dataclass(frozen=True, slots=True)
class NewEvent:
    id: str
    association: str
    title: str
    domain: str
    campaign: str | None
    governorate: str
    lat: float
    lon: float
    shifts: tuple[NewShift, ...]


def campaign_id(name: str) -> str:
    return "campaign:" + " ".join(name.split()).lower()


async def create_event(driver: AsyncDriver, event: NewEvent) -> str:
    params: dict[str, Any] = {
        "id": event.id,
        "association": event.association,
        "title": event.title,
        "domain": event.domain,
        "campaign": event.campaign,
        "campaignId": campaign_id(event.campaign) if event.campaign else None,
        "governorate": event.governorate,
        "lat": event.lat,
        "lon": event.lon,
        "startsAt": min(s.starts_at for s in event.shifts),
        "endsAt": max(s.ends_at for s in event.shifts),
        "shifts": [
            {
                "id": s.id,
                "startsAt": s.starts_at,
                "endsAt": s.ends_at,
                "urgent": s.urgent,
                "needs": [
                    {
                        "index": i,
                        "skill": n.skill,
                        "count": n.count,
                        "minLevel": n.min_level,
                        "gender": n.gender,
                        "minAge": n.min_age,
                    }
                    for i, n in enumerate(s.needs)
                ],
            }
            for s in event.shifts
        ],
    }
    async with interactive_session(driver) as session:
        rows = await session.execute_write(tx_rows, CREATE_EVENT, params)
    if not rows:
        raise LookupError("association or governorate vanished while creating the event")
    return str(rows[0]["id"])
