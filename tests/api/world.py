"""A small world of uniquely-named nodes in the shared test Neo4j, deleted exactly afterwards."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString
from uuid import uuid4

from neo4j import AsyncDriver

from graph.supply_cells import withdraw_supply

CREATE_ASSOCIATION: LiteralString = """
CREATE (a:Association {id: $id, name: $name, nameAr: $name, lends: $lends, maxShare: 0.2,
  requiresApproval: true, lendsToAll: true, lentHours: 0.0, borrowedHours: 0.0})
"""

CREATE_VOLUNTEER: LiteralString = """
MATCH (g:Governorate {code: $governorate})
CREATE (v:Volunteer {id: $id, name: $name, nameNorm: $name, gender: 'F', birthYear: 1995,
  birthGovernorate: $governorate, nationalIdHash: $hash, phone: $phone, active: true,
  reliability: 0.9, hoursThisMonth: 0.0, maxTravelKm: 50.0, maxHoursWeek: 40.0,
  lat: g.lat, lon: g.lon, availability: '[]', blackouts: '[]', bookingVersion: 0})
CREATE (v)-[:LIVES_IN]->(g)
WITH v
UNWIND $associations AS aid
MATCH (a:Association {id: aid})
CREATE (v)-[:MEMBER_OF {since: datetime(), primary: aid = $associations[0]}]->(a)
"""

ADD_SKILL: LiteralString = """
MATCH (v:Volunteer {id: $id}), (s:Skill {code: $skill})
MERGE (v)-[h:HAS_SKILL]->(s) SET h.level = $level
"""

CREATE_EVENT: LiteralString = """
MATCH (a:Association {id: $association}), (g:Governorate {code: '01'})
CREATE (a)-[:ORGANIZES]->(e:Event {id: $id, title: $title, domain: 'HEALTH', campaign: null,
  lat: 30.05, lon: 31.23, startsAt: $startsAt, endsAt: $endsAt, createdAt: datetime()})-[:IN]->(g)
CREATE (e)-[:HAS_SHIFT]->(sh:Shift {id: $shift, startsAt: $startsAt, endsAt: $endsAt, urgent: false})
WITH sh
MATCH (s:Skill {code: $skill})
CREATE (sh)-[:NEEDS {index: 0, count: $count, minLevel: 1, gender: null, minAge: null}]->(s)
"""

CREATE_ASSIGNMENT: LiteralString = """
MATCH (v:Volunteer {id: $volunteer}), (sh:Shift {id: $shift})-[n:NEEDS {index: 0}]->(s:Skill)
MATCH (sh)<-[:HAS_SHIFT]-(e:Event)
CREATE (v)-[:ASSIGNED]->(a:Assignment {id: $id, status: $status, needIndex: 0,
  viaExchange: $lender IS NOT NULL, cost: 1.5, termNames: ['travel', 'fairness'], termValues: [1.0, 0.5],
  startsAt: sh.startsAt, endsAt: sh.endsAt, eventId: e.id, createdAt: datetime(), updatedAt: datetime(),
  history: [$status + '|' + toString(datetime()) + '|test'], runId: null})-[:FOR]->(sh)
CREATE (a)-[:AS]->(s)
WITH a
OPTIONAL MATCH (l:Association {id: $lender})
FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END | CREATE (a)-[:LENT_BY]->(l))
"""

CREATE_EXCHANGE: LiteralString = """
MATCH (b:Association {id: $borrower}), (l:Association {id: $lender}), (a:Assignment {id: $assignment})
CREATE (x:ExchangeRequest {id: $id, status: $status, createdAt: datetime(), decidedAt: null})
CREATE (x)-[:BORROWER]->(b) CREATE (x)-[:LENDER]->(l) CREATE (x)-[:FOR]->(a)
"""

READ_NODE: LiteralString = "MATCH (n {id: $id}) RETURN properties(n) AS p"

COUNT_BY_HASH: LiteralString = (
    "MATCH (v:Volunteer {nationalIdHash: $hash}) RETURN count(v) AS n, collect(v.id) AS ids"
)

MEMBERSHIPS: LiteralString = (
    "MATCH (:Volunteer {id: $id})-[:MEMBER_OF]->(a) RETURN a.id AS id ORDER BY id"
)

DELETE_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (n {id: id})
OPTIONAL MATCH (n)-[:HAS_SHIFT]->(s:Shift)
OPTIONAL MATCH (s)<-[:FOR]-(a:Assignment)
OPTIONAL MATCH (a)<-[:FOR]-(x:ExchangeRequest)
DETACH DELETE x, a, s, n
"""

VOLUNTEERS_OF: LiteralString = """
UNWIND $ids AS id
MATCH (:Association {id: id})<-[:MEMBER_OF]-(v:Volunteer)
RETURN DISTINCT v.id AS id
"""

DELETE_VOLUNTEERS_OF: LiteralString = """
UNWIND $ids AS id
MATCH (a:Association {id: id})<-[:MEMBER_OF]-(v:Volunteer)
OPTIONAL MATCH (v)-[:ASSIGNED]->(x:Assignment)
DETACH DELETE x, v
"""

DELETE_EVENTS_OF: LiteralString = """
UNWIND $ids AS id
MATCH (:Association {id: id})-[:ORGANIZES]->(e:Event)
OPTIONAL MATCH (e)-[:HAS_SHIFT]->(s:Shift)
OPTIONAL MATCH (s)<-[:FOR]-(a:Assignment)
OPTIONAL MATCH (e)-[:PART_OF]->(c:Campaign)
DETACH DELETE a, s, e, c
"""

