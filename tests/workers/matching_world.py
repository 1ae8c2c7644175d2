"""A little matching world in the shared test Neo4j: unique ids, test-only skills, a remote spot.

Everything gets a `t-<hex>` id (skills `t_<hex>_...`), so nobody else's data can be a candidate
for our shifts and `cleanup()` deletes exactly what was created (plus the assignments, exchange
requests and runs produced for our shifts).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString
from uuid import uuid4

from neo4j import AsyncDriver

# Far from every governorate capital (Western Desert), so seeded volunteers are out of reach.
SPOT = (23.4, 26.9)
ALL_WEEK = json.dumps([{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(1, 8)])

CREATE_SKILL: LiteralString = """
MERGE (s:Skill {code: $code}) SET s.nameAr = $code, s.nameEn = $code, s.domain = 'HEALTH'
WITH s
UNWIND $implies AS target
MATCH (t:Skill {code: target})
MERGE (s)-[:IMPLIES]->(t)
"""

CREATE_ASSOCIATION: LiteralString = """
CREATE (a:Association {id: $id, name: $id, nameAr: $id, lends: $lends, maxShare: $maxShare,
  requiresApproval: $requiresApproval, lendsToAll: $lendsToAll, lentHours: 0.0, borrowedHours: 0.0})
"""

SHARES_WITH: LiteralString = """
MATCH (l:Association {id: $lender}), (b:Association {id: $borrower})
MERGE (l)-[:SHARES_WITH {maxShare: $maxShare, requiresApproval: $requiresApproval}]->(b)
"""

CREATE_VOLUNTEER: LiteralString = """
CREATE (v:Volunteer {id: $id, name: $id, nameNorm: $id, gender: $gender, birthYear: 1995,
  birthGovernorate: '01', active: $active, reliability: $reliability, hoursThisMonth: 0.0,
  maxTravelKm: $maxTravelKm, maxHoursWeek: 40.0, lat: $lat, lon: $lon,
  availability: $availability, blackouts: '[]', bookingVersion: 0, phone: '01000000000'})
WITH v
UNWIND $associations AS aid
MATCH (a:Association {id: aid})
CREATE (v)-[:MEMBER_OF {since: datetime(), primary: aid = $associations[0]}]->(a)
WITH DISTINCT v
UNWIND $skills AS sk
MATCH (s:Skill {code: sk.code})
CREATE (v)-[:HAS_SKILL {level: sk.level, certifiedBy: null, expiresAt: null}]->(s)
"""

CREATE_EVENT: LiteralString = """
MATCH (a:Association {id: $association}), (g:Governorate {code: '32'})
CREATE (a)-[:ORGANIZES]->(e:Event {id: $id, title: $id, domain: 'HEALTH', campaign: null,
  lat: $lat, lon: $lon, startsAt: $startsAt, endsAt: $endsAt, createdAt: datetime()})-[:IN]->(g)
"""

CREATE_SHIFT: LiteralString = """
MATCH (e:Event {id: $event})
CREATE (e)-[:HAS_SHIFT]->(sh:Shift {id: $id, startsAt: $startsAt, endsAt: $endsAt, urgent: $urgent})
WITH sh
UNWIND $needs AS n
MATCH (s:Skill {code: n.skill})
CREATE (sh)-[:NEEDS {index: n.index, count: n.count, minLevel: n.minLevel, gender: null,
  minAge: null}]->(s)
"""

CREATE_ASSIGNMENT: LiteralString = """
MATCH (v:Volunteer {id: $volunteer}), (sh:Shift {id: $shift})-[:NEEDS {index: $needIndex}]->(s:Skill)
MATCH (e:Event)-[:HAS_SHIFT]->(sh)
CREATE (v)-[:ASSIGNED]->(x:Assignment {id: $id, status: $status, needIndex: $needIndex,
  viaExchange: $lender IS NOT NULL, cost: 0.0, termNames: [], termValues: [],
  startsAt: sh.startsAt, endsAt: sh.endsAt, eventId: e.id, createdAt: $createdAt,
  updatedAt: $createdAt, history: [], hours: $hours})-[:FOR]->(sh)
CREATE (x)-[:AS]->(s)
WITH x
OPTIONAL MATCH (l:Association {id: $lender})
FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END | CREATE (x)-[:LENT_BY]->(l))
"""

DELETE_PRODUCED: LiteralString = """
UNWIND $shifts AS sid
MATCH (sh:Shift {id: sid})<-[:FOR]-(x:Assignment)
OPTIONAL MATCH (q:ExchangeRequest)-[:FOR]->(x)
DETACH DELETE q, x
"""

DELETE_RUNS: LiteralString = """
MATCH (r:MatchingRun) WHERE any(s IN r.shiftIds WHERE s IN $shifts) DETACH DELETE r
"""

DELETE_VOLUNTEERS: LiteralString = "UNWIND $ids AS id MATCH (n:Volunteer {id: id}) DETACH DELETE n"
DELETE_SHIFTS: LiteralString = "UNWIND $ids AS id MATCH (n:Shift {id: id}) DETACH DELETE n"
DELETE_EVENTS: LiteralString = "UNWIND $ids AS id MATCH (n:Event {id: id}) DETACH DELETE n"
DELETE_ASSOCIATIONS: LiteralString = "UNWIND $ids AS id MATCH (n:Association {id: id}) DETACH DELETE n"
DELETE_SKILLS: LiteralString = "UNWIND $codes AS c MATCH (n:Skill {code: c}) DETACH DELETE n"
DELETE_IMPORTS: LiteralString = """
UNWIND $ids AS id
MATCH (j:ImportJob {id: id})
OPTIONAL MATCH (v:Volunteer {importJob: id})
DETACH DELETE j, v
"""


def base_time() -> datetime:
    """Next week, 06:00 UTC (08:00 Cairo), at a whole hour: all shifts are in the future."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return (now + timedelta(days=7)).replace(hour=6)


