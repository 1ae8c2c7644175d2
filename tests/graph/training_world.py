"""A hand-built little world in the shared test Neo4j for the training, skill-gap and
coordination tests: every node gets a unique id, and `cleanup()` deletes exactly those.

Test-only skills (`t_<hex>_...`) keep skill-gap numbers free of anybody else's data.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, LiteralString
from uuid import uuid4

from neo4j import AsyncDriver

from graph.availability_spans import week_spans
from graph.supply_cells import refresh_supply, withdraw_supply

CREATE_ASSOCIATION: LiteralString = """
CREATE (a:Association {id: $id, name: $name, nameAr: $name, lends: false, maxShare: 0.0,
  requiresApproval: true, lendsToAll: false, lentHours: 0.0, borrowedHours: 0.0})
"""

CREATE_SKILL: LiteralString = """
CREATE (s:Skill {code: $code, nameAr: $code, nameEn: $code, domain: 'OTHER'})
"""

CREATE_IMPLIES: LiteralString = """
MATCH (a:Skill {code: $from}), (b:Skill {code: $to}) MERGE (a)-[:IMPLIES]->(b)
"""

CREATE_VOLUNTEER: LiteralString = """
MATCH (g:Governorate {code: $governorate}), (a:Association {id: $association})
CREATE (v:Volunteer {id: $id, name: $id, nameNorm: $id, gender: 'F', birthYear: 1995,
  birthGovernorate: $governorate, active: $active, reliability: 0.9, hoursThisMonth: 0.0,
  maxTravelKm: 50.0, maxHoursWeek: 40.0, lat: g.lat, lon: g.lon,
  availability: $availability, blackouts: '[]', bookingVersion: 0,
  governorate: g.code, availSpans: $availSpans})
CREATE (v)-[:LIVES_IN]->(g)
CREATE (v)-[:MEMBER_OF {since: datetime(), primary: true}]->(a)
WITH v
UNWIND $skills AS sk
MATCH (s:Skill {code: sk.code})
CREATE (v)-[:HAS_SKILL {level: sk.level, certifiedBy: null, expiresAt: sk.expiresAt}]->(s)
"""

CREATE_EVENT: LiteralString = """
MATCH (a:Association {id: $association}), (g:Governorate {code: $governorate})
CREATE (a)-[:ORGANIZES]->(e:Event {id: $id, title: coalesce($title, 'Event ' + $id),
  domain: $domain, campaign: null, lat: $lat, lon: $lon, startsAt: $startsAt, endsAt: $endsAt, createdAt: datetime()})-[:IN]->(g)
"""

CREATE_SHIFT: LiteralString = """
MATCH (e:Event {id: $event})
CREATE (e)-[:HAS_SHIFT]->(sh:Shift {id: $id, startsAt: $startsAt, endsAt: $endsAt, urgent: false})
WITH sh
UNWIND $needs AS n
MATCH (s:Skill {code: n.skill})
CREATE (sh)-[:NEEDS {index: n.index, count: n.count, minLevel: n.minLevel, gender: null,
  minAge: null}]->(s)
"""

CREATE_ASSIGNMENT: LiteralString = """
MATCH (v:Volunteer {id: $volunteer}), (sh:Shift {id: $shift})-[n:NEEDS {index: $needIndex}]->(s:Skill)
CREATE (v)-[:ASSIGNED]->(a:Assignment {id: $id, status: $status, needIndex: $needIndex,
  viaExchange: false, cost: 0.0, termNames: [], termValues: [], startsAt: sh.startsAt,
  endsAt: sh.endsAt, createdAt: datetime(), updatedAt: datetime(), history: []})-[:FOR]->(sh)
CREATE (a)-[:AS]->(s)
"""

CREATE_PROGRAM: LiteralString = """
MATCH (a:Association {id: $association}), (s:Skill {code: $skill}), (g:Governorate {code: $governorate})
CREATE (a)-[:RUNS]->(p:TrainingProgram {id: $id, title: 'Program ' + $id, grantsLevel: $grantsLevel,
  capacity: $capacity, startsAt: $startsAt, endsAt: $endsAt, validForDays: $validForDays,
  createdAt: datetime(), lockVersion: 0, enrollSeq: 0})
CREATE (p)-[:TEACHES]->(s)
CREATE (p)-[:IN]->(g)
"""

DELETE_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (n {id: id})
OPTIONAL MATCH (n)<-[:IN_PROGRAM]-(e:Enrollment)
OPTIONAL MATCH (n:Event)-[:HAS_SHIFT]->(sh:Shift)
DETACH DELETE e, sh, n
"""

# What a matching run over our shifts left behind: its assignments and the run itself.
DELETE_MATCHING_LEFTOVERS: LiteralString = """
UNWIND $ids AS id
MATCH (sh:Shift {id: id})
OPTIONAL MATCH (sh)<-[:FOR]-(a:Assignment)
OPTIONAL MATCH (x:ExchangeRequest)-[:FOR]->(a)
DETACH DELETE x, a
WITH DISTINCT id
MATCH (run:MatchingRun) WHERE id IN run.shiftIds
DETACH DELETE run
"""

DELETE_ENROLLMENTS_OF_VOLUNTEERS: LiteralString = """
UNWIND $ids AS id
MATCH (:Volunteer {id: id})-[:ENROLLED]->(e:Enrollment)
DETACH DELETE e
"""

