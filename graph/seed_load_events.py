"""Write the synthetic campaign, events, shifts and needs (MERGE: small, idempotent)."""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction

from engine.reference.associations import ASSOCIATIONS
from graph.seed_campaign import CampaignData

# Associations of a namespaced (test) seed: copies of the reference ones that lend to no one,
# so concurrent tests' matching runs can never borrow the seed's volunteers.
MERGE_NAMESPACE_ASSOCIATIONS: LiteralString = """
UNWIND $rows AS r
MERGE (a:Association {id: r.id})
ON CREATE SET a.lends = false, a.maxShare = 0.0, a.requiresApproval = true,
    a.lendsToAll = false, a.lentHours = 0.0, a.borrowedHours = 0.0
SET a.name = r.name, a.nameAr = r.nameAr
"""

MERGE_CAMPAIGN: LiteralString = """
MERGE (c:Campaign {id: $id}) SET c.name = $name
"""

MERGE_EVENTS: LiteralString = """
UNWIND $rows AS e
MERGE (ev:Event {id: e.id})
SET ev.title = e.title, ev.domain = e.domain, ev.campaign = e.campaign,
    ev.lat = e.lat, ev.lon = e.lon,
    ev.startsAt = datetime({epochSeconds: e.startsAt}),
    ev.endsAt = datetime({epochSeconds: e.endsAt}),
    ev.createdAt = coalesce(ev.createdAt, datetime({epochSeconds: e.createdAt}))
WITH ev, e
MATCH (a:Association {id: e.association})
MATCH (g:Governorate {code: e.governorate})
MERGE (a)-[:ORGANIZES]->(ev)
MERGE (ev)-[:IN]->(g)
WITH ev, e
CALL (ev, e) {
  MATCH (c:Campaign {id: e.campaign})
  MERGE (ev)-[:PART_OF]->(c)
}
"""

MERGE_SHIFTS: LiteralString = """
UNWIND $rows AS s
MATCH (ev:Event {id: s.eventId})
MERGE (sh:Shift {id: s.id})
SET sh.startsAt = datetime({epochSeconds: s.startsAt}),
    sh.endsAt = datetime({epochSeconds: s.endsAt}),
    sh.urgent = s.urgent
MERGE (ev)-[:HAS_SHIFT]->(sh)
WITH sh, s
CALL (sh, s) {
  UNWIND s.needs AS n
  MATCH (k:Skill {code: n.skill})
  MERGE (sh)-[r:NEEDS {index: n.index}]->(k)
  SET r.count = n.count, r.minLevel = n.minLevel, r.gender = n.gender, r.minAge = n.minAge
}
"""


def namespace_association_rows(prefix: str) -> list[dict[str, Any]]:
    return [{"id": prefix + a.id, "name": f"{a.name} [{prefix}]", "nameAr": a.name_ar}
            for a in ASSOCIATIONS]


async def merge_namespace_associations(driver: AsyncDriver, prefix: str) -> None:
    if not prefix:
        raise ValueError("namespace associations need a non-empty id prefix")
    await driver.execute_query(MERGE_NAMESPACE_ASSOCIATIONS,
                               rows=namespace_association_rows(prefix))


async def _write(tx: AsyncManagedTransaction, data: CampaignData) -> None:
    await (await tx.run(MERGE_CAMPAIGN, **data.campaign)).consume()
    await (await tx.run(MERGE_EVENTS, rows=data.events)).consume()
    for i in range(0, len(data.shifts), 2000):
        await (await tx.run(MERGE_SHIFTS, rows=data.shifts[i:i + 2000])).consume()


async def load_campaign(driver: AsyncDriver, data: CampaignData) -> None:
    """Write the campaign with its events and shifts in one transaction."""
    async with driver.session() as session:
        await session.execute_write(_write, data)