DELETE_RUNS_FOR: LiteralString = """
UNWIND $ids AS id
MATCH (r:MatchingRun {association: id})
DETACH DELETE r
"""


class World:
    def __init__(self, driver: AsyncDriver) -> None:
        self.driver = driver
        self.tag = f"t-{uuid4().hex[:8]}"
        self.ids: list[str] = []
        self.associations: list[str] = []

    def new_id(self, kind: str) -> str:
        value = f"{self.tag}-{kind}-{uuid4().hex[:6]}"
        self.ids.append(value)
        return value

    async def run(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        result = await self.driver.execute_query(query, params)
        return [r.data() for r in result.records]

    async def association(self, *, lends: bool = False) -> str:
        aid = self.new_id("A")
        self.associations.append(aid)
        await self.run(CREATE_ASSOCIATION, id=aid, name=f"Assoc {aid}", lends=lends)
        return aid

    async def volunteer(
        self,
        *associations: str,
        phone: str = "01012345689",
        skill: str | None = "first_aid",
        level: int = 3,
        name: str | None = None,
    ) -> str:
        vid = self.new_id("V")
        await self.run(
            CREATE_VOLUNTEER,
            id=vid,
            name=name or f"Volunteer {vid}",
            governorate="01",
            hash=f"hash-{vid}",
            phone=phone,
            associations=list(associations),
        )
        if skill:
            await self.run(ADD_SKILL, id=vid, skill=skill, level=level)
        return vid

    async def event(
        self,
        association: str,
        *,
        starts_in: timedelta = timedelta(days=2),
        hours: float = 4,
        count: int = 3,
        skill: str = "first_aid",
    ) -> tuple[str, str]:
        eid, sid = self.new_id("E"), self.new_id("S")
        starts = datetime.now(UTC).replace(microsecond=0) + starts_in
        await self.run(
            CREATE_EVENT,
            id=eid,
            shift=sid,
            association=association,
            title=f"Event {eid}",
            startsAt=starts,
            endsAt=starts + timedelta(hours=hours),
            skill=skill,
            count=count,
        )
        return eid, sid

    async def assignment(
        self, volunteer: str, shift: str, status: str = "PROPOSED", lender: str | None = None
    ) -> str:
        aid = self.new_id("AS")
        await self.run(
            CREATE_ASSIGNMENT,
            id=aid,
            volunteer=volunteer,
            shift=shift,
            status=status,
            lender=lender,
        )
        return aid

    async def exchange(
        self, borrower: str, lender: str, assignment: str, status: str = "PENDING"
    ) -> str:
        xid = self.new_id("X")
        await self.run(
            CREATE_EXCHANGE,
            id=xid,
            borrower=borrower,
            lender=lender,
            assignment=assignment,
            status=status,
        )
        return xid

    async def node(self, node_id: str) -> dict[str, Any] | None:
        rows = await self.run(READ_NODE, id=node_id)
        return rows[0]["p"] if rows else None

    async def cleanup(self) -> None:
        # what the service registered counts in the skill-gap supply: withdraw it first
        members = await self.run(VOLUNTEERS_OF, ids=self.associations)
        async with self.driver.session() as session:
            await session.execute_write(withdraw_supply, [m["id"] for m in members])
        await self.run(DELETE_VOLUNTEERS_OF, ids=self.associations)
        await self.run(DELETE_EVENTS_OF, ids=self.associations)
        await self.run(DELETE_RUNS_FOR, ids=self.associations)
        await self.run(DELETE_BY_IDS, ids=self.ids)


def availability(*windows: tuple[int, str, str]) -> str:
    return json.dumps([{"weekday": d, "start": s, "end": e} for d, s, e in windows])


BULK_VOLUNTEERS_ASSIGNED: LiteralString = """
MATCH (g:Governorate {code: '01'}), (a:Association {id: $association}), (s:Skill {code: 'first_aid'})
MATCH (sh:Shift {id: $shift})<-[:HAS_SHIFT]-(e:Event)
UNWIND $rows AS row
CREATE (v:Volunteer {id: row.volunteer, name: row.volunteer, nameNorm: row.volunteer, gender: 'M',
  birthYear: 1990, birthGovernorate: '01', nationalIdHash: 'hash-' + row.volunteer, phone: '01000000000',
  active: true, reliability: 1.0, hoursThisMonth: 0.0, maxTravelKm: 50.0, maxHoursWeek: 40.0,
  lat: g.lat, lon: g.lon, availability: '[]', blackouts: '[]', bookingVersion: 0})
CREATE (v)-[:LIVES_IN]->(g)
CREATE (v)-[:MEMBER_OF {since: datetime(), primary: true}]->(a)
CREATE (v)-[:HAS_SKILL {level: 2}]->(s)
CREATE (v)-[:ASSIGNED]->(x:Assignment {id: row.assignment, status: 'CONFIRMED', needIndex: 0,
  viaExchange: false, cost: 1.0, termNames: ['travel'], termValues: [1.0], startsAt: sh.startsAt,
  endsAt: sh.endsAt, eventId: e.id, createdAt: datetime(), updatedAt: datetime(), history: []})-[:FOR]->(sh)
CREATE (x)-[:AS]->(s)
"""


async def bulk_assigned(world: World, association: str, shift: str, n: int) -> list[str]:
    """n new member volunteers of the association, each with a CONFIRMED assignment on the shift."""
    rows = [{"volunteer": world.new_id("V"), "assignment": world.new_id("AS")} for _ in range(n)]
    await world.run(BULK_VOLUNTEERS_ASSIGNED, association=association, shift=shift, rows=rows)
    return [r["assignment"] for r in rows]