DELETE_SKILLS: LiteralString = """
UNWIND $codes AS code
MATCH (s:Skill {code: code})
DETACH DELETE s
"""

EVERY_DAY = [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(1, 8)]


def uid(prefix: str) -> str:
    return f"t-{uuid4().hex[:10]}-{prefix}"


class World:
    """Builds nodes with unique ids and remembers them for `cleanup()`."""

    def __init__(self, driver: AsyncDriver) -> None:
        self.driver = driver
        self.ids: list[str] = []
        self.volunteers: list[str] = []
        self.skills: list[str] = []

    async def run(self, query: LiteralString, **params: Any) -> None:
        await self.driver.execute_query(query, params)

    async def create(self, kind: str, query: LiteralString, **params: Any) -> str:
        """Run `query` with a fresh id `t-<hex>-<kind>` and remember that id for cleanup."""
        node_id = uid(kind)
        await self.run(query, id=node_id, **params)
        self.ids.append(node_id)
        return node_id

    async def association(self, name: str | None = None) -> str:
        aid = uid("assoc")
        await self.run(CREATE_ASSOCIATION, id=aid, name=name or f"Association {aid}")
        self.ids.append(aid)
        return aid

    async def skill(self, implies: str | None = None) -> str:
        code = f"t_{uuid4().hex[:10]}_skill"
        await self.run(CREATE_SKILL, code=code)
        self.skills.append(code)
        if implies is not None:
            await self.run(CREATE_IMPLIES, **{"from": code, "to": implies})
        return code

    async def volunteer(
        self,
        association: str,
        governorate: str = "01",
        skills: list[tuple[str, int, datetime | None]] | None = None,
        availability: list[dict[str, Any]] | None = None,
        active: bool = True,
    ) -> str:
        windows = EVERY_DAY if availability is None else availability
        vid = await self.create(
            "vol",
            CREATE_VOLUNTEER,
            association=association,
            governorate=governorate,
            active=active,
            availability=json.dumps(windows),
            # derived like every writer does (graph.volunteer_derived)
            availSpans=week_spans(windows),
            skills=[{"code": c, "level": lv, "expiresAt": exp} for c, lv, exp in skills or []],
        )
        self.volunteers.append(vid)
        # a writer keeps the skill-gap supply cells in step (graph.supply_cells)
        async with self.driver.session() as session:
            await session.execute_write(refresh_supply, [vid])
        return vid

    async def event(
        self,
        association: str,
        *,
        starts_at: datetime,
        ends_at: datetime,
        domain: str = "HEALTH",
        governorate: str = "01",
        lat: float = 30.0444,
        lon: float = 31.2357,
        title: str | None = None,
    ) -> str:
        return await self.create(
            "event",
            CREATE_EVENT,
            association=association,
            governorate=governorate,
            title=title,
            domain=domain,
            lat=lat,
            lon=lon,
            startsAt=starts_at,
            endsAt=ends_at,
        )

    async def shift(
        self, event: str, starts_at: datetime, needs: list[tuple[str, int, int]]
    ) -> str:
        """needs: (skill, count, minLevel) in index order."""
        return await self.create(
            "shift",
            CREATE_SHIFT,
            event=event,
            startsAt=starts_at,
            endsAt=starts_at + timedelta(hours=4),
            needs=[
                {"index": i, "skill": s, "count": c, "minLevel": m}
                for i, (s, c, m) in enumerate(needs)
            ],
        )

    async def assignment(
        self, volunteer: str, shift: str, need_index: int = 0, status: str = "CONFIRMED"
    ) -> str:
        return await self.create(
            "asg",
            CREATE_ASSIGNMENT,
            volunteer=volunteer,
            shift=shift,
            needIndex=need_index,
            status=status,
        )

    async def program(
        self,
        association: str,
        skill: str,
        *,
        starts_at: datetime,
        ends_at: datetime,
        capacity: int = 2,
        grants_level: int = 2,
        valid_for_days: int | None = None,
        governorate: str = "01",
    ) -> str:
        return await self.create(
            "prog",
            CREATE_PROGRAM,
            association=association,
            skill=skill,
            governorate=governorate,
            grantsLevel=grants_level,
            capacity=capacity,
            startsAt=starts_at,
            endsAt=ends_at,
            validForDays=valid_for_days,
        )

    def track(self, *ids: str) -> None:
        """Remember nodes created through the code under test (e.g. a created program)."""
        self.ids.extend(ids)

    async def cleanup(self) -> None:
        async with self.driver.session() as session:
            await session.execute_write(withdraw_supply, self.volunteers)
        await self.run(DELETE_MATCHING_LEFTOVERS, ids=self.ids)
        await self.run(DELETE_ENROLLMENTS_OF_VOLUNTEERS, ids=self.volunteers)
        await self.run(DELETE_BY_IDS, ids=self.ids)
        await self.run(DELETE_SKILLS, codes=self.skills)


async def open_test_driver() -> AsyncDriver:
    """A driver on the test Neo4j with the schema and reference data in place (both idempotent)."""
    from graph.driver import check_connection, create_driver
    from graph.reference_data import load_reference_data
    from graph.schema import apply_schema

    driver = create_driver()
    try:
        await check_connection(driver)
        await apply_schema(driver)
        await load_reference_data(driver)
    except BaseException:
        await driver.close()
        raise
    return driver