class MatchingWorld:
    def __init__(self, driver: AsyncDriver) -> None:
        self.driver = driver
        self.tag = f"t-{uuid4().hex[:8]}"
        self.skills: list[str] = []
        self.associations: list[str] = []
        self.volunteers: list[str] = []
        self.events: list[str] = []
        self.shifts: list[str] = []
        self.imports: list[str] = []
        self._n = 0

    def _id(self, kind: str) -> str:
        self._n += 1
        return f"{self.tag}-{kind}{self._n:03d}"

    async def q(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = await self.driver.execute_query(query, params)
        return [r.data() for r in records]

    async def skill(self, name: str, implies: Sequence[str] = ()) -> str:
        code = f"t_{self.tag[2:]}_{name}"
        await self.q(CREATE_SKILL, code=code, implies=list(implies))
        self.skills.append(code)
        return code

    async def association(
        self, *, lends: bool = False, max_share: float = 0.0, requires_approval: bool = False,
        lends_to_all: bool = True,
    ) -> str:
        aid = self._id("assoc")
        await self.q(
            CREATE_ASSOCIATION, id=aid, lends=lends, maxShare=max_share,
            requiresApproval=requires_approval, lendsToAll=lends_to_all,
        )
        self.associations.append(aid)
        return aid

    async def volunteer(
        self, associations: str | Sequence[str], skills: Sequence[tuple[str, int]], *,
        lat: float = SPOT[0], lon: float = SPOT[1], max_travel_km: float = 50.0,
        active: bool = True, gender: str = "F", reliability: float = 0.9,
        availability: str = ALL_WEEK,
    ) -> str:
        vid = self._id("vol")
        assocs = [associations] if isinstance(associations, str) else list(associations)
        await self.q(
            CREATE_VOLUNTEER, id=vid, associations=assocs,
            skills=[{"code": c, "level": lvl} for c, lvl in skills], lat=lat, lon=lon,
            maxTravelKm=max_travel_km, active=active, gender=gender, reliability=reliability,
            availability=availability,
        )
        self.volunteers.append(vid)
        return vid

    async def event(self, association: str, *, lat: float = SPOT[0], lon: float = SPOT[1]) -> str:
        eid = self._id("event")
        start = base_time()
        await self.q(
            CREATE_EVENT, id=eid, association=association, lat=lat, lon=lon, startsAt=start,
            endsAt=start + timedelta(days=3),
        )
        self.events.append(eid)
        return eid

    async def shift(
        self, event: str, needs: Sequence[tuple[str, int, int]], *, offset_hours: float = 0.0,
        hours: float = 4.0, urgent: bool = False,
    ) -> str:
        sid = self._id("shift")
        start = base_time() + timedelta(hours=offset_hours)
        await self.q(
            CREATE_SHIFT, id=sid, event=event, startsAt=start, endsAt=start + timedelta(hours=hours),
            urgent=urgent,
            needs=[{"index": i, "skill": s, "count": c, "minLevel": m} for i, (s, c, m) in enumerate(needs)],
        )
        self.shifts.append(sid)
        return sid

    async def assignment(
        self, volunteer: str, shift: str, *, status: str = "CONFIRMED", need_index: int = 0,
        lender: str | None = None, created_at: datetime | None = None, hours: float | None = None,
    ) -> str:
        aid = self._id("asg")
        await self.q(
            CREATE_ASSIGNMENT, id=aid, volunteer=volunteer, shift=shift, status=status,
            needIndex=need_index, lender=lender, createdAt=created_at or datetime.now(UTC),
            hours=hours,
        )
        return aid

    async def cleanup(self) -> None:
        await self.q(DELETE_PRODUCED, shifts=self.shifts)
        await self.q(DELETE_RUNS, shifts=self.shifts)
        await self.q(DELETE_IMPORTS, ids=self.imports)
        await self.q(DELETE_VOLUNTEERS, ids=self.volunteers)
        await self.q(DELETE_SHIFTS, ids=self.shifts)
        await self.q(DELETE_EVENTS, ids=self.events)
        await self.q(DELETE_ASSOCIATIONS, ids=self.associations)
        await self.q(DELETE_SKILLS, codes=self.skills)
